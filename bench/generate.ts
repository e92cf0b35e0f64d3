// Deterministic generator of synthetic Grounded projects for the benchmarks (bench/run.ts).
//
// Everything comes from a seeded PRNG (never Math.random), so the same profile and seed give the
// same bytes on every machine: interview-like transcripts (speaker turns, sentences drawn from an
// English and a Norwegian vocabulary with æøå, an occasional emoji, stock phrases that recur, so
// that quotes are not always unique), codings on sentence and word boundaries (40–600 units, some
// coding the same span twice, some overlapping), a codebook of about 60 codes in a category tree,
// and the sidecars written with the real serializer.
//
// Standalone: `node out/bench/generate.js [typical|stress] [folder]`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { FORMAT_VERSION, PROJECT_FILE } from '../src/core/model';
import type { Case, Code, Coding, ProjectFile, Sidecar } from '../src/core/model';
import { hashText } from '../src/core/hash';
import { makeAnchor } from '../src/core/text';
import { serializeSidecar, sidecarPathFor } from '../src/core/sidecar';
import { CODE_PALETTE, serializeProject } from '../src/core/project';

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** FNV-1a of a string: derives seeds from labels, so each transcript has its own stream. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32: small, fast, 128 bits of state; good enough for test data, and fully reproducible. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly label: string;

  constructor(seed: string) {
    this.label = seed;
    const s = hash32(seed);
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = s;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Skewed towards the front of the list: a rough Zipf law for word frequencies. */
  pickSkewed<T>(items: readonly T[]): T {
    const u = this.next();
    return items[Math.floor(u * u * items.length)];
  }

  /** An independent stream for a sub-task: depends only on the seeds, not on what was drawn before. */
  fork(label: string): Rng {
    return new Rng(`${this.label}/${label}`);
  }

  /** A version 4 UUID in lowercase, as crypto.randomUUID() writes them. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** An ISO timestamp with `Z` in the autumn of 2026. */
  timestamp(): string {
    const base = Date.UTC(2026, 8, 1, 8, 0, 0);
    return new Date(base + Math.floor(this.next() * 90 * 24 * 3600) * 1000).toISOString();
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const EN_FUNCTION = (
  'I the and to a it was that you of in is we they my but so not just me with on have had for do what ' +
  'there be when at all if he she her his them about because then here one can would could really never ' +
  'always still no out up from this get got know think'
).split(' ');

const EN_CONTENT = (
  'time day prison visit daughter mother officer cell morning weekend letter phone call work workshop school ' +
  'release plan flat money week month year family friends home room door food sleep night routine lunch ' +
  'dinner sentence case lawyer court counting waiting days window yard gym kitchen shower guard unit ' +
  'wing block library course exam job boss future hope fear shame trust control respect noise silence ' +
  'head heart hands body thoughts feelings kids son brother sister girlfriend father grandmother ' +
  'birthday christmas summer winter autumn spring rain snow bus train car road town city village ' +
  'church doctor nurse psychologist pills drugs drink fight rules points leave parole probation ' +
  'application form answer question reason problem chance choice change difference everything nothing ' +
  'somebody nobody people person group meeting talk conversation story memory picture photo drawing ' +
  'book music radio television news football cards coffee tea bread cigarettes tobacco canteen ' +
  'hard easy strange normal weird okay fine bad good better worse quiet loud small big long short ' +
  'slow fast early late angry sad happy tired bored scared calm proud alone together outside inside'
).split(' ');

const NB_FUNCTION = (
  'jeg det er og å på som en ikke så har med til var vi de men hun han meg der når bare også nå jo ' +
  'litt mye får kan skal ville kunne hva hvordan fordi etter før alltid aldri sånn liksom altså egentlig'
).split(' ');

const NB_CONTENT = (
  'fengselet cella besøket betjenten dattera sønnen mamma pappa kjæresten søsteren broren brevet ' +
  'telefonen verkstedet skolen løslatelsen planen leiligheten penger tiden dagen uka måneden året ' +
  'familien venner hjemme rommet døra maten søvnen natta helgene lørdag søndag frokost lufting trening ' +
  'arbeid jobb hodet følelsen håp frykt skam ære kontroll rutiner ventetid øyeblikk framtida ungene ' +
  'bursdagen jula påsken sommeren høsten vinteren våren ærlig vanskelig dårlig følelser fellesrommet ' +
  'avdelingen permisjon soningen straffen dommen advokaten kontakt bekymret redd sint trist glad lei ' +
  'sliten stolt alene sammen ute inne nærmere tålmodighet forskjell sjansen valget hverdagen kroppen ' +
  'tankene hendene øynene barndommen oppveksten nabolaget Tromsø Bodø Ålesund Bærum Sørlandet Østlandet'
).split(' ');

const FILLERS_EN = ['you know,', 'I mean,', 'like,', 'sort of', 'kind of', '[laughs]', '[pause]', 'well,'];
const FILLERS_NB = ['liksom,', 'altså,', 'på en måte', 'sånn', '[ler]', '[pause]', 'ja,', 'egentlig'];

/** Sentences that every participant says now and then: quotes are not always unique. */
const STOCK_EN = [
  "I don't know.",
  'It is what it is.',
  'You just have to get through the day.',
  'That was the worst part.',
  "I don't want to talk about that.",
  'Every day is the same in here.',
  'Yeah, that is how it is.',
];
const STOCK_NB = [
  'Jeg vet ikke.',
  'Det er sånn det er.',
  'Du må bare komme deg gjennom dagen.',
  'Det var det verste.',
  'Det vil jeg ikke snakke om.',
  'Hver dag er lik her inne.',
  'Ja, sånn er det.',
];

const QUESTIONS_EN = [
  'Can you say more about that?',
  'What did that mean for you?',
  'How was that?',
  'What happened then?',
  'How do you feel about it now?',
];
const QUESTIONS_NB = [
  'Kan du si mer om det?',
  'Hva betydde det for deg?',
  'Hvordan var det?',
  'Hva skjedde da?',
  'Hvordan tenker du på det nå?',
];

const EMOJI = ['😔', '🙂', '😅', '👍', '❤️', '🙏', '😢'];

const PSEUDONYMS = (
  'Ola Kari Håkon Mira Tomas Åse Jørgen Sølvi Ivar Linnea Bjørn Eirik Siri Trond Øystein Maja Jonas ' +
  'Ingrid Nils Tuva Petter Aisha Karim Elin Stian Marte Rune Hedda Even Sara'
).split(' ');

type Language = 'en' | 'nb';

interface Lexicon {
  fn: readonly string[];
  content: readonly string[];
  other: readonly string[];
  fillers: readonly string[];
  stock: readonly string[];
  questions: readonly string[];
  interviewer: string;
}

const LEXICON: Record<Language, Lexicon> = {
  en: { fn: EN_FUNCTION, content: EN_CONTENT, other: NB_CONTENT, fillers: FILLERS_EN, stock: STOCK_EN, questions: QUESTIONS_EN, interviewer: 'Interviewer' },
  nb: { fn: NB_FUNCTION, content: NB_CONTENT, other: EN_CONTENT, fillers: FILLERS_NB, stock: STOCK_NB, questions: QUESTIONS_NB, interviewer: 'Intervjuer' },
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A word as a participant would say it in this language (mostly the language's own words). */
export function randomWord(rng: Rng, language: Language): string {
  const lex = LEXICON[language];
  const r = rng.next();
  if (r < 0.45) return rng.pickSkewed(lex.fn);
  if (r < 0.9) return rng.pickSkewed(lex.content);
  if (r < 0.97) return rng.pick(lex.other);
  return rng.pick(lex.fillers);
}

/** One sentence of free speech, with its final punctuation (and rarely an emoji after it). */
export function randomSentence(rng: Rng, language: Language, question = false, minWords = 4, maxWords = 22): string {
  const n = rng.int(minWords, maxWords);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = randomWord(rng, language);
    if (i < n - 1 && !w.endsWith(',') && rng.chance(0.07)) w += ',';
    words.push(w);
  }
  let s = capitalize(words.join(' ')).replace(/,$/, '');
  s += question ? '?' : rng.chance(0.9) ? '.' : rng.pick(['…', '!', '?']);
  if (rng.chance(1 / 120)) s += ' ' + rng.pick(EMOJI);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Transcripts

export interface Span {
  start: number;
  end: number;
}

export interface Transcript {
  text: string;
  language: Language;
  pseudonym: string;
  /** sentences of the participant's turns, in text order */
  sentences: Span[];
  /** index of the paragraph (turn) of each sentence */
  paragraphOf: number[];
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h, m, s].map((x) => String(x).padStart(2, '0')).join(':');
}

/** An interview of about `targetLength` UTF-16 units: a header, then interviewer and participant turns. */
export function generateTranscript(rng: Rng, targetLength: number, number: number): Transcript {
  const language: Language = rng.chance(0.4) ? 'nb' : 'en';
  const lex = LEXICON[language];
  const pseudonym = rng.pick(PSEUDONYMS);
  // Each participant has a few short phrases of their own that come back in several turns.
  const ownPhrases = Array.from({ length: 5 }, () => randomSentence(rng, language, false, 3, 9));
  const parts: string[] = [];
  const sentences: Span[] = [];
  const paragraphOf: number[] = [];
  let length = 0;
  let paragraph = 0;
  const put = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  const title = language === 'nb' ? `Intervju ${String(number).padStart(2, '0')}` : `Interview ${String(number).padStart(2, '0')}`;
  put(`${title} — ${pseudonym} (pseudonym)\n`);
  put(
    language === 'nb'
      ? `Syntetisk intervju for ytelsestester. Opptak ${rng.int(1, 28)}. oktober 2026, ${rng.int(30, 90)} minutter.\n\n`
      : `Synthetic interview for benchmarks. Recorded ${rng.int(1, 28)} October 2026, ${rng.int(30, 90)} minutes.\n\n`,
  );
  let seconds = rng.int(10, 40);
  while (length < targetLength) {
    // Interviewer turn.
    const q = rng.chance(0.3) ? rng.pick(lex.questions) : randomSentence(rng, language, true);
    const lead = rng.chance(0.3) ? randomSentence(rng, language) + ' ' : '';
    put(`${lex.interviewer}: ${lead}${q}\n\n`);
    paragraph++;
    // Participant turn.
    seconds += rng.int(15, 120);
    put(`${pseudonym} (${clock(seconds)}): `);
    const count = rng.chance(0.15) ? rng.int(1, 2) : rng.int(3, 14);
    for (let i = 0; i < count; i++) {
      const r = rng.next();
      const s = r < 0.04 ? rng.pick(lex.stock) : r < 0.07 ? rng.pick(ownPhrases) : randomSentence(rng, language);
      if (i > 0) put(' ');
      sentences.push({ start: length, end: length + s.length });
      paragraphOf.push(paragraph);
      put(s);
    }
    put('\n\n');
    paragraph++;
    seconds += rng.int(5, 60);
  }
  return { text: parts.join('').replace(/\n+$/, '\n'), language, pseudonym, sentences, paragraphOf };
}

// ---------------------------------------------------------------------------------------------
// Codebook and codings

const CATEGORY_NAMES = [
  'Time and waiting',
  'Keeping connected',
  'Relations with staff',
  'Life on the unit',
  'Self and identity',
  'Release and after',
  'Coping',
  'Kontroll og regler',
];

const CODE_WORDS = [...EN_CONTENT.slice(0, 120), ...NB_CONTENT.slice(0, 60)];

export const CODERS = ['Kari Nordmann', 'Ola Hansen', 'Åse Sørensen'];

/** About 60 codes: 8 categories with 5–7 codes each, some of them with subcodes. */
export function generateCodebook(rng: Rng): Code[] {
  const codes: Code[] = [];
  let colour = 0;
  const add = (name: string, parent?: string): Code => {
    const code: Code = { id: rng.uuid(), name, color: CODE_PALETTE[colour++ % CODE_PALETTE.length], created: rng.timestamp(), createdBy: rng.pick(CODERS) };
    if (parent) code.parent = parent;
    if (rng.chance(0.6)) code.description = capitalize(randomSentence(rng, 'en'));
    codes.push(code);
    return code;
  };
  for (const name of CATEGORY_NAMES) {
    const category = add(name);
    const n = rng.int(5, 6);
    for (let i = 0; i < n; i++) {
      const code = add(`${capitalize(rng.pick(CODE_WORDS))} ${rng.pick(['and', 'og', 'as', 'without', 'i'])} ${rng.pick(CODE_WORDS)}`, category.id);
      if (rng.chance(0.12)) add(`${capitalize(rng.pick(CODE_WORDS))} (${rng.pick(CODE_WORDS)})`, code.id);
    }
  }
  return codes;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10;
}

/** The nearest word start at or before `at` (not before `min`). */
function wordStartBefore(text: string, at: number, min: number): number {
  let p = at;
  while (p > min && !(isSpace(text.charCodeAt(p - 1)) && !isSpace(text.charCodeAt(p)))) p--;
  return p;
}

/** The nearest word end at or before `at` (not before `min`). */
function wordEndBefore(text: string, at: number, min: number): number {
  let p = at;
  while (p > min && !(isSpace(text.charCodeAt(p)) && !isSpace(text.charCodeAt(p - 1)))) p--;
  return p;
}

export const MIN_SEGMENT = 40;
export const MAX_SEGMENT = 600;

/**
 * A span a coder might select: whole sentences mostly, sometimes starting or ending mid-sentence,
 * within one turn (one in ten runs on into the next turns).
 */
function segment(rng: Rng, t: Transcript, first: number): Span | undefined {
  const { text, sentences, paragraphOf } = t;
  const u = rng.next();
  const target = MIN_SEGMENT + Math.floor((MAX_SEGMENT - MIN_SEGMENT) * u * u);
  const crossTurns = rng.chance(0.1);
  const sameTurn = (a: number, b: number) => crossTurns || paragraphOf[a] === paragraphOf[b];
  let i = first;
  let start = sentences[i].start;
  if (rng.chance(0.15)) {
    // From a word inside the sentence.
    const s = sentences[i];
    start = wordStartBefore(text, s.start + Math.floor(rng.next() * (s.end - s.start) * 0.6), s.start);
  }
  let j = first;
  while (j + 1 < sentences.length && sentences[j].end - start < target && sameTurn(j + 1, first)) j++;
  // The turn ended too early: take sentences before the first one instead.
  while (sentences[j].end - start < MIN_SEGMENT && i > 0 && sameTurn(i - 1, first)) start = sentences[--i].start;
  let end = sentences[j].end;
  if (end - start > target + 80 || rng.chance(0.1)) end = wordEndBefore(text, Math.min(end, start + target), start + MIN_SEGMENT);
  if (end - start > MAX_SEGMENT) end = wordEndBefore(text, start + MAX_SEGMENT, start + MIN_SEGMENT);
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end - start < MIN_SEGMENT || end - start > MAX_SEGMENT) return undefined;
  return { start, end };
}

/** `count` codings on the transcript: some code an already coded span again, some overlap one. */
export function generateCodings(rng: Rng, t: Transcript, count: number, codes: readonly Code[]): Coding[] {
  const leaves = codes.filter((c) => c.parent !== undefined);
  const out: Coding[] = [];
  const spans: Span[] = [];
  let attempts = 0;
  while (out.length < count && attempts++ < count * 20) {
    const r = rng.next();
    let span: Span | undefined;
    if (r < 0.12 && spans.length > 0) {
      span = rng.pick(spans); // the same words under a second code
    } else if (r < 0.25 && spans.length > 0) {
      // Starts inside an existing segment: a partial overlap.
      const other = rng.pick(spans);
      const i = t.sentences.findIndex((s) => s.start > other.start && s.start < other.end);
      if (i !== -1) span = segment(rng, t, i);
    } else {
      span = segment(rng, t, rng.int(0, t.sentences.length - 1));
    }
    if (!span) continue;
    spans.push(span);
    const coding: Coding = {
      id: rng.uuid(),
      codeId: rng.pick(leaves).id,
      anchor: makeAnchor(t.text, span.start, span.end),
      coder: rng.pick(CODERS),
      created: rng.timestamp(),
    };
    if (rng.chance(0.08)) coding.note = randomSentence(rng, t.language);
    if (rng.chance(0.04)) coding.translation = { text: randomSentence(rng, 'en'), language: 'en', translator: rng.pick(CODERS), created: rng.timestamp() };
    if (rng.chance(0.03)) coding.representative = rng.chance(0.7) ? 'code' : 'category';
    out.push(coding);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Projects on disk

export interface Profile {
  name: string;
  transcripts: number;
  codingsPerTranscript: number;
  /** transcript length range in UTF-16 units */
  minLength: number;
  maxLength: number;
}

// A one-hour interview transcribed verbatim is about 8,000–10,000 words, 45–60 k characters.
export const PROFILES: Record<string, Profile> = {
  typical: { name: 'typical', transcripts: 30, codingsPerTranscript: 100, minLength: 35_000, maxLength: 70_000 },
  stress: { name: 'stress', transcripts: 500, codingsPerTranscript: 200, minLength: 35_000, maxLength: 70_000 },
  // The scaling curve (issue 15): the stress profile at 50 and 200 transcripts.
  stress50: { name: 'stress50', transcripts: 50, codingsPerTranscript: 200, minLength: 35_000, maxLength: 70_000 },
  stress200: { name: 'stress200', transcripts: 200, codingsPerTranscript: 200, minLength: 35_000, maxLength: 70_000 },
};

export const DEFAULT_SEED = 'grounded-bench-1';

export interface GeneratedProject {
  root: string;
  profile: Profile;
  /** workspace-relative transcript paths */
  transcripts: string[];
  /** document hash of each transcript, same order */
  hashes: string[];
  codings: number;
  sidecarBytes: number;
  transcriptBytes: number;
  /** false when an identical project was already on disk */
  generated: boolean;
}

interface Manifest {
  fingerprint: string;
  transcripts: string[];
  hashes: string[];
  codings: number;
  sidecarBytes: number;
  transcriptBytes: number;
}

const MANIFEST = '.bench-manifest.json';

/**
 * Write the project of `profile` to `root` (created; an earlier project there is replaced). When
 * the folder already holds the output of this very generator (same code, profile and seed), it is
 * reused as it is.
 */
export function generateProject(root: string, profile: Profile, seed: string = DEFAULT_SEED): GeneratedProject {
  const fingerprint = createHash('sha256')
    .update(fs.readFileSync(__filename))
    .update(JSON.stringify(profile))
    .update(seed)
    .digest('hex');
  try {
    const m = JSON.parse(fs.readFileSync(path.join(root, MANIFEST), 'utf8')) as Manifest;
    if (m.fingerprint === fingerprint) {
      const { transcripts, hashes, codings, sidecarBytes, transcriptBytes } = m;
      return { root, profile, transcripts, hashes, codings, sidecarBytes, transcriptBytes, generated: false };
    }
  } catch {
    // no usable manifest: generate
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'interviews'), { recursive: true });
  const rng = new Rng(`${seed}/${profile.name}`);
  const codes = generateCodebook(rng.fork('codebook'));
  const cases: Case[] = [];
  const transcripts: string[] = [];
  const hashes: string[] = [];
  let codings = 0;
  let sidecarBytes = 0;
  let transcriptBytes = 0;
  for (let i = 1; i <= profile.transcripts; i++) {
    const r = rng.fork(`transcript-${i}`);
    const t = generateTranscript(r, r.int(profile.minLength, profile.maxLength), i);
    const rel = `interviews/interview-${String(i).padStart(3, '0')}.txt`;
    const hash = hashText(t.text);
    const sidecar: Sidecar = {
      version: FORMAT_VERSION,
      document: { path: rel, hash },
      codings: generateCodings(r, t, profile.codingsPerTranscript, codes),
    };
    const json = serializeSidecar(sidecar);
    fs.writeFileSync(path.join(root, rel), t.text);
    fs.writeFileSync(path.join(root, sidecarPathFor(rel)), json);
    transcripts.push(rel);
    hashes.push(hash);
    codings += sidecar.codings.length;
    sidecarBytes += Buffer.byteLength(json);
    transcriptBytes += Buffer.byteLength(t.text);
    cases.push({ id: r.uuid(), pseudonym: `${t.pseudonym} ${i}`, documents: [rel], attributes: { language: t.language, site: r.pick(['A', 'B', 'C']) } });
  }
  const project: ProjectFile = {
    version: FORMAT_VERSION,
    project: { id: rng.uuid(), name: `Benchmark project (${profile.name})`, created: rng.timestamp() },
    settings: { language: 'nb', reportLanguage: 'en' },
    codes,
    cases,
  };
  fs.writeFileSync(path.join(root, PROJECT_FILE), serializeProject(project));
  const manifest: Manifest = { fingerprint, transcripts, hashes, codings, sidecarBytes, transcriptBytes };
  fs.writeFileSync(path.join(root, MANIFEST), JSON.stringify(manifest));
  return { root, profile, transcripts, hashes, codings, sidecarBytes, transcriptBytes, generated: true };
}

/** bench/.data in the source tree (this file runs from out/bench). */
export const DATA_DIR = path.resolve(__dirname, '..', '..', 'bench', '.data');

if (require.main === module) {
  const profile = PROFILES[process.argv[2] ?? 'typical'];
  if (!profile) {
    console.error(`usage: node out/bench/generate.js [${Object.keys(PROFILES).join('|')}] [folder]`);
    process.exit(2);
  }
  const root = path.resolve(process.argv[3] ?? path.join(DATA_DIR, profile.name));
  const t0 = performance.now();
  const p = generateProject(root, profile);
  console.log(
    `${p.generated ? 'wrote' : 'kept'} ${root}: ${p.transcripts.length} transcripts, ${p.codings} codings, ` +
      `${(p.sidecarBytes / 1e6).toFixed(1)} MB of sidecars (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
