// A message the server sends to many connections at once, framed once. `ws` frames every
// `send` anew: a header buffer, a view of the payload and a two-buffer write per receiver.
// For the same bytes going to a hundred delegations, the frame is built once here and the
// same buffer is written to each receiver's socket.
//
// Writing to the socket under `ws` is safe because this server never negotiates
// permessage-deflate (so `ws` queues nothing of its own: each of its sends is written to the
// socket synchronously, whole), server frames are never masked, and a connection writes a
// prepared frame only while its websocket is open.

/** A binary frame ready for the wire: FIN, opcode 2 (binary), unmasked, length, payload. */
export interface PreparedFrame {
  /** Header and payload in one buffer. */
  readonly wire: Buffer;
  /** The payload's length, for metrics. */
  readonly size: number;
}

/** Frame `payload` as one final, unmasked binary WebSocket frame (RFC 6455 §5.2). */
export function prepareFrame(payload: Uint8Array): PreparedFrame {
  const size = payload.length;
  const header = size < 126 ? 2 : size < 0x10000 ? 4 : 10;
  const wire = Buffer.allocUnsafe(header + size);
  wire[0] = 0x82;
  if (size < 126) {
    wire[1] = size;
  } else if (size < 0x10000) {
    wire[1] = 126;
    wire.writeUInt16BE(size, 2);
  } else {
    wire[1] = 127;
    wire.writeUInt32BE(Math.floor(size / 2 ** 32), 2);
    wire.writeUInt32BE(size >>> 0, 6);
  }
  wire.set(payload, header);
  return { wire, size };
}
