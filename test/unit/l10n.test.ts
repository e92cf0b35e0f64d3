// Every UI string is localisable, and the Norwegian Bokmål translation is complete: the messages of
// src/vscode (vscode.l10n.t) and the manifest's titles and descriptions (package.nls.json).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const l10n = require('../../../scripts/l10nKeys.cjs') as {
  ROOT: string;
  scan(): { keys: Map<string, string[]>; problems: string[] };
  englishBundle(keys: Map<string, string[]>): Record<string, string>;
  manifestKeys(): string[];
};
const read = (rel: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(l10n.ROOT, rel), 'utf8'));
const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');

function assertTranslated(en: Record<string, string>, nb: Record<string, string>, what: string): void {
  const missing = Object.keys(en).filter((k) => !nb[k]?.trim());
  assert.deepStrictEqual(missing, [], `${what}: no Bokmål for ${missing.length} key(s)`);
  const stale = Object.keys(nb).filter((k) => !(k in en));
  assert.deepStrictEqual(stale, [], `${what}: Bokmål keys that are not in English`);
  const wrong = Object.keys(en).filter((k) => placeholders(en[k]) !== placeholders(nb[k]));
  assert.deepStrictEqual(wrong, [], `${what}: Bokmål with other placeholders than English`);
}

describe('localisation (en + nb)', () => {
  const { keys, problems } = l10n.scan();

  it('every user-visible string in src/vscode goes through vscode.l10n.t', () => {
    assert.deepStrictEqual(problems, []);
  });

  it('l10n/bundle.l10n.json holds exactly the messages of the sources (npm run l10n writes it)', () => {
    assert.ok(keys.size > 100, `only ${keys.size} messages found`);
    assert.deepStrictEqual(read('l10n/bundle.l10n.json'), l10n.englishBundle(keys));
  });

  it('every message has a Bokmål translation with the same placeholders', () => {
    assertTranslated(l10n.englishBundle(keys), read('l10n/bundle.l10n.nb.json'), 'l10n/bundle.l10n.nb.json');
  });

  it("the manifest's strings are all in package.nls.json and translated in package.nls.nb.json", () => {
    const used = l10n.manifestKeys();
    const en = read('package.nls.json');
    assert.ok(used.length > 100, `only ${used.length} %keys% in package.json`);
    assert.deepStrictEqual(used.filter((k) => !(k in en)), [], 'package.json uses keys package.nls.json lacks');
    assert.deepStrictEqual(Object.keys(en).filter((k) => !used.includes(k)), [], 'package.nls.json keys that package.json does not use');
    assertTranslated(en, read('package.nls.nb.json'), 'package.nls.nb.json');
  });

  it('the manifest has no user-facing English left outside package.nls.json', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(l10n.ROOT, 'package.json'), 'utf8'));
    const c = manifest.contributes;
    const raw: string[] = [];
    const check = (where: string, s: unknown) => { if (typeof s === 'string' && !/^%[^%]+%$/.test(s)) raw.push(`${where}: ${s}`); };
    for (const cmd of c.commands) check(cmd.command, cmd.title);
    for (const v of c.views.grounded) check(v.id, v.name);
    for (const w of c.viewsWelcome) check(w.view, w.contents);
    for (const [k, p] of Object.entries<{ markdownDescription?: string; description?: string }>(c.configuration.properties)) check(k, p.markdownDescription ?? p.description);
    for (const w of c.walkthroughs ?? []) {
      check(w.id, w.title); check(w.id, w.description);
      for (const s of w.steps) { check(s.id, s.title); check(s.id, s.description); }
    }
    check('displayName', manifest.displayName); check('description', manifest.description);
    assert.deepStrictEqual(raw, []);
  });
});
