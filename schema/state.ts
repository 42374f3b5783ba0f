import type { Node } from "prosemirror-model";
import {
  EditorState,
  type Plugin,
  PluginKey,
  Plugin as PMPlugin,
  type Transaction,
} from "prosemirror-state";
import { applyRegistryOps, type Registry, type RegistryOp } from "./registry.ts";

// The registry travels with the ProseMirror state as plugin state, so commands stay pure
// `(state, dispatch?) => boolean` functions that change the document and the registry in
// one transaction, headless or in the browser. In the browser a binding (client/) mirrors
// the ops into the Y.Doc and feeds remote registry changes back as `replace`.

/** What a transaction may carry for the registry. */
export type RegistryMeta = { readonly ops: readonly RegistryOp[] } | { readonly replace: Registry };

/** The key of the registry plugin; its state is the current `Registry`. */
export const registryKey = new PluginKey<Registry>("parleyRegistry");

/** The plugin that keeps the registry in the editor state, starting from `initial`. */
export function registryPlugin(initial: Registry): Plugin<Registry> {
  return new PMPlugin<Registry>({
    key: registryKey,
    state: {
      init: () => initial,
      apply(tr, registry) {
        const meta = tr.getMeta(registryKey) as RegistryMeta | undefined;
        if (!meta) return registry;
        return "replace" in meta ? meta.replace : applyRegistryOps(registry, meta.ops);
      },
    },
  });
}

/**
 * The registry of `state`. Throws a `RangeError` when the state was created without the
 * registry plugin, which is a programming error, not a condition to handle.
 */
export function getRegistry(state: EditorState): Registry {
  const registry = registryKey.getState(state);
  if (!registry) throw new RangeError("This editor state has no registry plugin");
  return registry;
}

/** The registry ops a transaction carries (empty when it carries none or a replacement). */
export function registryOpsOf(tr: Transaction): readonly RegistryOp[] {
  const meta = tr.getMeta(registryKey) as RegistryMeta | undefined;
  return meta && "ops" in meta ? meta.ops : [];
}

/** Add registry ops to a transaction, after any it already carries. */
export function addRegistryOps(tr: Transaction, ops: readonly RegistryOp[]): Transaction {
  return tr.setMeta(registryKey, { ops: [...registryOpsOf(tr), ...ops] });
}

/** An editor state for a draft, with the registry plugin and any further plugins. */
export function createDraftState(
  doc: Node,
  registry: Registry,
  plugins: readonly Plugin[] = [],
): EditorState {
  return EditorState.create({ doc, plugins: [registryPlugin(registry), ...plugins] });
}

/** The draft an editor state holds: its document and its registry. */
export function draftOf(state: EditorState): { doc: Node; registry: Registry } {
  return { doc: state.doc, registry: getRegistry(state) };
}
