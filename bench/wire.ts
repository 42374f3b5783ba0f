// Just enough of the WebSocket framing (RFC 6455) and of the two Yjs wire dialects for a
// receiver that only needs to see which edits arrived. A thousand `ws` clients with full
// y-protocols decoding would cost the load generator more than the server costs to feed
// them; reading frames straight off a TCP stream and looking for edit tags in the raw bytes
// costs a few hundred nanoseconds a message.

import * as encoding from "lib0/encoding";

/** The two message layouts of the peers: y-websocket's, and Hocuspocus's (name-prefixed). */
export type Dialect = "y-websocket" | "hocuspocus";

/** y-protocols message types (the first varUint of a y-websocket message). */
export const messageSync = 0;
/** y-protocols sync message type: a state vector, asking for what the sender lacks. */
export const syncStep1 = 0;
/** y-protocols sync message type: the answer to step 1, an update with what was missing. */
export const syncStep2 = 1;
/** y-protocols sync message type: an update relayed as it happens. */
export const syncUpdate = 2;
/** Hocuspocus' authentication message type. */
export const hocuspocusAuth = 2;
/** Hocuspocus' authentication sub-type carrying a token. */
export const hocuspocusAuthToken = 0;

const opContinuation = 0x0;
const opBinary = 0x2;
const opClose = 0x8;
const opPing = 0x9;

/**
 * The text a typer inserts for edit `id`. Guillemets encode as C2 AB / C2 BB in UTF-8,
 * which Yjs' binary encoding (varUints, client ids, lengths) makes very unlikely to hold
 * with digits in between, so a tag can be found in an update without decoding it.
 */
export function editTag(id: number): string {
  if (!Number.isInteger(id) || id < 0)
    throw new RangeError(`An edit id must be a natural number, not ${id}`);
  return `«${id}»`;
}

const open0 = 0xc2;
const open1 = 0xab;
const close1 = 0xbb;
const digit0 = 0x30;
const digit9 = 0x39;
const maxDigits = 9;

/**
 * Call `found` with every edit id tagged (see `editTag`) in `bytes[start, end)`. Returns how
 * many were found. Bytes that look like a tag but are not closed are skipped.
 */
export function scanEditTags(
  bytes: Uint8Array,
  start: number,
  end: number,
  found: (id: number) => void,
): number {
  let count = 0;
  let i = start;
  while (i < end - 3) {
    const at = bytes.indexOf(open1, i + 1);
    if (at < 0 || at >= end) break;
    i = at;
    if (bytes[at - 1] !== open0) continue;
    let id = 0;
    let j = at + 1;
    while (j < end && j - at <= maxDigits) {
      const b = bytes[j] as number;
      if (b < digit0 || b > digit9) break;
      id = id * 10 + (b - digit0);
      j++;
    }
    if (j === at + 1 || j + 1 >= end || bytes[j] !== open0 || bytes[j + 1] !== close1) continue;
    found(id);
    count++;
    i = j + 1;
  }
  return count;
}

/**
 * Where the edit-carrying part of a message starts: the offset just past the sync header of
 * a sync step 2 or update message, or -1 for any other message (awareness, step 1, auth,
 * sync status), which can carry no edit. Throws a `RangeError` for a message too short to
 * hold its header.
 */
export function syncPayloadOffset(
  msg: Uint8Array,
  start: number,
  end: number,
  dialect: Dialect,
): number {
  let i = start;
  if (dialect === "hocuspocus") {
    // A varString: varUint length, then that many bytes. Document names here are short,
    // but the length is read as a full varUint to stay correct.
    let len = 0;
    let shift = 0;
    for (;;) {
      if (i >= end) throw new RangeError("A Hocuspocus message ended inside its document name");
      const b = msg[i++] as number;
      len |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    i += len;
  }
  if (i + 1 >= end) throw new RangeError("A message ended inside its sync header");
  if (msg[i] !== messageSync) return -1;
  const kind = msg[i + 1];
  return kind === syncStep2 || kind === syncUpdate ? i + 2 : -1;
}

/** One complete WebSocket message found in a stream. */
export interface Frame {
  readonly opcode: number;
  readonly payload: Uint8Array;
}

/**
 * An incremental reader of server-to-client WebSocket frames (never masked, RFC 6455 §5.1).
 * Feed it TCP chunks in order; it calls `onFrame` once for each complete frame, with a view
 * into the chunk where possible (valid only during the call). It copies whatever it keeps,
 * so a chunk's memory may be reused once `push` returns. Fragmented messages are not
 * reassembled: the servers measured here never fragment, and a continuation frame throws a
 * `RangeError` rather than being misread.
 */
export class FrameReader {
  // An incomplete frame's chunks, joined only once the frame is complete: a multi-megabyte
  // sync step 2 arrives in many chunks, and joining on every chunk would be quadratic.
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private need = 0;

  constructor(private readonly onFrame: (opcode: number, payload: Uint8Array) => void) {}

  /** Read the frames completed by `chunk`. */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.pending.length) {
      // The caller may reuse `chunk`'s memory after this call (a shared read buffer). Copy
      // with the constructor: on a Node Buffer `slice` is a view, not a copy.
      this.pending.push(new Uint8Array(chunk));
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.need) return;
      buf = new Uint8Array(this.pendingBytes);
      let at = 0;
      for (const part of this.pending) {
        buf.set(part, at);
        at += part.length;
      }
      this.pending = [];
      this.pendingBytes = 0;
    }
    let i = 0;
    const n = buf.length;
    let need = 0;
    while (i + 2 <= n) {
      const b0 = buf[i] as number;
      const b1 = buf[i + 1] as number;
      if (b1 & 0x80) throw new RangeError("A server sent a masked frame");
      let len = b1 & 0x7f;
      let head = 2;
      if (len === 126) {
        if (i + 4 > n) break;
        len = ((buf[i + 2] as number) << 8) | (buf[i + 3] as number);
        head = 4;
      } else if (len === 127) {
        if (i + 10 > n) break;
        // Messages over 4 GB cannot occur here; the high word is ignored past this check.
        if (buf[i + 2] || buf[i + 3] || buf[i + 4] || buf[i + 5]) {
          throw new RangeError("A frame longer than 4 GB");
        }
        len =
          (buf[i + 6] as number) * 0x1000000 +
          (((buf[i + 7] as number) << 16) | ((buf[i + 8] as number) << 8) | (buf[i + 9] as number));
        head = 10;
      }
      if (i + head + len > n) {
        need = head + len;
        break;
      }
      const opcode = b0 & 0x0f;
      if (opcode === opContinuation || !(b0 & 0x80)) {
        throw new RangeError("A fragmented message; this reader does not reassemble them");
      }
      this.onFrame(opcode, buf.subarray(i + head, i + head + len));
      i += head + len;
    }
    if (i < n) {
      this.pending = [new Uint8Array(buf.subarray(i))];
      this.pendingBytes = n - i;
      this.need = need;
    }
  }
}

/**
 * A client-to-server frame (masked, as RFC 6455 requires of clients) holding `payload` with
 * `opcode`. The mask is fixed: it protects proxies from crafted bytes, which does not apply
 * on loopback, and a fixed mask keeps frame building allocation-light.
 */
export function clientFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = new Uint8Array(head + 4 + len);
  out[0] = 0x80 | opcode;
  if (head === 2) out[1] = 0x80 | len;
  else if (head === 4) {
    out[1] = 0x80 | 126;
    out[2] = len >> 8;
    out[3] = len & 0xff;
  } else {
    out[1] = 0x80 | 127;
    new DataView(out.buffer).setUint32(6, len);
  }
  const mask = [0x12, 0x34, 0x56, 0x78];
  out.set(mask, head);
  for (let k = 0; k < len; k++)
    out[head + 4 + k] = (payload[k] as number) ^ (mask[k & 3] as number);
  return out;
}

/** Opcodes a receiver must react to. */
export const opcodes = { binary: opBinary, close: opClose, ping: opPing, pong: 0xa } as const;

function prefixed(
  dialect: Dialect,
  docName: string,
  write: (e: encoding.Encoder) => void,
): Uint8Array {
  const e = encoding.createEncoder();
  if (dialect === "hocuspocus") encoding.writeVarString(e, docName);
  write(e);
  return encoding.toUint8Array(e);
}

/**
 * The messages a receiver sends when it joins: for Hocuspocus the authentication message it
 * waits for before anything else; then sync step 1 with an empty state vector (so the server
 * answers with the whole document, as for a real new client).
 */
export function joinMessages(dialect: Dialect, docName: string, token: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (dialect === "hocuspocus") {
    out.push(
      prefixed(dialect, docName, (e) => {
        encoding.writeVarUint(e, hocuspocusAuth);
        encoding.writeVarUint(e, hocuspocusAuthToken);
        encoding.writeVarString(e, token);
      }),
    );
  }
  out.push(
    prefixed(dialect, docName, (e) => {
      encoding.writeVarUint(e, messageSync);
      encoding.writeVarUint(e, syncStep1);
      // An empty state vector: zero clients.
      encoding.writeVarUint8Array(e, Uint8Array.of(0));
    }),
  );
  return out;
}

/**
 * The answer to the server's sync step 1 for a receiver that has written nothing: step 2
 * with an empty update (no structs, empty delete set).
 */
export function emptyStep2(dialect: Dialect, docName: string): Uint8Array {
  return prefixed(dialect, docName, (e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncStep2);
    encoding.writeVarUint8Array(e, Uint8Array.of(0, 0));
  });
}

/** Whether a message is the server's sync step 1 (which a client answers with step 2). */
export function isSyncStep1(msg: Uint8Array, dialect: Dialect): boolean {
  let i = 0;
  if (dialect === "hocuspocus") {
    let len = 0;
    let shift = 0;
    for (;;) {
      if (i >= msg.length) return false;
      const b = msg[i++] as number;
      len |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    i += len;
  }
  return msg[i] === messageSync && msg[i + 1] === syncStep1;
}
