// Packages the extension (npm run package) and checks the .vsix the way a user would meet it:
// it holds only what it needs, and VS Code 1.100 (code-server's CLI) installs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './prereqs.mjs';

const fail = (msg) => {
  console.error(`check-vsix: ${msg}`);
  process.exit(1);
};
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });

const pack = run('npm', ['run', '--silent', 'package']);
if (pack.status !== 0) fail(`npm run package failed:\n${pack.stdout}${pack.stderr}`);
const vsix = path.join(root, 'grounded.vsix');

const listing = run('unzip', ['-Z1', vsix]);
if (listing.status !== 0) fail(`cannot read ${vsix}: ${listing.stderr}`);
const files = listing.stdout.split('\n').filter(Boolean);
const allowed = [/^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/, /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/i, /^extension\/package\.nls(\.nb)?\.json$/, /^extension\/l10n\/(bundle\.l10n(\.nb)?|vscode\.nb\.i18n)\.json$/,
  /^extension\/dist\/(extension|cli|cli-more|yaml|mammoth|webview|matrices)\.js$/, /^extension\/dist\/(webview|matrices)\.css$/, /^extension\/dist\/codicons\/codicon\.(css|ttf)$/, /^extension\/media\//, /^extension\/schemas\/[\w.-]+\.json$/];
const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
if (stray.length) fail(`unexpected files in the .vsix: ${stray.join(', ')}`);
for (const need of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/cli-more.js', 'extension/dist/yaml.js', 'extension/dist/mammoth.js', 'extension/dist/webview.js', 'extension/dist/webview.css', 'extension/dist/matrices.js', 'extension/dist/matrices.css', 'extension/dist/codicons/codicon.css', 'extension/dist/codicons/codicon.ttf', 'extension/readme.md', 'extension/package.nls.json', 'extension/package.nls.nb.json', 'extension/l10n/bundle.l10n.json', 'extension/l10n/bundle.l10n.nb.json', 'extension/schemas/sidecar.schema.json', 'extension/schemas/project.schema.json', 'extension/schemas/pseudonyms.schema.json']) {
  if (!files.some((f) => f.toLowerCase() === need.toLowerCase())) fail(`${need} is missing from the .vsix`);
}
console.log(`check-vsix: ${files.length} files, only dist/, media/, schemas/, package.json with its nls files, the l10n bundles, README, LICENSE, CHANGELOG`);

const codeServer = path.join(root, 'tools/code-server/node_modules/code-server/out/node/entry.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-vsix-'));
try {
  const dirs = ['--extensions-dir', path.join(dir, 'ext'), '--user-data-dir', path.join(dir, 'ud')];
  const install = run(process.execPath, [codeServer, ...dirs, '--install-extension', vsix]);
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) fail(`VS Code did not install it:\n${install.stdout}${install.stderr}`);
  const list = run(process.execPath, [codeServer, ...dirs, '--list-extensions', '--show-versions']);
  const version = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json").version)']).stdout);
  if (!list.stdout.includes(`grounded-qda.grounded@${version}`)) fail(`not listed after install:\n${list.stdout}`);
  console.log(`check-vsix: installed into VS Code 1.100.3 as grounded-qda.grounded@${version}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
