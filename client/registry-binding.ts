import type { EditorState, Transaction } from "prosemirror-state";
import type * as Y from "yjs";
import type { Registry, RegistryOp } from "../schema/registry.ts";
import { type RegistryMeta, registryKey, registryOpsOf } from "../schema/state.ts";
import { applyOpsToYDoc, draftTypes, registryFromYDoc } from "../schema/yregistry.ts";

// y-prosemirror syncs the document; the registry (brackets, positions, chair's texts,
// agreement) lives in top-level Y.Maps beside it and is mirrored here. Commands change the
// registry plugin state through ops in their transaction; the binding writes those same ops
// into the Y.Doc under its own origin, and turns every Y.Map change that does not carry that
// origin (remote peers, IndexedDB, the server's sync) into a `replace` of the plugin state.
// A local op is thus applied once to each representation, never echoed back.

/** The Y transaction origin of registry ops written by this client's editor. */
export const registryOrigin: unique symbol = Symbol("parley.registry");

/**
 * Apply `tr` to `state` (with any transactions plugins append) and write the registry ops
 * the applied transactions carry into `ydoc`. The ops go to the Y.Doc before the editor
 * state changes, so that the y-prosemirror update carrying the new marks reaches the server
 * after the registry entries they point at, never before. Returns the new state and every
 * transaction applied. Throws what `state.applyTransaction` throws.
 */
export function applyMirrored(
  state: EditorState,
  tr: Transaction,
  ydoc: Y.Doc,
): { state: EditorState; transactions: readonly Transaction[] } {
  const result = state.applyTransaction(tr);
  const ops: RegistryOp[] = [];
  for (const applied of result.transactions) ops.push(...registryOpsOf(applied));
  if (ops.length > 0) applyOpsToYDoc(ydoc, ops, registryOrigin);
  return result;
}

/** A transaction that replaces the registry of `state` with `registry`, outside history. */
export function replaceRegistryTransaction(state: EditorState, registry: Registry): Transaction {
  const meta: RegistryMeta = { replace: registry };
  return state.tr.setMeta(registryKey, meta).setMeta("addToHistory", false);
}

/**
 * Call `onRemote` with the whole registry read from `ydoc` after every transaction that
 * changes a registry map and does not come from this client's editor. Several maps changed
 * in one Y transaction produce one call. Returns a disposer.
 */
export function observeRemoteRegistry(
  ydoc: Y.Doc,
  onRemote: (registry: Registry) => void,
): () => void {
  const types = draftTypes(ydoc);
  const maps = new Set<unknown>([
    types.brackets,
    types.attributions,
    types.chairAlternatives,
    types.paragraphs,
    types.comments,
    types.meta,
  ]);
  const handler = (transaction: Y.Transaction): void => {
    if (transaction.origin === registryOrigin) return;
    // A change inside a bracket's nested map shows its top-level map among the changed
    // parent types; a key set on a top-level map shows the map itself as changed.
    const touched =
      [...transaction.changedParentTypes.keys()].some((type) => maps.has(type)) ||
      [...transaction.changed.keys()].some((type) => maps.has(type));
    if (touched) onRemote(registryFromYDoc(ydoc));
  };
  ydoc.on("afterTransaction", handler);
  return () => ydoc.off("afterTransaction", handler);
}
