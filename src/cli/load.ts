// Reading a whole project for the reporting commands (`agreement`, `stats`): the codebook, every
// sidecar and its transcript's LF-normalised text (for lengths, and for the turns of the speakers
// the analysis leaves out). Read-only. A transcript that changed since it was coded is re-anchored
// in memory (as `check` does), so offsets fit its text.
import { reanchorCodings } from '../core/anchor';
import type { FileSystemPort } from '../core/ports';
import { readLfText } from '../core/hash';
import { FormatError } from '../core/jsonError';
import { PROJECT_FILE } from '../core/model';
import type { Coding, ProjectFile } from '../core/model';
import { parseProject } from '../core/project';
import { isSidecarPath, parseSidecar, transcriptPathFor } from '../core/sidecar';

export interface LoadedDocument {
  /** transcript path, project-relative */
  path: string;
  /** the transcript's LF-normalised text */
  text: string;
  /** length of the LF-normalised text */
  length: number;
  codings: Coding[];
  /** the transcript changed since it was coded; codings re-anchored in memory */
  reanchored: boolean;
}

export interface LoadedProject {
  project: ProjectFile;
  /** one per sidecar whose transcript exists, by path */
  documents: LoadedDocument[];
  /** things skipped or changed, one line each, for stderr */
  warnings: string[];
  /** a transcript's LF text by path, for core/analysis.ts `analyse` (excluded speakers) */
  textOf: (path: string) => string | undefined;
}

/** Thrown when the project cannot be read: no grounded.json, or a file that does not parse. */
export class ProjectError extends Error {}

/** `where`: the folder as the user named it, for the message when grounded.json is missing. */
export async function loadProject(fs: FileSystemPort, where = 'this folder'): Promise<LoadedProject> {
  const project = await loadProjectFile(fs, where);
  const documents: LoadedDocument[] = [];
  const warnings: string[] = [];
  for await (const doc of readDocuments(fs, warnings)) documents.push(doc);
  const texts = new Map(documents.map((d) => [d.path, d.text]));
  return { project, documents, warnings, textOf: (p) => texts.get(p) };
}

/** grounded.json, parsed. */
export async function loadProjectFile(fs: FileSystemPort, where = 'this folder'): Promise<ProjectFile> {
  const projectText = await fs.readText(PROJECT_FILE);
  if (projectText === undefined) throw new ProjectError(`no ${PROJECT_FILE} in ${where}: not a Grounded project folder`);
  return parse(projectText, PROJECT_FILE, parseProject);
}

/**
 * The documents of `loadProject`, one at a time in the same order (by sidecar path), each read when
 * the one before has been taken: a caller that keeps only its own results of each (the CLI's `stats`)
 * never holds more than one transcript's codings. Skipped and re-anchored documents add their line
 * to `warnings`.
 */
export async function* readDocuments(fs: FileSystemPort, warnings: string[]): AsyncGenerator<LoadedDocument> {
  for (const sidecarPath of (await fs.list('')).filter(isSidecarPath)) {
    const sidecar = parse((await fs.readText(sidecarPath)) ?? '', sidecarPath, parseSidecar);
    const path = transcriptPathFor(sidecarPath);
    const read = await readLfText(fs, path);
    if (read === undefined) {
      warnings.push(`${sidecarPath}: skipped, its transcript ${path} does not exist`);
      continue;
    }
    const { text } = read;
    let codings = sidecar.codings;
    let reanchored = false;
    if (read.hash !== sidecar.document.hash && codings.length > 0) {
      codings = reanchorCodings(codings, text).codings;
      reanchored = true;
      warnings.push(`${path}: changed since it was coded; its codings were re-anchored in memory (run "grounded check" for details)`);
    }
    yield { path, text, length: text.length, codings, reanchored };
  }
}

function parse<T>(text: string, path: string, fn: (text: string, path: string) => T): T {
  try {
    return fn(text, path);
  } catch (err) {
    if (err instanceof FormatError) throw new ProjectError(`${path}:${err.line}:${err.column}: ${err.reason} (run "grounded check")`);
    throw err;
  }
}
