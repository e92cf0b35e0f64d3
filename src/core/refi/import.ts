// REFI-QDA import: a .qdpx (or a bare project.qde, or a .qdc codebook) becomes the files of a
// Grounded project, built entirely in memory and checked before anything is written (see
// gather.ts writeImport). Tolerant of what real exports contain (MAXQDA, ATLAS.ti, NVivo,
// QualCoder): GUIDs in braces or upper case, internal:// and relative:// paths, CRLF and a byte
// order mark, missing optional parts. Links between codes become relations, Graphs of codes theory maps
// (refi/graphs.ts); sets of sources and codes are imported; a source's name and GUID are kept (grounded.json "sources") for the export. Strict where
// a mistake would corrupt the analysis: positions outside the text and references to GUIDs that do
// not exist stop the import with a message.
import { hashText } from '../hash';
import { findDuplicates } from '../invariants';
import { FORMAT_VERSION, MEMO_DIR, PROJECT_FILE } from '../model';
import type { Case, Code, Coding, Memo, MemoTarget, ProjectFile, ProjectSet, Relation, RelationType, SourceInfo } from '../model';
import type { Environment } from '../ports';
import { COLOR_PATTERN, bySiblingOrder, nextCodeColor, parseProject, serializeProject } from '../project';
import { memoPathFor, parseMemo, serializeMemo } from '../memo';
import { serializeSidecarChecked, sidecarPathFor } from '../sidecar';
import { makeAnchor } from '../text';
import { targetPathProblem } from '../staging';
import type { PlannedFile } from '../staging';
import { isReservedPath } from '../transcripts';
import { guidOf } from './export';
import { LinkReader, repeatsRelation } from './links';
import { readGraphs } from './graphs';
import { ImportPositions, nameGuid, normalizeGuid } from './positions';
import { DEFAULT_ZIP_LIMITS, LEFT_OUT, inflateEntry, readZip } from '../zip';
import type { ZipLimits } from '../zip';
import { RefiError, XmlStream, childNamed, childrenNamed, parseXml } from './xml';
import type { XmlElement } from './xml';

export interface ImportOptions {
  /** name recorded as `createdBy` of the codes (REFI-QDA codes carry no author) and for codings and memos without a user */
  coder: string;
  env: Environment;
  limits?: ZipLimits;
}

export interface ImportSummary {
  /** the file imported, as named */
  file: string;
  kind: 'project' | 'codebook';
  projectName: string;
  documents: string[];
  codes: number;
  codings: number;
  memos: number;
  cases: number;
  sets: number;
  /** relations made of the file's Links between codes */
  relations: number;
  /** theory maps made of the file's Graphs */
  maps: number;
  /** what could not be imported, one line each, with the reason */
  notImported: string[];
  /** what was changed on the way in (a renamed code, a memo moved to the project) */
  notes: string[];
  /** codes renamed because a code at the same level had the name already, ignoring case */
  renamedCodes: number;
  /** codings left out because they repeated another (same coder, code and span); each span imported once */
  duplicateCodings: number;
}

export interface ImportResult {
  /** path -> text of every file to write, sorted by path */
  files: Map<string, string>;
  /** path -> what the file comes from, for messages: `the source "Interview 3" (guid)` */
  items: Map<string, string>;
  summary: ImportSummary;
}

const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new RefiError(`${what} is not UTF-8 text`);
  }
}

const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b;

/** Import a .qdpx, .qde or .qdc given as bytes; `fileName` names it in messages. Throws RefiError. */
export function importRefi(bytes: Uint8Array, fileName: string, options: ImportOptions): ImportResult {
  let entries = new Map<string, Uint8Array>();
  let xmlText: string;
  let xmlName = fileName;
  if (isZip(bytes)) {
    entries = readZip(bytes, fileName, options.limits ?? DEFAULT_ZIP_LIMITS, (m) => new RefiError(m));
    const qdes = [...entries.keys()].filter((p) => !p.includes('/') && p.toLowerCase().endsWith('.qde'));
    const qde = qdes.find((p) => p.toLowerCase() === 'project.qde') ?? (qdes.length === 1 ? qdes[0] : undefined);
    if (!qde) throw new RefiError(`${fileName}: no project.qde in the archive: is it a REFI-QDA project (.qdpx)?`);
    xmlName = `${fileName}/${qde}`;
    xmlText = decodeUtf8(entries.get(qde)!, xmlName);
  } else {
    if (bytes.length > (options.limits ?? DEFAULT_ZIP_LIMITS).maxEntryBytes) throw new RefiError(`${fileName}: too large`);
    xmlText = decodeUtf8(bytes, fileName);
  }
  const root = parseXml(xmlText, xmlName);
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'Imported project';
  if (root.name === 'Project') return new ProjectImporter(root, entries, fileName, xmlName, options).run(base);
  if (root.name === 'CodeBook') return new ProjectImporter(root, entries, fileName, xmlName, options).runCodebook(base);
  throw new RefiError(`${xmlName}: the root element is <${root.name}>, expected <Project> (.qdpx, .qde) or <CodeBook> (.qdc)`);
}

/** Thrown inside the streamed import to give way to importRefi, which reads the whole file and says exactly what is wrong. */
class GiveWay extends Error {}

/**
 * A copy of a string that keeps nothing else alive. A string the XML parser gives is often a slice of
 * the piece of text it was read from, and keeping the slice would keep the whole piece.
 */
const own = (s: string): string => (s.length < 13 ? s : (s + ' ').slice(0, -1));

/**
 * importRefi for a .qdpx, in the memory of one source at a time: project.qde is inflated, decoded and
 * parsed a piece at a time, and each <TextSource> becomes its transcript and sidecar as its element
 * closes, handed to `handOver` (a StagedWriter's add: written, nothing moved into place yet); the small
 * parts (users, codebook, cases, notes, links, sets, graphs) are kept as importRefi keeps them, and
 * what needs the whole file (references to what comes later, GUIDs used twice, paths) is checked at
 * the end; then grounded.json and the memos are handed over. The files and the summary are importRefi's,
 * byte for byte. Undefined when it cannot (not a .qdpx, a codebook, an unusual order of the parts) or
 * when anything is wrong with the file: importRefi then says what, exactly as it would have.
 */
export async function importRefiStreamed(bytes: Uint8Array, fileName: string, options: ImportOptions, handOver: (file: PlannedFile) => Promise<void>): Promise<ImportSummary | undefined> {
  if (!isZip(bytes)) return undefined;
  try {
    const isQde = (p: string) => !p.includes('/') && p.toLowerCase().endsWith('.qde');
    const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
    const sizes = { declared: new Map<string, number>(), total: 0 };
    const entries = readZip(bytes, fileName, limits, (m) => new RefiError(m), (p) => !isQde(p), sizes);
    const qdes = [...entries.keys()].filter(isQde);
    const qde = qdes.find((p) => p.toLowerCase() === 'project.qde') ?? (qdes.length === 1 ? qdes[0] : undefined);
    if (!qde) return undefined;
    const xmlName = `${fileName}/${qde}`;
    const importer = new ProjectImporter(undefined, entries, fileName, xmlName, options);
    const xml = new XmlStream(xmlName, { open: (el, depth) => importer.opened(el, depth), close: (el, depth) => importer.closed(el, depth) });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = true;
    const write = (text: string) => {
      if (start && text) {
        // a second byte order mark: importRefi takes off more than one
        if (text.startsWith('\uFEFF')) throw new GiveWay();
        start = false;
      }
      xml.write(text);
    };
    const pass = async () => {
      for (const f of importer.ready.splice(0)) await handOver(f);
    };
    // readZip's limits for the entry it did not inflate: its declared size, the largest entry, the largest total
    const cap = Math.min(sizes.declared.get(qde) ?? 0, limits.maxEntryBytes, limits.maxTotalBytes - sizes.total);
    for (const piece of inflateEntry(bytes, qde, cap)) {
      write(decoder.decode(piece, { stream: true }));
      await pass();
    }
    write(decoder.decode());
    const root = xml.close();
    await pass();
    const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'Imported project';
    const result = importer.finishStreamed(root, base);
    for (const [path, text] of result.files) await handOver({ path, text, item: result.items.get(path)! });
    return result.summary;
  } catch {
    return undefined;
  }
}

/** A Grounded timestamp from an xsd:dateTime, or undefined. */
function timestamp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : value + 'Z');
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** #rgb or #rrggbb, lower case #rrggbb; undefined otherwise. */
function colour(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (/^#[0-9a-f]{3}$/.test(v)) return '#' + [...v.slice(1)].map((c) => c + c).join('');
  return COLOR_PATTERN.re.test(v) ? v : undefined;
}

/** A transcript path from a source's name: safe relative segments, .txt unless it ends in .txt or .md. */
export function transcriptPathFromName(name: string): string {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    // eslint-disable-next-line no-control-regex
    .map((p) => p.replace(/[\u0000-\u001f<>:"|?*]/g, '').replace(/^[\s.]+|[\s.]+$/g, '').trim())
    .filter((p) => p && p !== '.' && p !== '..');
  let path = parts.join('/') || 'source';
  if (isReservedPath(path)) path = `imported/${path.replace(/\//g, '-').replace(/(\.codes\.json|\.tmp)$/i, '')}`;
  if (!/\.(txt|md)$/i.test(path)) path += '.txt';
  return path;
}

function uniquePath(path: string, taken: Set<string>): string {
  let p = path;
  for (let n = 2; taken.has(p.toLowerCase()); n++) p = path.replace(/(\.[^./]+)?$/, (ext) => ` (${n})${ext}`);
  taken.add(own(p.toLowerCase()));
  return p;
}

interface ImportedSource {
  guid: string;
  /** its name (or GUID) for messages */
  label: string;
  /** the source's name as the file has it (undefined without one) */
  name: string | undefined;
  path: string;
  text: string;
  codings: Coding[];
}

/** `<TextSource> "Interview 3" (line 12)`, `<Coding> in <TextSource> "Interview 3" (line 14)`: an element for messages. */
function describeElement(el: XmlElement, owner: XmlElement | undefined): string {
  const named = (e: XmlElement) => (e.attrs.name?.trim() ? `<${e.name}> "${e.attrs.name.trim()}"` : `<${e.name}>`);
  return `${named(el)}${!el.attrs.name?.trim() && owner ? ` in ${named(owner)}` : ''} (line ${el.line})`;
}

class ProjectImporter {
  private readonly notImported: string[] = [];
  private readonly notes: string[] = [];
  /** every GUID in the file (imported or not), to tell a dangling reference from a skipped target */
  private readonly allGuids = new Map<string, string>();
  /** the element each GUID in the file belongs to (`TextSource`, `Note`, …), to say what a graph's vertex stands for */
  private readonly elementOf = new Map<string, string>();
  private readonly users = new Map<string, string>();
  private readonly codes = new Map<string, Code>();
  private readonly sources = new Map<string, ImportedSource>();
  /** note GUID -> the first target found for it */
  private readonly noteTargets = new Map<string, MemoTarget>();
  private readonly takenPaths = new Set<string>();
  private readonly codingIds = new Set<string>();
  /** id of a coding left out as a duplicate -> the coding imported in its place */
  private readonly replacedCodings = new Map<string, string>();
  private renamedCodes = 0;
  /** the archive's entry names by their lower case, made on first use */
  private lowerEntries?: Map<string, string>;
  /** normalizeGuid of each attribute value seen: a GUID is read again as a reference, a user, a coding */
  private readonly guids = new Map<string, string | undefined>();

  private normalized(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (this.streaming) {
      // no cache: its keys would keep the pieces of text they were read from
      const known = this.allGuids.get(value);
      if (known !== undefined) return known;
      const n = normalizeGuid(value);
      return n === undefined ? undefined : (this.allGuids.get(n) ?? own(n));
    }
    let g = this.guids.get(value);
    if (g === undefined && !this.guids.has(value)) this.guids.set(value, (g = normalizeGuid(value)));
    return g;
  }

  /** the root element: whole, or (streamed) as much of it as is read so far */
  private root!: XmlElement;
  /** streamed (importRefiStreamed): each source read and handed over as its element closes */
  private readonly streaming: boolean;
  /** streamed: the files of the sources read so far, to hand over */
  readonly ready: PlannedFile[] = [];
  /** streamed: path -> item of every file handed over */
  private readonly handedOver = new Map<string, string>();
  /** streamed: the codings in the files handed over */
  private handedOverCodings = 0;
  /** streamed: the elements read for the users, the codes and the sources when <Sources> opened */
  private readAtSources?: [XmlElement | undefined, XmlElement | undefined, XmlElement];
  /** streamed: GUIDs referred to before the element with them was read (checked at the end) */
  private readonly later = new Set<string>();
  /** streamed: the whole file is read, every GUID in it known */
  private wholeRead = false;
  /** streamed: inside the <Sources> read as it comes */
  private inSources = false;
  /** streamed: element names, one copy each */
  private readonly names = new Map<string, string>();

  constructor(
    root: XmlElement | undefined,
    private readonly entries: Map<string, Uint8Array>,
    private readonly fileName: string,
    private readonly xmlName: string,
    private readonly options: ImportOptions,
  ) {
    this.streaming = root === undefined;
    if (root) this.checkGuids(root);
  }

  private checkGuids(root: XmlElement): void {
    this.root = root;
    // Every GUID names one thing: a repeated one (two sources, a code and a case, two codings ...)
    // is refused, naming both, rather than one of them silently dropped with what belongs to it.
    // (the first holder's element and owner are kept, and described only for the message)
    const first = new Map<string, [XmlElement, XmlElement | undefined]>();
    const walk = (el: XmlElement, owner: XmlElement | undefined) => {
      const g = this.normalized(el.attrs.guid);
      if (g) {
        const before = first.get(g);
        if (before !== undefined) {
          this.fail(el, `the GUID ${el.attrs.guid} is used twice, by ${describeElement(...before)} and by ${describeElement(el, owner)}; every GUID must name one thing`);
        }
        first.set(g, [el, owner]);
        this.allGuids.set(g, g);
        this.elementOf.set(g, el.name);
      }
      const named = el !== root && el.attrs.name?.trim() ? el : owner;
      for (const c of el.children) walk(c, named);
    };
    walk(root, undefined);
  }

  private fail(el: XmlElement | undefined, message: string): never {
    throw new RefiError(`${this.xmlName}${el ? `:${el.line}` : ''}: ${message}`);
  }

  /** The normalised GUID of an element; fails when it has none. */
  private guid(el: XmlElement, what: string): string {
    const g = this.normalized(el.attrs.guid);
    if (!g) this.fail(el, `${what} has no valid guid (got ${JSON.stringify(el.attrs.guid ?? '')})`);
    return g;
  }

  /** The normalised target of a *Ref element; fails when it is not a GUID or names nothing in the file. */
  private ref(el: XmlElement): string {
    const g = this.normalized(el.attrs.targetGUID);
    if (!g) this.fail(el, `<${el.name}> has no valid targetGUID (got ${JSON.stringify(el.attrs.targetGUID ?? '')})`);
    if (!this.allGuids.has(g)) {
      if (this.streaming && !this.wholeRead) this.later.add(g);
      else this.fail(el, `<${el.name}> refers to ${el.attrs.targetGUID}, which is not in the file`);
    }
    return g;
  }

  private user(guid: string | undefined, el: XmlElement): string {
    if (!guid) return this.options.coder;
    const g = this.normalized(guid);
    const name = g && this.users.get(g);
    if (name) return name;
    this.notes.push(`line ${el.line}: the user ${guid} is not among the Users; recorded as ${this.options.coder}`);
    return this.options.coder;
  }

  /** streamed: an element opened (its children not read yet) */
  opened(el: XmlElement, depth: number): void {
    if (depth === 0) {
      if (el.name !== 'Project') throw new GiveWay();
      this.root = el;
    }
    const n = normalizeGuid(el.attrs.guid);
    if (n !== undefined) {
      if (this.allGuids.has(n)) throw new GiveWay(); // used twice: importRefi names both
      const g = own(n);
      this.allGuids.set(g, g);
      let name = this.names.get(el.name);
      if (name === undefined) this.names.set(el.name, (name = own(el.name)));
      this.elementOf.set(g, name);
    }
    if (depth === 1 && el.name === 'Sources' && !this.readAtSources && childNamed(this.root, 'Sources') === el) {
      // importRefi reads the users and the codes before the sources: they come before them in the file
      this.readUsersAndCodes();
      this.readAtSources = [childNamed(this.root, 'Users'), childNamed(childNamed(this.root, 'CodeBook'), 'Codes'), el];
      this.inSources = true;
    }
  }

  /** streamed: an element closed; true for a source, read, handed over and left out of the tree */
  closed(el: XmlElement, depth: number): boolean {
    if (depth === 1 && this.inSources && this.readAtSources?.[2] === el) this.inSources = false;
    if (depth !== 2 || !this.inSources) return false;
    const src = this.readSource(el);
    if (src) {
      for (const f of this.sourceFiles(src)) {
        this.ready.push(f);
        this.handedOver.set(f.path, f.item);
      }
      this.handedOverCodings += src.codings.length;
      src.text = '';
      src.codings = [];
    }
    return true;
  }

  /** streamed: the rest, once the whole file is read (as run does it); GiveWay when importRefi could read it otherwise */
  finishStreamed(root: XmlElement, baseName: string): ImportResult {
    this.root = root;
    this.wholeRead = true;
    if (this.readAtSources) {
      const [users, codes, sources] = this.readAtSources;
      if (childNamed(root, 'Users') !== users || childNamed(childNamed(root, 'CodeBook'), 'Codes') !== codes || childNamed(root, 'Sources') !== sources) throw new GiveWay();
    }
    for (const g of this.later) if (!this.allGuids.has(g)) throw new GiveWay();
    return this.run(baseName);
  }

  /** The transcript of a source and, when it has codings, its sidecar. */
  private sourceFiles(src: ImportedSource): PlannedFile[] {
    const item = `the source "${src.label}" (${src.guid})`;
    const out: PlannedFile[] = [{ path: src.path, text: src.text, item }];
    if (src.codings.length) {
      const sidecarPath = sidecarPathFor(src.path);
      // what is written must read back: checked record by record as the reader checks them, without parsing the text again
      const { text } = serializeSidecarChecked({ version: FORMAT_VERSION, document: { path: src.path, hash: hashText(src.text) }, codings: src.codings }, sidecarPath);
      out.push({ path: sidecarPath, text, item: `the codings of ${item}` });
    }
    return out;
  }

  private readUsersAndCodes(): void {
    const r = this.root;
    for (const u of childrenNamed(childNamed(r, 'Users'), 'User')) {
      this.users.set(this.guid(u, 'a <User>'), (u.attrs.name || u.attrs.id || `User ${u.attrs.guid}`).trim());
    }
    this.readCodes(childNamed(childNamed(r, 'CodeBook'), 'Codes'));
  }

  run(baseName: string): ImportResult {
    const r = this.root;
    if (!this.readAtSources) {
      this.readUsersAndCodes();
      for (const s of childNamed(r, 'Sources')?.children ?? []) this.readSource(s);
    }
    const cases = this.readCases();
    const links = this.readLinks(childNamed(r, 'Links')); // before the notes: a link's NoteRefs make relation memos
    const memos = this.readNotes();
    const sets = this.readSets(childNamed(r, 'Sets'));
    const project: ProjectFile = {
      version: FORMAT_VERSION,
      project: { id: this.options.env.newId(), name: r.attrs.name?.trim() || baseName, created: timestamp(r.attrs.creationDateTime) ?? this.options.env.now() },
      settings: {},
      codes: [...this.codes.values()],
      cases,
    };
    if (sets.length) project.sets = sets;
    if (links.types.length) project.relationTypes = links.types;
    if (links.relations.length) project.relations = links.relations;
    const sources = this.sourceInfos();
    if (sources.length) project.sources = sources;
    const graphs = readGraphs(childNamed(r, 'Graphs'), project, (v) => this.normalized(v), (g) => this.elementOf.get(g));
    if (graphs.maps.length) project.maps = graphs.maps;
    this.notImported.push(...graphs.notImported);
    this.notes.push(...graphs.notes);
    return this.finish(project, memos, 'project');
  }

  runCodebook(baseName: string): ImportResult {
    const codes = childNamed(this.root, 'Codes');
    if (!codes) this.fail(this.root, 'the codebook has no <Codes>');
    this.readCodes(codes);
    const sets = this.readSets(childNamed(this.root, 'Sets'));
    const now = this.options.env.now();
    const project: ProjectFile = { version: FORMAT_VERSION, project: { id: this.options.env.newId(), name: baseName, created: now }, settings: {}, codes: [...this.codes.values()], cases: [] };
    if (sets.length) project.sets = sets;
    return this.finish(project, [], 'codebook');
  }

  /**
   * The REFI-QDA identity of each imported source whose name or GUID is not what Grounded would give
   * its transcript (the path, a GUID derived from it), so that an export gives both back unchanged.
   */
  private sourceInfos(): SourceInfo[] {
    const out: SourceInfo[] = [];
    for (const s of this.sources.values()) {
      const name = s.name ?? s.path;
      if (name === s.path && s.guid === guidOf.source(s.path)) continue;
      out.push(s.name === undefined ? { id: s.guid, path: s.path } : { id: s.guid, path: s.path, name: s.name });
    }
    return out;
  }

  /**
   * Sets of sources and codes (<Set> with <MemberSource> and <MemberCode>). A set's name is unique
   * ignoring case, as the Documents and Codes views tell sets by name: a later set with a taken name
   * becomes "Name (2)". Members that were not imported (a PDF source, say) are left out, and said so.
   */
  private readSets(setsEl: XmlElement | undefined): ProjectSet[] {
    const sets: ProjectSet[] = [];
    const names = new Map<string, string>();
    const key = (n: string) => n.normalize('NFC').toLowerCase();
    for (const el of childrenNamed(setsEl, 'Set')) {
      const id = this.guid(el, `the set "${el.attrs.name ?? ''}"`);
      const original = (el.attrs.name ?? '').trim() || 'Unnamed set';
      let name = original;
      for (let n = 2; names.has(key(name)); n++) name = `${original} (${n})`;
      if (name !== original) this.notes.push(`line ${el.line}: the set "${original}" has the name of the set "${names.get(key(original))}" (ignoring case), and set names are unique in Grounded; it was renamed "${name}"`);
      names.set(key(name), name);
      const documents = new Set<string>();
      const codes = new Set<string>();
      let left = 0;
      for (const m of childrenNamed(el, 'MemberSource')) {
        const src = this.sources.get(this.ref(m));
        if (src) documents.add(src.path);
        else left++;
      }
      for (const m of childrenNamed(el, 'MemberCode')) {
        const g = this.ref(m);
        if (!this.codes.has(g)) this.fail(m, `the set "${original}" has the member ${m.attrs.targetGUID}, which is not a code`);
        codes.add(g);
      }
      if (left) this.notes.push(`set ${name}: ${plural(left, 'source')} that ${left === 1 ? 'was' : 'were'} not imported ${left === 1 ? 'is' : 'are'} left out of its documents`);
      const memberNotes = childrenNamed(el, 'MemberNote').length;
      if (memberNotes) this.notImported.push(`set ${name}: ${plural(memberNotes, 'note')} as members (a Grounded set holds documents and codes)`);
      const set: ProjectSet = { id, name, documents: [...documents].sort(), codes: [...codes].sort() };
      const description = childNamed(el, 'Description')?.text.replace(/\r\n?/g, '\n').trim();
      if (description) set.description = description;
      sets.push(set);
    }
    return sets;
  }

  private readCodes(codesEl: XmlElement | undefined): void {
    const now = this.options.env.now();
    const walk = (siblings: XmlElement[], parent: string | undefined): void => {
      const made: Code[] = [];
      // Names are unique among siblings ignoring case (as findCodeByName compares them): a later code
      // whose name a sibling has already becomes "Name (2)", "Name (3)", ...
      const names = new Map<string, string>();
      const key = (n: string) => n.normalize('NFC').toLowerCase();
      const level = parent ? `under "${this.codes.get(parent)?.name ?? ''}"` : 'at the top level';
      for (const el of siblings) {
        const id = this.guid(el, `the code "${el.attrs.name ?? ''}"`);
        if (this.codes.has(id)) this.fail(el, `the code GUID ${el.attrs.guid} appears twice`);
        let name = (el.attrs.name ?? '').trim() || 'Unnamed code';
        const original = name;
        for (let n = 2; names.has(key(name)); n++) name = `${original} (${n})`;
        if (name !== original) {
          this.renamedCodes++;
          this.notes.push(`line ${el.line}: the code "${original}" has the name of the code "${names.get(key(original))}" ${level} (ignoring case), and names are unique among siblings in Grounded; it was renamed "${name}"`);
        }
        names.set(key(name), name);
        const code: Code = { id, name, color: '', created: now, createdBy: this.options.coder };
        const c = colour(el.attrs.color);
        code.color = c ?? nextCodeColor([...this.codes.values()]);
        const description = childNamed(el, 'Description')?.text.replace(/\r\n?/g, '\n').trim();
        if (description) code.description = description;
        if (parent) code.parent = parent;
        this.codes.set(id, code);
        made.push(code);
        for (const n of childrenNamed(el, 'NoteRef')) this.noteTarget(n, { kind: 'code', id });
        walk(childrenNamed(el, 'Code'), id);
      }
      // Siblings in an order other than by name keep that order (Move Code Up/Down).
      const byName = [...made].sort(bySiblingOrder);
      if (byName.some((c, i) => c !== made[i])) made.forEach((c, i) => (c.order = i));
    };
    walk(childrenNamed(codesEl, 'Code'), undefined);
  }

  /** Links between two imported codes become relations (refi/links.ts); others are reported, not imported. */
  private readLinks(linksEl: XmlElement | undefined): { types: RelationType[]; relations: Relation[] } {
    const reader = new LinkReader(() => this.options.env.newId());
    const relations: Relation[] = [];
    let other = 0;
    const now = this.options.env.now();
    for (const el of childrenNamed(linksEl, 'Link')) {
      const id = this.guid(el, `the link "${el.attrs.name ?? ''}"`);
      const source = this.normalized(el.attrs.originGUID);
      const target = this.normalized(el.attrs.targetGUID);
      if (!source || !target || !this.codes.has(source) || !this.codes.has(target) || source === target) {
        other++;
        continue;
      }
      const { type, label } = reader.read(el.attrs.name, el.attrs.direction);
      const relation: Relation = { id, source, target, type: type.id, author: this.options.coder, created: now, modified: now };
      if (label) relation.label = label;
      const sofar: ProjectFile = { version: FORMAT_VERSION, project: { id, name: '', created: now }, settings: {}, codes: [], cases: [], relationTypes: reader.types };
      if (repeatsRelation(sofar, relations, relation)) {
        this.notes.push(`line ${el.line}: the link "${el.attrs.name ?? ''}" repeats another between the same codes; Grounded keeps the first`);
        continue;
      }
      relations.push(relation);
      for (const n of childrenNamed(el, 'NoteRef')) this.noteTarget(n, { kind: 'relation', id });
    }
    if (other) this.notImported.push(`${plural(other, 'link')} not between two codes: a Grounded relation joins two codes or categories`);
    return { types: reader.types, relations };
  }

  private noteTarget(refEl: XmlElement, target: MemoTarget): void {
    const g = this.ref(refEl);
    if (!this.noteTargets.has(g)) this.noteTargets.set(g, target);
    else this.notes.push(`line ${refEl.line}: the note ${refEl.attrs.targetGUID} is linked from more than one place; Grounded keeps the first`);
  }

  /** The text of a TextSource or Note: PlainTextContent, or the file its plainTextPath names in the archive. */
  private textOf(el: XmlElement, what: string): string | undefined {
    const content = childNamed(el, 'PlainTextContent');
    if (content) return content.text;
    const path = el.attrs.plainTextPath;
    if (!path) {
      this.notImported.push(`${what}: ${el.attrs.richTextPath ? 'only a rich text version (Grounded reads plain text)' : 'no text in the file'}`);
      return undefined;
    }
    const m = /^([a-z]+):\/\/(.*)$/i.exec(path.trim());
    const scheme = m ? m[1].toLowerCase() : 'relative';
    const rest = (m ? m[2] : path.trim()).replace(/\\/g, '/').replace(/^\/+/, '');
    const lower = (this.lowerEntries ??= new Map([...this.entries.keys()].map((k) => [k.toLowerCase(), k])));
    const baseName = rest.replace(/^.*\//, '');
    const candidates = scheme === 'internal' ? [`sources/${rest}`, rest] : [rest, `sources/${rest}`, `sources/${baseName}`];
    for (const c of candidates) {
      const key = lower.get(c.toLowerCase());
      if (key) {
        const data = this.entries.get(key)!;
        if (data === LEFT_OUT) throw new GiveWay(); // project.qde itself, not read here
        return decodeUtf8(data, `${this.fileName}/${key}`);
      }
    }
    const where = scheme === 'internal' ? 'is missing from the archive' : `is outside the archive (${scheme}://); copy the text into the archive's sources/ folder to import it`;
    this.notImported.push(`${what}: its text ${path} ${where}`);
    return undefined;
  }

  private readSource(el: XmlElement): ImportedSource | undefined {
    const label = own(el.attrs.name ?? el.attrs.guid ?? '?');
    const guid = this.guid(el, `the source "${label}"`);
    if (el.name !== 'TextSource') {
      const kind = el.name.replace(/Source$/, '').toLowerCase();
      const n = el.children.filter((c) => /Selection$/.test(c.name) || c.name === 'Coding').length;
      this.notImported.push(`the ${kind} source "${label}"${n ? ` and its ${plural(n, 'selection')}` : ''}: Grounded codes plain text only`);
      return;
    }
    const raw = this.textOf(el, `the source "${label}"`);
    if (raw === undefined) {
      const n = childrenNamed(el, 'PlainTextSelection').length;
      if (n) this.notImported.push(`the ${plural(n, 'selection')} of "${label}": their source could not be read`);
      return;
    }
    const pos = new ImportPositions(raw);
    const path = own(uniquePath(transcriptPathFromName(el.attrs.name || (el.attrs.plainTextPath ?? '').replace(/^.*[/\\]/, '') || `source-${guid.slice(0, 8)}`), this.takenPaths));
    const src: ImportedSource = { guid, label, name: el.attrs.name === undefined ? undefined : own(el.attrs.name), path, text: pos.lfText, codings: [] };
    this.sources.set(guid, src);
    let uncoded = 0;
    for (const sel of childrenNamed(el, 'PlainTextSelection')) {
      const sGuid = this.guid(sel, `a selection in "${label}"`);
      const [start, end] = (['startPosition', 'endPosition'] as const).map((k) => {
        const v = sel.attrs[k];
        if (v === undefined || !/^\s*-?\d+\s*$/.test(v)) this.fail(sel, `the selection ${sel.attrs.guid} in "${label}" has no ${k} (got ${JSON.stringify(v ?? '')})`);
        return Number(v);
      });
      const s = pos.offset(start);
      const e = pos.offset(end);
      if (s === undefined || e === undefined || end < start) {
        this.fail(sel, `the selection ${sel.attrs.guid} in "${label}" runs from ${start} to ${end}, outside the text of ${pos.length} characters`);
      }
      const codingEls = childrenNamed(sel, 'Coding');
      const note = childNamed(sel, 'Description')?.text.replace(/\r\n?/g, '\n').trim();
      const made = codingEls.map((c, i) => this.coding(c, src, s, e, sel, note, `${sGuid}:${i}`));
      const refs = childrenNamed(sel, 'NoteRef');
      if (!made.length) {
        uncoded++;
        for (const n of refs) this.noteTarget(n, { kind: 'document', path });
      } else for (const n of refs) this.noteTarget(n, { kind: 'coding', id: made[0].id });
    }
    if (uncoded) this.notImported.push(`${plural(uncoded, 'selection')} without a code in "${label}": Grounded keeps coded segments only`);
    for (const c of childrenNamed(el, 'Coding')) this.coding(c, src, 0, pos.lfText.length, c, undefined, `${guid}:whole`);
    this.dropDuplicates(src, label);
    for (const n of childrenNamed(el, 'NoteRef')) this.noteTarget(n, { kind: 'document', path });
    const vars = childrenNamed(el, 'VariableValue').length;
    if (vars) this.notImported.push(`${plural(vars, 'variable value')} of the source "${label}": Grounded keeps attributes on cases only`);
    return src;
  }

  /**
   * Leaves out every coding that repeats another of the source (the same coder's same code on the same
   * span, as Grounded counts it: core/invariants.ts), keeping the earliest. Its note is added to the
   * kept coding's, and notes linked to it are linked to the kept coding instead.
   */
  private dropDuplicates(src: ImportedSource, label: string): void {
    const groups = findDuplicates(src.codings);
    if (!groups.length) return;
    const dropped = new Set<string>();
    for (const { kept, repeats } of groups) {
      const notes = [...new Set([kept, ...repeats].map((c) => c.note).filter((n): n is string => !!n))];
      if (notes.length) kept.note = notes.join('\n\n');
      for (const r of repeats) {
        dropped.add(r.id);
        this.replacedCodings.set(r.id, kept.id);
      }
    }
    src.codings = src.codings.filter((c) => !dropped.has(c.id));
    this.notImported.push(
      `${plural(dropped.size, 'coding')} in "${label}" that repeat${dropped.size === 1 ? 's' : ''} another (the same coder, code and span): Grounded counts a span once per coder and code, so each was imported once (notes kept)`,
    );
  }

  private coding(el: XmlElement, src: ImportedSource, start: number, end: number, at: XmlElement, note: string | undefined, fallback: string): Coding {
    const codeRef = childNamed(el, 'CodeRef');
    if (!codeRef) this.fail(el, 'a <Coding> without a <CodeRef>');
    const codeId = this.ref(codeRef);
    if (!this.codes.has(codeId)) this.fail(codeRef, `the coding refers to ${codeRef.attrs.targetGUID}, which is not a code`);
    let id = this.normalized(el.attrs.guid);
    if (!id || this.codingIds.has(id)) id = nameGuid(`coding:${fallback}`);
    this.codingIds.add(id);
    const coding: Coding = {
      id,
      codeId,
      anchor: makeAnchor(src.text, start, end),
      coder: this.user(el.attrs.creatingUser ?? at.attrs.creatingUser, el),
      created: timestamp(el.attrs.creationDateTime) ?? timestamp(at.attrs.creationDateTime) ?? this.options.env.now(),
    };
    if (note) coding.note = note;
    src.codings.push(coding);
    for (const n of childrenNamed(el, 'NoteRef')) this.noteTarget(n, { kind: 'coding', id });
    return coding;
  }

  private readCases(): Case[] {
    const variables = new Map<string, string>();
    for (const v of childrenNamed(childNamed(this.root, 'Variables'), 'Variable')) variables.set(this.guid(v, `the variable "${v.attrs.name ?? ''}"`), (v.attrs.name ?? '').trim() || 'variable');
    const cases: Case[] = [];
    const ids = new Set<string>();
    for (const [i, el] of childrenNamed(childNamed(this.root, 'Cases'), 'Case').entries()) {
      const id = this.guid(el, 'a <Case>');
      if (ids.has(id)) this.fail(el, `the case GUID ${el.attrs.guid} appears twice`);
      ids.add(id);
      const pseudonym = el.attrs.name?.trim() || `Case ${i + 1}`;
      const attributes: Record<string, string> = {};
      for (const vv of childrenNamed(el, 'VariableValue')) {
        const refEl = childNamed(vv, 'VariableRef');
        if (!refEl) this.fail(vv, 'a <VariableValue> without a <VariableRef>');
        const name = variables.get(this.ref(refEl));
        if (name === undefined) this.fail(refEl, `refers to ${refEl.attrs.targetGUID}, which is not a variable`);
        const value = vv.children.find((c) => c.name !== 'VariableRef');
        attributes[name] = (value?.text ?? '').trim();
      }
      const documents: string[] = [];
      for (const s of childrenNamed(el, 'SourceRef')) {
        const src = this.sources.get(this.ref(s));
        if (src) documents.push(src.path);
        else this.notes.push(`case ${pseudonym}: a source that was not imported is left out of its documents`);
      }
      const other = el.children.filter((c) => c.name === 'CodeRef' || c.name === 'SelectionRef').length;
      if (other) this.notImported.push(`case ${pseudonym}: ${plural(other, 'code or selection reference')} (a Grounded case holds documents and attributes)`);
      cases.push({ id, pseudonym, documents, attributes });
    }
    return cases;
  }

  private readNotes(): Memo[] {
    // NoteRefs on the project itself; elsewhere they were read with their targets.
    for (const n of childrenNamed(this.root, 'NoteRef')) this.noteTarget(n, { kind: 'project' });
    const memos: Memo[] = [];
    const ids = new Set<string>();
    const noteEls = childrenNamed(childNamed(this.root, 'Notes'), 'Note');
    const noteGuids = new Set(noteEls.map((n) => normalizeGuid(n.attrs.guid)));
    for (const g of this.noteTargets.keys()) if (!noteGuids.has(g)) this.fail(undefined, `a <NoteRef> refers to ${g}, which is not a note`);
    for (const el of noteEls) {
      const guid = this.guid(el, `the note "${el.attrs.name ?? ''}"`);
      const label = el.attrs.name?.trim() || `note ${el.attrs.guid}`;
      const text = this.textOf(el, `the note "${label}"`);
      if (text === undefined) continue;
      let target = this.noteTargets.get(guid);
      if (target?.kind === 'coding' && this.replacedCodings.has(target.id)) target = { kind: 'coding', id: this.replacedCodings.get(target.id)! };
      if (!target) {
        target = { kind: 'project' };
        this.notes.push(`the note "${label}" is linked to nothing Grounded imported; it became a project memo`);
      }
      const id = ids.has(guid) ? nameGuid(`note:${guid}:${memos.length}`) : guid;
      ids.add(id);
      const created = timestamp(el.attrs.creationDateTime) ?? this.options.env.now();
      const author = this.user(el.attrs.creatingUser, el);
      const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
      memos.push({ id, target, author, created, modified: timestamp(el.attrs.modifiedDateTime) ?? created, body });
      if (childrenNamed(el, 'PlainTextSelection').length) this.notImported.push(`the codings inside the note "${label}": Grounded codes transcripts, not memos`);
    }
    return memos;
  }

  private finish(project: ProjectFile, memos: Memo[], kind: ImportSummary['kind']): ImportResult {
    const files = new Map<string, string>();
    const items = new Map<string, string>();
    const projectText = serializeProject(project);
    parseProject(projectText, PROJECT_FILE); // what we write must read back
    files.set(PROJECT_FILE, projectText);
    items.set(PROJECT_FILE, `the project's codebook, cases and sets (${PROJECT_FILE})`);
    let codings = this.handedOverCodings;
    // (streamed, the sources were handed over as they were read)
    for (const src of this.streaming ? [] : this.sources.values()) {
      for (const f of this.sourceFiles(src)) {
        files.set(f.path, f.text);
        items.set(f.path, f.item);
      }
      codings += src.codings.length;
    }
    // File names as Grounded gives them: after the code or document, else after the note's name.
    const noteNames = new Map(childrenNamed(childNamed(this.root, 'Notes'), 'Note').map((n) => [normalizeGuid(n.attrs.guid), n.attrs.name?.trim()]));
    const label = (m: Memo): string => {
      const t = m.target;
      if (t.kind === 'code') return this.codes.get(t.id)?.name ?? 'code';
      if (t.kind === 'document') return t.path.split('/').pop() ?? 'document';
      return noteNames.get(m.id) || t.kind;
    };
    for (const m of memos) {
      let path = memoPathFor(m, label(m));
      for (let n = 2; files.has(path) || this.handedOver.has(path); n++) path = `${MEMO_DIR}/${path.slice(MEMO_DIR.length + 1, -3)}-${n}.md`;
      const text = serializeMemo(m);
      parseMemo(text, path);
      files.set(path, text);
      items.set(path, `the note "${noteNames.get(m.id) || label(m)}" (${m.id})`);
    }
    const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sorted = new Map([...files].sort(([a], [b]) => byPath(a, b)));
    // Every path checked before anything is written: safe, short enough, no two items on one path.
    const planned = [...sorted].map(([path, text]) => ({ path, text, item: items.get(path)! }));
    if (this.handedOver.size) {
      for (const [path, item] of this.handedOver) planned.push({ path, text: '', item });
      planned.sort((a, b) => byPath(a.path, b.path));
    }
    const problem = targetPathProblem(planned);
    if (problem) throw new RefiError(`${this.fileName}: ${problem}; nothing was written`);
    return {
      files: sorted,
      items,
      summary: {
        file: this.fileName,
        kind,
        projectName: project.project.name,
        documents: [...this.sources.values()].map((s) => s.path),
        codes: project.codes.length,
        codings,
        memos: memos.length,
        cases: project.cases.length,
        sets: project.sets?.length ?? 0,
        relations: project.relations?.length ?? 0,
        maps: project.maps?.length ?? 0,
        notImported: this.notImported,
        notes: this.notes,
        renamedCodes: this.renamedCodes,
        duplicateCodings: this.replacedCodings.size,
      },
    };
  }
}

/** One line for a notification. */
export function importHeadline(s: ImportSummary, folder: string): string {
  const parts =
    s.kind === 'codebook'
      ? [plural(s.codes, 'code')]
      : [plural(s.documents.length, 'transcript'), plural(s.codes, 'code'), plural(s.codings, 'coding'), plural(s.memos, 'memo'), plural(s.cases, 'case')];
  const last = parts.pop()!;
  const list = parts.length ? `${parts.join(', ')} and ${last}` : last;
  const left = s.notImported.length ? ` ${plural(s.notImported.length, 'part')} could not be imported.` : '';
  const renamed = s.renamedCodes ? ` ${plural(s.renamedCodes, 'code was', 'codes were')} renamed: a code at the same level had the name.` : '';
  return `Imported ${list} from ${s.file.replace(/^.*[\\/]/, '')} into ${folder}.${left}${renamed}`;
}

/** The summary as a Markdown page: what was imported, what was not and why, what was changed. */
export function importReport(s: ImportSummary, folder: string): string {
  const esc = (t: string) => t.replace(/([\\`*_[\]<>#|])/g, '\\$1');
  const lines = [`# REFI-QDA import: ${esc(s.projectName)}`, '', `From \`${s.file}\` into \`${folder}\`.`, '', '## Imported', ''];
  if (s.kind === 'project') {
    lines.push(`- ${plural(s.documents.length, 'transcript')}${s.documents.length ? ': ' + s.documents.map((d) => `\`${d}\``).join(', ') : ''}`);
    lines.push(`- ${plural(s.codes, 'code')}`, `- ${plural(s.codings, 'coding')}`, `- ${plural(s.memos, 'memo')}`, `- ${plural(s.cases, 'case')}`);
    if (s.sets) lines.push(`- ${plural(s.sets, 'set')}`);
    if (s.relations) lines.push(`- ${plural(s.relations, 'relation')} (from links between codes)`);
    if (s.maps) lines.push(`- ${plural(s.maps, 'theory map')} (from graphs)`);
  } else lines.push(`- ${plural(s.codes, 'code')} (a codebook: no transcripts or codings)`);
  lines.push('', '## Not imported', '');
  lines.push(...(s.notImported.length ? s.notImported.map((n) => `- ${esc(n)}`) : ['Nothing: everything in the file was imported.']));
  if (s.notes.length) lines.push('', '## Changed on the way in', '', ...s.notes.map((n) => `- ${esc(n)}`));
  return lines.join('\n') + '\n';
}
