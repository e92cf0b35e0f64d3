// The localisation keys of the extension, read from its sources with the TypeScript parser:
// every vscode.l10n.t('…') message in src/vscode (the English text is the key, as VS Code's l10n wants),
// and the string literals that reach the user without going through it. Used by `npm run l10n`
// (scripts/l10n.mjs, which writes l10n/bundle.l10n.json) and by test/unit/l10n.test.ts.
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir = path.join(ROOT, 'src', 'vscode')) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(full));
    else if (e.name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

const isL10nCall = (node) => ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText());
const isLiteral = (node) => ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
// Calls and properties whose string arguments the user reads.
const USER_CALLS = /(^|\.)(show(Information|Warning|Error)Message|setStatusBarMessage|showInputBox|showQuickPick|createQuickPick|createInputBox|notify|showWarning|showInfo)$/;
const USER_PROPS = new Set(['title', 'placeHolder', 'placeholder', 'prompt', 'tooltip', 'label', 'description', 'detail', 'message', 'validationMessage', 'buttonLabel', 'openLabel', 'saveLabel']);
// A literal that reads as words (not an id, a glob, a codicon or a file name).
const wordy = (s) => /[A-Za-zÆØÅæøå]{2,}[^\n]*\s[^\n]*[A-Za-zÆØÅæøå]{2,}/.test(s.replace(/\$\([a-z-]+\)/g, '')) || /^[A-Z][a-z]+[.!?…]?$/.test(s);

/** { keys: Map<english, file:line[]>, problems: string[] } for the given files (default: all of src/vscode). */
function scan(files = sourceFiles()) {
  const keys = new Map();
  const problems = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const where = (node) => `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const insideL10n = (node) => {
      for (let p = node.parent; p; p = p.parent) if (isL10nCall(p)) return true;
      return false;
    };
    const flag = (node, why) => {
      if (insideL10n(node)) return;
      // look through conditionals, parentheses, `??`, `||` and `+` to the literals a user may read
      if (ts.isConditionalExpression(node)) return flag(node.whenTrue, why), flag(node.whenFalse, why);
      if (ts.isParenthesizedExpression(node)) return flag(node.expression, why);
      if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.PlusToken].includes(node.operatorToken.kind)) {
        return flag(node.left, why), flag(node.right, why);
      }
      const literal = isLiteral(node) ? node.text : ts.isTemplateExpression(node) ? node.head.text + node.templateSpans.map((t) => ` x ${t.literal.text}`).join('') : undefined;
      if (literal !== undefined && wordy(literal)) problems.push(`${where(node)}: ${why} not localised: ${JSON.stringify(literal.slice(0, 60))}`);
    };
    const visit = (node) => {
      if (isL10nCall(node)) {
        const [first] = node.arguments;
        if (!first || !isLiteral(first)) problems.push(`${where(node)}: l10n.t needs a string literal as its first argument`);
        else keys.set(first.text, [...(keys.get(first.text) ?? []), where(node)]);
      } else if (ts.isCallExpression(node) && USER_CALLS.test(node.expression.getText())) {
        for (const a of node.arguments) flag(a, 'a message');
      } else if (ts.isNewExpression(node) && /^(Error|ActionableError|vscode\.TreeItem|TreeItem)$/.test(node.expression.getText())) {
        for (const a of node.arguments ?? []) flag(a, node.expression.getText() === 'Error' ? 'an error shown to the user' : 'a tree item label');
      } else if (ts.isPropertyAssignment(node) && USER_PROPS.has(node.name.getText())) {
        flag(node.initializer, `the ${node.name.getText()}`);
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) && USER_PROPS.has(node.left.name.text)) {
        flag(node.right, `the ${node.left.name.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { keys, problems };
}

/** The English bundle: every key, sorted (the file VS Code's l10n tooling calls bundle.l10n.json). */
function englishBundle(keys) {
  const out = {};
  for (const k of [...keys.keys()].sort()) out[k] = k;
  return out;
}

/** The %key% placeholders package.json uses. */
function manifestKeys() {
  const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  return [...new Set([...text.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]))].sort();
}

module.exports = { ROOT, sourceFiles, scan, englishBundle, manifestKeys };
