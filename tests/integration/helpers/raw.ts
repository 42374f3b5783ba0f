import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";
import * as Y from "yjs";

// Raw websocket clients that speak (or mangle) the wire protocol by hand, for tests of what
// the server does with bad input.

/** A raw socket to a document, with its close event awaitable. */
export interface RawSocket {
  readonly ws: WebSocket;
  /** Resolves with the code and reason once the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Open a raw websocket to `docId`; resolves once it is open. Rejects if the upgrade fails. */
export function openRaw(wsUrl: string, docId: string, token: string): Promise<RawSocket> {
  const ws = new WebSocket(`${wsUrl}/${docId}?token=${encodeURIComponent(token)}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })),
  );
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, closed }));
    ws.once("error", reject);
  });
}

/** A frame of the y-websocket protocol: a varuint type followed by `parts` as written. */
export function frame(type: number, write: (encoder: encoding.Encoder) => void = () => {}) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A sync frame of `syncType` (0 step 1, 1 step 2, 2 update) carrying `payload`. */
export function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  return frame(0, (encoder) => {
    encoding.writeVarUint(encoder, syncType);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

/** An update inserting `text` into the Y.Text `name` of a fresh document. */
export function textUpdate(name: string, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(name).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** The HTTP status the server answers a websocket upgrade to `url` with (101 if accepted). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.close();
    });
    ws.on("error", (error) => {
      if (!String(error.message).includes("Unexpected server response")) reject(error);
    });
  });
}
