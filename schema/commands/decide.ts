import type { Command } from "prosemirror-state";
import { mayDecide } from "../permissions.ts";
import { nestedRanges, rangeContains } from "../queries.ts";
import { markRanges } from "../ranges.ts";
import type { Actor, Agreement, RegistryOp } from "../registry.ts";
import { addRegistryOps, getRegistry } from "../state.ts";
import {
  attributionMark,
  bracketMark,
  clearPositionsOps,
  deleteRanges,
  findBlock,
  isClosed,
  markedWordRanges,
  settleVanished,
} from "./words.ts";

// The room's decisions, taken by the chair (or the secretariat at the chair's direction):
// lift a bracket (the words are agreed), drop a proposal (the words go), and mark a
// paragraph agreed or agreed ad referendum.

/**
 * Lift the open bracket `bracketId`: its mark goes, its words stay, and so do brackets
 * nested in it; attributions inside it go too (agreed words belong to no one) except those
 * of nested brackets that stay open. Its positions are cleared and its status becomes
 * `lifted`. Returns false when the actor may not decide or the bracket is missing or not
 * open, or has no words in the document.
 */
export function liftBracket(actor: Actor, bracketId: string): Command {
  return (state, dispatch) => {
    if (!mayDecide(actor)) return false;
    const registry = getRegistry(state);
    if (isClosed(registry, bracketId)) return false;
    const ranges = nestedRanges(state.doc);
    const range = ranges.find((r) => r.id === bracketId);
    if (!range) return false;
    if (dispatch) {
      const tr = state.tr.removeMark(range.from, range.to, bracketMark(bracketId));
      const nestedOpen = ranges.filter(
        (r) => r.id !== bracketId && rangeContains(range, r) && !isClosed(registry, r.id),
      );
      for (const attribution of markRanges(state.doc, "attribution").values()) {
        if (attribution.from < range.from || attribution.to > range.to) continue;
        const keeps = nestedOpen.some((r) => r.from <= attribution.from && attribution.to <= r.to);
        if (!keeps) {
          tr.removeMark(attribution.from, attribution.to, attributionMark(attribution.id));
        }
      }
      const ops: RegistryOp[] = [
        ...clearPositionsOps(registry, bracketId),
        { op: "setBracketStatus", id: bracketId, status: "lifted" },
      ];
      dispatch(addRegistryOps(tr, ops).scrollIntoView());
    }
    return true;
  };
}

/**
 * Drop the open proposal `bracketId`: its words are removed with everything nested in
 * them (and any block that held only them), its positions are cleared and its status
 * becomes `dropped`; open brackets nested in it are dropped too. Returns false when the
 * actor may not decide or the bracket is missing, not open, or has no words in the
 * document.
 */
export function dropProposal(actor: Actor, bracketId: string): Command {
  return (state, dispatch) => {
    if (!mayDecide(actor)) return false;
    const registry = getRegistry(state);
    if (isClosed(registry, bracketId)) return false;
    const words = markedWordRanges(state.doc, "bracket", bracketId);
    if (words.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      deleteRanges(tr, words);
      const ops: RegistryOp[] = [
        ...clearPositionsOps(registry, bracketId),
        { op: "setBracketStatus", id: bracketId, status: "dropped" },
        ...settleVanished(state.doc, tr.doc, registry, "dropped", [bracketId]),
      ];
      dispatch(addRegistryOps(tr, ops).scrollIntoView());
    }
    return true;
  };
}

/**
 * Mark the block `blockId` agreed or agreed ad ref, or with null put it back under
 * negotiation. Returns false when the actor may not decide, the block is not in the
 * document, it already has that state, or (to mark it agreed) it still contains an open
 * bracket.
 */
export function setAgreement(actor: Actor, blockId: string, agreement: Agreement | null): Command {
  if (agreement !== null && agreement !== "agreed" && agreement !== "adRef") {
    throw new RangeError(`Unknown agreement ${String(agreement)}`);
  }
  return (state, dispatch) => {
    if (!mayDecide(actor)) return false;
    const registry = getRegistry(state);
    const block = findBlock(state.doc, blockId);
    if (!block) return false;
    if ((registry.paragraphs[blockId]?.agreement ?? null) === agreement) return false;
    if (agreement !== null) {
      const from = block.pos + 1;
      const to = block.pos + block.node.nodeSize - 1;
      const open = nestedRanges(state.doc).some(
        (r) => r.from < to && from < r.to && !isClosed(registry, r.id),
      );
      if (open) return false;
    }
    if (dispatch) {
      dispatch(addRegistryOps(state.tr, [{ op: "setAgreement", id: blockId, agreement }]));
    }
    return true;
  };
}
