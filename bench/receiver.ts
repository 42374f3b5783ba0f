// Lightweight protocol-level receivers: a raw TCP socket per connection, a hand-made
// WebSocket upgrade, and frames read with `FrameReader`. Each receiver reports the edit ids it
// sees; it never builds a Y.Doc. The load generator runs hundreds of these next to a few real
// provider clients.

import { randomBytes } from "node:crypto";
import * as net from "node:net";
import {
  clientFrame,
  type Dialect,
  emptyStep2,
  FrameReader,
  isSyncStep1,
  joinMessages,
  opcodes,
  scanEditTags,
  syncPayloadOffset,
  syncStep2,
} from "./wire.ts";

/** The buffer every receiver reads into; reads are handled synchronously, one at a time. */
const sharedReadBuffer = Buffer.alloc(256 * 1024);

/** Where and how a receiver connects. */
export interface ReceiverTarget {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The request path, with any query (for example a token). */
  readonly path: string;
  readonly dialect: Dialect;
  readonly docName: string;
  /** Sent in Hocuspocus' authentication message; ignored by the y-websocket dialect. */
  readonly token: string;
}

/** A receiver's connection; `close()` ends it and is safe to call twice. */
export interface Receiver {
  readonly index: number;
  close(): void;
  /** Whether the socket is still open. */
  readonly open: boolean;
}

/**
 * Open one receiver. Resolves once the server has accepted the upgrade and the join messages
 * are sent; rejects when the connection or the upgrade fails, or after `timeoutMs`.
 * `onEdit(index, id)` is called for each tagged edit the receiver sees, possibly more than
 * once for one id (the caller de-duplicates); `onClosed(index)` once when the socket ends;
 * `onDocument(index)` when a sync step 2 (the document the server holds) has arrived.
 */
export function openReceiver(
  target: ReceiverTarget,
  index: number,
  onEdit: (index: number, id: number) => void,
  onClosed: (index: number) => void,
  timeoutMs: number,
  onDocument?: (index: number) => void,
): Promise<Receiver> {
  return new Promise((resolve, reject) => {
    // `onread` hands each read to us in one shared buffer, skipping the stream machinery
    // (a Buffer, a 'data' event and a Readable push per read), which was most of a
    // receiver's cost. The bytes are only valid during the callback: FrameReader copies
    // what it keeps, and the upgrade response is copied below.
    const socket = net.connect({
      host: target.host,
      port: target.port,
      noDelay: true,
      onread: {
        buffer: sharedReadBuffer,
        callback: (size: number, buf: Uint8Array) => {
          try {
            onData(buf.subarray(0, size));
          } catch (error) {
            // A stream this reader cannot follow ends this receiver, not the load generator.
            socket.destroy(error as Error);
          }
          return true;
        },
      },
    });
    const key = randomBytes(16).toString("base64");
    let upgraded = false;
    let closed = false;
    let head = Buffer.alloc(0);
    const step2 = clientFrame(opcodes.binary, emptyStep2(target.dialect, target.docName));
    const found = (id: number) => onEdit(index, id);
    const reader = new FrameReader((opcode, payload) => {
      if (opcode === opcodes.binary) {
        const from = syncPayloadOffset(payload, 0, payload.length, target.dialect);
        if (from >= 0) {
          if (onDocument && payload[from - 1] === syncStep2) onDocument(index);
          scanEditTags(payload, from, payload.length, found);
        } else if (isSyncStep1(payload, target.dialect)) socket.write(step2);
      } else if (opcode === opcodes.ping) {
        socket.write(clientFrame(opcodes.pong, payload));
      } else if (opcode === opcodes.close) {
        socket.end();
      }
    });
    const receiver: Receiver = {
      index,
      close() {
        if (closed) return;
        closed = true;
        socket.destroy();
      },
      get open() {
        return !closed;
      },
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`Receiver ${index}: no upgrade within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("connect", () => {
      socket.write(
        `GET ${target.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
          "Sec-WebSocket-Version: 13\r\n\r\n",
      );
    });
    const onData = (chunk: Uint8Array) => {
      if (upgraded) {
        reader.push(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const status = head.subarray(0, head.indexOf("\r\n")).toString();
      if (!/^HTTP\/1\.1 101/.test(status)) {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`Receiver ${index}: upgrade refused: ${status}`));
        return;
      }
      upgraded = true;
      clearTimeout(timer);
      for (const msg of joinMessages(target.dialect, target.docName, target.token)) {
        socket.write(clientFrame(opcodes.binary, msg));
      }
      const rest = head.subarray(end + 4);
      if (rest.length) reader.push(rest);
      resolve(receiver);
    };
    socket.on("error", (error) => {
      clearTimeout(timer);
      if (!upgraded) reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      if (!closed) {
        closed = true;
        onClosed(index);
      }
    });
  });
}

/**
 * Open `count` receivers, at most `parallel` connecting at a time (a thousand simultaneous
 * SYNs overflow the listen backlog and measure the kernel, not the server). Callbacks are as
 * for `openReceiver`. Resolves with those that opened and the errors of those that did not;
 * never rejects.
 */
export async function openReceivers(
  target: ReceiverTarget,
  count: number,
  parallel: number,
  onEdit: (index: number, id: number) => void,
  onClosed: (index: number) => void,
  timeoutMs: number,
  onDocument?: (index: number) => void,
): Promise<{ receivers: Receiver[]; errors: string[] }> {
  const receivers: Receiver[] = [];
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        receivers.push(await openReceiver(target, index, onEdit, onClosed, timeoutMs, onDocument));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return { receivers, errors };
}
