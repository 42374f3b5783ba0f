import { baseKeymap } from "prosemirror-commands";
import { keymap } from "prosemirror-keymap";
import { EditorState, type Plugin } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { redoCommand, undoCommand, yCursorPlugin, ySyncPlugin, yUndoPlugin } from "y-prosemirror";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import type { Actor } from "../schema/registry.ts";
import { schema } from "../schema/schema.ts";
import { registryPlugin } from "../schema/state.ts";
import { draftTypes, registryFromYDoc } from "../schema/yregistry.ts";
import { blockIdsPlugin, splitParagraph } from "./block-ids.ts";
import { type BracketView, bracketsPlugin } from "./brackets.ts";
import { gutterPlugin } from "./gutter.ts";
import { party } from "./i18n.ts";
import {
  applyMirrored,
  observeRemoteRegistry,
  replaceRegistryTransaction,
} from "./registry-binding.ts";
import { writeInsertionsFirst } from "./text-sync.ts";
import { typingPlugin } from "./typing.ts";

// The editor: ProseMirror bound to the Y.Doc. y-prosemirror syncs the document, shows the
// others' cursors and keeps a collaborative undo history (only this client's changes are
// undone); the registry binding mirrors the negotiation facts; the decorations draw brackets
// and numbers; the typing plugin keeps a delegation's keystrokes within its rights.

/** What an editor needs to know about its session. */
export interface EditorOptions {
  readonly ydoc: Y.Doc;
  readonly awareness: Awareness;
  /** Who the user is (the token's identity): their presence is shown under this name. */
  readonly actor: Actor;
  /** Who the user acts as now (the secretariat may speak for a delegation). */
  readonly actingAs: () => Actor;
  readonly view: Partial<BracketView>;
  /** Extra plugins (keymaps of the action catalogue, toolbars' views). */
  readonly plugins: readonly Plugin[];
  /** Called after every state change, with the new state. */
  readonly onState: (state: EditorState) => void;
}

/** A running editor. */
export interface Editor {
  readonly view: EditorView;
  destroy(): void;
}

const palette = ["#1f6f8b", "#9c4f2e", "#5b7f2a", "#7a4a8c", "#a23b5c", "#2e6b5e", "#8a6d1f"];

/** A stable colour for a party's cursor, the same on every peer. */
export function partyColor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length]!;
}

// y-prosemirror keys a cursor widget by client id, so ProseMirror keeps its DOM when the
// interface language changes; both names are carried and CSS shows the one for `html[lang]`.
function cursorBuilder(user: { name?: string; color?: string }): HTMLElement {
  const cursor = document.createElement("span");
  cursor.className = "remote-cursor";
  cursor.style.borderColor = user.color ?? "#888";
  const label = document.createElement("span");
  label.className = "remote-cursor-label";
  label.style.backgroundColor = user.color ?? "#888";
  label.dataset.en = party("en", user.name ?? "?");
  label.dataset.zh = party("zh", user.name ?? "?");
  cursor.append(label);
  return cursor;
}

/** The plugins of a draft editor for `actor`, in the order their states depend on. */
export function editorPlugins(options: EditorOptions): Plugin[] {
  const { ydoc, awareness } = options;
  return [
    registryPlugin(registryFromYDoc(ydoc)),
    ySyncPlugin(draftTypes(ydoc).fragment),
    yCursorPlugin(awareness, { cursorBuilder }),
    yUndoPlugin(),
    typingPlugin(options.actingAs),
    blockIdsPlugin(),
    ...options.plugins,
    keymap({
      "Mod-z": undoCommand,
      "Mod-y": redoCommand,
      "Mod-Shift-z": redoCommand,
      Enter: splitParagraph,
    }),
    keymap(baseKeymap),
    // The gutter reads the bracket view (language) from the new state, so it comes after.
    bracketsPlugin(options.view),
    gutterPlugin(),
  ];
}

/**
 * Mount an editor for `options.ydoc` in `place`. The local user's presence (party name and
 * colour) is published on the awareness; the server rewrites it from the token anyway.
 */
export function createEditor(place: HTMLElement, options: EditorOptions): Editor {
  const { ydoc, awareness, actor } = options;
  awareness.setLocalStateField("user", { name: actor.party, color: partyColor(actor.party) });
  const state = EditorState.create({ schema, plugins: editorPlugins(options) });
  const view: EditorView = new EditorView(place, {
    state,
    attributes: {
      class: "draft",
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": "Draft",
      spellcheck: "false",
    },
    // `this`, not `view`: y-prosemirror dispatches while the view is still being built.
    dispatchTransaction(this: EditorView, tr) {
      // y-prosemirror batches cursor updates into a timeout that may fire after a refused
      // session's view was destroyed; there is nothing left to update then.
      if (this.isDestroyed) return;
      const result = applyMirrored(this.state, tr, ydoc);
      writeInsertionsFirst(this.state, result.transactions, ydoc);
      this.updateState(result.state);
      options.onState(result.state);
    },
  });
  const stopObserving = observeRemoteRegistry(ydoc, (registry) => {
    view.dispatch(replaceRegistryTransaction(view.state, registry));
  });
  return {
    view,
    destroy() {
      stopObserving();
      view.destroy();
    },
  };
}
