// The property tests (test/property/properties.ts) in the unit suite: 500 runs each with a
// fixed seed, so a failure is reproducible. FC_SEED and FC_RUNS override both; `npm run property` runs
// 10,000 each (bench/property.ts).
import { PROPERTIES, runProperty } from '../property/properties';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261205;
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 500;

describe('property tests (fast-check)', function () {
  this.timeout(120000);
  for (const p of PROPERTIES) {
    it(p.name, async () => {
      const r = await runProperty(p, RUNS, SEED);
      if (r.failed) throw new Error(r.report);
    });
  }
});
