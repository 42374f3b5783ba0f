import type { Command, EditorState } from "prosemirror-state";
import { redoCommand, undoCommand } from "y-prosemirror";
import {
  adoptChairAlternative,
  dropProposal,
  liftBracket,
  proposeAlternativeWording,
  proposeChairAlternative,
  proposeDeletion,
  proposeInsertion,
  proposeReplacement,
  setAgreement,
  statePosition,
  withdrawChairAlternative,
  withdrawProposal,
} from "../schema/commands/index.ts";
import { bracketsAt } from "../schema/queries.ts";
import type { Actor, Stance } from "../schema/registry.ts";
import { draftOf } from "../schema/state.ts";
import type { MessageKey } from "./i18n.ts";

// The catalogue of everything a participant can do, shared by the toolbar, the context menu
// and the keyboard shortcuts. Each action builds a model command for the current actor and
// selection; a control is enabled exactly when probing that command (without dispatch)
// returns true, so the interface mirrors the permission rules without restating them.

/** Where an action sits in the toolbar. */
export type ActionGroup = "propose" | "position" | "decide" | "history";

/** What an action asks the user for before it runs. */
export type ActionInput =
  | { readonly kind: "none" }
  | { readonly kind: "text"; readonly prompt: MessageKey; readonly multiline: boolean };

/** One thing a participant can do. */
export interface Action {
  readonly id: string;
  readonly group: ActionGroup;
  readonly label: MessageKey;
  /** A prosemirror-keymap key name ("Mod-Alt-i"), or null for none. */
  readonly shortcut: string | null;
  readonly input: ActionInput;
  /**
   * The command for `actor` in `state` given the user's `input` (ignored by actions that
   * take none), or null when the selection offers nothing to act on.
   */
  command(actor: Actor, state: EditorState, input: string): Command | null;
}

/** Text used to probe commands that take words: its content does not decide permission. */
export const probeText = "…";

/** The innermost bracket at the selection's head, or null when the head is in none. */
export function bracketAtSelection(state: EditorState): string | null {
  const ids = bracketsAt(draftOf(state), state.selection.head);
  return ids[ids.length - 1] ?? null;
}

/** The id of the textblock holding the selection's head, or null. */
export function blockAtSelection(state: EditorState): string | null {
  const $head = state.selection.$head;
  for (let depth = $head.depth; depth > 0; depth--) {
    const id = $head.node(depth).attrs.id;
    if (typeof id === "string" && id) return id;
  }
  return null;
}

/** The ids of the blocks the selection touches, in document order. */
export function blocksInSelection(state: EditorState): string[] {
  const { from, to } = state.selection;
  const ids: string[] = [];
  state.doc.nodesBetween(from, Math.max(to, from + 1), (node) => {
    if (!node.isTextblock) return true;
    const id = node.attrs.id;
    if (typeof id === "string" && id && !ids.includes(id)) ids.push(id);
    return false;
  });
  return ids;
}

/** The chair's alternative whose mark is at the selection's head, or null. */
export function chairAlternativeAtSelection(state: EditorState): string | null {
  const $head = state.selection.$head;
  const node = $head.nodeAfter ?? $head.nodeBefore;
  const mark = node?.marks.find((m) => m.type.name === "chairAlternative");
  return mark ? String(mark.attrs.id) : null;
}

function position(id: string, stance: Stance, shortcut: string | null): Action {
  const takesText = stance === "replace" || stance === "comment";
  return {
    id,
    group: "position",
    label: `action.${stance}` as MessageKey,
    shortcut,
    input: takesText
      ? {
          kind: "text",
          prompt: stance === "replace" ? "prompt.replaceStance" : "prompt.comment",
          multiline: false,
        }
      : { kind: "none" },
    command(actor, state, input) {
      const bracket = bracketAtSelection(state);
      if (!bracket) return null;
      return statePosition(actor, bracket, stance, takesText ? { text: input } : {});
    },
  };
}

function agreement(id: string, value: "agreed" | "adRef" | null, label: MessageKey): Action {
  return {
    id,
    group: "decide",
    label,
    shortcut: null,
    input: { kind: "none" },
    command(actor, state) {
      const block = blockAtSelection(state);
      return block ? setAgreement(actor, block, value) : null;
    },
  };
}

/**
 * An action on the thing under the selection, found by `target` (the bracket, the chair's
 * text): it offers nothing when there is none.
 */
function onSelected(
  id: string,
  group: ActionGroup,
  shortcut: string | null,
  target: (state: EditorState) => string | null,
  command: (actor: Actor, id: string) => Command,
): Action {
  return {
    id,
    group,
    label: `action.${id}` as MessageKey,
    shortcut,
    input: { kind: "none" },
    command(actor, state) {
      const found = target(state);
      return found ? command(actor, found) : null;
    },
  };
}

/** Every action, in toolbar order. */
export const actions: readonly Action[] = [
  {
    id: "proposeInsertion",
    group: "propose",
    label: "action.proposeInsertion",
    shortcut: "Mod-Alt-i",
    input: { kind: "text", prompt: "prompt.insertion", multiline: false },
    command: (actor, _state, input) => proposeInsertion(actor, input),
  },
  {
    id: "proposeDeletion",
    group: "propose",
    label: "action.proposeDeletion",
    shortcut: "Mod-Alt-d",
    input: { kind: "none" },
    command: (actor) => proposeDeletion(actor),
  },
  {
    id: "proposeReplacement",
    group: "propose",
    label: "action.proposeReplacement",
    shortcut: "Mod-Alt-r",
    input: { kind: "text", prompt: "prompt.replacement", multiline: false },
    command: (actor, _state, input) => proposeReplacement(actor, input),
  },
  {
    id: "proposeAlternativeWording",
    group: "propose",
    label: "action.proposeAlternativeWording",
    shortcut: "Mod-Alt-w",
    input: { kind: "text", prompt: "prompt.alternative", multiline: true },
    command(actor, state, input) {
      const block = blockAtSelection(state);
      return block ? proposeAlternativeWording(actor, block, input) : null;
    },
  },
  position("support", "support", "Mod-Alt-s"),
  position("oppose", "oppose", "Mod-Alt-o"),
  position("reserve", "reserve", null),
  position("accept", "accept", null),
  position("retain", "retain", null),
  position("delete", "delete", null),
  position("replace", "replace", null),
  position("comment", "comment", null),
  onSelected("withdrawProposal", "position", "Mod-Alt-z", bracketAtSelection, withdrawProposal),
  onSelected("liftBracket", "decide", "Mod-Alt-l", bracketAtSelection, liftBracket),
  onSelected("dropProposal", "decide", null, bracketAtSelection, dropProposal),
  {
    id: "proposeChairAlternative",
    group: "decide",
    label: "action.proposeChairAlternative",
    shortcut: "Mod-Alt-c",
    input: { kind: "text", prompt: "prompt.chairAlternative", multiline: true },
    command(actor, state, input) {
      const replaces = blocksInSelection(state);
      const paragraphs = input.split(/\n+/).filter((line) => line.trim() !== "");
      if (replaces.length === 0 || paragraphs.length === 0) return null;
      return proposeChairAlternative(actor, replaces, paragraphs);
    },
  },
  onSelected(
    "adoptChairAlternative",
    "decide",
    null,
    chairAlternativeAtSelection,
    adoptChairAlternative,
  ),
  onSelected(
    "withdrawChairAlternative",
    "decide",
    null,
    chairAlternativeAtSelection,
    withdrawChairAlternative,
  ),
  agreement("agreed", "agreed", "action.agreed"),
  agreement("adRef", "adRef", "action.adRef"),
  agreement("clearAgreement", null, "action.clearAgreement"),
  {
    id: "undo",
    group: "history",
    label: "action.undo",
    shortcut: "Mod-z",
    input: { kind: "none" },
    command: (actor) => (actor.role === "observer" ? null : undoCommand),
  },
  {
    id: "redo",
    group: "history",
    label: "action.redo",
    shortcut: "Mod-Shift-z",
    input: { kind: "none" },
    command: (actor) => (actor.role === "observer" ? null : redoCommand),
  },
];

/**
 * Whether `action` can run now for `actor`: its command exists for the selection and its
 * probe (without dispatch) succeeds. A command that throws while probing counts as
 * unavailable, so one broken command cannot take the whole toolbar down.
 */
export function isEnabled(action: Action, actor: Actor, state: EditorState): boolean {
  try {
    const command = action.command(actor, state, probeText);
    return command !== null && command(state) === true;
  } catch {
    return false;
  }
}

/** The actions `actor` may take at all, whatever the selection: the ones to show. */
export function visibleActions(actor: Actor): readonly Action[] {
  switch (actor.role) {
    case "observer":
      return [];
    case "delegation":
      return actions.filter((a) => a.group !== "decide");
    case "secretariat":
      return actions.filter((a) => !a.id.includes("ChairAlternative"));
    case "chair":
      return actions;
    default: {
      const never: never = actor.role;
      throw new RangeError(`Unknown role ${String(never)}`);
    }
  }
}
