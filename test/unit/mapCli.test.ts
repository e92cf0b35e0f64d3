// `grounded map` (src/cli/map.ts) and the map files of `grounded report --all`, on a project on disk.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashText } from '../../src/core/hash';
import { renameCode } from '../../src/core/codebook';
import type { ProjectFile } from '../../src/core/model';
import { renderMapSvg } from '../../src/core/mapSvg';
import { serializeProject } from '../../src/core/project';
import { serializeSidecar, sidecarPathFor } from '../../src/core/sidecar';
import { runCli } from './fixtures';
import { MAP_TEXT, mapProject } from './mapFixture';

describe('grounded map (src/cli/map.ts)', () => {
  let dir: string;
  let fixture: ReturnType<typeof mapProject>;
  const write = (p: ProjectFile) => writeFileSync(path.join(dir, 'grounded.json'), serializeProject(p));

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-map-'));
    fixture = mapProject();
    mkdirSync(path.join(dir, 'interviews'));
    const doc = fixture.documents[0];
    writeFileSync(path.join(dir, doc.path), MAP_TEXT);
    writeFileSync(path.join(dir, sidecarPathFor(doc.path)), serializeSidecar({ version: 1, document: { path: doc.path, hash: hashText(MAP_TEXT) }, codings: doc.codings }));
    write(fixture.p);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the maps by name with their codes and relations', async () => {
    const r = await runCli(['map', dir, '--list'], os.tmpdir());
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Theory  (4 codes, 3 relations)\n');
    const none: ProjectFile = { ...fixture.p };
    delete none.maps;
    write(none);
    const empty = await runCli(['map', dir, '--list'], os.tmpdir());
    assert.equal(empty.code, 0);
    assert.match(empty.out, /no theory maps yet/);
  });

  it('writes a map as SVG, found by its name ignoring case: the bytes the report draws, counted from the transcripts on disk', async () => {
    const out = path.join(dir, 'theory.svg');
    const r = await runCli(['map', dir, '--name', 'THEORY', '--svg', out], os.tmpdir());
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /wrote .*theory\.svg/);
    const svg = readFileSync(out, 'utf8');
    assert.equal(svg, renderMapSvg(fixture.p, fixture.analysis, fixture.mapId));
    assert.ok(svg.includes('Keeping connected (category): 3 segments'), 'counts from the sidecar on disk');
    const stdout = await runCli(['map', '--name=Theory', '--language', 'nb', dir], os.tmpdir());
    assert.equal(stdout.code, 0, stdout.err);
    assert.equal(stdout.out, renderMapSvg(fixture.p, fixture.analysis, fixture.mapId, { language: 'nb' }));
  });

  it('applies the pseudonym table to the SVG', async () => {
    write(renameCode(fixture.p, fixture.ids.boredom, 'Kari is bored'));
    writeFileSync(path.join(dir, 'pseudonyms.json'), '{\n  "version": 1,\n  "names": [\n    {"real":"Kari","pseudonym":"Sara"}\n  ]\n}\n');
    const r = await runCli(['map', dir, '--name', 'Theory'], os.tmpdir());
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes('Sara is bored') && !r.out.includes('Kari'));
  });

  it('says which maps there are when the name is not one, and what to give without --list or --name', async () => {
    const r = await runCli(['map', dir, '--name', 'Nope'], os.tmpdir());
    assert.equal(r.code, 2);
    assert.equal(r.err, 'grounded map: no theory map named "Nope"; the maps are: "Theory"\n');
    const bare = await runCli(['map', dir], os.tmpdir());
    assert.equal(bare.code, 2);
    assert.match(bare.err, /give --list, or --name NAME/);
    const both = await runCli(['map', dir, '--list', '--name', 'Theory'], os.tmpdir());
    assert.equal(both.code, 2);
    assert.match(both.err, /exclude each other/);
    const missing = await runCli(['map', path.join(dir, 'nowhere'), '--list'], os.tmpdir());
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such folder/);
    const help = await runCli(['map', '--help'], os.tmpdir());
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: grounded map \[dir\] --list/);
    assert.match((await runCli(['--help'], os.tmpdir())).out, /map \[dir\] --list \| map \[dir\] --name NAME \[--svg FILE\]/);
  });

  it('grounded report --all writes map-<slug>.svg beside report.md', async () => {
    const out = path.join(dir, 'exports');
    const r = await runCli(['report', dir, '--all', '--out', out], os.tmpdir());
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /map-theory\.svg/);
    assert.ok(existsSync(path.join(out, 'map-theory.svg')));
    assert.equal(readFileSync(path.join(out, 'map-theory.svg'), 'utf8'), renderMapSvg(fixture.p, fixture.analysis, fixture.mapId));
    assert.ok(readFileSync(path.join(out, 'report.md'), 'utf8').includes('![Theory map: Theory](map-theory.svg)'));
  });
});
