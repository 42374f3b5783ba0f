// The storage interface of the sync server. Yjs updates are the source of truth: a document
// is its latest snapshot followed by the updates appended since. The embedded SQLite store
// (sqlite-store.ts) implements it; a PostgreSQL store can implement it too, which is why
// every method returns a promise even though SQLite answers synchronously.

/** A document as stored: a snapshot and the updates appended after it, oldest first. */
export interface StoredDocument {
  /** The snapshot first (if any), then every logged update in the order it was appended. */
  readonly updates: readonly Uint8Array[];
  /** The sequence number of the last update included; pass it to `compact`. */
  readonly lastSeq: number;
}

/** What the store knows about a document besides its content. */
export interface DocumentInfo {
  readonly id: string;
  readonly title: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** An invitation: the record a token is issued for. Tokens can be re-minted from it. */
export interface Invitation {
  readonly id: string;
  readonly docId: string;
  readonly party: string;
  readonly role: "delegation" | "chair" | "secretariat" | "observer";
  readonly onBehalfOf: string | null;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/**
 * Durable storage for documents, invitations and settings. Every method rejects when the
 * storage fails; callers must then keep what they hold in memory rather than lose it.
 */
export interface Store {
  /**
   * Create a document with its initial state. Resolves false, changing nothing, when a
   * document with that id exists: a document is seeded exactly once.
   */
  createDocument(info: DocumentInfo, initial: Uint8Array): Promise<boolean>;
  /** The document's stored updates, or null when no such document exists. */
  loadDocument(id: string): Promise<StoredDocument | null>;
  /**
   * Append an update; resolves with its sequence number (rising within the document) once
   * it is committed, so that it survives the server process being killed (when it also
   * survives a power cut depends on the store's durability setting). Rejects with a
   * RangeError when the document does not exist.
   */
  appendUpdate(id: string, update: Uint8Array): Promise<number>;
  /**
   * Append several updates in one transaction (one commit, as for `appendUpdate`), in
   * order; resolves with the sequence number of the last once all are written, and appends
   * none of them when it rejects. Rejects with a RangeError when the document does not exist
   * or `updates` is empty.
   */
  appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number>;
  /**
   * Replace the snapshot with `snapshot`, which must contain everything up to and including
   * update `throughSeq`, and drop the updates it covers, in one transaction.
   */
  compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Every document, oldest first. */
  listDocuments(): Promise<DocumentInfo[]>;
  /** One document's info, or null when it does not exist. */
  getDocument(id: string): Promise<DocumentInfo | null>;
  /** Store an invitation. Rejects when its id is taken. */
  addInvitation(invitation: Invitation): Promise<void>;
  /** A document's invitations, oldest first. */
  listInvitations(docId: string): Promise<Invitation[]>;
  /** One invitation, or null when there is none with that id. */
  getInvitation(id: string): Promise<Invitation | null>;
  /** A setting's value, or null when it was never set. */
  getSetting(key: string): Promise<string | null>;
  /**
   * Set a setting unless it is already set; resolves with the value that is stored
   * afterwards (so two processes generating a secret at once agree on one).
   */
  initSetting(key: string, value: string): Promise<string>;
  /** Flush and release the storage. Further calls reject. */
  close(): Promise<void>;
}
