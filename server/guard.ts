import * as Y from "yjs";
import type { Role } from "../schema/registry.ts";

// The one place where every incoming document update is judged as it is applied to a room's
// document, before it is stored or relayed (sync step 2 and update messages alike). The
// permission checks of DESIGN §5 are a guard; so is the observer's read-only rule.

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

/** What became of an update given to a guard. */
export interface Outcome {
  readonly verdict: Verdict;
  /**
   * Whether a refused update got into the document before it was judged. The document then
   * holds things that must never exist, and the caller must replace it (with one rebuilt
   * from what it accepted, then `replace`) before anything reads it. False when the verdict
   * allows the update, or refuses it before applying anything.
   */
  readonly touched: boolean;
}

/** Judges and applies the incoming updates of the rooms it is opened for. */
export interface UpdateGuard {
  /** A room's document has been loaded, before any client is served from it. */
  open(room: string, doc: Y.Doc): void;
  /**
   * Apply `update`, sent by a connection with `identity`, to the room's document `doc` if
   * the rules allow it. The guard applies it itself, so that it can judge what the update
   * changed before anyone else sees it; everything the document emits meanwhile belongs to
   * this update (stored and relayed when allowed, dropped when refused). Only updates that
   * change the document reach a guard: the room drops malformed ones and no-ops before
   * (`updateEffect`), so that a reconnecting observer's sync step 2 is never refused, and
   * pass on the `ends` it read (each client's clock past its last struct in `update`).
   */
  apply(
    room: string,
    doc: Y.Doc,
    update: Uint8Array,
    identity: Identity,
    ends: ReadonlyMap<number, number>,
  ): Outcome;
  /** The room's document was replaced by `doc` (rebuilt after a touched refusal). */
  replace(room: string, doc: Y.Doc): void;
  /** The room has left memory. */
  close(room: string): void;
}

/** Allows everything except writes by observers: the rule a plain relay can enforce. */
export const observerGuard: UpdateGuard = {
  open() {},
  apply(_room, doc, update, identity) {
    if (identity.role === "observer") {
      return {
        verdict: {
          ok: false,
          rule: "observer-read-only",
          reason: "Observers may not change the draft",
        },
        touched: false,
      };
    }
    try {
      Y.applyUpdate(doc, update);
    } catch (error) {
      // Yjs may have integrated part of it before it threw.
      return {
        verdict: {
          ok: false,
          rule: "update-malformed",
          reason: `Unappliable update: ${(error as Error).message}`,
        },
        touched: true,
      };
    }
    return { verdict: { ok: true }, touched: false };
  },
  replace() {},
  close() {},
};
