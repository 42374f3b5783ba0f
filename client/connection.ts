import { clearDocument, IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import type { Invitation } from "./invitation.ts";

// The link between a Y.Doc and the world: the server over y-websocket and the browser's
// IndexedDB, which keeps edits made offline until the socket is back. When the server
// refuses an update (close code 4403, see server/PROTOCOL.md) the local state holds a change
// the room will never accept; it must be thrown away entirely (memory and IndexedDB) and the
// document fetched afresh, or the same update would be sent again on every reconnect.

/** The close code with which the server refuses an update. */
export const refusedCloseCode = 4403;

/** What the connection indicator shows. */
export type ConnectionState = "connecting" | "connected" | "synced" | "offline";

/** The server's refusal of an update, as its close frame says it. */
export interface Refusal {
  readonly code: number;
  /** The short stable name of the rule ("observer-read-only"). */
  readonly rule: string;
  /** The sentence the server gave, or the rule again when it gave none. */
  readonly reason: string;
}

/** Callbacks of a connection. */
export interface ConnectionEvents {
  onState(state: ConnectionState): void;
  onRefused(refusal: Refusal): void;
  /** The IndexedDB copy has been loaded into the Y.Doc (empty on a first visit). */
  onLoaded(): void;
  /**
   * The server closed the connection for good (a 44xx code other than a refusal: an expired
   * or revoked invitation, a malformed frame); the provider will not reconnect by itself.
   */
  onClosed(code: number, reason: string): void;
}

/** A live connection of one Y.Doc. */
export interface Connection {
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  /** Disconnect and stop persisting; the IndexedDB data stays. */
  destroy(): void;
}

/**
 * Split a close reason into rule and sentence. The server writes "rule: sentence"; a reason
 * without a colon is taken as the rule alone.
 */
export function parseRefusal(code: number, reason: string): Refusal {
  const colon = reason.indexOf(":");
  if (colon <= 0) return { code, rule: reason || String(code), reason: reason || String(code) };
  return { code, rule: reason.slice(0, colon).trim(), reason: reason.slice(colon + 1).trim() };
}

/** Failed connection attempts in a row after which the invitation itself is checked. */
const attemptsBeforeProbe = 3;

/**
 * The HTTP status with which the server refuses `invitation` (401 expired or unknown, 403
 * another document, 404 no such document), or null when it accepts it or cannot be reached
 * (then the trouble is the network, and reconnecting is right).
 */
export async function probeInvitation(invitation: Invitation): Promise<number | null> {
  try {
    const response = await fetch(
      `${invitation.httpOrigin}/api/docs/${encodeURIComponent(invitation.docId)}`,
      { headers: { Authorization: `Bearer ${invitation.token}` } },
    );
    return [401, 403, 404].includes(response.status) ? response.status : null;
  } catch {
    return null;
  }
}

/** The IndexedDB database name for an invitation: one per document and identity. */
export function localStoreName(invitation: Invitation): string {
  const { party, role } = invitation.actor;
  return `parley:${invitation.docId}:${role}:${party}`;
}

/** Delete the IndexedDB copy of an invitation's document. Resolves once it is gone. */
export async function clearLocalStore(invitation: Invitation): Promise<void> {
  await clearDocument(localStoreName(invitation));
}

/**
 * Connect `ydoc` to the server and to IndexedDB for `invitation`. The socket is opened only
 * after IndexedDB has loaded, so that offline edits from a previous visit go out with the
 * first sync rather than after it. Going offline (the browser's `offline` event) closes the
 * socket at once instead of waiting for the keep-alive to notice.
 */
export function connect(ydoc: Y.Doc, invitation: Invitation, events: ConnectionEvents): Connection {
  const persistence = new IndexeddbPersistence(localStoreName(invitation), ydoc);
  const provider = new WebsocketProvider(invitation.socketUrl, invitation.docId, ydoc, {
    connect: false,
    params: { token: invitation.token },
    // Tabs of one browser would otherwise exchange updates directly, and a refused update
    // could come back from a sibling tab after this one cleared it.
    disableBc: true,
  });
  let destroyed = false;
  let synced = false;
  const report = (): void => {
    if (destroyed) return;
    if (!navigator.onLine) events.onState("offline");
    else if (provider.wsconnected) events.onState(synced ? "synced" : "connected");
    else events.onState(provider.wsconnecting ? "connecting" : "offline");
  };
  provider.on("status", () => {
    if (!provider.wsconnected) synced = false;
    report();
  });
  provider.on("sync", (isSynced: boolean) => {
    synced = isSynced;
    report();
  });
  provider.on("closed", (event: { code: number; reason: string }) => {
    if (destroyed) return;
    if (event.code === refusedCloseCode) events.onRefused(parseRefusal(event.code, event.reason));
    else events.onClosed(event.code, event.reason);
    report();
  });
  // The server refuses the websocket upgrade itself (HTTP 401/403/404) for an expired or
  // revoked invitation or a deleted document; the browser reports that only as an abnormal
  // close, and y-websocket would retry for ever. After a few attempts that never opened,
  // ask the HTTP API with the same token whether it is the invitation that fails.
  let failures = 0;
  provider.on("connection-close", () => {
    if (destroyed || provider.wsconnected) return;
    failures += 1;
    if (failures !== attemptsBeforeProbe) return;
    void probeInvitation(invitation).then((status) => {
      if (destroyed || status === null) return;
      provider.disconnect();
      events.onClosed(status, `HTTP ${status}`);
      report();
    });
  });
  provider.on("status", (event: { status: string }) => {
    if (event.status === "connected") failures = 0;
  });
  const goOffline = (): void => {
    provider.disconnect();
    report();
  };
  const goOnline = (): void => {
    provider.connect();
    report();
  };
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", goOnline);
  void persistence.whenSynced.then(() => {
    if (destroyed) return;
    events.onLoaded();
    if (navigator.onLine) provider.connect();
    report();
  });
  report();
  return {
    provider,
    persistence,
    destroy() {
      destroyed = true;
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      provider.destroy();
      void persistence.destroy();
    },
  };
}
