// `grounded map`: the theory maps of a project, listed, or one drawn as SVG (core/mapSvg.ts, the same
// drawing as the report's and the map view's), with the pseudonym table applied as every export does.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { analysisOf } from '../core/report';
import { mapsByName, relationsOnMap } from '../core/maps';
import { mapGeometry, renderMapSvg } from '../core/mapSvg';
import { nameKey } from '../core/project';
import { PSEUDONYM_FILE, applyPseudonyms, findRealNames } from '../core/pseudonyms';
import { describeRealNames } from '../core/exports';
import { readExportInput } from './report';
import type { Io } from './report';

export const MAP_USAGE = `Usage: grounded map [dir] --list
       grounded map [dir] --name NAME [--svg FILE] [--language TAG]

The theory maps of the Grounded project in dir (default: the current folder).

  --list           every map by name, with its codes and the relations it draws
  --name NAME      the map named NAME (ignoring case) as a standalone SVG: a box per code with its
                   colour and segments (a category: with its subcodes, in bold), an arrow per
                   relation between two of its codes labelled with the type (and the label), the
                   same drawing as the report's; to standard output unless --svg names a file
  --svg FILE       write the SVG to FILE
  --language TAG   the language of the fixed words (en or nb); default: settings.reportLanguage

The pseudonym table (pseudonyms.json) is applied to the SVG: where a real name (or a word of one)
still appears, each place is listed on standard error and the exit status is 1. Nothing in the
project is changed.

Exit status: 0 done, 1 written but a real name still appears, 2 usage error, no such map, or a
project that cannot be read.
`;

export async function mapCommand(args: readonly string[], io: Io): Promise<number> {
  let list = false;
  let name: string | undefined;
  let svg: string | undefined;
  let language: string | undefined;
  const dirs: string[] = [];
  const usage = (message: string) => {
    io.err(`grounded map: ${message}\nRun "grounded map --help" for usage.\n`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (a === '-h' || a === '--help') {
      io.out(MAP_USAGE);
      return 0;
    } else if (a === '--list') list = true;
    else if (flag === '--name' || flag === '--svg' || flag === '--language') {
      const v = eq > 0 && flag !== a ? a.slice(eq + 1) : args[++i];
      if (v === undefined || (flag === a && v.startsWith('--'))) return usage(`${flag} needs a value`);
      if (flag === '--name') name = v;
      else if (flag === '--svg') svg = v;
      else language = v;
    } else if (a.startsWith('-')) return usage(`unknown option ${a}`);
    else dirs.push(a);
  }
  if (list && name !== undefined) return usage('--list and --name exclude each other');
  if (!list && name === undefined) return usage('give --list, or --name NAME for one map as SVG');
  if (list && svg !== undefined) return usage('--svg needs --name NAME');
  if (dirs.length > 1) return usage(`one folder at most, got ${dirs.length}: ${dirs.join(' ')}`);
  const root = nodePath.resolve(io.cwd, dirs[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) return usage(`no such folder: ${dirs[0] ?? '.'}`);
  let read: Awaited<ReturnType<typeof readExportInput>>;
  try {
    read = await readExportInput(root);
  } catch (err) {
    io.err(`grounded map: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const { project } = read.input;
  const maps = mapsByName(project);
  if (list) {
    if (!maps.length) {
      io.out('The project has no theory maps yet: draw one in VS Code (a theory map of codes and their relations), then list or export it here.\n');
      return 0;
    }
    const codes = new Set(project.codes.map((c) => c.id));
    for (const m of maps) {
      const n = m.nodes.filter((x) => codes.has(x.code)).length;
      const r = relationsOnMap(project, m).length;
      io.out(`${applyPseudonyms(m.name, read.pseudonyms)}  (${n} code${n === 1 ? '' : 's'}, ${r} relation${r === 1 ? '' : 's'})\n`);
    }
    return 0;
  }
  const map = maps.find((m) => nameKey(m.name) === nameKey(name!));
  if (!map) {
    const names = maps.map((m) => `"${applyPseudonyms(m.name, read.pseudonyms)}"`).join(', ');
    io.err(`grounded map: no theory map named "${name}"; ${maps.length ? `the maps are: ${names}` : 'the project has no theory maps'}\n`);
    return 2;
  }
  const analysis = analysisOf(read.input);
  const options = language === undefined ? {} : { language };
  if (!mapGeometry(project, analysis.counts, map.id, options).nodes.length) io.err(`grounded map: note: the map "${map.name}" has no codes on it; the SVG is empty\n`);
  const file = svg === undefined ? 'map.svg' : nodePath.basename(svg);
  const text = applyPseudonyms(renderMapSvg(project, analysis, map.id, options), read.pseudonyms);
  if (svg === undefined) io.out(text);
  else {
    writeFileSync(nodePath.resolve(io.cwd, svg), text);
    io.err(`grounded map: wrote ${svg}\n`);
  }
  const hits = findRealNames(text, read.pseudonyms, file);
  if (hits.length) {
    io.err(`grounded map: ${hits.length} place${hits.length === 1 ? '' : 's'} where a real name from ${PSEUDONYM_FILE} still appears:\n`);
    for (const line of describeRealNames(hits, 200)) io.err(`  ${line}\n`);
    return 1;
  }
  return 0;
}
