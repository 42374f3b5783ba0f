import { type MarkSpec, type NodeSpec, Schema } from "prosemirror-model";

// The one schema shared by the browser, the server and the tests. Every block carries a
// stable `id` so that references ("replacing paras 12, 13", positions, agreement state)
// point at identities rather than at numbers that move when text is inserted above.

/** How a paragraph takes part in numbering (see `numbering.ts`). */
export type ParagraphNumbering =
  /** Takes the next number: 1., 2., 3. */
  | "numbered"
  /** Inserted between numbered paragraphs after numbering was fixed: 3bis, 3ter. */
  | "inserted"
  /** Carries no number: statements from the floor, preambular text, notes. */
  | "none";

/** The label style of a list's items. */
export type ListStyle = "alpha" | "decimal" | "roman" | "bullet" | "dash";

const blockId = { id: { default: "" } };

const nodes: Record<string, NodeSpec> = {
  doc: { content: "block+" },

  heading: {
    group: "block",
    content: "inline*",
    defining: true,
    // `label` is the section letter or number the secretariat gave ("A.", "I."); sections
    // are not renumbered when text moves, unlike paragraphs.
    attrs: { ...blockId, label: { default: "" } },
    parseDOM: [
      {
        tag: "h2",
        getAttrs: (dom) => ({
          id: dom.getAttribute("data-id") ?? "",
          label: dom.getAttribute("data-label") ?? "",
        }),
      },
    ],
    toDOM: (node) => ["h2", { "data-id": node.attrs.id, "data-label": node.attrs.label }, 0],
  },

  paragraph: {
    group: "block",
    content: "inline*",
    attrs: { ...blockId, numbering: { default: "none" } },
    parseDOM: [
      {
        tag: "p",
        getAttrs: (dom) => ({
          id: dom.getAttribute("data-id") ?? "",
          numbering: dom.getAttribute("data-numbering") ?? "none",
        }),
      },
    ],
    toDOM: (node) => ["p", { "data-id": node.attrs.id, "data-numbering": node.attrs.numbering }, 0],
  },

  list: {
    group: "block",
    content: "item+",
    attrs: { ...blockId, style: { default: "bullet" } },
    parseDOM: [
      {
        tag: "ol",
        getAttrs: (dom) => ({
          id: dom.getAttribute("data-id") ?? "",
          style: dom.getAttribute("data-style") ?? "bullet",
        }),
      },
    ],
    toDOM: (node) => ["ol", { "data-id": node.attrs.id, "data-style": node.attrs.style }, 0],
  },

  item: {
    content: "inline*",
    defining: true,
    attrs: { ...blockId },
    parseDOM: [{ tag: "li", getAttrs: (dom) => ({ id: dom.getAttribute("data-id") ?? "" }) }],
    toDOM: (node) => ["li", { "data-id": node.attrs.id }, 0],
  },

  // Competing versions of one slot ("Option 1", "Option 2"). Each option holds ordinary
  // blocks; options nest, as in real drafts ("3.1 Option (a)" inside "Option 1").
  options: {
    group: "block",
    content: "option+",
    attrs: { ...blockId },
    parseDOM: [{ tag: "div.options", getAttrs: (dom) => ({ id: dom.getAttribute("data-id") }) }],
    toDOM: (node) => ["div", { class: "options", "data-id": node.attrs.id }, 0],
  },

  option: {
    content: "block+",
    defining: true,
    attrs: { ...blockId, label: { default: "" } },
    parseDOM: [
      {
        tag: "div.option",
        getAttrs: (dom) => ({
          id: dom.getAttribute("data-id") ?? "",
          label: dom.getAttribute("data-label") ?? "",
        }),
      },
    ],
    toDOM: (node) => [
      "div",
      { class: "option", "data-id": node.attrs.id, "data-label": node.attrs.label },
      0,
    ],
  },

  text: { group: "inline" },
};

// Negotiation marks. All follow the same three rules, each learnt from the sync layer:
// - `excludes: ""`: brackets nest and two delegations may mark the same words; with the
//   default a second mark of the type replaces the first and concurrent marks lose
//   information.
// - `inclusive: false`: typing at the edge of a bracket must not silently join it.
// - attrs hold only an id: y-prosemirror keys a mark by its attrs, so changing one is a
//   remove-and-add. Everything that changes lives in the registry under that id.
const negotiationMark = (tag: string): MarkSpec => ({
  attrs: { id: {} },
  excludes: "",
  inclusive: false,
  parseDOM: [{ tag: `span.${tag}`, getAttrs: (dom) => ({ id: dom.getAttribute("data-id") }) }],
  toDOM: (mark) => ["span", { class: tag, "data-id": mark.attrs.id }, 0],
});

const marks: Record<string, MarkSpec> = {
  bracket: negotiationMark("bracket"),
  attribution: negotiationMark("attribution"),
  chairAlternative: negotiationMark("chair-alternative"),
  comment: negotiationMark("comment"),
};

/** The schema of a negotiated draft. */
export const schema = new Schema({ nodes, marks });

/** The names of the negotiation marks, each keyed by id into the registry. */
export type NegotiationMarkName = "bracket" | "attribution" | "chairAlternative" | "comment";

/** Node types that carry a block id and can be referred to by number or label. */
export const blockTypes: readonly string[] = [
  "heading",
  "paragraph",
  "list",
  "item",
  "options",
  "option",
];
