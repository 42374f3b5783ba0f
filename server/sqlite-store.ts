import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { type Checkpointer, type SyncStatus, startCheckpointer } from "./sqlite-checkpointer.ts";
import type { DocumentInfo, Invitation, Store, StoredDocument } from "./store.ts";

// The default store: one SQLite file in WAL mode. An update is committed before
// `appendUpdate` resolves, so it survives the process being killed in every mode. What
// differs is when it reaches the disk and survives a power cut:
//   "interval" (default)  within `syncIntervalMs` (100 ms) plus one fdatasync of the WAL, by a
//                         worker thread (sqlite-checkpointer.ts) off the event loop, which
//                         also checkpoints every `checkpointEveryMs` (10 s), or sooner
//                         once the WAL has grown by `walGrowthBytes` (16 MB);
//   "full"                before `appendUpdate` resolves (`synchronous = FULL`), at the cost
//                         of an fsync on the event loop for every commit;
//   "normal"              whenever SQLite's automatic checkpoint next runs (every 1000 WAL
//                         pages), which may be never for a quiet document.

/** When a commit reaches the disk: see the modes above. */
export type Durability = "interval" | "full" | "normal";

/** The SQLite store, with where its background sync stands. */
export interface SqliteStore extends Store {
  /** Commits made and synced since opening; `synced` equals `committed` unless "interval". */
  syncStatus(): SyncStatus;
  /**
   * Resolves true once every commit made so far is on disk; false when the sync worker failed
   * or stopped first (the commits are still in the WAL and will be checkpointed later).
   */
  whenSynced(): Promise<boolean>;
}

/** Options of `openSqliteStore` besides the path and durability. */
export interface SqliteStoreOptions {
  /** How often the "interval" mode syncs what was committed since the last sync (100 ms). */
  readonly syncIntervalMs?: number;
  /**
   * How often the "interval" mode checkpoints the WAL into the database (10 s). Each
   * checkpoint costs the event loop one sync, when the next commit starts the WAL over: a
   * stall of up to a few milliseconds for every edit waiting then, so they are kept rare.
   */
  readonly checkpointEveryMs?: number;
  /** WAL growth that brings the "interval" mode's next checkpoint forward (16 MB). */
  readonly walGrowthBytes?: number;
  /** Where a failed sync worker is reported (a pino logger fits); default stderr. */
  readonly log?: { error(details: object, message: string): void };
}

// SQLite's own default. The "interval" mode turns the main connection's automatic checkpoint
// (which syncs on the event loop) down to a safety valve that fires only when the WAL has
// grown far beyond what the worker leaves behind, e.g. because its checkpoints never catch up
// with a steady stream of commits, and back to this when the worker fails.
const autocheckpointPages = 1000;
const valveCheckpointPages = 10_000;
const defaultSyncIntervalMs = 100;
const defaultCheckpointEveryMs = 10_000;
const defaultWalGrowthBytes = 16 * 1024 * 1024;

const stderrLog = {
  error: (details: object, message: string) => console.error(message, details),
};

const schemaSql = `
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  snapshot BLOB,
  snapshot_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS invitations (
  id TEXT PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id),
  party TEXT NOT NULL,
  role TEXT NOT NULL,
  on_behalf_of TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS invitations_by_doc ON invitations(doc_id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

// The update log, clustered by document: a keystroke's commit writes one B-tree page (where
// a rowid table with an AUTOINCREMENT key and an index on (doc_id, seq) wrote three: the
// table, the index and sqlite_sequence), so the WAL grows by about 5 KB per commit, not 13.
// Sequence numbers count per document, continuing after its snapshot's.
const updatesSql = `
CREATE TABLE updates (
  doc_id TEXT NOT NULL REFERENCES documents(id),
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;
`;

/**
 * Create the update log, or move a log of the first layout (a rowid table numbered across
 * all documents) into it, keeping every update and its number: they rise within each
 * document, which is all the numbers are used for.
 */
function ensureUpdatesTable(db: Database.Database): void {
  const existing = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'updates'",
    )
    .get();
  if (existing && /WITHOUT ROWID/i.test(existing.sql)) return;
  db.transaction(() => {
    if (!existing) {
      db.exec(updatesSql);
      return;
    }
    db.exec("ALTER TABLE updates RENAME TO updates_rowid");
    db.exec(updatesSql);
    db.exec("INSERT INTO updates (doc_id, seq, data) SELECT doc_id, seq, data FROM updates_rowid");
    // Drops its index with it; sqlite_sequence keeps a row that nothing reads.
    db.exec("DROP TABLE updates_rowid");
  })();
}

interface DocumentRow {
  id: string;
  title: string;
  created_at: string;
}

interface InvitationRow {
  id: string;
  doc_id: string;
  party: string;
  role: Invitation["role"];
  on_behalf_of: string | null;
  created_at: string;
  expires_at: string;
}

const toInfo = (row: DocumentRow): DocumentInfo => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at,
});

const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  docId: row.doc_id,
  party: row.party,
  role: row.role,
  onBehalfOf: row.on_behalf_of,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

function isPrimaryKeyClash(error: unknown): boolean {
  return (error as { code?: unknown }).code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

const asBytes = (data: Buffer): Uint8Array =>
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/**
 * Open (creating if needed) the SQLite store at `path` (":memory:" for a throwaway one).
 * Throws when the file cannot be opened or is not a database.
 */
export function openSqliteStore(
  path: string,
  durability: Durability = "interval",
  options: SqliteStoreOptions = {},
): SqliteStore {
  const inMemory = path === ":memory:";
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  db.exec(schemaSql);
  ensureUpdatesTable(db);

  // A memory database has nothing to sync, so it gets no worker in any mode.
  let checkpointer: Checkpointer | null = null;
  if (durability === "interval" && !inMemory) {
    const log = options.log ?? stderrLog;
    checkpointer = startCheckpointer({
      path,
      intervalMs: options.syncIntervalMs ?? defaultSyncIntervalMs,
      checkpointEveryMs: options.checkpointEveryMs ?? defaultCheckpointEveryMs,
      walGrowthBytes: options.walGrowthBytes ?? defaultWalGrowthBytes,
      onFailure: (error) => {
        // The commits stay in the WAL; the main connection checkpoints them from now on, so
        // the WAL stays bounded, but each checkpoint again syncs on the event loop.
        if (db.open) db.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
        log.error({ err: error }, "SQLite sync worker failed; checkpointing on the main thread");
      },
    });
    db.pragma(`wal_autocheckpoint = ${valveCheckpointPages}`);
  }

  const insertDocument = db.prepare(
    "INSERT OR IGNORE INTO documents (id, title, created_at, snapshot, snapshot_seq) VALUES (?, ?, ?, ?, 0)",
  );
  // A document's info without its snapshot, which can be megabytes.
  const selectDocument = db.prepare<[string], DocumentRow>(
    "SELECT id, title, created_at FROM documents WHERE id = ?",
  );
  const selectSnapshot = db.prepare<[string], { snapshot: Buffer | null; snapshot_seq: number }>(
    "SELECT snapshot, snapshot_seq FROM documents WHERE id = ?",
  );
  const selectUpdates = db.prepare<[string], { seq: number; data: Buffer }>(
    "SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq",
  );
  // The number of the document's last update, or of its snapshot when the log is empty; no
  // row when there is no such document.
  const selectLastSeq = db.prepare<[{ id: string }], { seq: number }>(
    `SELECT max(snapshot_seq, coalesce((SELECT max(seq) FROM updates WHERE doc_id = @id), 0)) AS seq
     FROM documents WHERE id = @id`,
  );
  const insertUpdate = db.prepare("INSERT INTO updates (doc_id, seq, data) VALUES (?, ?, ?)");
  const updateSnapshot = db.prepare(
    "UPDATE documents SET snapshot = ?, snapshot_seq = ? WHERE id = ?",
  );
  const deleteUpdates = db.prepare("DELETE FROM updates WHERE doc_id = ? AND seq <= ?");
  const selectDocuments = db.prepare<[], DocumentRow>(
    "SELECT id, title, created_at FROM documents ORDER BY created_at, id",
  );
  const insertInvitation = db.prepare(
    "INSERT INTO invitations (id, doc_id, party, role, on_behalf_of, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const selectInvitations = db.prepare<[string], InvitationRow>(
    "SELECT * FROM invitations WHERE doc_id = ? ORDER BY created_at, rowid",
  );
  const selectInvitation = db.prepare<[string], InvitationRow>(
    "SELECT * FROM invitations WHERE id = ?",
  );
  const selectSetting = db.prepare<[string], { value: string }>(
    "SELECT value FROM settings WHERE key = ?",
  );
  const insertSetting = db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");

  // Each document's last sequence number, read from the file at its first append and kept
  // here after every commit, so that a keystroke's commit is a plain insert: looking the
  // number up in the same statement cost a third of the commit when the core's caches were
  // cold (bench/NOTES.md). Documents are never deleted, and compaction keeps the number.
  // Should another connection have appended meanwhile, the insert hits the primary key; the
  // number is then read again and the append retried once.
  const lastSeqs = new Map<string, number>();
  const lastSeqOf = (id: string): number => {
    const known = lastSeqs.get(id);
    if (known !== undefined) return known;
    const row = selectLastSeq.get({ id });
    if (!row) throw new RangeError(`No document ${id} to append to`);
    return row.seq;
  };
  const insertAll = (id: string, updates: readonly Uint8Array[]): number => {
    let seq = lastSeqOf(id);
    for (const update of updates) insertUpdate.run(id, ++seq, update);
    return seq;
  };
  const insertAllAtomically = db.transaction(insertAll);
  const appendAll = (id: string, updates: readonly Uint8Array[]): number => {
    const insert = updates.length === 1 ? insertAll : insertAllAtomically;
    let seq: number;
    try {
      seq = insert(id, updates);
    } catch (error) {
      if (!lastSeqs.has(id) || !isPrimaryKeyClash(error)) throw error;
      lastSeqs.delete(id);
      seq = insert(id, updates);
    }
    lastSeqs.set(id, seq);
    return seq;
  };

  const compact = db.transaction((id: string, snapshot: Uint8Array, throughSeq: number) => {
    updateSnapshot.run(snapshot, throughSeq, id);
    deleteUpdates.run(id, throughSeq);
  });

  // Promise-wrapping keeps the interface the same for stores that really are asynchronous;
  // a thrown SQLite error becomes a rejection instead of escaping synchronously.
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  let commits = 0;
  // Wraps every write; a commit is counted only once it has returned, so the worker never
  // reports as synced a commit that was not yet in the WAL when its checkpoint started.
  const write = <T>(work: () => T): Promise<T> =>
    run(() => {
      const result = work();
      commits++;
      checkpointer?.committed();
      return result;
    });
  let closing: Promise<void> | null = null;
  const close = async () => {
    await checkpointer?.stop();
    if (!db.open) return;
    // Copy the WAL into the database, sync it and empty the WAL, so that a clean shutdown
    // leaves nothing that only the page cache holds.
    if (!inMemory) db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
  };

  return {
    createDocument: (info, initial) =>
      write(() => insertDocument.run(info.id, info.title, info.createdAt, initial).changes === 1),
    loadDocument: (id) =>
      run((): StoredDocument | null => {
        const row = selectSnapshot.get(id);
        if (!row) return null;
        const updates: Uint8Array[] = row.snapshot ? [asBytes(row.snapshot)] : [];
        let lastSeq = row.snapshot_seq;
        for (const update of selectUpdates.iterate(id)) {
          updates.push(asBytes(update.data));
          lastSeq = update.seq;
        }
        return { updates, lastSeq };
      }),
    appendUpdate: (id, update) => write(() => appendAll(id, [update])),
    appendUpdates: (id, updates) =>
      write(() => {
        if (updates.length === 0) throw new RangeError("No updates to append");
        return appendAll(id, updates);
      }),
    compact: (id, snapshot, throughSeq) => write(() => compact(id, snapshot, throughSeq)),
    listDocuments: () => run(() => selectDocuments.all().map(toInfo)),
    getDocument: (id) =>
      run(() => {
        const row = selectDocument.get(id);
        return row ? toInfo(row) : null;
      }),
    addInvitation: (inv) =>
      write(() => {
        insertInvitation.run(
          inv.id,
          inv.docId,
          inv.party,
          inv.role,
          inv.onBehalfOf,
          inv.createdAt,
          inv.expiresAt,
        );
      }),
    listInvitations: (docId) => run(() => selectInvitations.all(docId).map(toInvitation)),
    getInvitation: (id) =>
      run(() => {
        const row = selectInvitation.get(id);
        return row ? toInvitation(row) : null;
      }),
    getSetting: (key) => run(() => selectSetting.get(key)?.value ?? null),
    initSetting: (key, value) =>
      write(() => {
        insertSetting.run(key, value);
        return selectSetting.get(key)!.value;
      }),
    close: () => {
      closing ??= close();
      return closing;
    },
    syncStatus: () =>
      checkpointer?.status() ?? {
        committed: commits,
        synced: durability === "full" && !inMemory ? commits : 0,
        running: false,
      },
    whenSynced: () =>
      checkpointer?.whenSynced() ?? Promise.resolve(durability === "full" && !inMemory),
  };
}
