// `npm run property`: the property tests of test/property/properties.ts with 10,000 runs each (the unit
// suite runs a few hundred). Prints pass or fail, the seed and the time of each, and writes the
// "Property tests" section of bench/RESULTS.md. `--runs N` and `--seed S` (or FC_RUNS, FC_SEED) override;
// `--only TEXT` runs the properties whose name contains TEXT and leaves RESULTS.md alone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROPERTIES, runProperty } from '../test/property/properties';
import type { RunOutcome } from '../test/property/properties';

const RESULTS = path.resolve(__dirname, '..', '..', 'bench', 'RESULTS.md');
export const PROPERTY_START = '<!-- property: written by bench/property.ts (`npm run property`) -->';
export const PROPERTY_END = '<!-- /property -->';

/** What the properties found in core when they were written (issue 14), all fixed. */
const FOUND = [
  'Re-anchoring found a quote whose words were deleted on the same word right before it ("window window 🌊" with "window 🌊" deleted): a fuzzy match may no longer take the old prefix or suffix that is still there word for word (anchor.ts).',
  'Re-anchoring kept a context left one unit short by an emoji after text typed there made it whole (anchor.ts).',
  'Re-anchoring cut the last word off an intact quote when an approximate match of its edited suffix began at a repeat of that word, and took in text inserted right before and after an intact quote; a quote found word for word between its old prefix and suffix now keeps its own ends (anchor.ts).',
  'Re-anchoring moved a one-word coding onto the other word that replaced it at its place (its context intact): a short quote between its old prefix and suffix now needs its first and last words or a close match (anchor.ts).',
  'The merge driver wrote a different sidecar hash depending on which side was ours when both sides had the same codings, and let our project name or setting win silently over theirs (merge.ts, mergeDriver.ts).',
  'Undo brought a removed coding (or the codings of a deleted or merged code) back at its old offsets after typing or an outside change had moved its words, on other words; and undoing a note put back old words after a letter was typed inside them (session.ts, history.ts).',
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function section(outcomes: RunOutcome[], seed: number): string[] {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    PROPERTY_START,
    '## Property tests',
    '',
    `\`npm run property\` (bench/property.ts): the properties of test/property/properties.ts, seed ${seed}, on ${cpu} (Node ${process.version}).`,
    'The unit suite runs the same properties with fewer runs (test/unit/property.test.ts). A failure prints',
    'the shrunk counterexample and the seed and path to replay it.',
    '',
    '| property | runs | result | time |',
    '| --- | ---: | --- | ---: |',
    ...outcomes.map((o) => `| ${o.name} | ${o.numRuns.toLocaleString('en')} | ${o.failed ? '**failed**' : 'passed'} | ${seconds(o.ms)} |`),
    '',
    `Total ${seconds(outcomes.reduce((n, o) => n + o.ms, 0))}. Found by these properties when they were written, and fixed (each with a`,
    'regression unit test holding the shrunk counterexample):',
    '',
    ...FOUND.map((f) => `- ${f}`),
    PROPERTY_END,
  ];
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? process.env.FC_RUNS ?? 10000);
  const seed = Number(arg('seed') ?? process.env.FC_SEED ?? 20261205);
  const only = arg('only');
  const chosen = PROPERTIES.filter((p) => !only || p.name.includes(only));
  const outcomes: RunOutcome[] = [];
  for (const p of chosen) {
    const o = await runProperty(p, runs, seed);
    outcomes.push(o);
    console.log(`${o.failed ? 'FAIL' : 'pass'}  ${p.name}: ${o.numRuns} runs, seed ${seed}, ${seconds(o.ms)}`);
    if (o.report) console.log(o.report);
  }
  const failed = outcomes.filter((o) => o.failed).length;
  console.log(`${outcomes.length - failed} of ${outcomes.length} properties passed.`);
  if (!only) {
    const old = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '';
    const text = section(outcomes, seed).join('\n');
    const from = old.indexOf(PROPERTY_START);
    const to = old.indexOf(PROPERTY_END);
    const md = from >= 0 && to > from ? old.slice(0, from) + text + old.slice(to + PROPERTY_END.length) : `${old.replace(/\n*$/, '')}\n\n${text}\n`;
    fs.writeFileSync(RESULTS, md);
    console.log(`Updated the property section of ${path.relative(process.cwd(), RESULTS)}.`);
  }
  if (failed) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
