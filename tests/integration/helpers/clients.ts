import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

// Real y-websocket clients for integration tests, and ways to await what they see without
// sleeping: every wait subscribes to the event that could make its condition true and fails
// with a message after a timeout.

// Each WebsocketProvider listens for the process's exit; tests run fifty and more at once.
process.setMaxListeners(Math.max(process.getMaxListeners(), 256));

/** A y-websocket client connected to a test server. */
export interface TestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Resolves once the client has synced with the server (now, if it already has). */
  synced(): Promise<void>;
  /** Resolves with the close event the next time the server closes the connection. */
  closed(): Promise<{ code: number; reason: string }>;
  /** Disconnect and free the client. */
  destroy(): void;
}

/**
 * Connect a stock WebsocketProvider to document `docId` on `wsUrl` with `token`. Broadcast
 * channels are off so that clients in one process reach each other only through the server.
 */
export function connectClient(
  wsUrl: string,
  docId: string,
  token: string,
  options: { doc?: Y.Doc; connect?: boolean } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, docId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : waitFor(
            `client ${doc.clientID} to sync`,
            (check) => {
              provider.on("sync", check);
              return () => provider.off("sync", check);
            },
            () => provider.synced,
          ),
    closed: () =>
      new Promise((resolve) => {
        const onClose = (event: { code: number; reason: string } | null) => {
          if (!event) return;
          provider.off("connection-close", onClose);
          resolve({ code: event.code, reason: event.reason });
        };
        provider.on("connection-close", onClose);
      }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * Resolve once `condition()` holds, checking it now and whenever `subscribe`'s callback
 * fires; reject naming `what` after `timeoutMs`.
 */
export function waitFor(
  what: string,
  subscribe: (check: () => void) => () => void,
  condition: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out waiting for ${what}`));
    }, timeoutMs);
    const check = () => {
      if (!condition()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    unsubscribe = subscribe(check);
    check();
  });
}

/** Resolve once `condition(doc)` holds, checked after every update of `doc`. */
export function untilDoc(doc: Y.Doc, what: string, condition: (doc: Y.Doc) => boolean) {
  return waitFor(
    what,
    (check) => {
      doc.on("update", check);
      return () => doc.off("update", check);
    },
    () => condition(doc),
  );
}

/**
 * Whether every doc holds the same state as the first: equal state vectors and equal delete
 * sets (a Yjs snapshot), which together fix the content.
 */
export function converged(docs: readonly Y.Doc[]): boolean {
  const [first, ...rest] = docs;
  if (!first) return true;
  const snapshot = Y.snapshot(first);
  return rest.every((doc) => Y.equalSnapshots(Y.snapshot(doc), snapshot));
}

/** Resolve once all `docs` hold the same state, checked after every update of any. */
export function untilConverged(docs: readonly Y.Doc[], what = "documents to converge") {
  return waitFor(
    what,
    (check) => {
      for (const doc of docs) doc.on("update", check);
      return () => {
        for (const doc of docs) doc.off("update", check);
      };
    },
    () => converged(docs),
  );
}

/** A seeded PRNG (mulberry32): the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for a randomized test: from `envVar` if set, else random; printed either way. */
export function testSeed(envVar: string): number {
  const fromEnv = process.env[envVar];
  const seed = fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  console.log(`${envVar}=${seed}`);
  return seed;
}
