import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as authProtocol from "y-protocols/auth";

// The y-websocket wire format, decoded in one place. Every frame a client sends goes through
// `decodeClientMessage`; past it, a message is one of a closed set of shapes. The grammar and
// the close codes are written down in PROTOCOL.md; keep the two in step.

/** Top-level message types of the y-websocket protocol. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;

/**
 * The close codes this server uses. 4400–4499 mean "reconnecting will not help" (y-websocket 3
 * stops reconnecting on them); 4500–4599 and the 1000-range codes mean "try again".
 */
export const CloseCode = {
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** A frame exceeded the size cap (sent by `ws` itself before the frame is buffered). */
  tooLarge: 1009,
  /** The server could not store an update; reconnect and resync. */
  internalError: 1011,
  /** A frame could not be decoded, had trailing bytes, or had an unknown message type. */
  malformed: 4400,
  /** An update was refused by the room's guard; the reason names the rule. */
  refused: 4403,
  /** Too many messages or bytes in too short a time. */
  flood: 4429,
  /** The document could not be loaded; reconnect later. */
  unavailable: 4503,
  /** The client did not read what it was sent fast enough. */
  slowReader: 4508,
} as const;

/** A close code this server uses. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** A frame from a client, decoded. */
export type ClientMessage =
  | { readonly type: "syncStep1"; readonly stateVector: Uint8Array }
  | { readonly type: "syncStep2"; readonly update: Uint8Array }
  | { readonly type: "update"; readonly update: Uint8Array }
  | { readonly type: "awareness"; readonly update: Uint8Array }
  | { readonly type: "queryAwareness" };

/** The result of decoding a frame: a message, or why it is malformed. */
export type Decoded =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly reason: string };

/**
 * Decode one client frame. Never throws: a truncated varint, a length that runs past the
 * end, trailing bytes or an unknown message type yield `{ ok: false, reason }`. The payloads
 * (state vectors, updates, awareness updates) are only framed here; their content is checked
 * by whoever applies them.
 */
export function decodeClientMessage(data: Uint8Array): Decoded {
  try {
    const decoder = decoding.createDecoder(data);
    const message = readMessage(decoder);
    if (typeof message === "string") return { ok: false, reason: message };
    if (decoding.hasContent(decoder)) return { ok: false, reason: "trailing bytes after message" };
    return { ok: true, message };
  } catch (error) {
    return { ok: false, reason: `undecodable frame: ${(error as Error).message}` };
  }
}

function readMessage(decoder: decoding.Decoder): ClientMessage | string {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.sync: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      switch (syncType) {
        case SyncType.step1:
          return { type: "syncStep1", stateVector: payload };
        case SyncType.step2:
          return { type: "syncStep2", update: payload };
        case SyncType.update:
          return { type: "update", update: payload };
        default:
          return `unknown sync message type ${syncType}`;
      }
    }
    case MessageType.awareness:
      return { type: "awareness", update: decoding.readVarUint8Array(decoder) };
    case MessageType.queryAwareness:
      return { type: "queryAwareness" };
    default:
      // Clients have no business sending auth messages: only the server denies permission.
      return `unknown message type ${type}`;
  }
}

/** A sync message of `syncType` carrying `payload` (a state vector or an update). */
export function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** An awareness message carrying an encoded awareness update. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The y-protocols permission-denied message, which y-websocket clients log with `reason`. */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/**
 * A websocket close reason must fit in 123 bytes of UTF-8; longer ones make `ws` throw.
 * Cuts `reason` at a character boundary so it fits.
 */
export function closeReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out, "utf8") > 123) out = out.slice(0, -1);
  return out;
}
