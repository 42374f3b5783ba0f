import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "../../server/sqlite-store.ts";

// The SQLite store's update log: how updates are numbered, what a commit writes, and how a
// database of the first layout is carried over.

let dir: string;
let path: string;
const open: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-store-"));
  path = join(dir, "parley.db");
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(): SqliteStore {
  // "normal": no sync worker, so the WAL holds every commit until 1000 pages.
  const store = openSqliteStore(path, "normal");
  open.push(store);
  return store;
}

const bytes = (...values: number[]) => new Uint8Array(values);
const info = (id: string) => ({ id, title: id, createdAt: "2026-01-01T00:00:00Z" });

describe("the update log", () => {
  it("numbers each document's updates on from its last, also after a compaction emptied the log", async () => {
    const store = openStore();
    await store.createDocument(info("a"), bytes(0));
    await store.createDocument(info("b"), bytes(0));
    expect(await store.appendUpdate("a", bytes(1))).toBe(1);
    expect(await store.appendUpdate("b", bytes(1))).toBe(1);
    expect(await store.appendUpdates("a", [bytes(2), bytes(3)])).toBe(3);
    await store.compact("a", bytes(9), 3);
    expect(await store.appendUpdate("a", bytes(4))).toBe(4);
    expect(await store.loadDocument("a")).toEqual({ updates: [bytes(9), bytes(4)], lastSeq: 4 });
    expect(await store.loadDocument("b")).toEqual({ updates: [bytes(0), bytes(1)], lastSeq: 1 });
  });

  it("refuses an update for a document it does not have, and stores none of a batch", async () => {
    const store = openStore();
    await expect(store.appendUpdate("nowhere", bytes(1))).rejects.toThrow(RangeError);
    await expect(store.appendUpdates("nowhere", [bytes(1), bytes(2)])).rejects.toThrow(RangeError);
    await store.createDocument(info("a"), bytes(0));
    expect(await store.appendUpdate("a", bytes(1))).toBe(1);
  });

  it("numbers on after updates another connection appended, and keeps a failed batch out", async () => {
    const store = openStore();
    await store.createDocument(info("a"), bytes(0));
    expect(await store.appendUpdate("a", bytes(1))).toBe(1);
    const other = openStore();
    expect(await other.appendUpdates("a", [bytes(2), bytes(3)])).toBe(3);
    // The first store remembers 1 as the last number; its next inserts clash and are retried.
    expect(await store.appendUpdate("a", bytes(4))).toBe(4);
    expect(await other.appendUpdates("a", [bytes(5), bytes(6)])).toBe(6);
    expect(await store.appendUpdates("a", [bytes(7), bytes(8)])).toBe(8);
    const db = new Database(path);
    // A clash that is not about the number fails the whole batch and stores none of it.
    db.exec(
      "CREATE TRIGGER no_nines BEFORE INSERT ON updates WHEN NEW.seq = 10 BEGIN SELECT RAISE(ABORT, 'no'); END",
    );
    db.close();
    await expect(store.appendUpdates("a", [bytes(9), bytes(10)])).rejects.toThrow("no");
    expect(await store.appendUpdate("a", bytes(9))).toBe(9);
    expect((await store.loadDocument("a"))?.updates).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => bytes(n)),
    );
  });

  it("writes about one page to the WAL per single-update commit", async () => {
    const store = openStore();
    await store.createDocument(info("a"), bytes(0));
    for (let i = 0; i < 20; i++) await store.appendUpdate("a", bytes(i));
    const before = statSync(`${path}-wal`).size;
    const commits = 200;
    for (let i = 0; i < commits; i++) await store.appendUpdate("a", new Uint8Array(40).fill(i));
    const frame = 4096 + 24;
    // A rowid log with an index and AUTOINCREMENT wrote three pages per commit.
    expect((statSync(`${path}-wal`).size - before) / commits).toBeLessThan(1.5 * frame);
  });
});

describe("a database of the first layout", () => {
  // The update log as the store first created it: numbered across all documents.
  const firstLayout = `
    CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL,
      snapshot BLOB, snapshot_seq INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT,
      doc_id TEXT NOT NULL REFERENCES documents(id), data BLOB NOT NULL);
    CREATE INDEX updates_by_doc ON updates(doc_id, seq);
    INSERT INTO documents VALUES ('a', 'A', '2026-01-01', x'09', 3), ('b', 'B', '2026-01-02', x'00', 0);
    INSERT INTO updates (seq, doc_id, data) VALUES (4, 'a', x'04'), (5, 'b', x'05'), (6, 'a', x'06');
  `;

  beforeEach(() => {
    const db = new Database(path);
    db.exec(firstLayout);
    db.close();
  });

  it("keeps every update and its number, and numbers new ones after them", async () => {
    const store = openStore();
    expect(await store.loadDocument("a")).toEqual({
      updates: [bytes(9), bytes(4), bytes(6)],
      lastSeq: 6,
    });
    expect(await store.loadDocument("b")).toEqual({ updates: [bytes(0), bytes(5)], lastSeq: 5 });
    expect(await store.appendUpdate("a", bytes(7))).toBe(7);
    expect(await store.appendUpdate("b", bytes(6))).toBe(6);
    await store.compact("a", bytes(10), 7);
    expect(await store.loadDocument("a")).toEqual({ updates: [bytes(10)], lastSeq: 7 });
  });

  it("is carried over once; opening it again changes nothing", async () => {
    await openStore().close();
    const layout = () => {
      const db = new Database(path);
      try {
        return db
          .prepare<[], { name: string; sql: string | null }>(
            "SELECT name, sql FROM sqlite_master WHERE name LIKE 'updates%' ORDER BY name",
          )
          .all();
      } finally {
        db.close();
      }
    };
    const first = layout();
    // The old table and its index are gone; the new table is its own index.
    expect(first.map((entry) => entry.name)).toEqual(["updates"]);
    expect(first.find((entry) => entry.name === "updates")?.sql).toMatch(/WITHOUT ROWID/);
    const store = openStore();
    expect(layout()).toEqual(first);
    expect(await store.loadDocument("b")).toEqual({ updates: [bytes(0), bytes(5)], lastSeq: 5 });
  });
});
