// Bundles the extension (Node, CommonJS, `vscode` external) and the webview app (browser).
// lowdb is ESM-only: esbuild bundles it, so nothing ESM is required at run time.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// jsonc-parser's "main" is a UMD wrapper whose require() calls esbuild cannot follow (the bundle would fail
// at run time with "Cannot find module './impl/format'"): take its ES module build instead.
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' } };

// mammoth (the .docx reader) is most of the code and only needed to import a .docx: it gets a bundle of
// its own, dist/mammoth.js, loaded on first use, so activating the extension does not parse it.
const mammothApart = {
  name: 'mammoth-apart',
  setup(build) {
    build.onResolve({ filter: /^mammoth$/ }, () => ({ path: './mammoth.js', external: true }));
  },
};

// The CLI's commands that need the large libraries (src/cli/more.ts) get a bundle of their own,
// dist/cli-more.js, which dist/cli.js requires only when one of them runs: `check`, `stats`, `agreement`
// and `--version` do not read and compile it.
const cliMoreApart = {
  name: 'cli-more-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/more$/ }, (args) => (args.importer.endsWith('src/cli/main.ts') ? { path: './cli-more.js', external: true } : undefined));
  },
};

// yaml (the memos' front matter) is most of what `check` alone needs: the CLI bundles require it from
// dist/yaml.js when a memo is first read, so that `stats`, `agreement`, `merge-driver` and `--version`
// do not read and compile it (and the two CLI bundles share one copy).
const yamlApart = {
  name: 'yaml-apart',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.js', external: true }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [mammothApart],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [mammothApart, cliMoreApart, yamlApart],
  },
  {
    ...common,
    entryPoints: ['src/cli/more.ts'],
    outfile: 'dist/cli-more.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [mammothApart, yamlApart],
  },
  {
    ...common,
    entryPoints: ['yaml'],
    outfile: 'dist/yaml.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['mammoth'],
    outfile: 'dist/mammoth.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js', // and dist/webview.css from the CSS it imports
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['webview/matrices/main.ts'],
    outfile: 'dist/matrices.js', // and dist/matrices.css
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['webview/map/main.ts'],
    outfile: 'dist/map.js', // and dist/map.css
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// The webview loads codicons from dist/ (localResourceRoots); the .vsix ships dist/, not node_modules.
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
