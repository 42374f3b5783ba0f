import type { Node } from "prosemirror-model";
import type { Command } from "prosemirror-state";
import { newId } from "../ids.ts";
import { mayWriteChairAlternative } from "../permissions.ts";
import { markRanges } from "../ranges.ts";
import type { Actor, RegistryOp } from "../registry.ts";
import { schema } from "../schema.ts";
import { addRegistryOps, getRegistry } from "../state.ts";
import {
  chairAlternativeMark,
  deleteRanges,
  type FoundBlock,
  findBlock,
  markedWordRanges,
  settleVanished,
} from "./words.ts";

// The chair's compromise text that would replace named paragraphs ("Chair's alternative
// text, replacing paras 12 and 13"). It refers to the paragraphs by id, so the reference
// stays right when paragraphs are inserted above; until adopted it takes their numbers and
// shifts no others (see numbering.ts).

/** Ids for a new chair's alternative; generated when not given. */
export interface ChairAlternativeIds {
  /** The id of the chair's alternative (its mark and registry entry). */
  readonly id?: string;
  /** The ids of its new paragraphs, in order. */
  readonly blockIds?: readonly string[];
}

// The position right after `block` at which a paragraph may stand: after an item that is
// after its whole list, since a list holds only items.
function paragraphSlotAfter(doc: Node, block: FoundBlock): number | null {
  const paragraph = schema.nodes.paragraph!;
  let pos = block.pos + block.node.nodeSize;
  for (;;) {
    const $pos = doc.resolve(pos);
    const index = $pos.index();
    if ($pos.parent.canReplaceWith(index, index, paragraph)) return pos;
    if ($pos.depth === 0) return null;
    pos = $pos.after();
  }
}

/**
 * Propose the chair's alternative text `paragraphs` to replace the blocks `replaces`: new
 * paragraphs, right after the last replaced block, whose text carries a `chairAlternative`
 * mark, and a registry entry with status `proposed`. Each new paragraph takes the
 * numbering kind of the paragraph it stands for, so that once adopted "3bis" stays "3bis".
 * Returns false for anyone but the chair and when a replaced block is not in the
 * document. Throws a `RangeError` when `replaces` or `paragraphs` is empty or a paragraph's
 * text is empty.
 */
export function proposeChairAlternative(
  actor: Actor,
  replaces: readonly string[],
  paragraphs: readonly string[],
  ids: ChairAlternativeIds = {},
): Command {
  if (replaces.length === 0) throw new RangeError("A chair's alternative must replace a block");
  if (paragraphs.length === 0 || paragraphs.some((text) => text.length === 0)) {
    throw new RangeError("A chair's alternative needs non-empty paragraphs");
  }
  return (state, dispatch) => {
    if (!mayWriteChairAlternative(actor)) return false;
    const blocks: FoundBlock[] = [];
    for (const ref of replaces) {
      const block = findBlock(state.doc, ref);
      if (!block) return false;
      blocks.push(block);
    }
    const last = blocks.reduce((a, b) => (b.pos > a.pos ? b : a));
    const slot = paragraphSlotAfter(state.doc, last);
    if (slot === null) return false;
    if (dispatch) {
      const id = ids.id ?? newId("c");
      const mark = chairAlternativeMark(id);
      const nodes = paragraphs.map((text, i) => {
        const replaced = blocks[i]?.node;
        const numbering =
          replaced?.type.name === "paragraph" && replaced.attrs.numbering !== "none"
            ? replaced.attrs.numbering
            : "numbered";
        return schema.nodes.paragraph!.create(
          { id: ids.blockIds?.[i] ?? newId("p"), numbering },
          schema.text(text, [mark]),
        );
      });
      const tr = state.tr.insert(slot, nodes);
      addRegistryOps(tr, [
        { op: "putChairAlternative", id, entry: { replaces: [...replaces], status: "proposed" } },
      ]);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

function proposedEntry(state: Parameters<Command>[0], id: string) {
  const entry = getRegistry(state).chairAlternatives[id];
  return entry?.status === "proposed" ? entry : null;
}

/**
 * Adopt the chair's alternative `id`: the blocks it replaces are removed and its status
 * becomes `adopted`; its text stays and from now on takes ordinary numbers. Open brackets
 * in the removed blocks are dropped with them. Returns false for anyone but the chair,
 * when it is not a proposed chair's alternative, or when its text is no longer in the
 * document (adopting would only delete).
 */
export function adoptChairAlternative(actor: Actor, id: string): Command {
  return (state, dispatch) => {
    if (!mayWriteChairAlternative(actor)) return false;
    const entry = proposedEntry(state, id);
    if (!entry || !markRanges(state.doc, "chairAlternative").has(id)) return false;
    if (dispatch) {
      const tr = state.tr;
      const ranges: [number, number][] = [];
      for (const ref of entry.replaces) {
        const block = findBlock(state.doc, ref);
        if (block) ranges.push([block.pos, block.pos + block.node.nodeSize]);
      }
      deleteRanges(tr, ranges);
      const ops: RegistryOp[] = [
        { op: "setChairAlternativeStatus", id, status: "adopted" },
        ...settleVanished(state.doc, tr.doc, getRegistry(state), "dropped", []),
      ];
      dispatch(addRegistryOps(tr, ops).scrollIntoView());
    }
    return true;
  };
}

/**
 * Withdraw the chair's alternative `id`: its text is removed (with the paragraphs that held
 * only it, and the brackets delegations put in it) and its status becomes `withdrawn`.
 * Returns false for anyone but the chair and when it is not a proposed chair's
 * alternative.
 */
export function withdrawChairAlternative(actor: Actor, id: string): Command {
  return (state, dispatch) => {
    if (!mayWriteChairAlternative(actor)) return false;
    if (!proposedEntry(state, id)) return false;
    if (dispatch) {
      const tr = state.tr;
      deleteRanges(tr, markedWordRanges(state.doc, "chairAlternative", id));
      const ops: RegistryOp[] = [
        { op: "setChairAlternativeStatus", id, status: "withdrawn" },
        ...settleVanished(state.doc, tr.doc, getRegistry(state), "withdrawn", []),
      ];
      dispatch(addRegistryOps(tr, ops).scrollIntoView());
    }
    return true;
  };
}
