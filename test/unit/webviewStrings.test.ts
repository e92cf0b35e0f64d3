// The webview pages (the Categories & Memos board, the Matrices panel) show only texts the host
// translated: the host gives a text for every name of WebviewStrings, each Bokmål text keeps the
// placeholders of its English one (l10n.test.ts checks every other message), and the webview app's
// source holds no English of its own where a person reads or hears it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';
import { WEBVIEW_STRING_KEYS } from '../../src/shared/webviewProtocol';
import type { WebviewStrings } from '../../src/shared/webviewProtocol';

const ROOT = path.resolve(__dirname, '../../..');
const NB: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.nb.json'), 'utf8'));

/** vscode.l10n.t as VS Code does it: the bundle's text for the English key (or the key), then {0}… filled in. */
let bundle: Record<string, string> = {};
const fakeVscode = {
  l10n: {
    t: (message: string, ...args: unknown[]) => (bundle[message] ?? message).replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole)),
  },
};

/** src/vscode/webviewStrings.ts loaded with the fake `vscode` above (plain Node has no vscode module). */
function loadWebviewStrings(): () => WebviewStrings {
  const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : original.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode } as NodeJS.Module;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the fake vscode is in place
    return (require('../../src/vscode/webviewStrings') as { webviewStrings: () => WebviewStrings }).webviewStrings;
  } finally {
    loader._resolveFilename = original;
    delete require.cache.vscode;
  }
}

const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

describe('webview strings', () => {
  const webviewStrings = loadWebviewStrings();

  it('the host gives a non-empty text for every name the webview pages use, and no other', () => {
    bundle = {};
    const strings = webviewStrings();
    assert.deepEqual(Object.keys(strings).sort(), [...WEBVIEW_STRING_KEYS].sort());
    for (const key of WEBVIEW_STRING_KEYS) assert.ok(typeof strings[key] === 'string' && strings[key].trim(), `a text for ${key}`);
    // {0} is left for the page to fill in
    assert.equal(strings.checkedCount, '{0} of {1} checked');
  });

  it('in Bokmål every text of the pages is translated and keeps its placeholders', () => {
    bundle = {};
    const english = webviewStrings();
    bundle = NB;
    const norwegian = webviewStrings();
    assert.equal(norwegian.tabCategories, 'Kategorier');
    assert.equal(norwegian.quoted, '«{0}»');
    for (const key of WEBVIEW_STRING_KEYS) {
      assert.ok(norwegian[key].trim(), `a Bokmål text for ${key}`);
      assert.deepEqual(placeholders(norwegian[key]), placeholders(english[key]), `the placeholders of ${key}`);
    }
  });

  it('the webview app holds no English of its own in what it shows or says', () => {
    const UI_PROPS = new Set(['text', 'title', 'placeholder', 'aria-label', 'label', 'alt']);
    const UI_FIELDS = new Set(['textContent', 'innerText', 'label', 'title', 'placeholder']);
    // Key names in key hints and key handlers are not translated.
    const KEY_NAMES = /^(Enter|Escape|Delete|Home|End|Tab|PageUp|PageDown|Arrow(Up|Down|Left|Right)|F\d+|(Ctrl|Alt|Shift)\+.*)$/;
    const files = (dir: string): string[] =>
      fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [`${dir}/${e.name}`] : []));
    const found: string[] = [];
    for (const file of files('webview')) {
      const source = parse(file);
      walk(source, (n) => {
        if (!ts.isStringLiteralLike(n) && !ts.isTemplateExpression(n)) return;
        const text = ts.isTemplateExpression(n) ? [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ') : n.text;
        if (!/[A-Za-z]{2}/.test(text) || KEY_NAMES.test(text)) return;
        let up: ts.Node = n;
        while (ts.isConditionalExpression(up.parent) || ts.isParenthesizedExpression(up.parent) || (ts.isBinaryExpression(up.parent) && up.parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken && up.parent.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && up.parent.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken)) up = up.parent;
        const p = up.parent;
        if (ts.isImportDeclaration(p) || ts.isLiteralTypeNode(p) || ts.isCaseClause(p) || (ts.isPropertyAssignment(p) && p.name === up)) return;
        if (ts.isBinaryExpression(p) && p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return; // comparisons: m.type === 'data'
        const shown =
          (ts.isPropertyAssignment(p) && UI_PROPS.has(p.name.getText(source).replace(/^['"]|['"]$/g, ''))) ||
          (ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left) && UI_FIELDS.has(p.left.name.text)) ||
          (ts.isCallExpression(p) && /setAttribute$/.test(p.expression.getText(source)) && p.arguments[1] === up && UI_PROPS.has((p.arguments[0] as ts.StringLiteral).text));
        // Anywhere else, a capitalised word is taken for a text a person reads (a button's label, a heading).
        if (shown || /(^|\s)[A-Z][a-z]+\b/.test(text)) {
          found.push(`${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText(source)}`);
        }
      });
    }
    assert.deepEqual(found, [], 'texts to take from t (webview/strings.ts) instead');
  });
});
