import * as awarenessProtocol from "y-protocols/awareness";
import type * as Y from "yjs";
import type { Connection } from "./connection.ts";
import { prepareFrame } from "./frames.ts";
import {
  claimEntries,
  readAwarenessUpdate,
  rewritePresence,
  writeAwarenessUpdate,
} from "./presence.ts";
import { CloseCode, encodeAwareness } from "./protocol.ts";

// One room's presence (awareness): the states its connections set, each client id owned by
// the connection that first set it, every `user` field rewritten from the connection's token
// (presence.ts), and every change relayed to all of the room's connections at once.

/** The presence of one room, relayed to `connections` (the room's own set, read live). */
export class RoomPresence {
  readonly #awareness: awarenessProtocol.Awareness;
  readonly #owners = new Map<number, Connection>();

  constructor(
    doc: Y.Doc,
    private readonly connections: ReadonlySet<Connection>,
  ) {
    this.#awareness = new awarenessProtocol.Awareness(doc);
    this.#awareness.setLocalState(null);
    this.#awareness.on("update", this.#relay);
  }

  /** Whether no client has a state. */
  get empty(): boolean {
    return this.#awareness.getStates().size === 0;
  }

  /** Every client's state, as one awareness message. */
  everyone(): Uint8Array {
    const clients = [...this.#awareness.getStates().keys()];
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, clients));
  }

  /** Apply the entries of `conn`'s awareness update that it may set; close it when malformed. */
  receive(conn: Connection, update: Uint8Array): void {
    const entries = readAwarenessUpdate(update);
    if (!entries) {
      conn.close(CloseCode.malformed, "malformed", "undecodable awareness update");
      return;
    }
    const allowed = claimEntries(entries, this.#owners, conn);
    if (allowed.length === 0) return;
    const rewritten = rewritePresence(allowed, conn.identity);
    awarenessProtocol.applyAwarenessUpdate(this.#awareness, writeAwarenessUpdate(rewritten), conn);
  }

  /** Remove the states of `conn`, which has left. */
  remove(conn: Connection): void {
    const clients = [...conn.awarenessClients];
    for (const client of clients) this.#owners.delete(client);
    if (clients.length > 0) awarenessProtocol.removeAwarenessStates(this.#awareness, clients, null);
  }

  /**
   * The room's document was rebuilt. Presence holds no document state; only the document's
   * client id is read from it.
   */
  replaceDoc(doc: Y.Doc): void {
    this.#awareness.doc = doc;
  }

  /** Stop relaying and let go of every state: the room is leaving memory. */
  destroy(): void {
    this.#awareness.off("update", this.#relay);
    this.#awareness.destroy();
  }

  readonly #relay = (changes: { added: number[]; updated: number[]; removed: number[] }): void => {
    const clients = [...changes.added, ...changes.updated, ...changes.removed];
    const frame = prepareFrame(
      encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, clients)),
    );
    for (const conn of this.connections) conn.sendPrepared(frame);
  };
}
