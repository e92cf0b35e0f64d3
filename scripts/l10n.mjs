// npm run l10n: writes l10n/bundle.l10n.json (every vscode.l10n.t message in src/vscode, English) and folds
// translations in l10n/nb/*.json (English → Bokmål fragments) into l10n/bundle.l10n.nb.json, then lists what
// is still missing. test/unit/l10n.test.ts fails on the same gaps.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, scan, englishBundle } = require('./l10nKeys.cjs');
const json = (obj) => JSON.stringify(obj, null, 2) + '\n';
const sorted = (obj) => Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const { keys, problems } = scan();
const en = englishBundle(keys);
writeFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), json(en));

const nbFile = path.join(ROOT, 'l10n/bundle.l10n.nb.json');
const nb = existsSync(nbFile) ? JSON.parse(readFileSync(nbFile, 'utf8')) : {};
const fragments = path.join(ROOT, 'l10n/nb');
if (existsSync(fragments)) {
  for (const f of readdirSync(fragments).filter((n) => n.endsWith('.json')).sort()) {
    Object.assign(nb, JSON.parse(readFileSync(path.join(fragments, f), 'utf8')));
  }
  if (process.argv.includes('--fold')) rmSync(fragments, { recursive: true });
}
const kept = sorted(Object.fromEntries(Object.entries(nb).filter(([k]) => k in en)));
writeFileSync(nbFile, json(kept));

const missing = Object.keys(en).filter((k) => !(k in kept));
for (const p of problems) console.log(`not localised: ${p}`);
for (const k of missing) console.log(`no Bokmål: ${JSON.stringify(k)}`);
console.log(`l10n: ${Object.keys(en).length} messages, ${Object.keys(kept).length} in Bokmål, ${missing.length} missing, ${problems.length} strings outside l10n`);
