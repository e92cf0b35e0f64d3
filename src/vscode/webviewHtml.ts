// The HTML page of a Grounded webview: a content security policy with a fresh nonce that lets in only
// our own bundle (no inline script or style, no eval, nothing remote), its style sheet and the codicons.
// The web components style themselves through constructed style sheets and the CSSOM, which the
// policy allows. The page's texts, translated here (a webview cannot call vscode.l10n), ride along as
// JSON in the body's data-strings attribute: data, not script, so the policy needs no exception.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../core/html';
import { webviewStrings } from './webviewStrings';

export interface WebviewPage {
  /** the bundle's base name in dist/: `webview` gives dist/webview.js and dist/webview.css */
  bundle: string;
  title: string;
  /** the accessible name of the app's main element */
  label: string;
  /** where it is shown, for the app's layout (`data-host` on the body) */
  host: 'view' | 'panel';
  /** more `data-*` attributes of the body (the theory map's `mapId`: `{ 'map-id': id }`) */
  data?: Record<string, string>;
}

/** A nonce for a content security policy: 24 letters and digits. */
function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = makeNonce();
  const dist = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', ...file.split('/')));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${dist('codicons/codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${dist(`${page.bundle}.css`)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body data-host="${page.host}"${Object.entries(page.data ?? {})
    .map(([k, v]) => ` data-${k.replace(/[^a-z-]/g, '')}="${escapeHtml(v)}"`)
    .join('')} data-strings="${escapeHtml(JSON.stringify(webviewStrings()))}">
<main id="app" aria-label="${escapeHtml(page.label)}"><p>${escapeHtml(vscode.l10n.t('Loading…'))}</p></main>
<script nonce="${nonce}" src="${dist(`${page.bundle}.js`)}"></script>
</body>
</html>`;
}
