import type * as Y from "yjs";
import type { Role } from "../schema/registry.ts";

// The one place where every incoming document update is inspected before it is applied to
// a room's document or relayed (sync step 2 and update messages alike). The permission
// checks of DESIGN §5 are a guard; so is the observer's read-only rule.

/** Who a connection is, as read from its signed invitation token. */
export interface Identity {
  /** The document the token opens. */
  readonly docId: string;
  readonly party: string;
  readonly role: Role;
  readonly onBehalfOf: string | null;
  /** The invitation the token was issued for. */
  readonly invitation: string;
}

/** A guard's decision on one update. */
export type Verdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** A short stable name of the rule, used in close reasons and metrics. */
      readonly rule: string;
      /** A sentence for the user and the log. */
      readonly reason: string;
    };

/** Inspects incoming updates of the rooms it is opened for. */
export interface UpdateGuard {
  /** A room's document has been loaded, before any client is served from it. */
  open(room: string, doc: Y.Doc): void;
  /**
   * Decide on an update sent by a connection with `identity`. Must not change the live
   * document. Called before the update is applied or relayed.
   */
  check(room: string, update: Uint8Array, identity: Identity): Verdict;
  /** An update this guard allowed has been applied to the room's live document. */
  accepted(room: string, update: Uint8Array): void;
  /** The room has left memory. */
  close(room: string): void;
}

/** Allows everything except writes by observers: the rule a plain relay can enforce. */
export const observerGuard: UpdateGuard = {
  open() {},
  check(_room, _update, identity) {
    return identity.role === "observer"
      ? { ok: false, rule: "observer-read-only", reason: "Observers may not change the draft" }
      : { ok: true };
  },
  accepted() {},
  close() {},
};
