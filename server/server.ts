import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { type Logger, pino } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import * as Y from "yjs";
import { type Draft, draftFromYDoc } from "../schema/draft.ts";
import { Connection, type ConnectionLimits, defaultLimits } from "./connection.ts";
import { observerGuard, type UpdateGuard } from "./guard.ts";
import type { Hooks } from "./hooks.ts";
import { handleHttp } from "./http.ts";
import { Metrics } from "./metrics.ts";
import { defaultPacing, type PacingOptions } from "./pacing.ts";
import { CloseCode, decodeClientMessage } from "./protocol.ts";
import { Room, type RoomContext } from "./room.ts";
import { type Durability, openSqliteStore } from "./sqlite-store.ts";
import type { Store } from "./store.ts";
import { TokenIssuer } from "./tokens.ts";

// The sync server's core: one HTTP server that upgrades `/ws/DOC_ID?token=TOKEN` to a
// y-websocket connection in the document's room and answers everything else through the
// HTTP API. Documents live in rooms while clients are connected and in the store otherwise.

/** How to build a server. Everything has a default fit for `npm start`. */
export interface ServerOptions {
  /** Directory of the embedded SQLite store (`parley.db`); default `./data`. */
  readonly dataDir?: string;
  /** A store to use instead of the SQLite file in `dataDir`; the server does not close it. */
  readonly store?: Store;
  /** The token secret (at least 32 bytes); default: generated once and kept in the store. */
  readonly secret?: string;
  /** Judges every incoming update; default `observerGuard`. */
  readonly guard?: UpdateGuard;
  readonly hooks?: Hooks;
  /** Default: pino at `info` (level from PARLEY_LOG_LEVEL). */
  readonly logger?: Logger;
  /** Largest websocket frame accepted, in bytes; default 16 MiB. */
  readonly maxMessageBytes?: number;
  /** Per-connection rate and backpressure limits. */
  readonly limits?: Partial<ConnectionLimits>;
  /**
   * Compact a document's update log after this many updates (default 500), and only once
   * the log is also a sizeable share of the snapshot, so a large draft is not rewritten
   * every few hundred keystrokes.
   */
  readonly compactEvery?: number;
  /**
   * After an update of an invitation was refused once it had got into the document (each
   * such refusal makes the room rebuild it), that invitation is turned away with 429 for
   * this long (default 1000 ms), doubled for each further one, up to a minute.
   */
  readonly refusalCooldownMs?: number;
  /** When a busy room holds a commit back so that edits go out merged; see pacing.ts. */
  readonly pacing?: Partial<PacingOptions>;
  /** The built client to serve; default `dist/` when it exists, null for a plain page. */
  readonly staticDir?: string | null;
  /**
   * When the store's commits reach the disk (default "interval": within about 100 ms, synced
   * off the event loop); see sqlite-store.ts. Ignored when `store` is given.
   */
  readonly durability?: Durability;
}

/** A running (or ready to run) sync server. */
export interface ParleyServer {
  readonly http: Server;
  readonly store: Store;
  readonly tokens: TokenIssuer;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Start listening; resolves with the bound port (pass 0 for any free one). */
  listen(port: number, host?: string): Promise<number>;
  /** The document's draft, live from its room if loaded, else from the store; null if none. */
  readDraft(docId: string): Promise<Draft | null>;
  /** Documents in memory. */
  readonly rooms: ReadonlyMap<string, Room>;
  /**
   * Close every connection (1001, going away), store every room, close the store. Resolves
   * when done; a room that cannot be stored is logged and its updates stay in the log.
   */
  close(): Promise<void>;
}

const secretSetting = "token-secret";
const defaultStaticDir = fileURLToPath(new URL("../dist/", import.meta.url));

/**
 * Build a server. Throws when the store cannot be opened or `secret` is too short; the
 * server does not listen until `listen` is called.
 */
export async function createServer(options: ServerOptions = {}): Promise<ParleyServer> {
  const log =
    options.logger ?? pino({ name: "parley", level: process.env.PARLEY_LOG_LEVEL ?? "info" });
  const ownsStore = !options.store;
  const store =
    options.store ??
    openSqliteStore(join(options.dataDir ?? "data", "parley.db"), options.durability, { log });
  const secret =
    options.secret ??
    process.env.PARLEY_SECRET ??
    (await store.initSetting(secretSetting, randomBytes(32).toString("base64url")));
  const tokens = new TokenIssuer(new TextEncoder().encode(secret));
  const rooms = new Map<string, Room>();
  const loading = new Map<string, Promise<Room | null>>();
  let connections = 0;
  const metrics = new Metrics(() => ({ rooms: rooms.size, connections }));
  const limits: ConnectionLimits = { ...defaultLimits, ...options.limits };
  const maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
  const ctx: RoomContext = {
    store,
    guard: options.guard ?? observerGuard,
    metrics,
    log,
    hooks: options.hooks ?? {},
    compactEvery: options.compactEvery ?? 500,
    refusalCooldownMs: options.refusalCooldownMs ?? 1000,
    pacing: { ...defaultPacing, ...options.pacing },
  };
  const staticDir =
    options.staticDir !== undefined
      ? options.staticDir
      : existsSync(join(defaultStaticDir, "index.html"))
        ? defaultStaticDir
        : null;
  let closing = false;

  /** The open room of `id` with a reservation taken, null if no such document; rejects on a failed load. */
  async function acquire(id: string): Promise<Room | null> {
    for (;;) {
      const room = rooms.get(id);
      if (room) {
        if (room.open) {
          room.reserve();
          return room;
        }
        await room.settled();
        continue;
      }
      let load = loading.get(id);
      if (!load) {
        load = Room.load(id, ctx)
          .then((loaded) => {
            if (loaded) {
              rooms.set(id, loaded);
              loaded.onGone = (gone) => {
                if (rooms.get(id) === gone) rooms.delete(id);
              };
            }
            return loaded;
          })
          .finally(() => loading.delete(id));
        loading.set(id, load);
      }
      if (!(await load)) return null;
    }
  }

  async function readDraft(docId: string): Promise<Draft | null> {
    const room = rooms.get(docId);
    // An export must not show what the store does not hold yet, as a relay must not.
    if (room?.open && (await room.flush())) return draftFromYDoc(room.doc);
    const stored = await store.loadDocument(docId);
    if (!stored) return null;
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    try {
      return draftFromYDoc(doc);
    } finally {
      doc.destroy();
    }
  }

  const http = createHttpServer((req, res) => {
    void handleHttp(
      {
        store,
        tokens,
        metrics,
        log,
        staticDir,
        maxBodyBytes: maxMessageBytes,
        readDraft,
        gauges: () => ({ rooms: rooms.size, connections }),
      },
      req,
      res,
    );
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  function reject(
    socket: Duplex,
    status: number,
    message: string,
    detail: object,
    retryAfterMs = 0,
  ): void {
    log.warn({ status, ...detail }, `upgrade refused: ${message}`);
    metrics.disconnected(`http-${status}`);
    const body = `${message}\n`;
    const retry = retryAfterMs > 0 ? `Retry-After: ${Math.ceil(retryAfterMs / 1000)}\r\n` : "";
    socket.end(
      `HTTP/1.1 ${status} ${message}\r\nConnection: close\r\n${retry}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    // `end` flushes the response; a client that never closes its side is cut off shortly.
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/ws\/([^/]+)$/.exec(url.pathname);
    if (closing) return reject(socket, 503, "Service Unavailable", { reason: "shutting down" });
    if (!match) return reject(socket, 404, "Not Found", { path: url.pathname });
    const docId = decodeURIComponent(match[1]!);
    const principal = await tokens.verify(url.searchParams.get("token") ?? "");
    if (principal?.kind !== "participant") {
      return reject(socket, 401, "Unauthorized", { doc: docId, reason: "bad token" });
    }
    const identity = principal.identity;
    if (identity.docId !== docId) {
      return reject(socket, 403, "Forbidden", { doc: docId, reason: "token for another document" });
    }
    if (!(await store.getInvitation(identity.invitation))) {
      return reject(socket, 401, "Unauthorized", { doc: docId, reason: "unknown invitation" });
    }
    let room: Room | null;
    try {
      room = await acquire(docId);
    } catch (error) {
      log.error({ err: error, doc: docId }, "document failed to load; refusing clients");
      return reject(socket, 503, "Service Unavailable", { doc: docId, reason: "load failed" });
    }
    if (!room) return reject(socket, 404, "Not Found", { doc: docId, reason: "no such document" });
    const joined = room;
    const wait = joined.cooldowns.remaining(identity.invitation);
    if (wait > 0) {
      joined.release();
      const detail = { doc: docId, reason: "refused update cooldown" };
      return reject(socket, 429, "Too Many Requests", detail, wait);
    }
    let attached = false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      attached = true;
      attach(ws, socket, joined, identity);
    });
    if (!attached) joined.release();
  }

  function attach(
    ws: WebSocket,
    socket: Duplex,
    room: Room,
    identity: Connection["identity"],
  ): void {
    const conn = new Connection(
      ws,
      socket,
      identity,
      log.child({ doc: room.id, party: identity.party, role: identity.role }),
      limits,
      metrics,
      (code, reason) => ctx.hooks.onKick?.({ room: room.id, identity, code, reason }),
    );
    connections++;
    conn.log.info({ conn: conn.id }, "connected");
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const bytes = toBytes(data);
      if (!conn.admit(bytes.length)) return;
      if (!isBinary) {
        conn.close(CloseCode.malformed, "malformed", "text frame");
        return;
      }
      const decoded = decodeClientMessage(bytes);
      if (!decoded.ok) {
        conn.close(CloseCode.malformed, "malformed", decoded.reason);
        return;
      }
      void room.receive(conn, decoded.message);
    });
    ws.on("error", (error: Error & { code?: string }) => {
      if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") metrics.disconnected("too-large");
      conn.log.warn({ conn: conn.id, err: error.message }, "websocket error");
    });
    ws.on("close", (code: number) => {
      connections--;
      conn.markClosed();
      conn.log.info({ conn: conn.id, code }, "disconnected");
      room.leave(conn);
    });
    room.join(conn);
  }

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head).catch((error: unknown) => {
      log.error({ err: error }, "upgrade failed");
      socket.destroy();
    });
  });

  return {
    http,
    store,
    tokens,
    metrics,
    log,
    rooms,
    readDraft,
    listen(port, host) {
      return new Promise((resolve, rejectListen) => {
        http.once("error", rejectListen);
        http.listen(port, host, () => {
          http.off("error", rejectListen);
          resolve((http.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all(
        [...rooms.values()].map((room) =>
          room.shutdown(CloseCode.goingAway, "server shutting down").catch((error: unknown) => {
            log.error({ err: error, doc: room.id }, "room could not be stored at shutdown");
          }),
        ),
      );
      for (const client of wss.clients) client.terminate();
      http.closeAllConnections();
      await stopped;
      if (ownsStore) await store.close();
      log.info("server stopped");
    },
  };
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
