import type { Command } from "prosemirror-state";
import { newId } from "../ids.ts";
import { voiceOf } from "../permissions.ts";
import type { Actor } from "../registry.ts";
import { schema } from "../schema.ts";
import { addRegistryOps } from "../state.ts";
import { attributionOp, openBracket } from "./propose.ts";
import { attributionMark, bracketMark, findBlock } from "./words.ts";

// A delegation's full alternative version of a paragraph or list item ("Pakistan: proposed
// new wording of the item above"). It is its own block, so that it can be read, supported
// and dropped as a whole, and it takes no number of its own.

/** Ids for a new alternative wording; generated when not given. */
export interface AlternativeIds {
  /** The id of the bracket around the alternative's words. */
  readonly id?: string;
  readonly attributionId?: string;
  /** The id of the new block. */
  readonly blockId?: string;
}

/**
 * Propose `text` as an alternative wording of the paragraph or item `blockId`: a new block
 * right after it (an unnumbered paragraph after a paragraph, an item in the same list after
 * an item) whose whole text is one `alternative` bracket with `alternativeTo: blockId`,
 * attributed to the actor's voice. Returns false for an observer, for empty `text`, and
 * when `blockId` is not a paragraph or item of the document.
 */
export function proposeAlternativeWording(
  actor: Actor,
  blockId: string,
  text: string,
  ids: AlternativeIds = {},
): Command {
  return (state, dispatch) => {
    const voice = voiceOf(actor);
    if (!voice || text.length === 0) return false;
    const target = findBlock(state.doc, blockId);
    if (!target) return false;
    const kind = target.node.type.name;
    if (kind !== "paragraph" && kind !== "item") return false;
    if (dispatch) {
      const id = ids.id ?? newId("b");
      const attributionId = ids.attributionId ?? newId("a");
      const newBlockId = ids.blockId ?? newId(kind === "item" ? "i" : "p");
      const words = schema.text(text, [bracketMark(id), attributionMark(attributionId)]);
      const attrs = kind === "item" ? { id: newBlockId } : { id: newBlockId, numbering: "none" };
      const block = target.node.type.create(attrs, words);
      const tr = state.tr.insert(target.pos + target.node.nodeSize, block);
      addRegistryOps(tr, [
        {
          op: "putBracket",
          id,
          entry: openBracket(voice, "alternative", { alternativeTo: blockId }),
        },
        attributionOp(attributionId, voice),
      ]);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}
