import * as Y from "yjs";
import { draftTypes } from "../../schema/yregistry.ts";
import type { Identity, UpdateGuard, Verdict } from "../guard.ts";
import { updateEffect } from "../updates.ts";
import { ClientBindings } from "./clients.ts";
import { Era, newItems } from "./era.ts";
import { judgeTransaction } from "./judge.ts";
import { MarkIndex } from "./mark-index.ts";
import { deleteAdded, type Footprint, footprintOf } from "./revert.ts";
import type { RuleName } from "./rules.ts";

// The permission guard of DESIGN §5. Each open room has a shadow Y.Doc kept in step with
// the live one (every live update is mirrored into it). An incoming update is applied to
// the shadow first; its transaction is judged at `beforeObserverCalls`, when it can still
// be read item by item. An allowed update leaves the shadow equal to live + update, which
// is what the live document becomes next; a refused one leaves the shadow ahead of the
// live document with things that must never exist, so the shadow is rebuilt from the live
// document (refusals close the connection, so they are rare and costly to provoke). Most
// refused updates only add items; those are deleted again instead (revert.ts), which costs
// as much as the update itself rather than a full rebuild.

/** The permission guard, with its refusal counts for metrics. */
export interface PermissionGuard extends UpdateGuard {
  /** How many updates each rule has refused since the guard was created. */
  readonly refusals: ReadonlyMap<string, number>;
  /** How many times a refused update forced a shadow to be rebuilt from its live document. */
  readonly rebuilds: number;
}

/** Options of the permission guard. */
export interface PermissionGuardOptions {
  /** Updates larger than this many bytes are refused without being read (default 8 MiB). */
  readonly maxUpdateBytes?: number;
  /** See `JudgeOptions.localDiffs` (default true; false only to test the quick reading). */
  readonly localDiffs?: boolean;
}

interface Room {
  readonly live: Y.Doc;
  shadow: Y.Doc;
  /** Where the shadow's marks are (rebuilt with the shadow). */
  index: MarkIndex;
  readonly bindings: ClientBindings;
  /** The sender of the update being checked, and the verdict on its transaction. */
  pending: Pending | null;
  readonly mirror: (update: Uint8Array) => void;
}

/** The update being checked: its sender, the verdict and what it did to the shadow. */
interface Pending {
  readonly identity: Identity;
  verdict: Verdict | null;
  footprint: Footprint | null;
  /** Yjs deleted items on its own after the update (formatting cleanup). */
  cleanedUp: boolean;
}

type Refusal = Extract<Verdict, { ok: false }>;

const allowed: Verdict = { ok: true };

function refusal(rule: RuleName, reason: string): Refusal {
  return { ok: false, rule, reason };
}

const checkOrigin = Symbol("permission check");
const mirrorOrigin = Symbol("permission mirror");
const revertOrigin = Symbol("permission revert");

/**
 * Whether the shadow holds exactly the live document's structs, apart from the tombstones
 * of refused updates (whose client ids are burnt). Costs one look per client id.
 */
function inStep(room: Room): boolean {
  const live = Y.decodeStateVector(Y.encodeStateVector(room.live));
  const shadow = Y.decodeStateVector(Y.encodeStateVector(room.shadow));
  for (const [client, clock] of shadow) {
    if (!room.bindings.isBurnt(client) && live.get(client) !== clock) return false;
  }
  for (const [client, clock] of live) {
    if (shadow.get(client) !== clock) return false;
  }
  return true;
}

/**
 * Create the guard that checks every incoming update against the permission rules. `check`
 * throws a `RangeError` for a room that was not opened: that is a bug in the server.
 */
export function createPermissionGuard(options: PermissionGuardOptions = {}): PermissionGuard {
  const maxUpdateBytes = options.maxUpdateBytes ?? 8 * 1024 * 1024;
  const judgeOptions = { localDiffs: options.localDiffs ?? true };
  const rooms = new Map<string, Room>();
  const refusals = new Map<string, number>();
  let rebuilds = 0;

  function makeShadow(room: Room): Y.Doc {
    const shadow = new Y.Doc({ gc: room.live.gc });
    room.bindings.reserve(shadow.clientID);
    draftTypes(shadow);
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(room.live), mirrorOrigin);
    room.index = MarkIndex.build(draftTypes(shadow).fragment);
    shadow.on("beforeObserverCalls", (tr: Y.Transaction) => {
      // A refused update's marks stay listed until the rebuild; the index is a superset.
      for (const item of newItems(tr)) room.index.addItem(item);
      if (!room.pending) return;
      if (tr.origin !== checkOrigin) {
        if (tr.deleteSet.clients.size > 0) room.pending.cleanedUp = true;
        return;
      }
      room.pending.footprint = footprintOf(new Era(tr));
      try {
        room.pending.verdict = judgeTransaction(
          new Era(tr),
          room.pending.identity,
          draftTypes(shadow),
          room.index,
          judgeOptions,
        );
      } catch (error) {
        room.pending.verdict = {
          ok: false,
          rule: "update-malformed",
          reason: `The update could not be read: ${(error as Error).message}`,
        };
      }
    });
    return shadow;
  }

  /** Replace a room's shadow by a fresh copy of its live document. */
  function rebuild(room: Room): void {
    rebuilds++;
    room.shadow.destroy();
    room.shadow = makeShadow(room);
  }

  /**
   * Take a refused update back out of the shadow: delete what it added when that restores
   * the live document's content, otherwise rebuild the shadow from the live document.
   */
  function refuse(room: Room, verdict: Refusal, pending: Pending): Verdict {
    count(verdict);
    const { footprint } = pending;
    if (footprint) room.bindings.burn([...footprint.added.keys()]);
    const store = room.shadow.store;
    const undoable =
      footprint !== null &&
      !footprint.deletedOld &&
      !pending.cleanedUp &&
      store.pendingStructs === null &&
      store.pendingDs === null;
    if (undoable) {
      deleteAdded(room.shadow, footprint.added, revertOrigin);
    } else {
      rebuild(room);
    }
    return verdict;
  }

  /** Count a refusal that left the shadow untouched. */
  function count(verdict: Refusal): Refusal {
    refusals.set(verdict.rule, (refusals.get(verdict.rule) ?? 0) + 1);
    return verdict;
  }

  function check(name: string, update: Uint8Array, identity: Identity): Verdict {
    const room = rooms.get(name);
    if (!room) throw new RangeError(`The permission guard has no open room ${name}`);
    if (update.byteLength > maxUpdateBytes) {
      return count(refusal("update-too-large", `Updates are limited to ${maxUpdateBytes} bytes`));
    }
    let news: ReturnType<ClientBindings["newClients"]>;
    try {
      news = room.bindings.newClients(update, room.shadow, identity);
    } catch (error) {
      return count(refusal("update-malformed", `Unreadable update: ${(error as Error).message}`));
    }
    if ("foreign" in news) {
      return count(
        refusal("client-id-bound", `Client id ${news.foreign} belongs to another participant`),
      );
    }
    // Decided without applying anything, so a refusal here costs no rebuild: a client's
    // reconnect sends a sync step 2 that changes nothing, and an observer may send only that.
    const effect = updateEffect(room.shadow, update);
    if (effect.kind === "malformed") return count(refusal("update-malformed", effect.reason));
    if (effect.kind === "noop") return allowed;
    if (identity.role === "observer") {
      return count(refusal("observer-read-only", "Observers may not change the draft"));
    }
    const pending: Pending = { identity, verdict: null, footprint: null, cleanedUp: false };
    room.pending = pending;
    let verdict: Verdict;
    try {
      Y.applyUpdate(room.shadow, update, checkOrigin);
      verdict = pending.verdict ?? allowed;
    } catch (error) {
      verdict = refusal("update-malformed", `Unappliable update: ${(error as Error).message}`);
      pending.cleanedUp = true;
    } finally {
      room.pending = null;
    }
    const store = room.shadow.store;
    if (verdict.ok && (store.pendingStructs !== null || store.pendingDs !== null)) {
      verdict = refusal(
        "update-incomplete",
        "The update depends on changes the server does not have",
      );
    }
    if (!verdict.ok) return refuse(room, verdict, pending);
    room.bindings.bind(news.clients, identity);
    return verdict;
  }

  return {
    refusals,
    get rebuilds() {
      return rebuilds;
    },
    open(name, live) {
      if (rooms.has(name)) throw new RangeError(`The permission guard already has room ${name}`);
      const bindings = new ClientBindings();
      bindings.reserve(live.clientID);
      const room: Room = {
        live,
        bindings,
        shadow: undefined as unknown as Y.Doc,
        index: new MarkIndex(),
        pending: null,
        mirror: (update) => {
          // Runs inside the live document's update event: never let it throw there.
          try {
            Y.applyUpdate(room.shadow, update, mirrorOrigin);
          } catch {
            rebuild(room);
          }
        },
      };
      room.shadow = makeShadow(room);
      live.on("update", room.mirror);
      rooms.set(name, room);
    },
    check,
    accepted(name) {
      // The live document's update event has mirrored the update into the shadow already;
      // if the server applied less than was checked (Yjs threw half-way), start over.
      const room = rooms.get(name);
      if (room && !inStep(room)) rebuild(room);
    },
    close(name) {
      const room = rooms.get(name);
      if (!room) return;
      room.live.off("update", room.mirror);
      room.shadow.destroy();
      rooms.delete(name);
    },
  };
}
