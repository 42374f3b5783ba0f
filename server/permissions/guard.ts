import * as Y from "yjs";
import { docFragmentName, draftTypes } from "../../schema/yregistry.ts";
import type { Identity, Outcome, UpdateGuard, Verdict } from "../guard.ts";
import { ClientBindings } from "./clients.ts";
import { Era, newItems } from "./era.ts";
import { judgeTransaction } from "./judge.ts";
import { MarkIndex } from "./mark-index.ts";
import type { RuleName } from "./rules.ts";
import { changesRegistry, TypingVerdicts } from "./typing.ts";

// The permission guard of DESIGN §5. An incoming update is applied to the room's document
// by the guard itself, in one transaction that is judged at `beforeObserverCalls`, when it
// can still be read item by item (what it added, what it deleted, each side's marks) and
// before anything else has seen it. An allowed update stays: the room stores and relays
// what Yjs emitted. A refused one that got as far as the document leaves it holding things
// that must never exist, and Yjs cannot take integrated items back out; the room then
// replaces the document with one rebuilt from what it had accepted (see Room), and tells
// the guard with `replace`. Refusals close the connection, so they are rare and costly to
// provoke; most refusals (spoofed client ids, observers, oversize or unreadable bytes) are
// decided before anything is applied and cost no rebuild.
//
// Keystrokes are most of what a room judges. The guard remembers, per sender, the sets of
// marks it was allowed to type under, and judges a keystroke under a remembered set without
// running the word rules again; it forgets them all at any change to the registry
// (typing.ts).
//
// An earlier design judged each update on a shadow copy of the document and then applied it
// again to the live one: twice the memory of every room written to (about 45 MB more for a
// 200-page draft), a second apply per update, and a full copy built at a room's first write.

/** The permission guard, with its refusal counts for metrics. */
export interface PermissionGuard extends UpdateGuard {
  /** How many updates each rule has refused since the guard was created. */
  readonly refusals: ReadonlyMap<string, number>;
  /** How many refused updates had reached a document, which then had to be rebuilt. */
  readonly touchedRefusals: number;
}

/** Options of the permission guard. */
export interface PermissionGuardOptions {
  /** Updates larger than this many bytes are refused without being read (default 8 MiB). */
  readonly maxUpdateBytes?: number;
  /** See `JudgeOptions.localDiffs` (default true; false only to test the quick reading). */
  readonly localDiffs?: boolean;
  /**
   * Remember the mark sets each sender was allowed to type under until the registry changes
   * (typing.ts; default true; false only to test it against judging every keystroke in full).
   */
  readonly typingVerdicts?: boolean;
}

interface Room {
  doc: Y.Doc;
  /** Where the document's marks are; built when the first change has to be judged. */
  index: MarkIndex | null;
  /** Mark sets each sender may type under while the registry is unchanged; null when off. */
  readonly typing: TypingVerdicts | null;
  readonly bindings: ClientBindings;
  /** The sender of the update being applied, and the verdict on its transaction. */
  pending: Pending | null;
  watch: (tr: Y.Transaction) => void;
}

/** The update being applied: its sender, the verdict and the clients it added structs of. */
interface Pending {
  readonly identity: Identity;
  verdict: Verdict | null;
  added: number[];
}

type Refusal = Extract<Verdict, { ok: false }>;

const allowed: Verdict = { ok: true };

/** The origin of the transactions in which the guard applies and judges updates. */
const checkOrigin = Symbol("permission check");

function refusal(rule: RuleName, reason: string): Refusal {
  return { ok: false, rule, reason };
}

/** The draft's root fragment, the one root type that is not part of the registry. */
function fragmentOf(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(docFragmentName);
}

/** The client ids a transaction added structs of. */
function addedClients(tr: Y.Transaction): number[] {
  const clients: number[] = [];
  for (const [client, after] of tr.afterState) {
    if (after > (tr.beforeState.get(client) ?? 0)) clients.push(client);
  }
  return clients;
}

/**
 * Create the guard that checks every incoming update against the permission rules. `apply`
 * throws a `RangeError` for a room that was not opened, or opened with another document:
 * that is a bug in the server.
 */
export function createPermissionGuard(options: PermissionGuardOptions = {}): PermissionGuard {
  const maxUpdateBytes = options.maxUpdateBytes ?? 8 * 1024 * 1024;
  const judgeOptions = { localDiffs: options.localDiffs ?? true };
  const rooms = new Map<string, Room>();
  const refusals = new Map<string, number>();
  let touchedRefusals = 0;

  /** Judge the guard's own transactions, and index the marks every transaction adds. */
  function watcher(room: Room): (tr: Y.Transaction) => void {
    return (tr) => {
      if (room.index) for (const item of newItems(tr)) room.index.addItem(item);
      // Whoever changed the registry, what was allowed to be typed may no longer be.
      const registryChanged = room.typing !== null && changesRegistry(tr, fragmentOf(room.doc));
      if (registryChanged) room.typing?.clear();
      const pending = room.pending;
      // Yjs runs formatting cleanups as transactions of their own inside the update's; only
      // the update's own transaction is judged (the cleanup only deletes what it made
      // redundant, and is stored and relayed with it).
      if (!pending || pending.verdict !== null || tr.origin !== checkOrigin) return;
      pending.added = addedClients(tr);
      try {
        pending.verdict = judgeTransaction(
          new Era(tr),
          pending.identity,
          draftTypes(room.doc),
          indexOf(room),
          judgeOptions,
          registryChanged ? null : room.typing,
        );
      } catch (error) {
        pending.verdict = refusal(
          "update-malformed",
          `The update could not be read: ${(error as Error).message}`,
        );
      }
    };
  }

  function indexOf(room: Room): MarkIndex {
    room.index ??= MarkIndex.build(draftTypes(room.doc).fragment);
    return room.index;
  }

  function count(verdict: Refusal): Refusal {
    refusals.set(verdict.rule, (refusals.get(verdict.rule) ?? 0) + 1);
    return verdict;
  }

  function roomOf(name: string, doc: Y.Doc): Room {
    const room = rooms.get(name);
    if (!room) throw new RangeError(`The permission guard has no open room ${name}`);
    if (room.doc !== doc) throw new RangeError(`Room ${name} was opened with another document`);
    return room;
  }

  function apply(
    name: string,
    doc: Y.Doc,
    update: Uint8Array,
    identity: Identity,
    ends: ReadonlyMap<number, number>,
  ): Outcome {
    const room = roomOf(name, doc);
    const untouched = (verdict: Refusal): Outcome => ({ verdict: count(verdict), touched: false });
    if (update.byteLength > maxUpdateBytes) {
      return untouched(
        refusal("update-too-large", `Updates are limited to ${maxUpdateBytes} bytes`),
      );
    }
    const news = room.bindings.newClients(ends, doc, identity);
    if ("foreign" in news) {
      return untouched(
        refusal("client-id-bound", `Client id ${news.foreign} belongs to another participant`),
      );
    }
    if (identity.role === "observer") {
      return untouched(refusal("observer-read-only", "Observers may not change the draft"));
    }
    indexOf(room);
    const pending: Pending = { identity, verdict: null, added: [] };
    room.pending = pending;
    let verdict: Verdict;
    try {
      Y.applyUpdate(doc, update, checkOrigin);
      verdict = pending.verdict ?? allowed;
    } catch (error) {
      verdict = refusal("update-malformed", `Unappliable update: ${(error as Error).message}`);
    } finally {
      room.pending = null;
    }
    const store = doc.store;
    if (verdict.ok && (store.pendingStructs !== null || store.pendingDs !== null)) {
      verdict = refusal(
        "update-incomplete",
        "The update depends on changes the server does not have",
      );
    }
    if (!verdict.ok) {
      count(verdict);
      touchedRefusals++;
      // Whoever sent it may not use these client ids again, whatever the document forgets.
      room.bindings.burn(pending.added);
      return { verdict, touched: true };
    }
    room.bindings.bind(news.clients, identity);
    return { verdict, touched: false };
  }

  function attach(room: Room): void {
    room.doc.on("beforeObserverCalls", room.watch);
  }

  return {
    refusals,
    get touchedRefusals() {
      return touchedRefusals;
    },
    open(name, doc) {
      if (rooms.has(name)) throw new RangeError(`The permission guard already has room ${name}`);
      const bindings = new ClientBindings();
      bindings.reserve(doc.clientID);
      const room: Room = {
        doc,
        bindings,
        index: null,
        typing: options.typingVerdicts === false ? null : new TypingVerdicts(),
        pending: null,
        watch: () => {},
      };
      room.watch = watcher(room);
      attach(room);
      rooms.set(name, room);
    },
    apply,
    replace(name, doc) {
      const room = rooms.get(name);
      if (!room) throw new RangeError(`The permission guard has no open room ${name}`);
      room.doc.off("beforeObserverCalls", room.watch);
      room.doc = doc;
      room.index = null;
      room.typing?.clear();
      room.bindings.reserve(doc.clientID);
      attach(room);
    },
    close(name) {
      const room = rooms.get(name);
      if (!room) return;
      room.doc.off("beforeObserverCalls", room.watch);
      rooms.delete(name);
    },
  };
}
