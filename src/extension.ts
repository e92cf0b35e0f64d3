// Entry point of the bundled extension (dist/extension.js). The composition root is src/vscode/main.ts.
export { activate, deactivate } from './vscode/main';
