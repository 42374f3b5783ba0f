// The servers under test and how a client reaches each. The orchestrator (run.ts) uses the
// server half to start a server in its own pinned process; the load generator (load.ts) uses
// the client half to attach real provider clients and lightweight receivers.

import type { Dialect } from "./wire.ts";

/** Every server the benchmark can run, peers first. */
export const serverNames = ["y-websocket", "hocuspocus", "parley", "parley-nochecks"] as const;

/** A server under test. */
export type ServerName = (typeof serverNames)[number];

/** The peers Parley is compared with. */
export const peerNames: readonly ServerName[] = ["y-websocket", "hocuspocus"];

/** Parley as it ships and the peers: the servers compared for parity. */
export const parityServers: readonly ServerName[] = ["parley", ...peerNames];

/** Whether `name` is one of `serverNames`. */
export function isServerName(name: string): name is ServerName {
  return (serverNames as readonly string[]).includes(name);
}

/** How a client connects to a running server, sent from the orchestrator to the load generator. */
export interface Endpoint {
  readonly server: ServerName;
  readonly port: number;
  readonly dialect: Dialect;
  readonly docName: string;
  /** The request path a receiver uses (with any query). */
  readonly receiverPath: string;
  /** The server URL a provider client is given (its own path rules add the document). */
  readonly providerUrl: string;
  /** Query parameters a y-websocket provider adds to its URL. */
  readonly providerParams: Readonly<Record<string, string>>;
  /** Tokens for typers (one each, by index) and for receivers (shared). */
  readonly typerTokens: readonly string[];
  readonly receiverToken: string;
  /**
   * Whether the document's seed is already on the server (Parley loads it from its store).
   * Otherwise every typer applies the same seed update locally: identical Yjs items are
   * merged, so the content is not duplicated whichever typer reaches the server first.
   */
  readonly seededByServer: boolean;
}

/** A connected provider client; `destroy()` disconnects it and is safe to call twice. */
export interface TyperConnection {
  readonly synced: Promise<void>;
  destroy(): void;
}

/**
 * Attach a real provider client of the server's own kind to `ydoc`: a y-websocket
 * `WebsocketProvider` for the reference server and Parley (DESIGN §4: any standard
 * y-websocket client must be able to connect), a `HocuspocusProvider` for Hocuspocus.
 * `synced` resolves at the provider's first sync and rejects after `timeoutMs`.
 */
export async function connectTyper(
  endpoint: Endpoint,
  ydoc: import("yjs").Doc,
  index: number,
  timeoutMs: number,
): Promise<TyperConnection> {
  const { WebSocket } = await import("ws");
  const token = endpoint.typerTokens[index % endpoint.typerTokens.length] ?? "";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Typer ${index} did not sync within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  if (endpoint.dialect === "hocuspocus") {
    const { HocuspocusProvider, HocuspocusProviderWebsocket } = await import(
      "@hocuspocus/provider"
    );
    const socket = new HocuspocusProviderWebsocket({
      url: endpoint.providerUrl,
      WebSocketPolyfill: WebSocket,
    });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: endpoint.docName,
      document: ydoc,
      token,
    });
    provider.attach();
    const synced = new Promise<void>((resolve) => {
      if (provider.isSynced) resolve();
      else provider.on("synced", () => resolve());
    });
    let destroyed = false;
    return {
      synced: Promise.race([synced, timeout]).finally(() => clearTimeout(timer)),
      destroy() {
        if (destroyed) return;
        destroyed = true;
        provider.destroy();
        socket.destroy();
      },
    };
  }
  const { WebsocketProvider } = await import("y-websocket");
  const provider = new WebsocketProvider(endpoint.providerUrl, endpoint.docName, ydoc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { ...endpoint.providerParams, ...(token ? { token } : {}) },
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once("sync", () => resolve());
  });
  let destroyed = false;
  return {
    synced: Promise.race([synced, timeout]).finally(() => clearTimeout(timer)),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
    },
  };
}
