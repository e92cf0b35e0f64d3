// Inter-coder agreement over the stress project (500 transcripts): a second coder's codings made
// by perturbing the first coder's, written as a project of its own (bench/.data/stress-agreement),
// then `grounded agreement` end to end and the comparison alone.
//
// Coder A ("Kari Nordmann") has every coding of the stress project (whoever made it there). Coder B
// ("Ola Hansen") gets, for each of A's codings, from a seeded PRNG:
//   - 60 %: the same span and code (agreement);
//   - 20 %: the same code, each boundary moved by −40…+40 characters (kept at least 1 long);
//   - 10 %: the same span under another code (a leaf code picked at random);
//   - 10 %: nothing (B did not code it);
// and in addition, for every 10 of A's codings, one coding of its own (40–600 characters at a
// random place, a random leaf code). Both coders' codings are in the same sidecar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { compareCoders } from '../src/core/agreement';
import type { AgreementDocument } from '../src/core/agreement';
import { hashText } from '../src/core/hash';
import { PROJECT_FILE } from '../src/core/model';
import type { Coding, ProjectFile, Sidecar } from '../src/core/model';
import { serializeSidecar, sidecarPathFor } from '../src/core/sidecar';
import { makeAnchor } from '../src/core/text';
import { NodeFileSystem } from '../src/cli/nodeFs';
import { agreementOf } from '../src/cli/reports';
import type { BenchRow, Compare } from './decorate';
import { GeneratedProject, Rng } from './generate';

export const CODER_A = 'Kari Nordmann';
export const CODER_B = 'Ola Hansen';

export interface AgreementProject {
  root: string;
  transcripts: string[];
  codingsA: number;
  codingsB: number;
  sidecarBytes: number;
  generated: boolean;
}

const MANIFEST = '.bench-manifest.json';
const PER_CHARACTER_DOCS = 20;

/** The stress project with a second coder (reused when the stress project and this file did not change). */
export function agreementProject(stress: GeneratedProject, root: string): AgreementProject {
  const fingerprint = createHash('sha256')
    .update(fs.readFileSync(__filename))
    .update(fs.readFileSync(path.join(stress.root, MANIFEST)))
    .digest('hex');
  try {
    const m = JSON.parse(fs.readFileSync(path.join(root, MANIFEST), 'utf8')) as AgreementProject & { fingerprint: string };
    if (m.fingerprint === fingerprint) return { root, transcripts: m.transcripts, codingsA: m.codingsA, codingsB: m.codingsB, sidecarBytes: m.sidecarBytes, generated: false };
  } catch {
    // generate
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, 'interviews'), { recursive: true });
  const projectText = fs.readFileSync(path.join(stress.root, PROJECT_FILE), 'utf8');
  fs.writeFileSync(path.join(root, PROJECT_FILE), projectText);
  const leaves = (JSON.parse(projectText) as ProjectFile).codes.filter((c) => c.parent !== undefined).map((c) => c.id);
  const rng = new Rng('grounded-bench-agreement');
  let codingsA = 0;
  let codingsB = 0;
  let sidecarBytes = 0;
  for (const rel of stress.transcripts) {
    const text = fs.readFileSync(path.join(stress.root, rel), 'utf8');
    fs.writeFileSync(path.join(root, rel), text);
    const source = JSON.parse(fs.readFileSync(path.join(stress.root, sidecarPathFor(rel)), 'utf8')) as Sidecar;
    const a: Coding[] = source.codings.map((c) => ({ ...c, coder: CODER_A }));
    const b: Coding[] = [];
    const add = (codeId: string, start: number, end: number) => b.push({ id: rng.uuid(), codeId, anchor: makeAnchor(text, start, end), coder: CODER_B, created: rng.timestamp() });
    for (const c of a) {
      const r = rng.next();
      const { start, end } = c.anchor;
      if (r < 0.6) add(c.codeId, start, end);
      else if (r < 0.8) {
        const s = Math.max(0, Math.min(text.length - 1, start + rng.int(-40, 40)));
        const e = Math.max(s + 1, Math.min(text.length, end + rng.int(-40, 40)));
        add(c.codeId, s, e);
      } else if (r < 0.9) add(rng.pick(leaves.filter((id) => id !== c.codeId)), start, end);
      if (rng.chance(0.1)) {
        const s = rng.int(0, text.length - 41);
        add(rng.pick(leaves), s, Math.min(text.length, s + rng.int(40, 600)));
      }
    }
    const sidecar: Sidecar = { version: 1, document: { path: rel, hash: hashText(text) }, codings: [...a, ...b] };
    const json = serializeSidecar(sidecar);
    fs.writeFileSync(path.join(root, sidecarPathFor(rel)), json);
    codingsA += a.length;
    codingsB += b.length;
    sidecarBytes += Buffer.byteLength(json);
  }
  const p: AgreementProject = { root, transcripts: stress.transcripts, codingsA, codingsB, sidecarBytes, generated: true };
  fs.writeFileSync(path.join(root, MANIFEST), JSON.stringify({ ...p, fingerprint }));
  return p;
}

export interface AgreementOutcome {
  rows: BenchRow[];
  project: AgreementProject;
  overall: { agreement: number; kappa: number; alpha: number };
  pairs: number;
  disagreements: number;
  /** for scale, one run on the first `docs` transcripts: the counts with a byte per character, and ours */
  perCharacter: { docs: number; perCharacter: number; intervals: number };
}

let sink = 0;

export async function benchAgreement(compare: Compare, stress: GeneratedProject, root: string, warmup: number, reps: number): Promise<AgreementOutcome> {
  const project = agreementProject(stress, root);
  const nfs = new NodeFileSystem(project.root);

  // End to end: what `grounded agreement --json` does, minus printing.
  const endToEnd = await compare(
    async () => {
      const r = await agreementOf(nfs, [CODER_A, CODER_B]);
      sink += JSON.stringify(r.json).length;
    },
    async () => {
      for (const t of project.transcripts) {
        sink += (await nfs.readText(t))!.length;
        sink += (JSON.parse((await nfs.readText(sidecarPathFor(t)))!) as Sidecar).codings.length;
      }
    },
    { warmup, reps },
  );

  // The comparison alone, on data in memory.
  const docs: AgreementDocument[] = [];
  for (const t of project.transcripts) {
    const length = (await nfs.readText(t))!.length;
    docs.push({ path: t, length, codings: (JSON.parse((await nfs.readText(sidecarPathFor(t)))!) as Sidecar).codings });
  }
  let report = compareCoders(docs, [CODER_A, CODER_B]);
  const only = await compare(
    () => {
      report = compareCoders(docs, [CODER_A, CODER_B]);
      sink += report.byCodeAndDocument.length;
    },
    () => {
      // The least any comparison must do: put every coding of the two coders in its (document, code, coder) bucket.
      for (const d of docs) {
        const buckets = new Map<string, (typeof d.codings)[number][]>();
        for (const c of d.codings) {
          if (c.orphaned || (c.coder !== CODER_A && c.coder !== CODER_B)) continue;
          const key = `${c.codeId}\u0000${c.coder}`;
          const list = buckets.get(key);
          if (list) list.push(c);
          else buckets.set(key, [c]);
        }
        sink += buckets.size;
      }
    },
    { warmup, reps },
  );

  // For scale, once, on the first PER_CHARACTER_DOCS transcripts (all 500 take minutes): the same
  // 2x2 tables with a byte per character, code and coder (Uint8Array), checked against ours.
  const some = docs.slice(0, PER_CHARACTER_DOCS);
  const t0 = performance.now();
  const check = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  for (const d of some) {
    for (const codeId of report.codeIds) {
      const a = new Uint8Array(d.length);
      const b = new Uint8Array(d.length);
      for (const c of d.codings) {
        if (c.orphaned || c.codeId !== codeId) continue;
        const into = c.coder === CODER_A ? a : c.coder === CODER_B ? b : undefined;
        if (into) into.fill(1, Math.max(0, c.anchor.start), Math.min(d.length, c.anchor.end));
      }
      for (let i = 0; i < d.length; i++) check[a[i] ? (b[i] ? 'both' : 'onlyA') : b[i] ? 'onlyB' : 'neither']++;
    }
  }
  const perCharacterMs = performance.now() - t0;
  const t1 = performance.now();
  const ours = compareCoders(some, [CODER_A, CODER_B]);
  const intervalMs = performance.now() - t1;
  // Same codes in both (every code used in the first documents is used in all 500 here; checked).
  const o = ours.overall.counts;
  if (ours.codeIds.length !== report.codeIds.length || o.both !== check.both || o.onlyA !== check.onlyA || o.onlyB !== check.onlyB || o.neither !== check.neither) {
    throw new Error(`agreement: interval counts ${JSON.stringify(o)} differ from the per-character counts ${JSON.stringify(check)}`);
  }

  const pairs = report.byCodeAndDocument.length;
  const codings = `${(project.codingsA + project.codingsB).toLocaleString('en')} codings (${project.codingsA.toLocaleString('en')} + ${project.codingsB.toLocaleString('en')})`;
  return {
    project,
    overall: { agreement: report.overall.agreement, kappa: report.overall.kappa, alpha: report.overall.alpha },
    pairs,
    disagreements: report.byCodeAndDocument.reduce((n, r) => n + r.disagreements.length, 0),
    perCharacter: { docs: some.length, perCharacter: perCharacterMs, intervals: intervalMs },
    rows: [
      {
        name: 'grounded agreement, end to end',
        detail: `${project.transcripts.length} transcripts, ${codings}, ${(project.sidecarBytes / 1e6).toFixed(1)} MB of sidecars; read, hash, compare, JSON`,
        c: endToEnd,
        baseline: 'readText of every transcript + readText and JSON.parse of every sidecar',
      },
      {
        name: 'Agreement: compare two coders',
        detail: `the same, in memory: ${pairs.toLocaleString('en')} code × document tables and their disagreements`,
        c: only,
        baseline: 'every coding put in its (document, code, coder) bucket',
      },
    ],
  };
}

export function agreementSink(): number {
  return sink;
}
