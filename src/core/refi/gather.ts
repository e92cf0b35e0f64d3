// Reading a project for export and writing an import, through the FileSystemPort (the CLI gives
// Node's fs, the extension vscode.workspace.fs). Nothing here touches a file system of its own.
import { reanchorCodings } from '../anchor';
import { hashText } from '../hash';
import { PROJECT_FILE } from '../model';
import type { Coding, Memo, ProjectFile } from '../model';
import type { Environment, FileSystemPort } from '../ports';
import { StagedWriter, writeAllOrNothing } from '../staging';
import { parseProject } from '../project';
import { isSidecarPath, parseSidecar, sidecarPathFor, transcriptPathFor } from '../sidecar';
import { MemoStore } from '../store';
import { normalizeEol } from '../text';
import { DEFAULT_TRANSCRIPT_GLOBS, isTranscriptPath } from '../transcripts';
import type { ExportDocument, ExportInput } from './export';
import { importRefi, importRefiStreamed } from './import';
import type { ImportOptions, ImportSummary } from './import';
import { RefiError } from './xml';

/**
 * The project as the export needs it: grounded.json, every transcript (coded or not) with its
 * codings, every memo. A transcript changed since it was coded is re-anchored in memory first.
 * Throws FormatError for a file that does not parse, RefiError without grounded.json.
 */
export async function readForExport(fs: FileSystemPort, globs: readonly string[] = DEFAULT_TRANSCRIPT_GLOBS): Promise<{ input: ExportInput; warnings: string[] }> {
  const reading = await readForExportInPieces(fs, globs);
  const documents: ExportDocument[] = [];
  for await (const d of reading.documents) documents.push(d);
  return { input: { project: reading.project, documents, memos: reading.memos }, warnings: reading.warnings };
}

/** What readForExport reads, with the documents read one at a time as they are asked for (core/refi/export.ts streamQdpx). */
export interface ExportReading {
  project: ProjectFile;
  memos: Memo[];
  /**
   * Every transcript with its codings, in path order, each read when it is asked for. After the last,
   * a memo that does not parse is thrown (as readForExport throws it: after every document was read).
   */
  documents: AsyncIterable<ExportDocument>;
  /** what readForExport warns about; complete when the documents were read */
  warnings: string[];
}

/** readForExport, the documents read one at a time: only one transcript and its codings in memory. */
export async function readForExportInPieces(fs: FileSystemPort, globs: readonly string[] = DEFAULT_TRANSCRIPT_GLOBS): Promise<ExportReading> {
  const projectText = await fs.readText(PROJECT_FILE);
  if (projectText === undefined) throw new RefiError(`no ${PROJECT_FILE} here: not a Grounded project folder (run Initialize Project first)`);
  const project = parseProject(projectText, PROJECT_FILE);
  const files = await fs.list('');
  const warnings: string[] = [];
  const paths = new Set(files.filter((f) => isTranscriptPath(f, globs)));
  const sidecars = new Set(files.filter(isSidecarPath));
  const listed = new Set(files);
  for (const s of sidecars) {
    const t = transcriptPathFor(s);
    if (listed.has(t)) paths.add(t);
    else warnings.push(`${s}: left out, its transcript ${t} does not exist`);
  }
  const { memos, errors } = await new MemoStore(fs).list();
  async function* documents(): AsyncGenerator<ExportDocument> {
    for (const path of [...paths].sort()) {
      const lfText = normalizeEol((await fs.readText(path)) ?? '');
      let codings: Coding[] = [];
      const sidecarPath = sidecarPathFor(path);
      if (sidecars.has(sidecarPath)) {
        const sidecar = parseSidecar((await fs.readText(sidecarPath)) ?? '', sidecarPath);
        codings = sidecar.codings;
        if (codings.length && hashText(lfText) !== sidecar.document.hash) {
          codings = reanchorCodings(codings, lfText).codings;
          warnings.push(`${path}: changed since it was coded; its codings were found again in the current text`);
        }
      }
      yield { path, lfText, codings };
    }
    if (errors.length) throw errors[0];
  }
  return { project, memos: memos.map((m) => m.memo), documents: documents(), warnings };
}

/**
 * Writes the files of an import into the folder of `fs`, all or nothing (core/staging.ts): after
 * checking that the folder holds no project and none of the files, each is written to a staging
 * folder, read back, and only then moved into place. `source` (the file imported from) and `items`
 * (path -> what the file comes from) name what failed in the message.
 */
export async function writeImport(fs: FileSystemPort, files: ReadonlyMap<string, string>, options: { source?: string; items?: ReadonlyMap<string, string> } = {}): Promise<void> {
  const source = options.source ?? 'the import';
  if ((await fs.readText(PROJECT_FILE)) !== undefined) {
    throw new RefiError(`${source}: the folder already has a ${PROJECT_FILE}: import into an empty folder (or one without a Grounded project), so nothing is overwritten; nothing was written`);
  }
  // grounded.json last: a folder with it is a complete import.
  const order = [...files.keys()].sort((a, b) => Number(a === PROJECT_FILE) - Number(b === PROJECT_FILE) || (a < b ? -1 : 1));
  const planned = order.map((path) => ({ path, text: files.get(path)!, item: options.items?.get(path) ?? path }));
  await writeAllOrNothing(fs, planned, { source, refuse: (m) => new RefiError(m) });
}

/** writeImport's order: by path, grounded.json last (a folder with it is a complete import). */
const writeOrder = (a: string, b: string): number => Number(a === PROJECT_FILE) - Number(b === PROJECT_FILE) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * importRefi, then writeImport, in the memory of one source at a time for a .qdpx (importRefiStreamed):
 * each transcript and sidecar is written to the staging folder as it is read, and nothing is moved into
 * place until every file is written and checked. Whenever the streamed import cannot go on (a problem
 * with the file, the folder, or a write), what it wrote is removed and importRefi and writeImport do it
 * all again, so that every message is theirs, in their order. `streamed` says which way it went.
 */
export async function importIntoFolder(
  fs: FileSystemPort,
  bytes: Uint8Array,
  fileName: string,
  options: ImportOptions,
): Promise<{ summary: ImportSummary; streamed: boolean }> {
  // What the streamed import took from the environment is given again, in the same order, to an
  // importRefi after it: the ids and times are those importRefi alone would have made.
  const taken = { now: [] as string[], newId: [] as string[] };
  const recording: Environment = {
    now: () => (taken.now.push(options.env.now()), taken.now[taken.now.length - 1]),
    newId: () => (taken.newId.push(options.env.newId()), taken.newId[taken.newId.length - 1]),
  };
  if ((await fs.readText(PROJECT_FILE)) === undefined) {
    const writer = new StagedWriter(fs, { source: fileName, refuse: (m) => new RefiError(m) });
    let summary: ImportSummary | undefined;
    try {
      summary = await importRefiStreamed(bytes, fileName, { ...options, env: recording }, (f) => writer.add(f));
      if (summary) await writer.commit(writeOrder);
    } catch {
      summary = undefined;
    }
    if (summary) return { summary, streamed: true };
    await writer.abort();
  }
  const replaying: Environment = { now: () => taken.now.shift() ?? options.env.now(), newId: () => taken.newId.shift() ?? options.env.newId() };
  const result = importRefi(bytes, fileName, { ...options, env: replaying });
  await writeImport(fs, result.files, { source: fileName, items: result.items });
  return { summary: result.summary, streamed: false };
}
