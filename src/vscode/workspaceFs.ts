// FileSystemPort over vscode.workspace.fs, rooted at a workspace folder. Going through
// workspace.fs (not Node's fs) keeps remote and virtual workspaces working.
import * as vscode from 'vscode';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { FileSystemPort } from '../core/ports';

export class WorkspaceFileSystem implements FileSystemPort {
  /** The text this extension last wrote to each path: its own writes are not read back as outside changes. */
  private readonly written = new Map<string, string>();

  constructor(readonly root: vscode.Uri) {}

  /** True when the file holds exactly what this extension last wrote there (a watcher event for its own write). */
  isOwnWrite(path: string, text: string | undefined): boolean {
    const own = text !== undefined && this.written.get(path) === text;
    // Once the file held something else, a later return to these bytes is someone else's doing.
    if (!own) this.written.delete(path);
    return own;
  }

  uri(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, ...path.split('/'));
  }

  async readText(path: string): Promise<string | undefined> {
    try {
      return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(this.uri(path)));
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  }

  async writeText(path: string, text: string): Promise<void> {
    const uri = this.uri(path);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    this.written.set(path, text);
  }

  /** True when a file or folder exists at the path. */
  async exists(path: string): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(this.uri(path));
      return true;
    } catch {
      return false;
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.uri(from);
    const target = this.uri(to);
    // workspace.fs.rename with overwrite deletes the target first, which leaves a moment with no file;
    // on a local disk, POSIX rename replaces it in one step (the atomic write relies on that).
    const move = () => (source.scheme === 'file' ? rename(source.fsPath, target.fsPath) : vscode.workspace.fs.rename(source, target, { overwrite: true }));
    try {
      await move();
    } catch (err) {
      // The target's folder does not exist yet (an import moving a transcript out of its staging folder): make it, once.
      if (await this.exists(to.split('/').slice(0, -1).join('/'))) throw err;
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
      await move();
    }
    const text = this.written.get(from);
    this.written.delete(from);
    if (text !== undefined) this.written.set(to, text);
    else this.written.delete(to);
  }

  /**
   * The exclusive create of a save's lock (core/lock.ts). On a local disk Node's O_CREAT|O_EXCL, which
   * only one process can win; elsewhere (remote, virtual) the best workspace.fs offers: a temporary
   * file renamed onto the lock without overwrite.
   */
  async createExclusive(path: string, text: string): Promise<boolean> {
    const uri = this.uri(path);
    if (uri.scheme === 'file') {
      const create = () => writeFile(uri.fsPath, text, { encoding: 'utf8', flag: 'wx' });
      try {
        await create().catch(async (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
          await mkdir(nodePath.dirname(uri.fsPath), { recursive: true });
          await create();
        });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
    }
    if (await this.exists(path)) return false;
    const tmp = this.uri(`${path}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    await vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(text));
    try {
      await vscode.workspace.fs.rename(tmp, uri, { overwrite: false });
      return true;
    } catch (err) {
      await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
      if (err instanceof vscode.FileSystemError && err.code === 'FileExists') return false;
      throw err;
    }
  }

  async modifiedTime(path: string): Promise<number | undefined> {
    try {
      return (await vscode.workspace.fs.stat(this.uri(path))).mtime;
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  }

  async delete(path: string): Promise<void> {
    await vscode.workspace.fs.delete(this.uri(path), { useTrash: false });
    this.written.delete(path);
  }

  /** Removes a folder with everything in it; a folder that is already gone is not an error. */
  async deleteFolder(path: string): Promise<void> {
    if (!path || path === '.') throw new Error(vscode.l10n.t('Grounded never deletes the workspace folder itself'));
    try {
      await vscode.workspace.fs.delete(this.uri(path), { recursive: true, useTrash: false });
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
    }
    for (const p of [...this.written.keys()]) if (p.startsWith(path + '/')) this.written.delete(p);
  }

  async list(dir: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(this.uri(rel));
      } catch {
        return;
      }
      for (const [name, type] of entries) {
        if (name === 'node_modules' || name === '.git') continue;
        const child = rel ? `${rel}/${name}` : name;
        if (type & vscode.FileType.Directory) await walk(child);
        else out.push(child);
      }
    };
    await walk(dir);
    return out.sort();
  }

  /** Workspace-relative path with forward slashes, or undefined when the uri is outside this root. */
  relative(uri: vscode.Uri): string | undefined {
    const root = this.root.path.endsWith('/') ? this.root.path : this.root.path + '/';
    if (uri.scheme !== this.root.scheme || uri.authority !== this.root.authority) return undefined;
    return uri.path.startsWith(root) ? uri.path.slice(root.length) : undefined;
  }
}
