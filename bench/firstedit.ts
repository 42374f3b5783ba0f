// The first edit of a loaded large draft, made honestly: a delegation proposes an insertion
// through the model's commands, written into Yjs as the browser's y-prosemirror binding
// writes it, with its registry entries in the same update, so Parley's permission guard
// accepts it (and does whatever it does at a room's first write). The peers are sent the
// same bytes.

import { type EditorState, TextSelection, type Transaction } from "prosemirror-state";
import { updateYFragment } from "y-prosemirror";
import * as Y from "yjs";
import { proposeInsertion } from "../schema/commands/index.ts";
import { draftFromYDoc } from "../schema/draft.ts";
import type { Actor } from "../schema/registry.ts";
import { createDraftState, registryOpsOf } from "../schema/state.ts";
import { applyOpsToYDoc, draftTypes } from "../schema/yregistry.ts";
import { editTag } from "./wire.ts";

type Mapping = Parameters<typeof updateYFragment>[3]["mapping"];
type MappedType = Mapping extends Map<infer K, unknown> ? K : never;

/**
 * The update by which `actor` proposes inserting the tag of edit `id` (so a receiver can see
 * it arrive) at the start of the first paragraph, from the middle of the draft on, where the
 * command agrees to run. `stored` is the draft as a Yjs update, exactly as the server holds
 * it; it is not changed. Throws a `RangeError` when no paragraph takes the proposal.
 */
export function firstEditUpdate(stored: Uint8Array, actor: Actor, id: number): Uint8Array {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, stored);
  const { doc, registry } = draftFromYDoc(ydoc);
  const state = createDraftState(doc, registry);
  const starts: number[] = [];
  doc.forEach((node, offset) => {
    if (node.inlineContent && node.content.size > 0) starts.push(offset + 1);
  });
  const middle = starts.length >> 1;
  const propose = proposeInsertion(actor, `${editTag(id)} `);
  const at = (pos: number) => (s: EditorState) =>
    s.tr.setSelection(TextSelection.create(s.doc, pos));
  // The command's probe, run on a caret there, says whether the proposal may be made.
  const pos = [...starts.slice(middle), ...starts.slice(0, middle)].find((p) =>
    propose(state.apply(at(p)(state))),
  );
  if (pos === undefined)
    throw new RangeError(`${actor.party} may propose in no paragraph of the draft`);
  try {
    let tr: Transaction | null = null;
    propose(state.apply(at(pos)(state)), (t) => {
      tr = t;
    });
    const done = tr as unknown as Transaction;
    const next = done.doc;
    // What the browser's sync plugin knows after its first render: which Yjs element each
    // block came from. Without it y-prosemirror compares every block of the draft afresh
    // and rewrites the formatting of thousands of runs in one update; with it only the
    // blocks the command replaced are written, as in a session.
    const fragment = draftTypes(ydoc).fragment;
    const mapping: Mapping = new Map();
    doc.forEach((block, _offset, index) => {
      const element = fragment.get(index);
      if (element) mapping.set(element as unknown as MappedType, block);
    });
    const before = Y.encodeStateVector(ydoc);
    ydoc.transact(() => {
      updateYFragment(ydoc, fragment, next, { mapping, isOMark: new Map() });
      applyOpsToYDoc(ydoc, registryOpsOf(done));
    });
    return Y.encodeStateAsUpdate(ydoc, before);
  } finally {
    ydoc.destroy();
  }
}
