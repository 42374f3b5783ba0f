import type { Command } from "prosemirror-state";
import { newId } from "../ids.ts";
import { type Voice, voiceOf } from "../permissions.ts";
import { bracketsAround } from "../queries.ts";
import type { Actor, BracketEntry, BracketKind, RegistryOp } from "../registry.ts";
import { schema } from "../schema.ts";
import { addRegistryOps, getRegistry } from "../state.ts";
import {
  attributionMark,
  bracketMark,
  enclosingMarks,
  fitsBracketNesting,
  isClosed,
  textExtent,
} from "./words.ts";

// Proposals made in the text itself: insertion, deletion, replacement (DESIGN §5, "propose").
// A delegation proposes in its own name, the secretariat and the chair for the delegation in
// `onBehalfOf` (recorded as entered by them); an observer proposes nothing.

/** Ids for a new insertion; generated when not given (tests pass them to be deterministic). */
export interface InsertionIds {
  /** The id of the new bracket. */
  readonly id?: string;
  /** The id of the attribution mark on the new words. */
  readonly attributionId?: string;
}

/** Ids for a new deletion bracket. */
export interface DeletionIds {
  readonly id?: string;
}

/** Ids for a new replacement: its deletion half, its insertion half and the attribution. */
export interface ReplacementIds {
  readonly deletionId?: string;
  readonly insertionId?: string;
  readonly attributionId?: string;
}

/** A fresh open bracket entry for `voice`. */
export function openBracket(
  voice: Voice,
  kind: BracketKind,
  over: Partial<BracketEntry> = {},
): BracketEntry {
  return {
    kind,
    status: "open",
    proposedBy: [voice.ref],
    enteredBy: voice.enteredBy,
    pairedWith: null,
    alternativeTo: null,
    positions: {},
    ...over,
  };
}

/** The op recording who wrote new words. */
export function attributionOp(id: string, voice: Voice): RegistryOp {
  return {
    op: "putAttribution",
    id,
    entry: { party: voice.ref.party, onBehalfOf: voice.ref.onBehalfOf, enteredBy: voice.enteredBy },
  };
}

/** The proposer's own "delete" position that a deletion bracket starts with. */
function deletePosition(voice: Voice): BracketEntry["positions"] {
  return {
    [voice.ref.party]: {
      party: voice.ref.party,
      stance: "delete",
      onBehalfOf: voice.ref.onBehalfOf,
      text: null,
      enteredBy: voice.enteredBy,
    },
  };
}

/**
 * Propose inserting `text` at the cursor: the words get a new `insertion` bracket and an
 * attribution to the actor's voice, and stay inside any brackets around the cursor. Returns
 * false for an observer, a non-empty selection, empty `text`, a cursor outside a textblock,
 * or a cursor inside a bracket that is no longer open.
 */
export function proposeInsertion(actor: Actor, text: string, ids: InsertionIds = {}): Command {
  return (state, dispatch) => {
    const voice = voiceOf(actor);
    if (!voice || text.length === 0) return false;
    const { selection } = state;
    if (!selection.empty || !selection.$head.parent.inlineContent) return false;
    const pos = selection.head;
    const registry = getRegistry(state);
    if (bracketsAround(state.doc, pos).some((id) => isClosed(registry, id))) return false;
    if (dispatch) {
      const id = ids.id ?? newId("b");
      const attributionId = ids.attributionId ?? newId("a");
      const marks = [
        ...enclosingMarks(state.doc, pos),
        bracketMark(id),
        attributionMark(attributionId),
      ];
      const tr = state.tr.insert(pos, schema.text(text, marks));
      addRegistryOps(tr, [
        { op: "putBracket", id, entry: openBracket(voice, "insertion") },
        attributionOp(attributionId, voice),
      ]);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/**
 * Propose deleting the selected words: they get a `deletion` bracket, and the proposer's
 * position on it is "delete". The words are not the proposer's, so they get no attribution.
 * Returns false for an observer, a selection without text, or one that would partly overlap
 * an existing bracket or fall inside a bracket that is no longer open.
 */
export function proposeDeletion(actor: Actor, ids: DeletionIds = {}): Command {
  return (state, dispatch) => {
    const voice = voiceOf(actor);
    if (!voice) return false;
    const extent = textExtent(state.doc, state.selection.from, state.selection.to);
    if (!extent) return false;
    const registry = getRegistry(state);
    if (!fitsBracketNesting(state.doc, registry, extent.from, extent.to)) return false;
    if (dispatch) {
      const id = ids.id ?? newId("b");
      const tr = state.tr.addMark(extent.from, extent.to, bracketMark(id));
      addRegistryOps(tr, [
        {
          op: "putBracket",
          id,
          entry: openBracket(voice, "deletion", { positions: deletePosition(voice) }),
        },
      ]);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/**
 * Propose replacing the selected words with `text`: the old words get a `deletion` bracket
 * (with the proposer's "delete" position) directly followed by the new words in an
 * attributed `insertion` bracket; each half names the other in `pairedWith`. Returns false
 * when either `proposeDeletion` or `proposeInsertion` would, or `text` is empty.
 */
export function proposeReplacement(actor: Actor, text: string, ids: ReplacementIds = {}): Command {
  return (state, dispatch) => {
    const voice = voiceOf(actor);
    if (!voice || text.length === 0) return false;
    const extent = textExtent(state.doc, state.selection.from, state.selection.to);
    if (!extent) return false;
    const registry = getRegistry(state);
    if (!fitsBracketNesting(state.doc, registry, extent.from, extent.to)) return false;
    if (dispatch) {
      const deletionId = ids.deletionId ?? newId("b");
      const insertionId = ids.insertionId ?? newId("b");
      const attributionId = ids.attributionId ?? newId("a");
      // Computed on the document before the deletion bracket exists, so the new words
      // inherit only the brackets that enclose the whole replacement.
      const marks = [
        ...enclosingMarks(state.doc, extent.to),
        bracketMark(insertionId),
        attributionMark(attributionId),
      ];
      const tr = state.tr
        .addMark(extent.from, extent.to, bracketMark(deletionId))
        .insert(extent.to, schema.text(text, marks));
      addRegistryOps(tr, [
        {
          op: "putBracket",
          id: deletionId,
          entry: openBracket(voice, "deletion", {
            pairedWith: insertionId,
            positions: deletePosition(voice),
          }),
        },
        {
          op: "putBracket",
          id: insertionId,
          entry: openBracket(voice, "insertion", { pairedWith: deletionId }),
        },
        attributionOp(attributionId, voice),
      ]);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}
