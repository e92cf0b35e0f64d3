// Flat config. The one rule that shapes the architecture: src/core and webview/ never import
// `vscode` or Node's `fs`, so the domain stays testable in plain Node and the webview stays a web page.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbidden = {
  paths: [
    { name: 'vscode', message: 'src/core and webview/ must not import vscode: go through a port.' },
    { name: 'fs', message: 'src/core and webview/ must not touch the file system: use FileSystemPort.' },
    { name: 'node:fs', message: 'src/core and webview/ must not touch the file system: use FileSystemPort.' },
    { name: 'fs/promises', message: 'src/core and webview/ must not touch the file system: use FileSystemPort.' },
    { name: 'node:fs/promises', message: 'src/core and webview/ must not touch the file system: use FileSystemPort.' },
    { name: 'child_process', message: 'src/core and webview/ must not run programs: src/node/ does (e.g. gitHistory.ts).' },
    { name: 'node:child_process', message: 'src/core and webview/ must not run programs: src/node/ does (e.g. gitHistory.ts).' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'tools/**', '.vscode-test/**', 'sample/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', forbidden] },
  },
  {
    // Node-only adapters shared by the extension and the command line: no `vscode`.
    files: ['src/node/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/node is shared with the command line: it must not import vscode.' }] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
