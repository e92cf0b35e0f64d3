// Shared by the REFI-QDA tests: a small coded project in memory, zipping fixture folders, reading archives.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Coding, Memo, ProjectFile } from '../../src/core/model';
import type { ExportInput } from '../../src/core/refi/export';
import { addCode } from '../../src/core/project';
import { makeAnchor } from '../../src/core/text';
import { testEnv } from './fixtures';

export const REPO = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO, 'test/fixtures/refi');
/** The REFI-QDA Project schema: beside the project (../shared/refi/Project.xsd), or where REFI_QDA_XSD says. */
export const SCHEMA = process.env.REFI_QDA_XSD ? path.resolve(process.env.REFI_QDA_XSD) : path.resolve(REPO, '../shared/refi/Project.xsd');

/**
 * Runs xmllint against the REFI-QDA schema. Where it cannot run (no xmllint, no schema) the test is
 * skipped with the reason shown, except on CI (CI=true): there a missing schema or xmllint fails the
 * test, so schema validity is never silently left unchecked.
 */
export function validate(ctx: Pick<Mocha.Context, 'skip'>, xml: string, schema = SCHEMA): void {
  const missing = spawnSync('xmllint', ['--version']).error
    ? 'xmllint is not installed (Debian: apt-get install libxml2-utils)'
    : !existsSync(schema)
      ? `the REFI-QDA schema is not at ${schema} (set REFI_QDA_XSD to its path)`
      : undefined;
  if (missing) {
    if (process.env.CI === 'true') assert.fail(`CI=true: the schema validation cannot be skipped, but ${missing}`);
    console.log(`      skipped: ${missing}`);
    ctx.skip();
  }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-')), 'project.qde');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `project.qde does not validate:\n${r.stderr}`);
}

/** Two lines with an emoji (two UTF-16 units, one code point) before the second coding. */
export const TEXT = 'I: Hva savner du?\nP: Havet 🌊 og lukten av tang.\nP: Og å gå dit jeg vil.\n';

/**
 * A project with a category "Savn" holding "Havet" (coded) and "Frihet" (coded), a category
 * "Tomt" with one code and no codings of its own, a case with attributes, and a memo on each kind
 * of target.
 */
export function smallProject(): { input: ExportInput; ids: Record<string, string> } {
  const env = testEnv();
  let p: ProjectFile = { version: 1, project: { id: env.newId(), name: 'Savn & <lengsel>', created: '2026-11-01T09:00:00.000Z' }, settings: {}, codes: [], cases: [] };
  const add = (name: string, parent?: string, description?: string, color?: string) => {
    const r = addCode(p, { name, parent, description, color }, 'Kari', env);
    p = r.project;
    return r.code.id;
  };
  const savn = add('Savn', undefined, 'Det de savner "ute".', '#E06C75');
  const havet = add('Havet', savn);
  const frihet = add('Frihet', savn);
  const tomt = add('Tomt');
  const under = add('Under tomt', tomt);
  p.cases = [{ id: env.newId(), pseudonym: 'Per', documents: ['intervjuer/per.txt'], attributes: { alder: '30-39', soning: 'lang' } }];
  const coding = (codeId: string, quote: string, coder: string, note?: string): Coding => {
    const start = TEXT.indexOf(quote);
    const c: Coding = { id: env.newId(), codeId, anchor: makeAnchor(TEXT, start, start + quote.length), coder, created: '2026-11-02T10:00:00.000Z' };
    if (note) c.note = note;
    return c;
  };
  const c1 = coding(havet, 'Havet 🌊 og lukten av tang.', 'Kari', 'Sansene.\nLukt.');
  const c2 = coding(frihet, 'Og å gå dit jeg vil.', 'Jonas');
  const c3 = coding(savn, 'Havet', 'Kari');
  const memo = (target: Memo['target'], body: string): Memo => ({ id: env.newId(), target, author: 'Kari', created: '2026-11-03T10:00:00.000Z', modified: '2026-11-04T10:00:00.000Z', body });
  const memos = [
    memo({ kind: 'project' }, '# Prosjektnotat\n\nFørste linje.'),
    memo({ kind: 'code', id: havet }, 'Havet er frihet.'),
    memo({ kind: 'document', path: 'intervjuer/per.txt' }, '# Om Per\n\n<b>ikke html</b> & mer'),
    memo({ kind: 'coding', id: c2.id }, 'Bevegelse.'),
  ];
  return {
    input: { project: p, documents: [{ path: 'intervjuer/per.txt', lfText: TEXT, codings: [c1, c2, c3] }, { path: 'tom.txt', lfText: 'Ingen koder her.\n', codings: [] }], memos },
    ids: { savn, havet, frihet, tomt, under, c1: c1.id, c2: c2.id, c3: c3.id, projectMemo: memos[0].id, codeMemo: memos[1].id, docMemo: memos[2].id, codingMemo: memos[3].id },
  };
}

/** The files of a fixture folder (binary), with an optional change to each text. */
export function fixtureFiles(name: string, change: (path: string, text: string) => string = (_p, t) => t): Record<string, Uint8Array> {
  const dir = path.join(FIXTURES, name);
  const out: Record<string, Uint8Array> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = strToU8(change(r, readFileSync(path.join(dir, r), 'utf8')));
    }
  };
  walk('');
  return out;
}

export const zip = (files: Record<string, Uint8Array | string>): Uint8Array =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])));

export function unzipText(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new TextDecoder().decode(v)]));
}

/** The code points from..to of a text, as REFI-QDA counts them. */
export const byCodePoints = (text: string, from: number, to: number): string => [...text].slice(from, to).join('');

/** Attribute values of the elements named `el` in XML text, in order. */
export function attrsOf(xml: string, el: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of xml.matchAll(new RegExp(`<${el}\\b([^>]*?)/?>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    out.push(attrs);
  }
  return out;
}
