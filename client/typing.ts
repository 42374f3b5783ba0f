import type { Mark, Slice } from "prosemirror-model";
import { type EditorState, Plugin, PluginKey, type Transaction } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { ySyncPluginKey } from "y-prosemirror";
import {
  mayEditAt,
  proposeDeletion,
  proposeInsertion,
  proposeReplacement,
} from "../schema/commands/index.ts";
import { speaksFor } from "../schema/permissions.ts";
import { bracketsAt } from "../schema/queries.ts";
import type { Actor } from "../schema/registry.ts";
import { schema } from "../schema/schema.ts";
import { draftOf, getRegistry, registryOpsOf } from "../schema/state.ts";

// Plain typing, as in Word, but a delegation's words outside its own proposal become a
// bracketed insertion in its name instead of editing agreed text; Backspace and Delete over
// agreed words propose their deletion. An observer's keys change nothing. The filter below
// is the last line: any local change that bypasses the commands and touches text the actor
// may not edit is dropped, so the client never sends what the server would refuse.

/** The key of the typing plugin. */
export const typingKey = new PluginKey("parleyTyping");

/** Meta value of a transaction that runs a delegation's words on in its own proposal. */
const continuing = "continue";

function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

/**
 * Whether a local transaction changes only what `actor` may edit. Transactions that carry
 * registry ops come from the model's commands, which check permissions themselves; remote
 * transactions were accepted by the server.
 */
export function mayApply(actor: Actor, state: EditorState, tr: Transaction): boolean {
  if (!tr.docChanged || isRemote(tr)) return true;
  if (registryOpsOf(tr).length > 0 || tr.getMeta(typingKey) === continuing) return true;
  if (actor.role === "observer") return false;
  let allowed = true;
  tr.mapping.maps.forEach((map, index) => {
    // Each step's ranges are in the document before that step; map them back to the
    // state's document, where the permission question can be asked.
    const back = tr.mapping.slice(0, index).invert();
    map.forEach((from, to) => {
      if (!allowed) return;
      const start = back.map(from, -1);
      const end = Math.max(start, back.map(to, 1));
      if (!mayEditAt(actor, state, start, end)) allowed = false;
    });
  });
  return allowed;
}

/**
 * The marks to continue `actor`'s own open insertion that ends right before `pos`, or null.
 * Brackets are not inclusive (typing at a bracket's edge must not join someone else's
 * proposal), so a delegation typing on at the end of its own words would otherwise open a
 * new bracket for every keystroke; this lets its words run on inside the same bracket.
 */
export function ownProposalBefore(actor: Actor, state: EditorState, pos: number): Mark[] | null {
  if (actor.role !== "delegation") return null;
  const $pos = state.doc.resolve(pos);
  const before = $pos.nodeBefore;
  if (!before?.isText || !$pos.parent.inlineContent) return null;
  const registry = getRegistry(state);
  const brackets = before.marks.filter((m) => m.type.name === "bracket");
  if (brackets.length === 0) return null;
  const inner = bracketsAt(draftOf(state), pos - 1);
  const innermost = inner[inner.length - 1];
  const entry = innermost ? registry.brackets[innermost] : undefined;
  if (entry?.status !== "open") return null;
  if (entry.kind !== "insertion" && entry.kind !== "alternative") return null;
  if (!entry.proposedBy.some((p) => speaksFor(actor, p.party))) return null;
  // The marks are copied onto the new words, so they must all be the actor's own: at the
  // end of another delegation's bracket nested in its own, the words before the cursor
  // carry the other's attribution, and the server would refuse words typed under it.
  const foreign = before.marks.some((m) => {
    if (m.type.name !== "attribution") return false;
    const attribution = registry.attributions[String(m.attrs.id)];
    return !attribution || !speaksFor(actor, attribution.party);
  });
  if (foreign) return null;
  return [...before.marks];
}

function insertContinuing(view: EditorView, marks: readonly Mark[], text: string): boolean {
  const { from } = view.state.selection;
  const tr = view.state.tr.insert(from, schema.text(text, marks));
  view.dispatch(tr.setMeta(typingKey, continuing).scrollIntoView());
  return true;
}

/**
 * Whose rights decide what typing does. The chair and the secretariat edit directly, unless
 * they are entering what a delegation says from the floor (`onBehalfOf`): then their typing
 * becomes that delegation's proposal, as if the delegation typed, recorded as entered by them.
 */
export function typingVoice(actor: Actor): Actor {
  if ((actor.role === "chair" || actor.role === "secretariat") && actor.onBehalfOf) {
    return { party: actor.onBehalfOf, role: "delegation", onBehalfOf: null };
  }
  return actor;
}

/**
 * Text typed at \`from\`–\`to\` by \`actor\`: false lets ProseMirror insert it as usual (the actor
 * may edit there), true means it was handled: run on inside the actor's own proposal,
 * proposed as a new bracketed insertion, or swallowed when the actor may not write at all.
 */
export function handleTyped(
  view: EditorView,
  actor: Actor,
  from: number,
  to: number,
  text: string,
): boolean {
  if (actor.role === "observer") return true;
  const voice = typingVoice(actor);
  if (mayEditAt(voice, view.state, from, to)) return false;
  if (from === to) {
    const marks = ownProposalBefore(voice, view.state, from);
    if (marks) return insertContinuing(view, marks, text);
    proposeInsertion(actor, text)(view.state, view.dispatch);
    return true;
  }
  proposeReplacement(actor, text)(view.state, view.dispatch);
  return true;
}

function handleDeleteKey(view: EditorView, actor: Actor, forward: boolean): boolean {
  if (actor.role === "observer") return true;
  const voice = typingVoice(actor);
  const { from, to, empty } = view.state.selection;
  if (!empty) {
    if (mayEditAt(voice, view.state, from, to)) return false;
    proposeDeletion(actor)(view.state, view.dispatch);
    return true;
  }
  // One character at a time of agreed text is rarely what a delegation means; a single
  // keystroke goes through only inside its own proposal, where ProseMirror's handling fits.
  const size = view.state.doc.content.size;
  const start = forward ? from : Math.max(0, from - 1);
  const end = forward ? Math.min(size, from + 1) : from;
  return !mayEditAt(voice, view.state, start, end);
}

/**
 * The plugin that turns typing into proposals where the acting participant may not edit
 * directly. `actorOf` is asked at every keystroke: the secretariat may switch the delegation
 * it speaks for between two.
 */
export function typingPlugin(actorOf: () => Actor): Plugin {
  return new Plugin({
    key: typingKey,
    filterTransaction: (tr, state) => mayApply(actorOf(), state, tr),
    props: {
      editable: () => actorOf().role !== "observer",
      handleTextInput: (view, from, to, text) => handleTyped(view, actorOf(), from, to, text),
      handlePaste: (view, _event, slice: Slice) => {
        const text = slice.content.textBetween(0, slice.content.size, "\n");
        const { from, to } = view.state.selection;
        return handleTyped(view, actorOf(), from, to, text);
      },
      handleKeyDown: (view, event) => {
        const actor = actorOf();
        if (event.key === "Backspace" || event.key === "Delete") {
          return handleDeleteKey(view, actor, event.key === "Delete");
        }
        if (event.key === "Enter") {
          // Splitting a paragraph changes the agreed structure; a delegation proposes
          // paragraphs through "Alternative wording" instead.
          const voice = typingVoice(actor);
          if (voice.role !== "delegation") return actor.role === "observer";
          const { from, to } = view.state.selection;
          return !mayEditAt(voice, view.state, from, to);
        }
        return false;
      },
    },
  });
}
