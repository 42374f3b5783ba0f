import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { DocumentInfo, Invitation, Store, StoredDocument } from "./store.ts";

// The default store: one SQLite file in WAL mode. An update is committed before
// `appendUpdate` resolves; with `synchronous = FULL` (the default here) that commit survives
// a power cut, with NORMAL it survives the process being killed but not the machine.

/** How hard SQLite works to make a commit survive a crash. */
export type Durability = "full" | "normal";

const schemaSql = `
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  snapshot BLOB,
  snapshot_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL REFERENCES documents(id),
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS updates_by_doc ON updates(doc_id, seq);
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

const asBytes = (data: Buffer): Uint8Array =>
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/**
 * Open (creating if needed) the SQLite store at `path` (":memory:" for a throwaway one).
 * Throws when the file cannot be opened or is not a database.
 */
export function openSqliteStore(path: string, durability: Durability = "full"): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  db.exec(schemaSql);

  const insertDocument = db.prepare(
    "INSERT OR IGNORE INTO documents (id, title, created_at, snapshot, snapshot_seq) VALUES (?, ?, ?, ?, 0)",
  );
  const selectDocument = db.prepare<[string], DocumentRow & { snapshot: Buffer | null }>(
    "SELECT id, title, created_at, snapshot FROM documents WHERE id = ?",
  );
  const selectUpdates = db.prepare<[string], { seq: number; data: Buffer }>(
    "SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq",
  );
  const selectSnapshotSeq = db.prepare<[string], { snapshot_seq: number }>(
    "SELECT snapshot_seq FROM documents WHERE id = ?",
  );
  const insertUpdate = db.prepare("INSERT INTO updates (doc_id, data) VALUES (?, ?)");
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

  const appendAll = db.transaction((id: string, updates: readonly Uint8Array[]): number => {
    let seq = 0;
    for (const update of updates) seq = Number(insertUpdate.run(id, update).lastInsertRowid);
    return seq;
  });
  const foreignKey = (id: string, error: unknown): unknown =>
    (error as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY"
      ? new RangeError(`No document ${id} to append to`)
      : error;

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

  return {
    createDocument: (info, initial) =>
      run(() => insertDocument.run(info.id, info.title, info.createdAt, initial).changes === 1),
    loadDocument: (id) =>
      run((): StoredDocument | null => {
        const row = selectDocument.get(id);
        if (!row) return null;
        const updates: Uint8Array[] = row.snapshot ? [asBytes(row.snapshot)] : [];
        let lastSeq = selectSnapshotSeq.get(id)?.snapshot_seq ?? 0;
        for (const update of selectUpdates.iterate(id)) {
          updates.push(asBytes(update.data));
          lastSeq = update.seq;
        }
        return { updates, lastSeq };
      }),
    appendUpdate: (id, update) =>
      run(() => {
        try {
          return Number(insertUpdate.run(id, update).lastInsertRowid);
        } catch (error) {
          throw foreignKey(id, error);
        }
      }),
    appendUpdates: (id, updates) =>
      run(() => {
        if (updates.length === 0) throw new RangeError("No updates to append");
        try {
          return appendAll(id, updates);
        } catch (error) {
          throw foreignKey(id, error);
        }
      }),
    compact: (id, snapshot, throughSeq) => run(() => compact(id, snapshot, throughSeq)),
    listDocuments: () => run(() => selectDocuments.all().map(toInfo)),
    getDocument: (id) =>
      run(() => {
        const row = selectDocument.get(id);
        return row ? toInfo(row) : null;
      }),
    addInvitation: (inv) =>
      run(() => {
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
      run(() => {
        insertSetting.run(key, value);
        return selectSetting.get(key)!.value;
      }),
    close: () =>
      run(() => {
        if (db.open) db.close();
      }),
  };
}
