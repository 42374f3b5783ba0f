import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Durability, openSqliteStore, type SqliteStore } from "../../server/sqlite-store.ts";

// The durability modes of the SQLite store, observed through the database file itself: a copy
// of parley.db taken without its WAL holds exactly what checkpoints have copied into it. The
// "interval" mode's worker syncs the WAL on most ticks and checkpoints only now and then; the
// syncs themselves are invisible from here (strace shows them; see sqlite-checkpointer.ts), so
// these tests pin down when commits count as synced and when they reach the database file. The
// workers are recorded so that one can be killed.

const workers = vi.hoisted((): Worker[] => []);
vi.mock("node:worker_threads", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:worker_threads")>();
  class RecordedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      workers.push(this);
    }
  }
  return { ...actual, Worker: RecordedWorker };
});

const docId = "doc";
const pageSized = new Uint8Array(4096).fill(7);
let dir: string;
let path: string;
const open: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-durability-"));
  path = join(dir, "parley.db");
  workers.length = 0;
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function storeWithDoc(
  durability?: Durability,
  options?: Parameters<typeof openSqliteStore>[2],
): Promise<SqliteStore> {
  const store = openSqliteStore(path, durability, options);
  open.push(store);
  await store.createDocument(
    { id: docId, title: "Draft", createdAt: "2026-01-01T00:00:00Z" },
    new Uint8Array(),
  );
  return store;
}

/**
 * The updates a fresh connection finds in `file`, as it stands, with or without its WAL; 0 when
 * not even the schema is there.
 */
function updatesIn(file: string): number {
  const db = new Database(file);
  try {
    const schema = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'updates'").get();
    if (!schema) return 0;
    return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM updates").get()!.n;
  } finally {
    db.close();
  }
}

/** The updates in the database file alone, i.e. what checkpoints have copied out of the WAL. */
function updatesCheckpointed(): number {
  const copy = join(dir, "copy.db");
  rmSync(copy, { force: true });
  copyFileSync(path, copy);
  return updatesIn(copy);
}

const exited = (worker: Worker) =>
  new Promise<number>((resolve) => worker.once("exit", (code) => resolve(code)));

describe("the interval durability mode", () => {
  it("is the default and syncs in a worker of its own", async () => {
    const store = await storeWithDoc();
    expect(workers).toHaveLength(1);
    expect(store.syncStatus()).toMatchObject({ committed: 1, running: true });
  });

  it("copies commits into the database file when a checkpoint is due", async () => {
    const store = await storeWithDoc("interval", { syncIntervalMs: 10, checkpointEveryMs: 1 });
    await store.appendUpdates(docId, [pageSized, pageSized]);
    await store.appendUpdate(docId, pageSized);
    expect(await store.whenSynced()).toBe(true);
    expect(store.syncStatus()).toEqual({ committed: 3, synced: 3, running: true });
    expect(updatesCheckpointed()).toBe(3);
  });

  it("syncs commits in the WAL between checkpoints, leaving the database file as it was", async () => {
    const store = await storeWithDoc("interval", { syncIntervalMs: 10, checkpointEveryMs: 60_000 });
    await store.appendUpdates(docId, [pageSized, pageSized]);
    await store.appendUpdate(docId, pageSized);
    expect(await store.whenSynced()).toBe(true);
    expect(store.syncStatus()).toEqual({ committed: 3, synced: 3, running: true });
    expect(updatesCheckpointed()).toBe(0);
    expect(updatesIn(path)).toBe(3);
  });

  it("checkpoints early when the WAL grows by megabytes between checkpoints", async () => {
    const store = await storeWithDoc("interval", {
      syncIntervalMs: 10,
      checkpointEveryMs: 60_000,
      walGrowthBytes: 4 * 1024 * 1024,
    });
    // About 5 MB of WAL: each update overflows onto a page of its own.
    for (let i = 0; i < 600; i++) await store.appendUpdates(docId, [pageSized, pageSized]);
    expect(await store.whenSynced()).toBe(true);
    expect(updatesCheckpointed()).toBeGreaterThan(0);
  });

  it("leaves commits in the WAL until the worker's interval comes round", async () => {
    const store = await storeWithDoc("interval", { syncIntervalMs: 60_000, checkpointEveryMs: 1 });
    await store.appendUpdate(docId, pageSized);
    expect(store.syncStatus()).toEqual({ committed: 2, synced: 0, running: true });
    expect(updatesCheckpointed()).toBe(0);
    expect(updatesIn(path)).toBe(1);
  });

  it("stops the worker on close and leaves the whole database in its file", async () => {
    const store = await storeWithDoc("interval", { syncIntervalMs: 60_000 });
    const worker = workers[0]!;
    const workerExit = exited(worker);
    await store.appendUpdate(docId, pageSized);
    await store.close();
    expect(await workerExit).toBe(0);
    expect(store.syncStatus().running).toBe(false);
    expect(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0).toBe(true);
    expect(updatesCheckpointed()).toBe(1);
    await expect(store.appendUpdate(docId, pageSized)).rejects.toThrow();
  });

  it("wakes from waiting for commits to sync the next one, and stops while waiting", async () => {
    const store = await storeWithDoc("interval", { syncIntervalMs: 10, checkpointEveryMs: 1 });
    const workerExit = exited(workers[0]!);
    expect(await store.whenSynced()).toBe(true);
    // Synced, and checkpointed a millisecond later: the worker then waits for a commit with no
    // timeout, and only the commit can wake it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.appendUpdate(docId, pageSized);
    expect(await store.whenSynced()).toBe(true);
    await vi.waitFor(() => expect(updatesCheckpointed()).toBe(1), { timeout: 3000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.close();
    expect(await workerExit).toBe(0);
  });

  it("checkpoints synced commits when the checkpoint falls due, with no commit after them", async () => {
    const store = await storeWithDoc("interval", { syncIntervalMs: 10, checkpointEveryMs: 300 });
    await store.appendUpdate(docId, pageSized);
    expect(await store.whenSynced()).toBe(true);
    // Nothing else is committed: only the checkpoint's own deadline can wake the worker.
    await vi.waitFor(() => expect(updatesCheckpointed()).toBe(1), { timeout: 3000, interval: 20 });
  });

  it("checkpoints on the main connection when the worker dies, losing no commit", async () => {
    const log = { error: vi.fn() };
    const store = await storeWithDoc("interval", { syncIntervalMs: 60_000, log });
    await store.appendUpdate(docId, pageSized);
    const synced = store.whenSynced();
    await workers[0]!.terminate();
    expect(await synced).toBe(false);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(store.syncStatus().running).toBe(false);
    // Past SQLite's automatic checkpoint threshold of 1000 WAL pages, which the store turned
    // up while the worker was alive and must have turned back down.
    for (let i = 0; i < 600; i++) await store.appendUpdates(docId, [pageSized, pageSized]);
    expect(updatesCheckpointed()).toBeGreaterThan(0);
    await store.close();
    expect(updatesIn(path)).toBe(1201);
  });
});

describe("the other durability modes", () => {
  it("full syncs every commit and needs no worker", async () => {
    const store = await storeWithDoc("full");
    await store.appendUpdate(docId, pageSized);
    expect(workers).toHaveLength(0);
    expect(store.syncStatus()).toEqual({ committed: 2, synced: 2, running: false });
    expect(await store.whenSynced()).toBe(true);
  });

  it("normal never reports a commit as synced", async () => {
    const store = await storeWithDoc("normal");
    await store.appendUpdate(docId, pageSized);
    expect(workers).toHaveLength(0);
    expect(await store.whenSynced()).toBe(false);
    expect(updatesCheckpointed()).toBe(0);
    await store.close();
    expect(updatesIn(path)).toBe(1);
  });

  it("a memory store has no worker in the interval mode", async () => {
    const store = openSqliteStore(":memory:");
    open.push(store);
    expect(workers).toHaveLength(0);
    expect(await store.whenSynced()).toBe(false);
  });
});
