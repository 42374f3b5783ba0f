// A tiny builder DSL for documents with position tags, after prosemirror-test-builder:
//
//   const d = doc(np("Foo ", br("b1", "ba<a>r"), " baz"), list("alpha", item("one")))
//   d.tag.a  // the position of <a>
//
// Block builders take an optional leading attrs object (`np({ id: "p9" }, "text")`); ids
// are otherwise given in order: p1, p2 … for paragraphs, h1 … for headings and so on, so a
// test can refer to blocks by predictable ids.

import type { Mark, Node } from "prosemirror-model";
import type { BracketEntry, Registry } from "../schema/registry.ts";
import { emptyRegistry } from "../schema/registry.ts";
import { schema } from "../schema/schema.ts";

type Tags = Record<string, number>;

/** A built fragment piece: nodes plus the tags found in them, relative to their start. */
interface Piece {
  readonly nodes: Node[];
  readonly tags: Tags;
}

type Child = string | Piece | MarkedPiece;
type Attrs = Record<string, unknown>;

/** A piece of inline content under marks, not yet placed in a block. */
interface MarkedPiece {
  readonly marked: true;
  readonly mark: Mark;
  readonly children: Child[];
}

/** A built document with the positions of its `<tag>`s. */
export type TaggedNode = Node & { readonly tag: Tags };

let counters: Record<string, number> = {};

/** Restart the automatic block ids (p1, h1 …); call it at the start of each test file. */
export function resetIds(): void {
  counters = {};
}

function autoId(prefix: string): string {
  counters[prefix] = (counters[prefix] ?? 0) + 1;
  return `${prefix}${counters[prefix]}`;
}

const tagPattern = /<(\w+)>/g;

function inline(children: Child[], marks: readonly Mark[]): Piece {
  const nodes: Node[] = [];
  const tags: Tags = {};
  let size = 0;
  for (const child of children) {
    if (typeof child === "string") {
      let text = "";
      let last = 0;
      for (const match of child.matchAll(tagPattern)) {
        text += child.slice(last, match.index);
        tags[match[1]!] = size + text.length;
        last = match.index! + match[0].length;
      }
      text += child.slice(last);
      if (text) {
        nodes.push(schema.text(text, marks));
        size += text.length;
      }
    } else if ("marked" in child) {
      const inner = inline(child.children, child.mark.addToSet(marks));
      for (const [name, pos] of Object.entries(inner.tags)) tags[name] = size + pos;
      nodes.push(...inner.nodes);
      size += inner.nodes.reduce((s, n) => s + n.nodeSize, 0);
    } else {
      for (const [name, pos] of Object.entries(child.tags)) tags[name] = size + pos;
      nodes.push(...child.nodes);
      size += child.nodes.reduce((s, n) => s + n.nodeSize, 0);
    }
  }
  return { nodes, tags };
}

function splitAttrs(args: (Attrs | Child)[]): { attrs: Attrs; children: Child[] } {
  const first = args[0];
  if (first && typeof first === "object" && !("nodes" in first) && !("marked" in first)) {
    return { attrs: first as Attrs, children: args.slice(1) as Child[] };
  }
  return { attrs: {}, children: args as Child[] };
}

function block(typeName: string, prefix: string, defaults: Attrs = {}) {
  return (...args: (Attrs | Child)[]): Piece => {
    const { attrs, children } = splitAttrs(args);
    const type = schema.nodes[typeName]!;
    const content = type.isTextblock ? inline(children, []) : blocks(children as Piece[]);
    const node = type.create({ id: autoId(prefix), ...defaults, ...attrs }, content.nodes);
    node.check();
    const tags: Tags = {};
    for (const [name, pos] of Object.entries(content.tags)) tags[name] = pos + 1;
    return { nodes: [node], tags };
  };
}

function blocks(pieces: Piece[]): Piece {
  const nodes: Node[] = [];
  const tags: Tags = {};
  let size = 0;
  for (const piece of pieces) {
    for (const [name, pos] of Object.entries(piece.tags)) tags[name] = size + pos;
    nodes.push(...piece.nodes);
    size += piece.nodes.reduce((s, n) => s + n.nodeSize, 0);
  }
  return { nodes, tags };
}

function markBuilder(name: "bracket" | "attribution" | "chairAlternative" | "comment") {
  return (id: string, ...children: Child[]): MarkedPiece => ({
    marked: true,
    mark: schema.marks[name]!.create({ id }),
    children,
  });
}

/** The whole document. */
export function doc(...children: Piece[]): TaggedNode {
  const content = blocks(children);
  const node = schema.nodes.doc!.create(null, content.nodes);
  node.check();
  return Object.assign(node, { tag: content.tags });
}

/** A numbered paragraph (takes the next number). */
export const np = block("paragraph", "p", { numbering: "numbered" });
/** A paragraph inserted between numbered ones (3bis). */
export const ip = block("paragraph", "p", { numbering: "inserted" });
/** An unnumbered paragraph. */
export const p = block("paragraph", "p", { numbering: "none" });
/** A section heading; pass `{ label: "A." }` for its letter. */
export const h = block("heading", "h");
/** An item of a list. */
export const item = block("item", "i");
/** An options block. */
export const options = block("options", "o");
/** One option; pass `{ label: "Option 1" }`. */
export const option = block("option", "opt");

/** A list in the given style ("alpha", "decimal", "bullet" …). */
export function list(style: string, ...items: Piece[]): Piece {
  return block("list", "l", { style })(...items);
}

/** Text inside a bracket mark with the given id. */
export const br = markBuilder("bracket");
/** Text inside an attribution mark with the given id. */
export const at = markBuilder("attribution");
/** Text inside a chair's alternative mark with the given id. */
export const ca = markBuilder("chairAlternative");
/** Text under a comment anchor with the given id. */
export const cm = markBuilder("comment");

/** A registry with the given parts filled in and the rest empty. */
export function registry(parts: Partial<Registry>): Registry {
  return { ...emptyRegistry, ...parts };
}

/** An open insertion bracket entry proposed by Pakistan, with any fields overridden. */
export function bracketEntry(over: Partial<BracketEntry> = {}): BracketEntry {
  return {
    kind: "insertion",
    status: "open",
    proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
    enteredBy: null,
    pairedWith: null,
    alternativeTo: null,
    positions: {},
    ...over,
  };
}
