// Pending and rejected AI suggestions never count (issue 17): every number and file the command line
// writes (stats, the report and its CSVs, the REFI-QDA export, check) is the same with them as without;
// an accepted one counts as a coding of "AI: <model>".
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Coding, Suggestion } from '../../src/core/model';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { makeAnchor } from '../../src/core/text';
import { normalizeEol } from '../../src/core/text';
import { runCli } from './fixtures';

const GOLDEN = path.resolve(__dirname, '../../../test/fixtures/golden');
const SIDECAR = 'interviews/ola.txt.codes.json';
const KJEDSOMHET = '035b1c60-4756-4360-ae99-7308f22e9756';
const TID = '8b146274-f18d-4b12-933d-621d6f6901e2';
const id = (n: number): string => `5a000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const T = '2026-12-01T09:00:00.000Z';

/** The golden project in a fresh folder, with `codings` added to Ola's sidecar. */
function projectWith(codings: (text: string) => Coding[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-suggest-'));
  cpSync(GOLDEN, dir, { recursive: true });
  const file = path.join(dir, SIDECAR);
  const sidecar = parseSidecar(readFileSync(file, 'utf8'), SIDECAR);
  const text = normalizeEol(readFileSync(path.join(dir, 'interviews/ola.txt'), 'utf8'));
  writeFileSync(file, serializeSidecar({ ...sidecar, codings: [...sidecar.codings, ...codings(text)] }));
  return dir;
}

function suggestion(n: number, text: string, words: string, codeId: string, s: Partial<Suggestion>): Coding {
  const start = text.indexOf(words);
  assert.ok(start >= 0, words);
  return {
    id: id(n),
    codeId,
    anchor: makeAnchor(text, start, start + words.length),
    coder: 'AI: llama3.1:8b',
    created: T,
    suggestion: { status: 'pending', model: 'llama3.1:8b', endpoint: 'http://127.0.0.1:11434/v1', promptVersion: 'grounded-suggest-1', requested: T, code: 'x', ...s },
  };
}

const undecided = (text: string): Coding[] => [
  suggestion(1, text, 'Det verste er helgene.', KJEDSOMHET, { code: 'Kjedsomhet i helgene', reason: 'Om helgene.' }),
  suggestion(2, text, 'Det verste er helgene.', TID, { status: 'rejected', decidedBy: 'Kari Nordmann', decided: T, code: 'Tid og ventetid' }),
  suggestion(3, text, 'Da skjer det ingenting', '', { code: 'Dødtid', proposed: true }),
  suggestion(4, text, 'Da skjer det ingenting', '', { status: 'rejected', decidedBy: 'Kari Nordmann', decided: T, code: 'Tomhet', proposed: true }),
];

/** Everything the command line writes about a project, by name. */
async function outputs(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const must = async (name: string, argv: string[]) => {
    const r = await runCli(argv, dir);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
    out.set(name, r.out);
  };
  await must('stats', ['stats', '--json']);
  await must('stats table', ['stats']);
  await must('report --all', ['report', '--all', '--out', 'exports']);
  for (const f of readdirSync(path.join(dir, 'exports')).sort()) out.set(`exports/${f}`, readFileSync(path.join(dir, 'exports', f), 'utf8'));
  await must('export', ['export', '--qdpx', 'project.qdpx']);
  const zip = unzipSync(readFileSync(path.join(dir, 'project.qdpx')));
  for (const name of Object.keys(zip).sort()) out.set(`qdpx:${name}`, strFromU8(zip[name]));
  return out;
}

/** The report's appendix on AI suggestions (which says what there is to say about them) left out, in Markdown and HTML. */
function withoutAiAppendix(text: string): string {
  const at = text.search(/\n(### AI suggestions|<h3>AI suggestions<\/h3>)\n/);
  if (at < 0) return text;
  const rest = text.slice(at + 1);
  const next = rest.slice(1).search(/\n(#{1,3} |<h[1-3]>|<\/body>)/);
  return next < 0 ? text.slice(0, at).replace(/\n+$/, '\n') : text.slice(0, at) + rest.slice(next + 1);
}

describe('pending and rejected AI suggestions never count', function () {
  this.timeout(60000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('leaves stats, the report, its CSVs and the REFI-QDA export as they are without them', async () => {
    const plain = projectWith(() => []);
    const withSuggestions = projectWith(undecided);
    dirs.push(plain, withSuggestions);
    const a = await outputs(plain);
    const b = await outputs(withSuggestions);
    assert.deepEqual([...b.keys()], [...a.keys()]);
    assert.match(b.get('exports/report.md')!, /### AI suggestions\n/);
    assert.doesNotMatch(a.get('exports/report.md')!, /AI suggestions/);
    for (const [name, text] of a) {
      const other = b.get(name)!;
      if (/\.(md|html)$/.test(name)) assert.equal(withoutAiAppendix(other), withoutAiAppendix(text), name);
      else assert.equal(other, text, name);
    }
  });

  it('check does not count them as codings and finds nothing wrong with them', async () => {
    const dir = projectWith(undecided);
    dirs.push(dir);
    const plain = projectWith(() => []);
    dirs.push(plain);
    const r = await runCli(['check', '--json'], dir);
    const before = await runCli(['check', '--json'], plain);
    const json = JSON.parse(r.out) as { codings: number; suggestions: number; findings: { kind: string }[] };
    const was = JSON.parse(before.out) as { codings: number; findings: { kind: string }[] };
    assert.equal(json.codings, was.codings);
    assert.equal(json.suggestions, 4);
    // the same findings (at other lines: the suggestions are lines of the sidecar)
    const what = (f: { kind: string; message?: string }) => `${f.kind}: ${f.message}`;
    assert.deepEqual(json.findings.map(what), was.findings.map(what));
    assert.match((await runCli(['check'], dir)).out, /4 AI suggestions not \(yet\) accepted/);
  });

  it('check reports a suggestion record that contradicts itself, at its place in the file', async () => {
    const dir = projectWith((text) => [suggestion(5, text, 'Det verste er helgene.', KJEDSOMHET, { status: 'accepted', code: 'Kjedsomhet i helgene' })]);
    dirs.push(dir);
    const r = await runCli(['check'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /interviews\/ola\.txt\.codes\.json:\d+:\d+: AI suggestion 5a000000 \("Kjedsomhet i helgene"\): an accepted suggestion says who decided \(decidedBy\), but this one does not/);
  });

  it('counts an accepted one as a coding of "AI: <model>": in stats, the segments CSV and as a REFI-QDA user', async () => {
    const plain = projectWith(() => []);
    const accepted = projectWith((text) => [suggestion(6, text, 'Det verste er helgene.', TID, { status: 'accepted', decidedBy: 'Kari Nordmann', decided: T, code: 'Tid og ventetid' }), ...undecided(text)]);
    dirs.push(plain, accepted);
    const a = await outputs(plain);
    const b = await outputs(accepted);
    const stats = (m: Map<string, string>) => JSON.parse(m.get('stats')!) as { documents: { codings: number; coders: string[] }[] };
    assert.equal(stats(b).documents[0].codings, stats(a).documents[0].codings + 1);
    assert.ok(stats(b).documents[0].coders.includes('AI: llama3.1:8b'));
    const csvName = [...b.keys()].find((k) => /exports\/.*coded-segments.*\.csv$|exports\/segments.*\.csv$/.test(k)) ?? [...b.keys()].find((k) => k.startsWith('exports/') && k.endsWith('.csv') && b.get(k)!.includes('coding id'))!;
    const rows = b.get(csvName)!.split('\r\n').filter((l) => l.includes('AI: llama3.1:8b'));
    assert.equal(rows.length, 1, csvName);
    assert.ok(rows[0].includes(id(6)));
    const qde = b.get('qdpx:project.qde')!;
    assert.match(qde, /<User guid="[0-9a-f-]+" name="AI: llama3\.1:8b"\/>/);
    assert.ok(qde.includes(`<Coding guid="${id(6)}"`));
    for (const n of [1, 2, 3, 4]) assert.ok(!qde.includes(id(n)), `suggestion ${n} is not exported`);
  });
});

describe('grounded agreement with the AI coder', function () {
  this.timeout(60000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('compares its pending and accepted suggestions alike, and leaves rejected ones out', async () => {
    const P = (text: string, status: 'pending' | 'accepted') =>
      suggestion(7, text, 'Da skjer det ingenting', KJEDSOMHET, { status, code: 'Kjedsomhet i helgene', ...(status === 'accepted' ? { decidedBy: 'Kari Nordmann', decided: T } : {}) });
    const R = (text: string) => suggestion(8, text, 'Det verste er helgene.', TID, { status: 'rejected', decidedBy: 'Kari Nordmann', decided: T, code: 'Tid og ventetid' });
    const pendingAndRejected = projectWith((text) => [P(text, 'pending'), R(text)]);
    const pendingOnly = projectWith((text) => [P(text, 'pending')]);
    const accepted = projectWith((text) => [P(text, 'accepted'), R(text)]);
    dirs.push(pendingAndRejected, pendingOnly, accepted);
    const args = ['agreement', '--coders', 'Kari Nordmann,AI: llama3.1:8b', '--json'];
    const runs = await Promise.all([pendingAndRejected, pendingOnly, accepted].map((d) => runCli(args, d)));
    for (const r of runs) assert.equal(r.code, 0, r.err);
    assert.equal(runs[0].out, runs[1].out);
    assert.equal(runs[2].out, runs[1].out);
    const json = JSON.parse(runs[0].out) as { overall: { onlyB: number; both: number }; codes: { code: string }[] };
    // the AI carries "Da skjer det ingenting" (22 characters), and only with "Kjedsomhet i helgene", not the rejected code
    assert.equal(json.overall.onlyB + json.overall.both, 22);
    assert.ok(json.codes.some((c) => c.code === 'Kjedsomhet i helgene'));
  });

  it('without --coders compares the two people, even when the AI has more codings; the AI only when one person coded', async () => {
    // Six pending suggestions, each its own span and code: more than either person's codings (Kari 4, Ingrid 3).
    const words = ['Det verste er helgene.', 'Da skjer det ingenting', 'Andre ser bare et nummer.'];
    const many = (text: string) => words.flatMap((w, i) => [suggestion(20 + 2 * i, text, w, KJEDSOMHET, { code: 'x' }), suggestion(21 + 2 * i, text, w, TID, { code: 'x' })]);
    const withAi = projectWith(many);
    dirs.push(withAi);
    const r = await runCli(['agreement', '--json'], withAi);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as { coders: string[] }).coders, ['Kari Nordmann', 'Ingrid Bø']);
    // With Ingrid's codings gone, Kari and the AI are the only coders: they are compared.
    for (const f of readdirSync(path.join(withAi, 'interviews')).filter((n) => n.endsWith('.codes.json'))) {
      const file = path.join(withAi, 'interviews', f);
      const s = parseSidecar(readFileSync(file, 'utf8'), f);
      writeFileSync(file, serializeSidecar({ ...s, codings: s.codings.filter((c) => c.coder !== 'Ingrid Bø') }));
    }
    const alone = await runCli(['agreement', '--json'], withAi);
    assert.equal(alone.code, 0, alone.err);
    assert.deepEqual((JSON.parse(alone.out) as { coders: string[] }).coders, ['AI: llama3.1:8b', 'Kari Nordmann']);
  });
});
