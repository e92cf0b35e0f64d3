// The page's texts, translated by the extension host (src/vscode/webviewStrings.ts) and put in the body's
// data-strings attribute by src/vscode/webviewHtml.ts. Every text a page shows comes from `t`.
import type { WebviewStrings } from '../src/shared/webviewProtocol';

export const t: WebviewStrings = JSON.parse(document.body.dataset.strings ?? '{}');

/** A text with its `{0}`, `{1}`… filled in. */
export function format(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}

/** A count in words: the singular text for 1, the plural for any other number (as in English and Bokmål). */
export function count(n: number, one: string, many: string): string {
  return format(n === 1 ? one : many, n);
}
