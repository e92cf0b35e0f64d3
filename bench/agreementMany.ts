// Agreement of three coders (compareManyCoders: alpha of all, every pair, segments) over the stress
// project with a second coder (bench/agreement.ts), and a third coder made in memory: coder B's codings
// moved 3 characters to the right. Kept out of bench/agreement.ts so that its data's fingerprint (that
// file) stays as it was.
import { compareCoders, compareManyCoders } from '../src/core/agreement';
import type { AgreementDocument } from '../src/core/agreement';
import type { Sidecar } from '../src/core/model';
import { sidecarPathFor } from '../src/core/sidecar';
import { NodeFileSystem } from '../src/cli/nodeFs';
import { CODER_A, CODER_B } from './agreement';
import type { AgreementProject } from './agreement';
import type { BenchRow, Compare } from './decorate';

const CODER_C = 'Per Hansen';
let sink = 0;

export async function benchAgreementMany(compare: Compare, project: AgreementProject, warmup: number, reps: number): Promise<BenchRow> {
  const nfs = new NodeFileSystem(project.root);
  const docs: AgreementDocument[] = [];
  let codingsC = 0;
  for (const t of project.transcripts) {
    const length = (await nfs.readText(t))!.length;
    const codings = (JSON.parse((await nfs.readText(sidecarPathFor(t)))!) as Sidecar).codings.map((c) => ({ coder: c.coder, codeId: c.codeId, anchor: { start: c.anchor.start, end: c.anchor.end }, orphaned: c.orphaned }));
    const third = codings.filter((c) => c.coder === CODER_B).map((c) => ({ ...c, coder: CODER_C, anchor: { start: c.anchor.start + 3, end: c.anchor.end + 3 } }));
    codingsC += third.length;
    docs.push({ path: t, length, codings: [...codings, ...third] });
  }
  const coders = [CODER_A, CODER_B, CODER_C];
  const c = await compare(
    () => {
      const r = compareManyCoders(docs, coders);
      sink += r.byCodeAndDocument.length + r.overall.segments.agreed;
    },
    () => {
      const r = compareCoders(docs, [CODER_A, CODER_B]);
      sink += r.byCodeAndDocument.length;
    },
    { warmup, reps },
  );
  return {
    name: 'Agreement: compare three coders',
    detail: `the same with a third coder in memory (B's ${codingsC.toLocaleString('en')} codings moved 3 characters): alpha of all, 3 pairs, segments at 90 %`,
    c,
    baseline: '`compareCoders` of two of them (one pair, no segments)',
  };
}

export function agreementManySink(): number {
  return sink;
}
