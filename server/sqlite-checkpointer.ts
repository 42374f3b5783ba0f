import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// The background half of the "interval" durability mode. The store commits with
// `synchronous = NORMAL`: a commit is in the WAL file (the OS page cache) when it returns, so
// it survives the process being killed, but nothing is synced to the disk. This worker thread
// holds its own connection to the same file and, every `intervalMs` after something was
// committed, runs `PRAGMA wal_checkpoint(PASSIVE)`. In SQLite's walCheckpoint() a checkpoint
// that has frames to copy first syncs the WAL file, then copies the frames into the database
// and syncs the database once it has caught up with the end of the WAL; a connection at
// `synchronous = OFF` would skip both syncs, which is why the worker sets NORMAL. A PASSIVE
// checkpoint takes the checkpoint lock and read marks, never the write lock, and does not call
// the busy handler, so the server's connection never waits for it.
//
// The worker is an eval'd CommonJS string rather than a .ts file: Node 20 cannot load
// TypeScript in a Worker without a loader, and the server runs both under tsx (`npm start`)
// and inside vitest, which would need two different loaders in `execArgv`. The driver is
// resolved here and passed in, so the worker does not depend on the process's cwd.

const commitsSlot = 0;
const syncedSlot = 1;
// Checkpoints in a row per tick while commits keep arriving during them.
const maxAttempts = 3;

const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const counters = new BigInt64Array(workerData.counters);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
db.pragma("synchronous = NORMAL");
let synced = Atomics.load(counters, ${syncedSlot});
function tick() {
  let commits = Atomics.load(counters, ${commitsSlot});
  for (let attempt = 0; commits !== synced && attempt < ${maxAttempts}; attempt++) {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    // Every frame up to "log" is synced (in the WAL or the database) only when all of them
    // were copied; otherwise a reader held some back and the next tick tries again.
    if (result.busy !== 0 || result.checkpointed !== result.log) return;
    synced = commits;
    Atomics.store(counters, ${syncedSlot}, commits);
    parentPort.postMessage(commits);
    // A commit made during the checkpoint leaves the WAL not quite all copied, and SQLite
    // starts the WAL over only when it is, so catch up at once while that is cheap.
    commits = Atomics.load(counters, ${commitsSlot});
  }
}
const timer = setInterval(tick, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
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
  /** Called once if the worker throws or exits on its own; it syncs nothing afterwards. */
  readonly onFailure: (error: Error) => void;
}

/**
 * Start syncing `path` in a worker thread. The worker does not keep the process alive. Throws
 * when `intervalMs` is not a positive number.
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  if (!(options.intervalMs > 0)) {
    throw new RangeError(`Sync interval must be positive, got ${options.intervalMs}`);
  }
  const counters = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver,
      path: options.path,
      intervalMs: options.intervalMs,
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
    },
    status: () => ({
      committed: Number(Atomics.load(counters, commitsSlot)),
      synced: Number(Atomics.load(counters, syncedSlot)),
      running,
    }),
    whenSynced: () => {
      const through = Atomics.load(counters, commitsSlot);
      if (through <= Atomics.load(counters, syncedSlot)) return Promise.resolve(true);
      if (!running) return Promise.resolve(false);
      return new Promise((resolve) => waiters.push({ through, resolve }));
    },
    stop: async () => {
      if (running) {
        running = false;
        settle(null);
        // Unreferenced, the worker would let the process exit before `exited` settles.
        worker.ref();
        worker.postMessage("stop");
      }
      await exited;
    },
  };
}
