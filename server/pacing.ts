// Pacing of a large room's relays. A pass of the relay (relay.ts) writes one frame to every
// receiver's socket, a few microseconds each, so a pass over a thousand delegations takes
// milliseconds, and edits keep arriving meanwhile. Left alone, such a room relays pass after
// pass, a frame per receiver for every few edits, and spends nearly all of its core on socket
// writes (and each receiver on reads). Once a room is that busy (its last pass was long and
// carried a batch, so edits were already piling up), the next pass, and the commit before it,
// waits a little, a share of the last pass's time: the edits that arrive meanwhile go out
// merged, one frame per receiver. A quiet room, a small one, or one whose edits come one at
// a time is never held back.
//
// A pass writes `chunk` connections at a time and reads what arrived in between, so that an
// edit need not wait for a whole pass to be read, stored and sent on its way.
//
// Measured on the 2-core bench machine at 1000 connections and 400 edits/s (bench/NOTES.md):
// server CPU per edit about 2.0 ms instead of 2.4, p99 unchanged within noise.

/** When a room's next commit is held back, and for how long. */
export interface HoldOptions {
  /** Only a relay that took at least this long (ms) holds the next commit back. */
  readonly afterRelayMs: number;
  /** ... and only one that carried at least this many updates (edits were piling up). */
  readonly minBatch: number;
  /** The next commit waits until this share of the last relay's time has passed since it ended. */
  readonly share: number;
  /** The longest a commit is held back (ms), however long the last relay took. */
  readonly maxMs: number;
}

/** How a busy room's relays are paced. */
export interface PacingOptions extends HoldOptions {
  /** Connections a relay writes to before the room reads and stores what arrived meanwhile. */
  readonly chunk: number;
}

export const defaultPacing: PacingOptions = {
  afterRelayMs: 1,
  minBatch: 2,
  share: 0.5,
  maxMs: 20,
  chunk: 256,
};

/** One room's pacing: told about each relay, asked how long the next commit should wait. */
export class Pacer {
  #heldUntil = 0;

  constructor(private readonly options: HoldOptions = defaultPacing) {}

  /** A relay of `batch` updates ran from `startedAt` to `endedAt` (`performance.now()` ms). */
  relayed(startedAt: number, endedAt: number, batch: number): void {
    const took = endedAt - startedAt;
    this.#heldUntil =
      took >= this.options.afterRelayMs && batch >= this.options.minBatch
        ? endedAt + Math.min(took * this.options.share, this.options.maxMs)
        : 0;
  }

  /** How long (ms) a commit asked for at `now` should wait; 0 for at once. */
  delay(now: number): number {
    return Math.max(0, this.#heldUntil - now);
  }
}
