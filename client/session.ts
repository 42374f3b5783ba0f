import type { EditorState, Plugin } from "prosemirror-state";
import * as Y from "yjs";
import type { Actor } from "../schema/registry.ts";
import type { BracketView } from "./brackets.ts";
import { type Connection, type ConnectionEvents, clearLocalStore, connect } from "./connection.ts";
import { createEditor, type Editor } from "./editor.ts";
import type { Invitation } from "./invitation.ts";

// One life of the document in this tab: a Y.Doc, its connection and its editor. A refused
// update ends a session; the next one starts from an empty Y.Doc and an empty IndexedDB,
// so nothing of the refused state can leak into it.

/** What a session reports to the page around it. */
export interface SessionEvents extends ConnectionEvents {
  onEditorState(state: EditorState): void;
}

/** A running session. */
export interface Session {
  readonly ydoc: Y.Doc;
  readonly connection: Connection;
  readonly editor: Editor;
  /** Tear the session down; with `clearLocal`, also delete its IndexedDB copy. */
  destroy(clearLocal?: boolean): Promise<void>;
}

/** Start a session for `invitation`, mounting its editor in `place`. */
export function startSession(
  place: HTMLElement,
  invitation: Invitation,
  view: Partial<BracketView>,
  actingAs: () => Actor,
  plugins: readonly Plugin[],
  events: SessionEvents,
): Session {
  const ydoc = new Y.Doc();
  const connection = connect(ydoc, invitation, events);
  const editor = createEditor(place, {
    ydoc,
    awareness: connection.provider.awareness,
    actor: invitation.actor,
    actingAs,
    view,
    plugins,
    onState: events.onEditorState,
  });
  return {
    ydoc,
    connection,
    editor,
    async destroy(clearLocal = false) {
      editor.destroy();
      connection.destroy();
      ydoc.destroy();
      if (clearLocal) await clearLocalStore(invitation);
    },
  };
}
