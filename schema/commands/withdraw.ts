import type { Command } from "prosemirror-state";
import { mayChangeProposal } from "../permissions.ts";
import type { Actor, RegistryOp } from "../registry.ts";
import { addRegistryOps, getRegistry } from "../state.ts";
import { bracketMark, deleteRanges, markedWordRanges, settleVanished } from "./words.ts";

// A proposer taking its proposal back. What happens to the words depends on whose words
// they are: proposed words go, existing words proposed for deletion stay.

/**
 * Withdraw the open proposal `bracketId`: an insertion's or alternative wording's words
 * are removed (with any block that held only them), a deletion's bracket is removed and its
 * words stay, and the status becomes `withdrawn`. Withdrawing either half of a replacement
 * withdraws both. Proposals nested in removed words are withdrawn with them. A delegation
 * may withdraw only its own proposals, the chair and the secretariat any. Returns false
 * when the actor may not, when the bracket is missing or not open, and for a `text`
 * bracket, which has no proposer to withdraw it (the chair lifts or drops those).
 */
export function withdrawProposal(actor: Actor, bracketId: string): Command {
  return (state, dispatch) => {
    const registry = getRegistry(state);
    const entry = registry.brackets[bracketId];
    if (!entry || entry.kind === "text" || !mayChangeProposal(actor, entry)) return false;
    const ids = [bracketId];
    const paired = entry.pairedWith ? registry.brackets[entry.pairedWith] : undefined;
    if (entry.pairedWith && paired?.status === "open") ids.push(entry.pairedWith);
    if (dispatch) {
      const tr = state.tr;
      // Mark steps first: they move no positions, so the word ranges found on the original
      // document still hold for the deletions that follow.
      const deletions: [number, number][] = [];
      for (const id of ids) {
        const kind = registry.brackets[id]?.kind;
        if (kind === "deletion") {
          tr.removeMark(0, tr.doc.content.size, bracketMark(id));
        } else {
          deletions.push(...markedWordRanges(state.doc, "bracket", id));
        }
      }
      deleteRanges(tr, deletions);
      const ops: RegistryOp[] = ids.map((id) => ({
        op: "setBracketStatus",
        id,
        status: "withdrawn",
      }));
      ops.push(...settleVanished(state.doc, tr.doc, registry, "withdrawn", ids));
      dispatch(addRegistryOps(tr, ops).scrollIntoView());
    }
    return true;
  };
}
