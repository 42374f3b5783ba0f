// Shared pieces of the command tests: the actors of a session, editor states built from
// builder documents (selection from the <a> and <b> tags), and running a command the way
// an editor would, with its registry ops mirrored into a real Y.Doc.

import type { Node } from "prosemirror-model";
import { type Command, type EditorState, TextSelection, type Transaction } from "prosemirror-state";
import * as Y from "yjs";
import type { Actor, Registry } from "../../../schema/registry.ts";
import { createDraftState, getRegistry, registryOpsOf } from "../../../schema/state.ts";
import { applyOpsToYDoc, registryFromYDoc, registryToOps } from "../../../schema/yregistry.ts";
import { bracketEntry, type TaggedNode } from "../../builder.ts";

export const pakistan: Actor = { party: "Pakistan", role: "delegation" };
export const uae: Actor = { party: "United Arab Emirates", role: "delegation" };
export const algeria: Actor = {
  party: "Algeria",
  role: "delegation",
  onBehalfOf: "African Group",
};
export const chair: Actor = { party: "Chair", role: "chair" };
export const secretariat: Actor = { party: "Secretariat", role: "secretariat" };
export const secretariatForPakistan: Actor = {
  party: "Secretariat",
  role: "secretariat",
  onBehalfOf: "Pakistan",
};
export const observer: Actor = { party: "Press", role: "observer" };

/** An open bracket entry proposed by Pakistan unless overridden. */
export const open = bracketEntry;

/** An editor state for `doc` and `registry`, the selection spanning <a>–<b> or at <a>. */
export function stateOf(doc: TaggedNode, registry: Registry): EditorState {
  const state = createDraftState(doc, registry);
  const { a, b } = doc.tag;
  if (a === undefined) return state;
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, a, b ?? a)));
}

/** What running a command produced. */
export interface Outcome {
  readonly ok: boolean;
  readonly state: EditorState;
  readonly tr: Transaction | null;
  readonly dispatched: number;
}

/** Run `command` with a dispatch that applies the transaction, as an editor view does. */
export function run(state: EditorState, command: Command): Outcome {
  let tr: Transaction | null = null;
  let dispatched = 0;
  const ok = command(state, (t) => {
    tr = t;
    dispatched += 1;
  });
  const after: Transaction | null = tr;
  return { ok, state: after ? state.apply(after) : state, tr: after, dispatched };
}

/**
 * Run `command` and apply its registry ops to a Y.Doc seeded with the registry before it;
 * returns both registries after, which must be equal.
 */
export function runMirrored(
  state: EditorState,
  command: Command,
): { outcome: Outcome; json: Registry; ydoc: Registry } {
  const ydoc = new Y.Doc();
  applyOpsToYDoc(ydoc, registryToOps(getRegistry(state)));
  const outcome = run(state, command);
  if (outcome.tr) applyOpsToYDoc(ydoc, registryOpsOf(outcome.tr));
  return { outcome, json: getRegistry(outcome.state), ydoc: registryFromYDoc(ydoc) };
}

/** The text of every textblock, in order. */
export function texts(doc: Node): string[] {
  const out: string[] = [];
  doc.descendants((node) => {
    if (node.isTextblock) {
      out.push(node.textContent);
      return false;
    }
    return true;
  });
  return out;
}

/** The ids of the marks of type `name` on the text between `from` and `to`, each once. */
export function markIdsBetween(doc: Node, from: number, to: number, name: string): string[] {
  const ids = new Set<string>();
  doc.nodesBetween(from, to, (node) => {
    for (const mark of node.marks) if (mark.type.name === name) ids.add(String(mark.attrs.id));
  });
  return [...ids];
}

/** The ids of the marks of type `name` on the first run of text equal to `text`. */
export function marksOn(doc: Node, text: string, name: string): string[] {
  let found: string[] | null = null;
  doc.descendants((node) => {
    if (found) return false;
    if (node.isText && node.text === text) {
      found = node.marks.filter((m) => m.type.name === name).map((m) => String(m.attrs.id));
    }
    return true;
  });
  if (!found) throw new RangeError(`No text run "${text}" in ${doc.toString()}`);
  return found;
}
