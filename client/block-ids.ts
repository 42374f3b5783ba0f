import { splitBlockAs } from "prosemirror-commands";
import type { Node } from "prosemirror-model";
import { type Command, Plugin, PluginKey, type Transaction } from "prosemirror-state";
import { ySyncPluginKey } from "y-prosemirror";
import { newId } from "../schema/ids.ts";
import { blockTypes } from "../schema/schema.ts";

// Every block carries a stable id that positions, agreement and chair's texts point at
// (MODEL.md). ProseMirror's own editing does not know that: splitting a paragraph with
// Enter copies the id into both halves, or (at the end of a paragraph) creates one with no
// id and no numbering. This plugin gives such blocks a fresh id, and a paragraph split from
// a numbered one takes its numbering, as a new paragraph in a numbered list would in Word.

/** The key of the block id plugin. */
export const blockIdsKey = new PluginKey("parleyBlockIds");

const prefixes: Record<string, string> = {
  heading: "h",
  paragraph: "p",
  list: "l",
  item: "i",
  options: "o",
  option: "opt",
};

function isLocalEdit(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return tr.docChanged && meta?.isChangeOrigin !== true;
}

/**
 * A transaction that gives every block of `doc` without an id, or with an id an earlier
 * block already has, a fresh one; null when every id is present and unique. Remote edits
 * are the sending client's to fix, so only the blocks of local edits are looked at by the
 * plugin, but this function itself checks the whole document.
 */
export function fixBlockIds(doc: Node, tr: Transaction): Transaction | null {
  const seen = new Set<string>();
  let changed = false;
  let previous: Node | null = null;
  doc.descendants((node, pos) => {
    if (!blockTypes.includes(node.type.name)) return !node.isTextblock;
    const id = String(node.attrs.id ?? "");
    if (!id || seen.has(id)) {
      const attrs: Record<string, unknown> = {
        ...node.attrs,
        id: newId(prefixes[node.type.name] ?? "b"),
      };
      if (node.type.name === "paragraph" && !id && previous?.type === node.type) {
        attrs.numbering = previous.attrs.numbering;
      }
      tr.setNodeMarkup(pos, undefined, attrs);
      changed = true;
    } else {
      seen.add(id);
    }
    previous = node;
    return !node.isTextblock;
  });
  // Part of the edit that made the block, so undo takes both back together.
  return changed ? tr : null;
}

/**
 * Enter: split the block, and at the end of a paragraph or heading start a paragraph rather
 * than the schema's first block type (a heading). The new paragraph continues the numbering
 * of the one it was split from; after a heading it is numbered. Its id comes from
 * `blockIdsPlugin`.
 */
export const splitParagraph: Command = splitBlockAs((node, atEnd) => {
  const paragraph = node.type.schema.nodes.paragraph;
  if (!atEnd || !paragraph) return null;
  if (node.type === paragraph)
    return { type: paragraph, attrs: { numbering: node.attrs.numbering } };
  if (node.type.name === "heading") return { type: paragraph, attrs: { numbering: "numbered" } };
  return null;
});

/** The plugin that keeps block ids present and unique after local edits. */
export function blockIdsPlugin(): Plugin {
  return new Plugin({
    key: blockIdsKey,
    appendTransaction(transactions, _old, state) {
      if (!transactions.some(isLocalEdit)) return null;
      return fixBlockIds(state.doc, state.tr);
    },
  });
}
