import * as Y from "yjs";
import { type PreparedFrame, prepareFrame } from "./frames.ts";
import { encodeSync, SyncType } from "./protocol.ts";

// The relay of a room's stored updates to its connections, as a walk over them in passes.
//
// Relaying to a thousand connections takes milliseconds of socket writes. Done in one
// synchronous loop, it left every edit that arrived meanwhile unread until the loop ended,
// then waiting for a relay of its own: up to two relays (and a pacing hold) from a delegate's
// keystroke to the last screen. Here the room hands stored updates to a log and asks the
// relay to write a chunk of connections at a time, reading and storing what arrived between
// chunks. Each connection has a cursor into the log; a visit writes it everything it has not
// had yet. An update stored while a pass is under way reaches the connections still ahead of
// the walk in this pass and those behind it in the next, so every update reaches every
// connection within one pass (plus the hold between passes) of being stored.
//
// What each connection gets: the updates of others, in the order they were stored, never its
// own. Connections the walk visits in a row mostly need the same stretch of the log, so a
// stretch is merged and framed once and the same bytes are written to each of them.

/** What the relay needs of a connection. */
export interface RelayTarget {
  readonly closed: boolean;
  /** Write a frame prepared once for many receivers. */
  sendPrepared(frame: PreparedFrame): void;
}

/** Where a connection stands in the log. */
interface Place {
  /** The position it has been relayed up to. */
  relayed: number;
  /** The position of the latest update it sent; -1 before it sent any. */
  lastSent: number;
}

/** A stored update waiting in the log, and the connection it came from. */
interface Entry<C> {
  readonly update: Uint8Array;
  readonly sender: C;
  /** Its frame on its own, framed once when some sender needs the log's updates one by one. */
  frame?: PreparedFrame;
}

/** What a call of `step` did and left to do. */
export type RelayStep =
  /** Nothing to relay: every connection has every update. */
  | { readonly kind: "idle" }
  /** The walk stopped midway through a pass: call `step` again soon. */
  | { readonly kind: "more" }
  /** A pass ended. */
  | {
      readonly kind: "passed";
      readonly startedAt: number;
      readonly endedAt: number;
      /** Updates the pass took to every connection. */
      readonly carried: number;
      /**
       * Whether updates were stored during the pass, which the connections visited before
       * them still lack: call `step` again, after whatever hold the pass calls for.
       */
      readonly pending: boolean;
    };

/** The relay of one room. `connections` is the room's own set, read live. */
export class Relay<C extends RelayTarget> {
  #entries: Entry<C>[] = [];
  /** The log position of `#entries[0]`: positions keep counting as the log is trimmed. */
  #base = 0;
  /** Where each connection stands in the log. */
  readonly #places = new Map<C, Place>();
  /**
   * Frames of the stretches from a position to the log's end, for connections that sent none
   * of it, by that position. Only the log's current end is ever written up to, so the frames
   * are dropped whenever it moves.
   */
  #shared = new Map<number, PreparedFrame>();
  #sharedTo = 0;
  /** The connections of the pass under way, as they were when it began; null between passes. */
  #walk: C[] | null = null;
  /** How far the pass under way has come through `#walk`. */
  #next = 0;
  #passStartedAt = 0;
  /** The end of the log when the pass began. */
  #passFrom = 0;

  constructor(
    private readonly connections: ReadonlySet<C>,
    /** Connections written per `step`. */
    private readonly chunk: number,
    /** Told how many updates a step wrote, counted once per receiver. */
    private readonly onSent: (updates: number) => void = () => {},
  ) {
    if (!(chunk >= 1)) throw new RangeError(`A relay chunk must be at least 1, not ${chunk}`);
  }

  /** The position after the log's last update. */
  get #end(): number {
    return this.#base + this.#entries.length;
  }

  /** Whether `step` has work: a pass under way, or updates some connection may lack. */
  get pending(): boolean {
    return this.#walk !== null || this.#entries.length > 0;
  }

  /** Start relaying to `conn` from now on; what it needs of the past comes by sync. */
  add(conn: C): void {
    this.#places.set(conn, { relayed: this.#end, lastSent: -1 });
  }

  /** Forget `conn`. */
  remove(conn: C): void {
    this.#places.delete(conn);
  }

  /** Append stored updates to the log, in the order they were stored. */
  push(updates: readonly { readonly update: Uint8Array; readonly sender: C }[]): void {
    for (const { update, sender } of updates) {
      const place = this.#places.get(sender);
      if (place) place.lastSent = this.#end;
      this.#entries.push({ update, sender });
    }
  }

  /**
   * Write to up to `chunk` connections, going on from where the last call stopped, and say
   * what is left. `now` is read at the start and end of a pass, for pacing.
   */
  step(now: () => number): RelayStep {
    if (this.#walk === null) {
      if (this.#entries.length === 0) return { kind: "idle" };
      // A connection that joins during the pass starts at the log's end, which is at least
      // `#passFrom`: it needs nothing of this pass.
      this.#walk = [...this.connections];
      this.#next = 0;
      this.#passStartedAt = now();
      this.#passFrom = this.#end;
    }
    const walk = this.#walk;
    const stop = Math.min(walk.length, this.#next + this.chunk);
    let sent = 0;
    for (let i = this.#next; i < stop; i++) sent += this.#visit(walk[i] as C);
    this.#next = stop;
    if (sent > 0) this.onSent(sent);
    return stop === walk.length ? this.#endPass(now()) : { kind: "more" };
  }

  /** Drop everything: the room is leaving memory. */
  clear(): void {
    this.#entries = [];
    this.#shared.clear();
    this.#walk = null;
  }

  #endPass(endedAt: number): RelayStep {
    this.#walk = null;
    // Every connection now in the room was visited during this pass, when the log reached at
    // least `#passFrom`, or joined during it, when it was at least as long.
    const carried = this.#passFrom - this.#base;
    this.#trim(this.#passFrom);
    return {
      kind: "passed",
      startedAt: this.#passStartedAt,
      endedAt,
      carried,
      pending: this.#entries.length > 0,
    };
  }

  /** Drop the log's updates before position `to`: every connection has had them. */
  #trim(to: number): void {
    if (to <= this.#base) return;
    this.#entries = this.#entries.slice(to - this.#base);
    this.#base = to;
  }

  /** Write `conn` what it lacks; the number of updates written. */
  #visit(conn: C): number {
    const place = this.#places.get(conn);
    const to = this.#end;
    if (place === undefined || place.relayed >= to) return 0;
    const from = place.relayed;
    place.relayed = to;
    if (conn.closed) return 0;
    if (place.lastSent < from) {
      conn.sendPrepared(this.#sharedFrame(from, to));
      return to - from;
    }
    // A sender gets the others' updates one frame each, never its own back: merging them
    // would take a Yjs merge per sender per pass. The frames go out in one write.
    const frames: PreparedFrame[] = [];
    for (let at = from; at < to; at++) {
      const entry = this.#entries[at - this.#base] as Entry<C>;
      if (entry.sender === conn) continue;
      entry.frame ??= prepareFrame(encodeSync(SyncType.update, entry.update));
      frames.push(entry.frame);
    }
    if (frames.length === 0) return 0;
    conn.sendPrepared(frames.length === 1 ? (frames[0] as PreparedFrame) : joinFrames(frames));
    return frames.length;
  }

  /** The log's updates from `from` to `to`, merged into one frame, framed once for everyone. */
  #sharedFrame(from: number, to: number): PreparedFrame {
    if (this.#sharedTo !== to) {
      this.#shared.clear();
      this.#sharedTo = to;
    }
    let frame = this.#shared.get(from);
    if (!frame) {
      const stretch = this.#entries.slice(from - this.#base, to - this.#base);
      const update =
        stretch.length === 1
          ? (stretch[0] as Entry<C>).update
          : Y.mergeUpdates(stretch.map((entry) => entry.update));
      frame = prepareFrame(encodeSync(SyncType.update, update));
      this.#shared.set(from, frame);
    }
    return frame;
  }
}

/** Several frames as one write: a websocket stream is frames back to back. */
function joinFrames(frames: readonly PreparedFrame[]): PreparedFrame {
  return {
    wire: Buffer.concat(frames.map((frame) => frame.wire)),
    size: frames.reduce((sum, frame) => sum + frame.size, 0),
  };
}
