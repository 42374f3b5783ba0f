import type { Node } from "prosemirror-model";
import { type EditorState, Plugin, PluginKey } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import { blockLabels } from "../schema/numbering.ts";
import type { Registry } from "../schema/registry.ts";
import { getRegistry } from "../schema/state.ts";
import { bracketViewKey, currentBracketView } from "./brackets.ts";
import { type Lang, t } from "./i18n.ts";

// The margin: paragraph numbers, agreement marks and the frame of a chair's alternative
// text. Numbers are derived from document order on every change (schema/numbering.ts), so
// a paragraph inserted above renumbers everything below it and a chair's text "replacing
// paras 12, 13" follows the paragraphs it points at, not the digits it once showed.

/** The key of the gutter plugin. */
export const gutterKey = new PluginKey<DecorationSet>("parleyGutter");

/** A chair's alternative that is still a proposal, with the blocks that carry its text. */
export interface ChairBlockGroup {
  readonly id: string;
  readonly replaces: readonly string[];
  /** Positions of the blocks wholly under the chair's mark, in document order. */
  readonly blocks: readonly { readonly pos: number; readonly node: Node }[];
}

/**
 * The chair's alternatives of `doc` that are proposed (not adopted, not withdrawn), with
 * the textblocks whose whole text carries the mark.
 */
export function pendingChairBlocks(doc: Node, registry: Registry): ChairBlockGroup[] {
  const groups = new Map<string, { pos: number; node: Node }[]>();
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    if (node.content.size === 0) return false;
    let common: string[] | null = null;
    node.forEach((child) => {
      const ids = child.marks
        .filter((mark) => mark.type.name === "chairAlternative")
        .map((mark) => String(mark.attrs.id));
      common = common === null ? ids : common.filter((id) => ids.includes(id));
    });
    for (const id of (common ?? []) as string[]) {
      if (registry.chairAlternatives[id]?.status !== "proposed") continue;
      groups.set(id, [...(groups.get(id) ?? []), { pos, node }]);
    }
    return false;
  });
  return [...groups].map(([id, blocks]) => ({
    id,
    replaces: registry.chairAlternatives[id]?.replaces ?? [],
    blocks,
  }));
}

/**
 * The heading of a chair's alternative: "Chair's alternative text, replacing paras 12, 13".
 * Replaced blocks that are gone are left out of the list.
 */
export function replacingLabel(
  replaces: readonly string[],
  labels: ReadonlyMap<string, string>,
  lang: Lang,
): string {
  const numbers = replaces.map((id) => labels.get(id)).filter((l): l is string => !!l);
  const list = numbers.join(t(lang, "listSeparator"));
  const what =
    numbers.length === 1
      ? t(lang, "replacingPara", { label: list })
      : t(lang, "replacingParas", { labels: list });
  return t(lang, "replacing", { labels: what });
}

function gutterDecorations(state: EditorState): DecorationSet {
  const registry = getRegistry(state);
  const { lang } = currentBracketView(state);
  const labels = blockLabels(state.doc, registry);
  const decorations: Decoration[] = [];
  state.doc.descendants((node, pos) => {
    const id = String(node.attrs.id ?? "");
    const label = labels.get(id);
    if (node.type.name === "paragraph" && label) {
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { "data-num": `${label}.` }));
    }
    const agreement = registry.paragraphs[id]?.agreement;
    if (agreement) {
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, {
          class: agreement === "agreed" ? "agreed" : "ad-ref",
          "data-agreement": t(lang, agreement === "agreed" ? "agreedBadge" : "adRefBadge"),
        }),
      );
    }
    return !node.isTextblock;
  });
  for (const group of pendingChairBlocks(state.doc, registry)) {
    group.blocks.forEach(({ pos, node }, index) => {
      const edge = [
        "chair-alt",
        index === 0 ? "chair-alt-first" : "",
        index === group.blocks.length - 1 ? "chair-alt-last" : "",
      ];
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, {
          class: edge.filter(Boolean).join(" "),
          "data-chair": group.id,
        }),
      );
    });
    const first = group.blocks[0];
    if (first) {
      const text = replacingLabel(group.replaces, labels, lang);
      decorations.push(
        Decoration.widget(
          first.pos + 1,
          () => {
            const heading = document.createElement("span");
            heading.className = "chair-alt-label";
            heading.contentEditable = "false";
            heading.textContent = text;
            return heading;
          },
          { side: -100, key: `chair:${group.id}:${text}`, marks: [] },
        ),
      );
    }
  }
  return DecorationSet.create(state.doc, decorations);
}

/** The plugin that draws paragraph numbers, agreement and chair's alternative frames. */
export function gutterPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: gutterKey,
    state: {
      init: (_config, state) => gutterDecorations(state),
      apply(tr, previous, oldState, newState) {
        const changed =
          tr.docChanged ||
          getRegistry(oldState) !== getRegistry(newState) ||
          tr.getMeta(bracketViewKey) !== undefined;
        return changed ? gutterDecorations(newState) : previous;
      },
    },
    props: {
      decorations: (state) => gutterKey.getState(state) ?? DecorationSet.empty,
    },
  });
}
