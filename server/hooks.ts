import type { Logger } from "pino";
import type * as Y from "yjs";
import type { Identity, Verdict } from "./guard.ts";

// The extension points around a room's life, and the one way they are called: a faulty hook
// is logged, never allowed to stop a room from storing and relaying what it applied.

/** Typed hooks around a room's life, in the manner of Hocuspocus. Each takes one payload. */
export interface Hooks {
  /** A room's document was loaded from the store. */
  onLoad?(payload: { readonly room: string; readonly doc: Y.Doc }): void;
  /** A connection joined a room. */
  onConnect?(payload: { readonly room: string; readonly identity: Identity }): void;
  /** An update was applied and durably stored; it is about to be relayed. */
  onChange?(payload: {
    readonly room: string;
    readonly update: Uint8Array;
    readonly identity: Identity;
  }): void;
  /** The guard refused an update; the connection is being closed. */
  onRefuse?(payload: {
    readonly room: string;
    readonly identity: Identity;
    readonly verdict: Verdict;
  }): void;
  /**
   * The server is closing a connection for cause (refused update, malformed frame, flood,
   * slow reader, store failure); `reason` is the close reason. Not called at shutdown.
   */
  onKick?(payload: {
    readonly room: string;
    readonly identity: Identity;
    readonly code: number;
    readonly reason: string;
  }): void;
  /** A connection left a room. */
  onDisconnect?(payload: { readonly room: string; readonly identity: Identity }): void;
  /** A room's state was stored and it left memory. */
  onUnload?(payload: { readonly room: string }): void;
}

/**
 * Call a hook or guard callback, logging instead of propagating what it throws: a faulty
 * extension must not stop a room from storing and relaying what it already applied.
 */
export function safely(log: Logger, what: string, call: () => void): boolean {
  try {
    call();
    return true;
  } catch (error) {
    log.error({ err: error }, `${what} threw`);
    return false;
  }
}
