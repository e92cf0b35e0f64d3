// A small element tree over saxes, for the XML inside .odt files and the HTML mammoth makes of a .docx.
// Names of namespaced elements and attributes are `prefix:local` with the conventional OpenDocument
// prefix for each namespace URI (whatever prefix the file itself uses); other names as written.
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const PREFIXES: Record<string, string> = {
  'urn:oasis:names:tc:opendocument:xmlns:office:1.0': 'office',
  'urn:oasis:names:tc:opendocument:xmlns:text:1.0': 'text',
  'urn:oasis:names:tc:opendocument:xmlns:style:1.0': 'style',
  'urn:oasis:names:tc:opendocument:xmlns:table:1.0': 'table',
  'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0': 'draw',
  'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0': 'fo',
};

const qualified = (uri: string, local: string, prefix: string): string => {
  const known = PREFIXES[uri];
  if (known) return `${known}:${local}`;
  return prefix ? `${prefix}:${local}` : local;
};

/** Parses well-formed XML into a tree; throws an Error naming line and column when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attrs[qualified(a.uri, a.local, a.prefix)] = a.value;
    const el: XmlElement = { name: qualified(tag.uri, tag.local, tag.prefix), attrs, children: [] };
    stack[stack.length - 1].children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (t) => void stack[stack.length - 1].children.push(t));
  parser.on('cdata', (t) => void stack[stack.length - 1].children.push(t));
  parser.write(text).close();
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new Error('no root element');
  return top;
}

/** The element's descendants (depth first) with this name, not looking inside a match. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    else out.push(...findAll(c, name));
  }
  return out;
}

export function findFirst(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) return c;
    const deeper = findFirst(c, name);
    if (deeper) return deeper;
  }
  return undefined;
}
