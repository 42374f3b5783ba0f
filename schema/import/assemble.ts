// Grouping an import's blocks into the document: consecutive items into lists, "Option 1",
// "Option 2" blocks into option groups (nested when their series differ, as in "3. Option 1"
// holding "Option (a)" … "Option (c)"), and each block's atoms into text nodes carrying
// the negotiation marks.

import type { Mark, Node } from "prosemirror-model";
import { type ListStyle, schema } from "../schema.ts";
import type { Atom } from "./brackets.ts";
import type { Block } from "./structure.ts";

/** The ProseMirror text nodes of a block's atoms, leading and trailing spaces trimmed. */
function inline(row: readonly Atom[]): Node[] {
  const kept = row.filter((a) => !a.removed);
  let from = 0;
  let to = kept.length;
  while (from < to && kept[from]!.ch.trim() === "") from++;
  while (to > from && kept[to - 1]!.ch.trim() === "") to--;
  const nodes: Node[] = [];
  let text = "";
  let key = "";
  let marks: Mark[] = [];
  const flush = () => {
    if (text) nodes.push(schema.text(text, marks));
    text = "";
  };
  for (let k = from; k < to; k++) {
    const a = kept[k]!;
    const ids = [
      ...a.brackets.map((id) => `b:${id}`),
      ...a.attributions.map((id) => `a:${id}`),
      ...(a.chair ? [`c:${a.chair}`] : []),
      ...(a.comment ? [`m:${a.comment}`] : []),
    ];
    const nextKey = ids.join(" ");
    if (nextKey !== key || !text) {
      flush();
      key = nextKey;
      marks = ids.map((tag) => {
        const id = tag.slice(2);
        const type = { b: "bracket", a: "attribution", c: "chairAlternative", m: "comment" }[
          tag[0] as "b"
        ]!;
        return schema.marks[type]!.create({ id });
      });
    }
    text += a.ch;
  }
  flush();
  return nodes;
}

type Child = Node | { list: { id: string; style: ListStyle; items: Node[] } };

interface OptionFrame {
  readonly id: string;
  readonly label: string;
  readonly children: Child[];
  /** The option's text came on its label's line, so the option holds just that block. */
  readonly single: boolean;
  readonly numbered: boolean;
}

interface GroupFrame {
  readonly id: string;
  readonly series: "number" | "letter";
  readonly options: OptionFrame[];
  readonly into: Child[];
}

/**
 * Group blocks into lists and option blocks and make the document node. Blocks in
 * `consumed` (front matter now in the meta) and blocks left without text are skipped,
 * except numbered paragraphs, which keep their number. An option whose text is on its
 * label's line holds just that paragraph; one whose label stands alone holds the blocks
 * that follow, up to the next option of its series or a heading.
 */
export function assemble(
  blocks: readonly Block[],
  atoms: readonly (readonly Atom[])[],
  blockIds: readonly string[],
  consumed: ReadonlySet<number>,
  nextId: (prefix: string) => string,
): Node {
  const top: Child[] = [];
  const groups: GroupFrame[] = [];
  const current = (): Child[] => {
    const group = groups[groups.length - 1];
    return group ? group.options[group.options.length - 1]!.children : top;
  };
  const closeGroup = () => {
    const group = groups.pop()!;
    const options = group.options.map((o) =>
      schema.nodes.option!.create(
        { id: o.id, label: o.label },
        o.children.length > 0
          ? finish(o.children)
          : [schema.nodes.paragraph!.create({ id: nextId("p") })],
      ),
    );
    group.into.push(schema.nodes.options!.create({ id: group.id }, options));
  };
  const paragraph = (b: number, numbering: string, content: Node[]) =>
    schema.nodes.paragraph!.create({ id: blockIds[b], numbering }, content);

  blocks.forEach((block, b) => {
    if (consumed.has(b)) return;
    const content = inline(atoms[b]!);
    const shape = block.shape;
    if (shape.type === "heading") {
      while (groups.length > 0) closeGroup();
      top.push(schema.nodes.heading!.create({ id: blockIds[b], label: shape.label }, content));
      return;
    }
    if (shape.type === "option") {
      let g = groups.length - 1;
      while (g >= 0 && groups[g]!.series !== shape.series) g--;
      if (g >= 0) while (groups.length > g + 1) closeGroup();
      else {
        while (groups.length > 0 && groups[groups.length - 1]!.options.at(-1)!.single) closeGroup();
        groups.push({ id: nextId("o"), series: shape.series, options: [], into: current() });
      }
      const option: OptionFrame = {
        id: blockIds[b]!,
        label: shape.label,
        children: [],
        single: content.length > 0,
        // "3. Option 1:" numbers every option of its group: each is a version of paragraph 3.
        numbered: shape.numbered || !!groups[groups.length - 1]?.options[0]?.numbered,
      };
      groups[groups.length - 1]!.options.push(option);
      if (content.length > 0) {
        const para = { id: nextId("p"), numbering: option.numbered ? "numbered" : "none" };
        option.children.push(schema.nodes.paragraph!.create(para, content));
      }
      return;
    }
    while (groups.length > 0 && groups[groups.length - 1]!.options.at(-1)!.single) closeGroup();
    if (content.length === 0 && !(shape.type === "paragraph" && shape.numbering !== "none")) return;
    const into = current();
    if (shape.type === "item") {
      const item = schema.nodes.item!.create({ id: blockIds[b] }, content);
      const last = into[into.length - 1];
      if (last && "list" in last && last.list.style === shape.style) last.list.items.push(item);
      else into.push({ list: { id: nextId("l"), style: shape.style, items: [item] } });
      return;
    }
    let numbering: string = shape.type === "paragraph" ? shape.numbering : "none";
    const group = groups[groups.length - 1];
    const option = group?.options.at(-1);
    if (option?.numbered && numbering === "none" && option.children.length === 0)
      numbering = "numbered";
    into.push(paragraph(b, numbering, content));
  });
  while (groups.length > 0) closeGroup();
  const children = finish(top);
  if (children.length === 0) children.push(schema.nodes.paragraph!.create({ id: nextId("p") }));
  return schema.nodes.doc!.create(null, children);
}

function finish(children: readonly Child[]): Node[] {
  return children.map((child) =>
    "list" in child
      ? schema.nodes.list!.create({ id: child.list.id, style: child.list.style }, child.list.items)
      : child,
  );
}
