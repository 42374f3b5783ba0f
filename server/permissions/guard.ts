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
//
// The shadow is built when the first update that changes something has to be judged, not
// when the room is opened: a copy costs as much time and memory as the live document (about
// 450 ms and 45 MB for a 200-page draft), and a room that is only read never needs one.
// Until then the live document stands in for the shadow wherever only its state is read.

/** The permission guard, with its refusal counts for metrics. */
export interface PermissionGuard extends UpdateGuard {
  /** How many updates each rule has refused since the guard was created. */
  readonly refusals: ReadonlyMap<string, number>;
  /** How many times a refused update forced a shadow to be rebuilt from its live document. */
  readonly rebuilds: number;
  /** How many open rooms hold a shadow copy (built on a room's first change, not on open). */
  readonly shadows: number;
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
  /** Null until the first update that changes something is checked. */
  shadow: Y.Doc | null;
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
function inStep(room: Room, shadow: Y.Doc): boolean {
  // Read from the struct stores: encoding and decoding state vectors cost more than this.
  const live = room.live.store;
  for (const client of shadow.store.clients.keys()) {
    if (room.bindings.isBurnt(client)) continue;
    if (Y.getState(live, client) !== Y.getState(shadow.store, client)) return false;
  }
  for (const client of live.clients.keys()) {
    if (Y.getState(shadow.store, client) !== Y.getState(live, client)) return false;
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
  function rebuild(room: Room): Y.Doc {
    rebuilds++;
    room.shadow?.destroy();
    room.shadow = makeShadow(room);
    return room.shadow;
  }

  /** A room's shadow, built now if no update has needed it yet. */
  function shadowOf(room: Room): Y.Doc {
    room.shadow ??= makeShadow(room);
    return room.shadow;
  }

  /**
   * Take a refused update back out of the shadow: delete what it added when that restores
   * the live document's content, otherwise rebuild the shadow from the live document.
   */
  function refuse(room: Room, shadow: Y.Doc, verdict: Refusal, pending: Pending): Verdict {
    count(verdict);
    const { footprint } = pending;
    if (footprint) room.bindings.burn([...footprint.added.keys()]);
    const store = shadow.store;
    const undoable =
      footprint !== null &&
      !footprint.deletedOld &&
      !pending.cleanedUp &&
      store.pendingStructs === null &&
      store.pendingDs === null;
    if (undoable) {
      deleteAdded(shadow, footprint.added, revertOrigin);
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
    // Before the first change the live document holds exactly what a shadow would.
    const current = room.shadow ?? room.live;
    let news: ReturnType<ClientBindings["newClients"]>;
    try {
      news = room.bindings.newClients(update, current, identity);
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
    const effect = updateEffect(current, update);
    if (effect.kind === "malformed") return count(refusal("update-malformed", effect.reason));
    if (effect.kind === "noop") return allowed;
    if (identity.role === "observer") {
      return count(refusal("observer-read-only", "Observers may not change the draft"));
    }
    const shadow = shadowOf(room);
    const pending: Pending = { identity, verdict: null, footprint: null, cleanedUp: false };
    room.pending = pending;
    let verdict: Verdict;
    try {
      Y.applyUpdate(shadow, update, checkOrigin);
      verdict = pending.verdict ?? allowed;
    } catch (error) {
      verdict = refusal("update-malformed", `Unappliable update: ${(error as Error).message}`);
      pending.cleanedUp = true;
    } finally {
      room.pending = null;
    }
    const store = shadow.store;
    if (verdict.ok && (store.pendingStructs !== null || store.pendingDs !== null)) {
      verdict = refusal(
        "update-incomplete",
        "The update depends on changes the server does not have",
      );
    }
    if (!verdict.ok) return refuse(room, shadow, verdict, pending);
    room.bindings.bind(news.clients, identity);
    return verdict;
  }

  return {
    refusals,
    get rebuilds() {
      return rebuilds;
    },
    get shadows() {
      let held = 0;
      for (const room of rooms.values()) if (room.shadow) held++;
      return held;
    },
    open(name, live) {
      if (rooms.has(name)) throw new RangeError(`The permission guard already has room ${name}`);
      const bindings = new ClientBindings();
      bindings.reserve(live.clientID);
      const room: Room = {
        live,
        bindings,
        shadow: null,
        index: new MarkIndex(),
        pending: null,
        mirror: (update) => {
          // Runs inside the live document's update event: never let it throw there.
          if (!room.shadow) return;
          try {
            Y.applyUpdate(room.shadow, update, mirrorOrigin);
          } catch {
            rebuild(room);
          }
        },
      };
      live.on("update", room.mirror);
      rooms.set(name, room);
    },
    check,
    accepted(name) {
      // The live document's update event has mirrored the update into the shadow already;
      // if the server applied less than was checked (Yjs threw half-way), start over.
      const room = rooms.get(name);
      if (room?.shadow && !inStep(room, room.shadow)) rebuild(room);
    },
    close(name) {
      const room = rooms.get(name);
      if (!room) return;
      room.live.off("update", room.mirror);
      room.shadow?.destroy();
      rooms.delete(name);
    },
  };
}
