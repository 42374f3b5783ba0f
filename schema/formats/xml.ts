// A small XML reader for the parts of an OOXML package. Node has no DOM, and the parts we
// read (document.xml, comments.xml, numbering.xml, styles.xml) use a tiny, regular subset of
// XML: elements, attributes, text, the five predefined entities and numeric references. A
// DOCTYPE, processing instructions and comments are skipped; CDATA is kept as text.

/** An element of a parsed XML part. Names keep their prefix ("w:p"), as OOXML fixes them. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

/** A node of a parsed part: an element or a run of character data. */
export type XmlNode = XmlElement | string;

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Replace entity and character references in character data or an attribute value. */
export function decodeXmlText(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return entities[ref] ?? whole;
  });
}

const attrPattern = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface OpenElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

/**
 * Parse an XML part into its root element. Tolerant the way a reader of files made by other
 * programs must be: an unclosed element is closed at the end of its parent, a stray end tag
 * is ignored. Throws a `RangeError` only when there is no element at all.
 */
export function parseXml(source: string): XmlElement {
  const root: OpenElement = { name: "#root", attrs: {}, children: [] };
  const stack: OpenElement[] = [root];
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf("<", i);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > i) {
      const top = stack[stack.length - 1]!;
      if (top !== root) top.children.push(decodeXmlText(source.slice(i, textEnd)));
    }
    if (lt === -1) break;
    if (source.startsWith("<!--", lt)) {
      const end = source.indexOf("-->", lt + 4);
      i = end === -1 ? source.length : end + 3;
    } else if (source.startsWith("<![CDATA[", lt)) {
      const end = source.indexOf("]]>", lt + 9);
      const stop = end === -1 ? source.length : end;
      stack[stack.length - 1]!.children.push(source.slice(lt + 9, stop));
      i = stop + 3;
    } else if (source[lt + 1] === "?" || source[lt + 1] === "!") {
      const end = source.indexOf(">", lt);
      i = end === -1 ? source.length : end + 1;
    } else if (source[lt + 1] === "/") {
      const end = source.indexOf(">", lt);
      const name = source.slice(lt + 2, end === -1 ? source.length : end).trim();
      i = end === -1 ? source.length : end + 1;
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) {
        while (stack.length > at) stack.pop();
      }
    } else {
      const end = findTagEnd(source, lt);
      const body = source.slice(lt + 1, end);
      i = end + 1;
      const selfClosing = body.endsWith("/");
      const inner = selfClosing ? body.slice(0, -1) : body;
      const nameEnd = inner.search(/[\s/]|$/);
      const name = inner.slice(0, nameEnd);
      const attrs: Record<string, string> = {};
      for (const match of inner.slice(nameEnd).matchAll(attrPattern)) {
        attrs[match[1]!] = decodeXmlText(match[2] ?? match[3] ?? "");
      }
      const element: OpenElement = { name, attrs, children: [] };
      stack[stack.length - 1]!.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }

  const first = root.children.find((c): c is XmlElement => typeof c !== "string");
  if (!first) throw new RangeError("The XML part has no element");
  return first;
}

// A `>` inside a quoted attribute value does not end the tag.
function findTagEnd(source: string, from: number): number {
  let quote: string | null = null;
  for (let i = from + 1; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ">") {
      return i;
    }
  }
  return source.length;
}

/** The child elements of `element` named `name` (all child elements when no name is given). */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter(
    (c): c is XmlElement => typeof c !== "string" && (name === undefined || c.name === name),
  );
}

/** The first child element named `name`, or null. */
export function childElement(element: XmlElement, name: string): XmlElement | null {
  return childElements(element, name)[0] ?? null;
}

/** The first element named `name` at any depth below `element`, or null. */
export function findElement(element: XmlElement, name: string): XmlElement | null {
  for (const child of childElements(element)) {
    if (child.name === name) return child;
    const found = findElement(child, name);
    if (found) return found;
  }
  return null;
}

/** The value of `w:val` on the child named `name` (`<w:pStyle w:val="Heading1"/>`), or null. */
export function childVal(element: XmlElement, name: string): string | null {
  return childElement(element, name)?.attrs["w:val"] ?? null;
}

/** All character data below `element`, concatenated. */
export function textContent(element: XmlElement): string {
  let text = "";
  for (const child of element.children) {
    text += typeof child === "string" ? child : textContent(child);
  }
  return text;
}
