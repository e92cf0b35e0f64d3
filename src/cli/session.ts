// The project session (core/session.ts) for the command line: its ports over the folder, through the
// same guarded stores the editor uses for closed transcripts (core/store.ts: each write under the file's
// lock, merged with a change made meanwhile, never over a file that does not parse). For commands that
// change the project (`grounded suggest`); the reporting commands read with load.ts.
import type { ProjectFile } from '../core/model';
import type { Environment } from '../core/ports';
import { systemEnvironment } from '../core/ports';
import { DocumentTable } from '../core/documents';
import { ProjectSession } from '../core/session';
import type { SessionPorts } from '../core/session';
import { ProjectStore, SidecarStore } from '../core/store';
import { hashText } from '../core/hash';
import { FormatError } from '../core/jsonError';
import { PROJECT_FILE } from '../core/model';
import { isSidecarPath, transcriptPathFor } from '../core/sidecar';
import { ProjectError } from './load';
import { NodeFileSystem } from './nodeFs';

export interface CliSession {
  fs: NodeFileSystem;
  session: ProjectSession;
  project: ProjectFile;
  /** every file of the folder (root-relative, sorted) */
  files: string[];
  /** transcript paths whose sidecars exist */
  withSidecars: Set<string>;
  /**
   * Opens a transcript's sidecar and puts its codings into the session (before the session changes it).
   * `text` is the transcript's LF text; a new sidecar gets its hash. Throws a ProjectError for a
   * sidecar that does not parse.
   */
  openTranscript(path: string, text: string): Promise<SidecarStore>;
}

/** The session of the project in `root`; a ProjectError when there is no grounded.json or it does not parse. */
export async function openCliSession(root: string, where: string, env: Environment = systemEnvironment): Promise<CliSession> {
  const fs = new NodeFileSystem(root);
  let projectStore: ProjectStore;
  try {
    projectStore = await ProjectStore.open(fs, { env });
  } catch (err) {
    throw asProjectError(err);
  }
  if (!projectStore.exists) throw new ProjectError(`no ${PROJECT_FILE} in ${where}: not a Grounded project folder`);
  const files = await fs.list('');
  const withSidecars = new Set(files.filter(isSidecarPath).map(transcriptPathFor));
  const table = new DocumentTable();
  table.scanned(files, [...new Set([...files.filter((f) => !isSidecarPath(f))])], withSidecars);
  const stores = new Map<string, SidecarStore>();
  const texts = new Map<string, string>();
  const ports: SessionPorts = {
    editProject: async (change) => {
      await projectStore.update((p) => change(p));
      return projectStore.data;
    },
    editCodings: async (path, change) => {
      const store = stores.get(path) ?? (await open(path, texts.get(path)));
      await store.update((s) => ({ ...s, codings: change(s.codings) }));
      table.setStored(path, store.data.codings);
    },
    textOf: (path) => texts.get(path),
  };
  const session = new ProjectSession(ports, env, table);
  session.setProject(projectStore.data);
  async function open(path: string, text: string | undefined): Promise<SidecarStore> {
    if (text !== undefined) texts.set(path, text);
    const existing = stores.get(path);
    if (existing) return existing;
    let store: SidecarStore;
    try {
      store = await SidecarStore.open(fs, path, text === undefined ? {} : { documentHash: hashText(text) });
    } catch (err) {
      throw asProjectError(err);
    }
    stores.set(path, store);
    if (store.exists) table.setStored(path, store.data.codings);
    return store;
  }
  return { fs, session, project: projectStore.data, files, withSidecars, openTranscript: open };
}

function asProjectError(err: unknown): unknown {
  if (err instanceof FormatError) return new ProjectError(`${err.path}:${err.line}:${err.column}: ${err.reason} (run "grounded check")`);
  return err;
}
