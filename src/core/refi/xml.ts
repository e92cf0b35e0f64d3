// XML for REFI-QDA: a small element tree parsed with saxes, and escaping for the writer.
// A document with a DOCTYPE is refused outright: no DTD, so no entity expansion ("billion laughs")
// and no external entities. Elements are matched by local name, so a prefixed or unprefixed
// namespace both work.
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** local name, without a namespace prefix */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** the text directly inside the element (CDATA included) */
  text: string;
  /** 1-based line of the start tag, for messages */
  line: number;
}

/** Thrown for a file that is not acceptable REFI-QDA XML; the message is for the user. */
export class RefiError extends Error {}

/** Deeper nesting is refused: code hierarchies are a few levels deep, and the importer walks the tree recursively. */
export const MAX_DEPTH = 500;

/** Parses XML into an element tree; throws RefiError on malformed XML or any DOCTYPE. */
export function parseXml(text: string, fileName: string): XmlElement {
  const xml = new XmlStream(fileName);
  xml.write(text);
  return xml.close();
}

/** What an XmlStream tells as it parses: `depth` is the element's (the root's is 0). */
export interface XmlStreamHooks {
  /** an element opened: its attributes are read, its children not yet */
  open?(el: XmlElement, depth: number): void;
  /** an element closed, complete; true leaves it out of its parent's children (the tree keeps what is small) */
  close?(el: XmlElement, depth: number): boolean;
}

/**
 * parseXml a piece at a time: `write` each piece of the text (in order, as decoded), then `close` gives
 * the tree, less the elements the hooks left out. The same checks and messages as parseXml.
 */
export class XmlStream {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | undefined;
  private first = true;

  constructor(
    private readonly fileName: string,
    hooks: XmlStreamHooks = {},
  ) {
    const { parser, stack } = this;
    parser.on('doctype', () => {
      throw new RefiError(`${fileName}:${parser.line}: a DOCTYPE is not allowed (REFI-QDA files have none; a DTD could expand entities without limit)`);
    });
    parser.on('opentag', (tag) => {
      const attrs: Record<string, string> = {};
      const all = tag.attributes;
      for (const key in all) {
        const a = all[key];
        if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
        attrs[a.local] = a.value;
      }
      if (stack.length >= MAX_DEPTH) throw new RefiError(`${fileName}:${parser.line}: elements nested more than ${MAX_DEPTH} deep; a REFI-QDA file never is`);
      const el: XmlElement = { name: tag.local, attrs, children: [], text: '', line: parser.line };
      if (stack.length) stack[stack.length - 1].children.push(el);
      else this.root = el;
      stack.push(el);
      hooks.open?.(el, stack.length - 1);
    });
    parser.on('closetag', () => {
      const el = stack.pop()!;
      if (hooks.close?.(el, stack.length) && stack.length) stack[stack.length - 1].children.pop();
    });
    const onText = (t: string) => {
      if (stack.length) stack[stack.length - 1].text += t;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (err) {
      if (err instanceof RefiError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      throw new RefiError(`${this.fileName}: not well-formed XML: ${msg.replace(/^undefined:/, 'line ')}`);
    }
  }

  write(text: string): void {
    if (!text) return;
    if (this.first) {
      text = text.replace(/^\uFEFF/, '');
      this.first = false;
    }
    this.guard(() => this.parser.write(text));
  }

  close(): XmlElement {
    this.guard(() => this.parser.close());
    if (!this.root) throw new RefiError(`${this.fileName}: no root element`);
    return this.root;
  }
}

/** Children with a local name. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function childNamed(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' };

/** Characters XML 1.0 cannot carry at all (controls other than tab, LF, CR; lone surrogates; U+FFFE/F). */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character either escape below changes (a superset: controls, markup, surrogates, U+FFFE/F); most values have none. */
// eslint-disable-next-line no-control-regex
const MAY_ESCAPE = /[\u0000-\u001F&<>"\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Escaped for an attribute value in double quotes; line breaks and tabs as character references so they survive. */
export function escapeAttr(s: string): string {
  if (!MAY_ESCAPE.test(s)) return s;
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>"\r\n\t]/g, (c) => TEXT_ESCAPES[c]);
}

/** Escaped for element content; CR as a character reference (a parser would turn a raw CR into LF). */
export function escapeText(s: string): string {
  if (!MAY_ESCAPE.test(s)) return s;
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]);
}
