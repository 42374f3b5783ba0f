import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// The background half of the "interval" durability mode. The store commits with
// `synchronous = NORMAL`: a commit is in the WAL file (the OS page cache) when it returns, so
// it survives the process being killed, but nothing is synced to the disk. This worker thread,
// every `intervalMs` after something was committed, makes the WAL's new frames durable with
// an fdatasync of the `-wal` file. That is enough for a power cut: after a crash the first
// connection truncates the `-shm` file (unixLockSharedMemory) and walIndexRecover() replays
// every frame whose checksum chain is intact, up to the last commit frame.
//
// Only every `checkpointEveryMs`, or when the WAL file has grown by `walGrowthLimit` since the
// last checkpoint, does the worker run `PRAGMA wal_checkpoint(PASSIVE)` on its own connection
// instead. It has to checkpoint now and then to keep the WAL bounded, but each completed
// checkpoint lets the main connection start the WAL over on its next commit, and SQLite syncs
// the new WAL header right there, on the event loop (sqlite3WalFrames; SQLite ticket
// ff5be73dee says why it must). Checkpointing every tick cost up to ten such syncs a second.
// A checkpoint with frames to copy first syncs the WAL, then copies the frames into the
// database and syncs the database once it has caught up with the end of the WAL (walCheckpoint);
// a connection at `synchronous = OFF` would skip both syncs, which is why the worker sets
// NORMAL. A PASSIVE checkpoint takes the checkpoint lock and read marks, never the write lock,
// and does not call the busy handler, so the server's connection never waits for it.
//
// The worker is an eval'd CommonJS string rather than a .ts file: Node 20 cannot load
// TypeScript in a Worker without a loader, and the server runs bundled (`npm start`), under
// tsx (the integration tests' processes) and inside vitest, each of which would need a
// loader or a path of its own. The driver is
// resolved here and passed in, so the worker does not depend on the process's cwd.

const commitsSlot = 0;
const syncedSlot = 1;
// Non-zero while the main thread has a `whenSynced` waiting: only then does the worker post
// (a message wakes the server's event loop, ten times a second at the default interval).
const waitingSlot = 2;
// Non-zero while the worker sleeps until the next commit, with nothing to sync: only then does
// a commit wake it (Atomics.notify on the commits slot).
const idleSlot = 3;
// Set once by `stop`; the worker then leaves its loop, whatever it was waiting for.
const stopSlot = 4;
const slots = 5;
// Checkpoints in a row per checkpoint while commits keep arriving during them.
const maxAttempts = 3;

const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { performance } = require("node:perf_hooks");
const Database = require(workerData.driver);
const counters = new BigInt64Array(workerData.counters);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
db.pragma("synchronous = NORMAL");
const walPath = workerData.path + "-wal";

// The worker's own descriptor of the WAL (fdatasync covers every write to the file, whichever
// descriptor made it), opened once and kept for the worker's life. Closing any descriptor of a
// file drops every POSIX lock the process holds on that file, so a descriptor opened and closed
// each tick would silently unlock the store's connections if SQLite locked the WAL. SQLite
// does not (os_unix.c locks the database file and the -shm file only), which is what makes
// closing it safe at all; keeping it open limits that to a replaced WAL and the worker's stop.
// The connections keep the WAL from being deleted while they are open, so a changed inode means
// something replaced the file: follow it rather than sync a stale one.
let wal = null;
function walFd() {
  const ino = fs.statSync(walPath).ino;
  if (wal !== null && wal.ino === ino) return wal.fd;
  if (wal !== null) fs.closeSync(wal.fd);
  const fd = fs.openSync(walPath, "r");
  // Measured from an empty WAL: the worker starts a while after the store, which may have
  // written megabytes by then.
  wal = { fd, ino: fs.fstatSync(fd).ino, sizeAtCheckpoint: 0 };
  return fd;
}
walFd();

let synced = Atomics.load(counters, ${syncedSlot});
let checkpointed = synced;
let lastCheckpoint = performance.now();

function markSynced(commits) {
  synced = commits;
  Atomics.store(counters, ${syncedSlot}, commits);
  // Read after the store: a waiter registered before it is seen here, one registered after
  // it sees the new count itself (Atomics are sequentially consistent).
  if (Atomics.load(counters, ${waitingSlot}) !== 0n) parentPort.postMessage(commits);
}

// True when every commit counted before the call is in the database file, synced.
function checkpoint() {
  let done = false;
  for (let attempt = 0; attempt < ${maxAttempts}; attempt++) {
    const commits = Atomics.load(counters, ${commitsSlot});
    if (commits === checkpointed) break;
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    // Every frame up to "log" is synced (in the WAL or the database) only when all of them
    // were copied; otherwise a reader held some back and a later checkpoint tries again.
    if (result.busy !== 0 || result.checkpointed !== result.log) break;
    checkpointed = commits;
    done = true;
    if (commits !== synced) markSynced(commits);
    // A commit made during the checkpoint leaves the WAL not quite all copied, and SQLite
    // starts the WAL over only when it is, so catch up at once while that is cheap.
  }
  return done;
}

function tick() {
  const commits = Atomics.load(counters, ${commitsSlot});
  if (commits === checkpointed) return;
  const fd = walFd();
  const size = fs.fstatSync(fd).size;
  const now = performance.now();
  if (now - lastCheckpoint >= workerData.checkpointEveryMs || size - wal.sizeAtCheckpoint > workerData.walGrowthBytes) {
    lastCheckpoint = now;
    if (checkpoint()) {
      wal.sizeAtCheckpoint = size;
      return;
    }
  }
  if (commits === synced) return;
  // Every commit counted so far had written its frames to the WAL before it was counted, so
  // once this returns they are all on disk.
  fs.fdatasyncSync(fd);
  markSynced(commits);
}

// The worker blocks in Atomics.wait between syncs instead of running timers: on this VM a
// 100 ms setInterval in a worker cost over 4 ms of CPU a second even with nothing to do, a
// timed Atomics.wait under 1 ms, and a worker waiting for the next commit nothing at all.
const stopping = () => Atomics.load(counters, ${stopSlot}) !== 0n;

// Sleep until the next commit, or for \`timeoutMs\` at most. The wait returns at once when a
// commit came in after \`seen\` was read, so no commit is missed between the look and the wait.
function waitForCommit(seen, timeoutMs) {
  Atomics.store(counters, ${idleSlot}, 1n);
  Atomics.wait(counters, ${commitsSlot}, seen, timeoutMs);
  Atomics.store(counters, ${idleSlot}, 0n);
}

while (!stopping()) {
  const commits = Atomics.load(counters, ${commitsSlot});
  if (commits === synced) {
    // Nothing to sync: wait for a commit, but only until a checkpoint is due while some
    // synced commits are still only in the WAL.
    const untilCheckpoint =
      commits === checkpointed
        ? Infinity
        : lastCheckpoint + workerData.checkpointEveryMs - performance.now();
    if (untilCheckpoint > 0) {
      waitForCommit(commits, untilCheckpoint);
      continue;
    }
  } else {
    // Let the commits of the next interval gather behind this one; \`stop\` cuts it short.
    Atomics.wait(counters, ${stopSlot}, 0n, workerData.intervalMs);
    if (stopping()) break;
  }
  tick();
}
fs.closeSync(wal.fd);
db.close();
parentPort.close();
`;

const driver = createRequire(import.meta.url).resolve("better-sqlite3");

/** Where the background sync stands, in commits counted since the store was opened. */
export interface SyncStatus {
  /** Commits made by the store's connection. */
  readonly committed: number;
  /** Commits known to be on disk: a power cut now loses none of them. */
  readonly synced: number;
  /** Whether the worker is still syncing; false once it failed or was stopped. */
  readonly running: boolean;
}

/** A worker thread that syncs a WAL-mode SQLite file in the background. */
export interface Checkpointer {
  /** Count one commit made by the main connection; call it after the commit returns. */
  committed(): void;
  status(): SyncStatus;
  /**
   * Resolves true once every commit counted so far is synced, or false if the worker fails
   * or is stopped first.
   */
  whenSynced(): Promise<boolean>;
  /** Stop the worker and close its connection; resolves once the thread has exited. */
  stop(): Promise<void>;
}

/** What `startCheckpointer` needs. */
export interface CheckpointerOptions {
  /** The database file, already open in WAL mode by the caller. */
  readonly path: string;
  /** How long a commit may wait for its sync after the previous one, in milliseconds. */
  readonly intervalMs: number;
  /**
   * How often, at most, to checkpoint the WAL into the database, in milliseconds; more often
   * only when the WAL grows fast. Each checkpoint costs the main connection one sync.
   */
  readonly checkpointEveryMs: number;
  /**
   * Growth of the WAL file since the last checkpoint that brings the next one forward. The
   * file does not shrink when SQLite starts it over, so it grows only when frames go past its
   * old end, i.e. when the WAL really holds more than it did.
   */
  readonly walGrowthBytes: number;
  /** Called once if the worker throws or exits on its own; it syncs nothing afterwards. */
  readonly onFailure: (error: Error) => void;
}

/**
 * Start syncing `path` in a worker thread. The worker does not keep the process alive. Throws
 * when `intervalMs` or `checkpointEveryMs` is not a positive number.
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  if (!(options.intervalMs > 0)) {
    throw new RangeError(`Sync interval must be positive, got ${options.intervalMs}`);
  }
  if (!(options.checkpointEveryMs > 0)) {
    throw new RangeError(`Checkpoint interval must be positive, got ${options.checkpointEveryMs}`);
  }
  const counters = new BigInt64Array(
    new SharedArrayBuffer(slots * BigInt64Array.BYTES_PER_ELEMENT),
  );
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver,
      path: options.path,
      intervalMs: options.intervalMs,
      checkpointEveryMs: options.checkpointEveryMs,
      walGrowthBytes: options.walGrowthBytes,
      counters: counters.buffer,
    },
  });
  worker.unref();
  let running = true;
  let waiters: { through: bigint; resolve: (synced: boolean) => void }[] = [];
  const settle = (synced: bigint | null) => {
    const keep: typeof waiters = [];
    for (const waiter of waiters) {
      if (synced === null) waiter.resolve(false);
      else if (waiter.through <= synced) waiter.resolve(true);
      else keep.push(waiter);
    }
    waiters = keep;
    if (waiters.length === 0) Atomics.store(counters, waitingSlot, 0n);
  };
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const fail = (error: Error) => {
    if (!running) return;
    running = false;
    settle(null);
    options.onFailure(error);
  };

  worker.on("message", (synced: bigint) => settle(synced));
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`SQLite sync worker exited with code ${code}`)));

  return {
    committed: () => {
      Atomics.add(counters, commitsSlot, 1n);
      // Read after the add: a worker that went idle before it is woken here, one that goes
      // idle after it sees the new count in its wait and does not sleep.
      if (Atomics.load(counters, idleSlot) !== 0n) Atomics.notify(counters, commitsSlot);
    },
    status: () => ({
      committed: Number(Atomics.load(counters, commitsSlot)),
      synced: Number(Atomics.load(counters, syncedSlot)),
      running,
    }),
    whenSynced: () => {
      const through = Atomics.load(counters, commitsSlot);
      if (!running) {
        return Promise.resolve(through <= Atomics.load(counters, syncedSlot));
      }
      // Raise the flag before looking at the synced count, so that the worker either syncs
      // before the look (seen here) or after the flag (and then posts).
      Atomics.store(counters, waitingSlot, 1n);
      if (through <= Atomics.load(counters, syncedSlot)) {
        if (waiters.length === 0) Atomics.store(counters, waitingSlot, 0n);
        return Promise.resolve(true);
      }
      return new Promise((resolve) => waiters.push({ through, resolve }));
    },
    stop: async () => {
      if (running) {
        running = false;
        settle(null);
        // Unreferenced, the worker would let the process exit before `exited` settles.
        worker.ref();
        Atomics.store(counters, stopSlot, 1n);
        Atomics.notify(counters, stopSlot);
        Atomics.notify(counters, commitsSlot);
      }
      await exited;
    },
  };
}
