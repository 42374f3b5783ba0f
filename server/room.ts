import type { Logger } from "pino";
import * as Y from "yjs";
import type { Connection } from "./connection.ts";
import { Cooldowns } from "./cooldowns.ts";
import type { Outcome, UpdateGuard } from "./guard.ts";
import { type Hooks, safely } from "./hooks.ts";
import type { Metrics } from "./metrics.ts";
import { Pacer, type PacingOptions } from "./pacing.ts";
import {
  type ClientMessage,
  CloseCode,
  encodePermissionDenied,
  encodeSync,
  SyncType,
} from "./protocol.ts";
import { Relay } from "./relay.ts";
import { RoomPresence } from "./room-presence.ts";
import type { Store } from "./store.ts";
import { updateEffect } from "./updates.ts";

// A room is one document in memory and the connections editing it. All of a room's work runs
// through one queue, so that an update is applied, durably appended and only then relayed,
// and a joining client's sync step 2 never contains an update that is not yet stored.
//
// Group commit: updates are applied as they arrive, but stored together. Every update
// applied in one turn of the event loop joins a batch that is appended in one transaction
// once the turn's I/O is handled (`setImmediate`; a little later in a busy room, see
// pacing.ts), and only then handed to the relay (relay.ts), which writes a chunk of
// connections per step. Each step of the relay first stores what was applied since the last,
// so that in a large room an edit that arrives during a relay joins it.

/** What every room of a server shares. */
export interface RoomContext {
  readonly store: Store;
  readonly guard: UpdateGuard;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly hooks: Hooks;
  /**
   * Compact the update log into a snapshot after this many appended updates, once the log
   * is also a sizeable part of the snapshot (see `logShareForCompaction`).
   */
  readonly compactEvery: number;
  /** How long an invitation is first turned away after a refusal that cost a rebuild. */
  readonly refusalCooldownMs: number;
  /** When a busy room holds its commits back so that edits go out merged. */
  readonly pacing: PacingOptions;
}

/**
 * A compaction re-encodes and rewrites the whole document on the event loop (about 100 ms
 * and 4.4 MB for a 200-page draft), so a large document is compacted only once its log
 * holds at least this share of the snapshot's bytes: the cost per edit stays bounded
 * instead of growing with the document, and a load still applies a short log.
 */
const logShareForCompaction = 1 / 32;

/** An applied update and the connection it came from. */
interface Applied {
  readonly update: Uint8Array;
  readonly sender: Connection;
}

/** One document in memory and its connections. */
export class Room {
  readonly connections = new Set<Connection>();
  #queue: Promise<void> = Promise.resolve();
  #lastSeq: number;
  /** Updates in the log since the snapshot, and their bytes. */
  #appended = 0;
  #logBytes = 0;
  /** Bytes of the latest snapshot. */
  #snapshotBytes = 0;
  /** Applied to the live document but not yet in the store (a failed append). */
  #unsaved = false;
  /** Applied updates not yet relayed because the store has not taken them yet. */
  #waiting: Applied[] = [];
  /** Applied updates not yet handed to the store: the batch of the next commit. */
  #unwritten: Uint8Array[] = [];
  /** Whether a step of the relay (and the commit before it) is scheduled. */
  #stepScheduled = false;
  /** Holds a busy room's next relay back a little so that edits go out merged (pacing.ts). */
  readonly #pacer: Pacer;
  readonly #relay: Relay<Connection>;
  readonly #presence: RoomPresence;
  /** Updates Yjs emitted while the current queued task applied something. */
  #emitted: Uint8Array[] = [];
  #reserved = 0;
  #state: "open" | "unloading" | "gone" = "open";
  #resolveUnloaded: () => void = () => {};
  /** Resolves once the room has left memory. */
  readonly unloaded: Promise<void> = new Promise((resolve) => {
    this.#resolveUnloaded = resolve;
  });
  /** The unload under way, if any; settles whether it succeeds or the room stays. */
  #unloading: Promise<void> | null = null;

  /**
   * Every update applied since the latest snapshot the store holds, stored or not: with the
   * store's document, what the document is rebuilt from when a refused update got into it.
   */
  #sinceSnapshot: Uint8Array[] = [];
  /** A refused update got into the document and it could not be rebuilt: never store it. */
  #broken = false;
  /** Invitations whose refused updates cost a rebuild, turned away for a while. */
  readonly cooldowns: Cooldowns;
  #doc: Y.Doc;
  readonly #collect = (update: Uint8Array): void => {
    this.#emitted.push(update);
  };

  private constructor(
    readonly id: string,
    doc: Y.Doc,
    lastSeq: number,
    private readonly ctx: RoomContext,
  ) {
    this.#doc = doc;
    this.#lastSeq = lastSeq;
    this.cooldowns = new Cooldowns(ctx.refusalCooldownMs);
    this.#pacer = new Pacer(ctx.pacing);
    this.#relay = new Relay(this.connections, ctx.pacing.chunk, (updates) => {
      ctx.metrics.updatesOut += updates;
    });
    doc.on("update", this.#collect);
    this.#presence = new RoomPresence(doc, this.connections);
  }

  /**
   * Load document `id` from the store. Resolves null when there is no such document; rejects
   * when the store fails or the stored updates cannot be applied, so that no empty
   * document ever stands in for a stored one.
   */
  static async load(id: string, ctx: RoomContext): Promise<Room | null> {
    const stored = await ctx.store.loadDocument(id);
    if (!stored) return null;
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    const room = new Room(id, doc, stored.lastSeq, ctx);
    // The first stored update is the snapshot (a document is created with one).
    room.#snapshotBytes = stored.updates[0]?.length ?? 0;
    room.#appended = Math.max(0, stored.updates.length - 1);
    for (const update of stored.updates.slice(1)) room.#logBytes += update.length;
    ctx.guard.open(id, doc);
    safely(ctx.log, "onLoad", () => ctx.hooks.onLoad?.({ room: id, doc }));
    ctx.log.info({ doc: id, updates: stored.updates.length }, "room loaded");
    if (room.#dueForCompaction()) {
      // A failed compaction is logged by #compact; the log stays as it was and still loads.
      await room.enqueue(() => room.#compact()).catch(() => {});
    }
    return room;
  }

  /** The room's document. Replaced (never changed back) when a refused update got into it. */
  get doc(): Y.Doc {
    return this.#doc;
  }

  /** Whether the room still accepts connections. */
  get open(): boolean {
    return this.#state === "open";
  }

  /** Keep the room in memory for a connection that is about to join. */
  reserve(): void {
    this.#reserved++;
  }

  /** Give back a reservation whose connection never joined. */
  release(): void {
    this.#reserved--;
    this.#maybeUnload();
  }

  /** Run `task` after everything queued before it. A failing task does not stop the queue. */
  enqueue(task: () => void | Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch((error: unknown) => {
      this.ctx.log.error({ err: error, doc: this.id }, "room task failed");
    });
    return run;
  }

  /** Add a reserved connection: it gets the server's state vector and the room's presence. */
  join(conn: Connection): void {
    this.#reserved--;
    this.connections.add(conn);
    this.#relay.add(conn);
    this.ctx.metrics.connectionsTotal++;
    safely(this.ctx.log, "onConnect", () =>
      this.ctx.hooks.onConnect?.({ room: this.id, identity: conn.identity }),
    );
    void this.enqueue(() => {
      conn.send(encodeSync(SyncType.step1, Y.encodeStateVector(this.doc)));
      if (!this.#presence.empty) conn.send(this.#presence.everyone());
    });
  }

  /**
   * Store and relay, after everything queued before, whatever has been applied: the batch
   * that would otherwise be committed at the end of this turn. Resolves false when the store
   * fails (the senders are closed and the updates stay in memory, as for any failed commit).
   */
  flush(): Promise<boolean> {
    let stored = false;
    return this.enqueue(async () => {
      stored = await this.#flush();
    }).then(() => stored);
  }

  /** Handle one decoded message from `conn`, in queue order. */
  receive(conn: Connection, message: ClientMessage): Promise<void> {
    return this.enqueue(() => (conn.closed ? undefined : this.#handle(conn, message)));
  }

  /**
   * Remove `conn`, and its presence. When it was the last, the room stores its state and
   * leaves memory; if storing fails it stays and tries again later.
   */
  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.#relay.remove(conn);
    this.#presence.remove(conn);
    safely(this.ctx.log, "onDisconnect", () =>
      this.ctx.hooks.onDisconnect?.({ room: this.id, identity: conn.identity }),
    );
    this.#maybeUnload();
  }

  /** Called with the room once it has left memory, so the registry can forget it. */
  onGone: (room: Room) => void = () => {};

  /**
   * Close every connection with `code` and store the room's state now. Resolves once the
   * room is gone; rejects (leaving it in memory) when storing fails.
   */
  async shutdown(code: CloseCode, reason: string): Promise<void> {
    for (const conn of this.connections) conn.close(code, reason, "server shutting down");
    this.#state = "unloading";
    await this.enqueue(() => this.#unload());
  }

  /**
   * Resolves once the room is open again or gone: what a joining connection waits for when
   * it finds the room unloading.
   */
  settled(): Promise<void> {
    return this.#unloading ?? Promise.resolve();
  }

  #maybeUnload(): void {
    if (this.connections.size > 0 || this.#reserved > 0 || this.#state !== "open") return;
    this.#state = "unloading";
    this.#unloading = this.enqueue(async () => {
      if (this.connections.size > 0 || this.#reserved > 0) {
        this.#state = "open";
        return;
      }
      try {
        await this.#unload();
      } catch {
        // Stay in memory with the unsaved state; the next departure or the retry stores it.
        this.#state = "open";
        setTimeout(() => this.#maybeUnload(), 5000).unref();
      }
    });
  }

  async #unload(): Promise<void> {
    if (this.#state === "gone") return;
    const unstored = this.#appended > 0 || this.#unsaved || this.#unwritten.length > 0;
    if (unstored && !this.#broken) await this.#compact();
    this.#state = "gone";
    this.#relay.clear();
    this.#presence.destroy();
    safely(this.ctx.log, "guard.close", () => this.ctx.guard.close(this.id));
    this.doc.destroy();
    safely(this.ctx.log, "onUnload", () => this.ctx.hooks.onUnload?.({ room: this.id }));
    this.ctx.log.info({ doc: this.id }, "room unloaded");
    this.onGone(this);
    this.#resolveUnloaded();
  }

  /** Whether the log is long enough, in updates and against the snapshot in bytes, to compact. */
  #dueForCompaction(): boolean {
    return (
      this.#appended >= this.ctx.compactEvery &&
      this.#logBytes >= this.#snapshotBytes * logShareForCompaction
    );
  }

  /** Store the whole document as a snapshot and drop the log it covers. Rejects on failure. */
  async #compact(): Promise<void> {
    if (this.#broken) throw new Error("The document holds a refused update; it is not stored");
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    try {
      await this.ctx.store.compact(this.id, snapshot, this.#lastSeq);
    } catch (error) {
      this.ctx.metrics.storeFailures++;
      this.ctx.log.error({ err: error, doc: this.id }, "snapshot failed; keeping room in memory");
      throw error;
    }
    this.#appended = 0;
    this.#logBytes = 0;
    this.#snapshotBytes = snapshot.length;
    this.#sinceSnapshot = [];
    this.#unsaved = false;
    // The snapshot holds everything applied, so the batch no longer needs appending.
    this.#unwritten = [];
  }

  async #handle(conn: Connection, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case "syncStep1": {
        // A step 2 is a relay too: nothing the store does not hold may leave the server.
        if (!(await this.#flush())) {
          conn.close(CloseCode.internalError, "store-failed", "the document could not be stored");
          return;
        }
        let reply: Uint8Array;
        try {
          reply = Y.encodeStateAsUpdate(this.doc, message.stateVector);
        } catch (error) {
          conn.close(CloseCode.malformed, "malformed", `bad state vector: ${String(error)}`);
          return;
        }
        conn.send(encodeSync(SyncType.step2, reply));
        return;
      }
      case "syncStep2":
      case "update":
        return this.#update(conn, message.update);
      case "awareness":
        return this.#presence.receive(conn, message.update);
      case "queryAwareness":
        conn.send(this.#presence.everyone());
        return;
      default: {
        const never: never = message;
        throw new RangeError(`Unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  /** The one place where an incoming document update is judged, applied, stored, relayed. */
  async #update(conn: Connection, update: Uint8Array): Promise<void> {
    const effect = updateEffect(this.#doc, update);
    if (effect.kind === "malformed") {
      conn.close(CloseCode.malformed, "malformed", effect.reason);
      return;
    }
    if (effect.kind === "noop") return;
    this.#emitted = [];
    let outcome: Outcome;
    try {
      outcome = this.ctx.guard.apply(this.id, this.#doc, update, conn.identity, effect.ends);
    } catch (error) {
      // A guard that cannot decide refuses (letting an unjudged update through is the one
      // outcome that cannot be undone), and whatever it may have applied is dropped.
      conn.log.error({ err: error }, "guard threw; refusing the update");
      outcome = {
        verdict: {
          ok: false,
          rule: "guard-error",
          reason: "The server could not check this change",
        },
        touched: true,
      };
    }
    const emitted = this.#emitted;
    this.#emitted = [];
    const { verdict } = outcome;
    if (!verdict.ok) {
      if (outcome.touched) {
        await this.#rebuild();
        this.cooldowns.penalise(conn.identity.invitation);
      }
      this.ctx.metrics.refused(verdict.rule);
      safely(this.ctx.log, "onRefuse", () =>
        this.ctx.hooks.onRefuse?.({ room: this.id, identity: conn.identity, verdict }),
      );
      conn.log.warn({ rule: verdict.rule, reason: verdict.reason }, "update refused");
      conn.send(encodePermissionDenied(verdict.reason));
      conn.close(CloseCode.refused, verdict.rule, verdict.reason);
      return;
    }
    if (emitted.length === 0) return;
    const applied = emitted.length === 1 ? emitted[0]! : Y.mergeUpdates(emitted);
    this.ctx.metrics.updatesIn++;
    this.#sinceSnapshot.push(applied);
    this.#waiting.push({ update: applied, sender: conn });
    this.#unwritten.push(applied);
    this.#wake("paced");
  }

  /**
   * Replace the document, which holds part of a refused update, by one rebuilt from
   * everything accepted: the store's copy and every update applied since its snapshot
   * (stored or not; applying one twice changes nothing). The room's queue waits meanwhile,
   * so nothing reads the document in between. Should the store fail to give its copy, the
   * room closes every connection and leaves memory without storing the document; clients
   * reconnect to a room loaded afresh and send again whatever the store lacked.
   */
  async #rebuild(): Promise<void> {
    const started = performance.now();
    let stored: Awaited<ReturnType<Store["loadDocument"]>>;
    try {
      stored = await this.ctx.store.loadDocument(this.id);
      if (!stored) throw new RangeError(`The store no longer has document ${this.id}`);
    } catch (error) {
      this.ctx.metrics.storeFailures++;
      this.ctx.log.error({ err: error, doc: this.id }, "could not rebuild after a refusal");
      this.#broken = true;
      this.#state = "unloading";
      for (const conn of this.connections) {
        conn.close(CloseCode.internalError, "store-failed", "the document must be reloaded");
      }
      this.#unloading = this.enqueue(() => this.#unload());
      return;
    }
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      for (const update of this.#sinceSnapshot) Y.applyUpdate(doc, update);
    });
    this.#doc.off("update", this.#collect);
    this.#doc = doc;
    doc.on("update", this.#collect);
    this.#presence.replaceDoc(doc);
    this.ctx.guard.replace(this.id, doc);
    this.ctx.log.info(
      { doc: this.id, ms: Math.round(performance.now() - started) },
      "document rebuilt after a refused update",
    );
  }

  /**
   * Schedule a step of the relay (queued, so after every update applied before it runs):
   * once this turn's I/O is handled, or, when "paced", after whatever hold the pacer calls
   * for. Does nothing when one is scheduled: that step stores whatever has been applied by then.
   */
  #wake(when: "soon" | "paced" = "soon"): void {
    if (this.#stepScheduled || this.#state === "gone") return;
    this.#stepScheduled = true;
    const delayMs = when === "paced" ? this.#pacer.delay(performance.now()) : 0;
    const run = () => {
      this.#stepScheduled = false;
      void this.enqueue(() => this.#step());
    };
    if (delayMs > 0) setTimeout(run, delayMs);
    else setImmediate(run);
  }

  /**
   * Store what has been applied, then write a chunk of the relay and schedule the next step:
   * at once midway through a pass, after the pacer's hold once a pass has ended with updates
   * still to relay.
   */
  async #step(): Promise<void> {
    if (this.#state === "gone") return;
    const stored = await this.#store();
    const step = this.#relay.step(() => performance.now());
    if (step.kind === "more") this.#wake();
    if (step.kind === "passed") {
      this.#pacer.relayed(step.startedAt, step.endedAt, step.carried);
      if (step.pending) this.#wake("paced");
    }
    await this.#compactIfDue(stored);
  }

  /**
   * Make everything applied so far durable and hand it to the relay, which writes it in its
   * next steps. Resolves whether everything applied is now stored (see `#store`).
   */
  async #flush(): Promise<boolean> {
    const stored = await this.#store();
    if (this.#relay.pending) this.#wake("paced");
    await this.#compactIfDue(stored);
    return stored;
  }

  /**
   * Compact once everything applied is stored and the log is due for it; called after the
   * relay has its updates, so that no edit waits for it. The batch is in the log already, so
   * a failed compaction only leaves the log longer.
   */
  async #compactIfDue(stored: boolean): Promise<void> {
    if (stored && this.#dueForCompaction()) await this.#compact().catch(() => {});
  }

  /**
   * Make everything applied so far durable, then hand what waited for it to the relay. On a
   * failed store the senders of the updates that could not be stored are closed (they
   * reconnect and resync), the updates stay in memory unrelayed, and a later attempt stores
   * and relays them. Resolves whether everything applied is now stored.
   */
  async #store(): Promise<boolean> {
    if (this.#waiting.length === 0 && this.#unwritten.length === 0 && !this.#unsaved) return true;
    const batch = this.#unwritten;
    this.#unwritten = [];
    if (await this.#durable(batch)) {
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const { update, sender } of waiting) {
        safely(this.ctx.log, "onChange", () =>
          this.ctx.hooks.onChange?.({ room: this.id, update, identity: sender.identity }),
        );
      }
      this.#relay.push(waiting);
      return true;
    }
    for (const { sender } of this.#waiting) {
      sender.close(CloseCode.internalError, "store-failed", "the update could not be stored");
    }
    return false;
  }

  /**
   * Make everything applied so far durable: append `batch` to the log in one transaction,
   * or, when an earlier write failed (or this one does), store a snapshot of the whole
   * document. Resolves false when the store fails; the room then holds unsaved state and
   * relays nothing until a later attempt succeeds.
   */
  async #durable(batch: readonly Uint8Array[]): Promise<boolean> {
    if (!this.#unsaved) {
      if (batch.length === 0 || (await this.#append(batch))) return true;
    }
    try {
      await this.#compact();
      return true;
    } catch {
      this.#unsaved = true;
      return false;
    }
  }

  /** Append a batch of updates to the log; false (logged and counted) when the store fails. */
  async #append(batch: readonly Uint8Array[]): Promise<boolean> {
    const started = performance.now();
    try {
      this.#lastSeq =
        batch.length === 1
          ? await this.ctx.store.appendUpdate(this.id, batch[0]!)
          : await this.ctx.store.appendUpdates(this.id, batch);
    } catch (error) {
      this.ctx.metrics.storeFailures++;
      this.ctx.log.error({ err: error, doc: this.id }, "store failed; update kept in memory");
      return false;
    } finally {
      this.ctx.metrics.observeWrite((performance.now() - started) / 1000);
    }
    this.#appended += batch.length;
    for (const update of batch) this.#logBytes += update.length;
    return true;
  }
}
