import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocket } from "ws";
import type { PreparedFrame } from "./frames.ts";
import type { Identity } from "./guard.ts";
import type { Metrics } from "./metrics.ts";
import { CloseCode, closeReason } from "./protocol.ts";

// One client's websocket, as the room sees it: who it is, what it may still send before it
// counts as a flood, and whether it reads fast enough. A connection the server has closed
// takes no further part in its room: its queued messages are dropped, nothing is sent to it.

/** How much one connection may send and leave unread. */
export interface ConnectionLimits {
  /** Messages a connection may send in a burst, and refilled per second. */
  readonly messages: { readonly burst: number; readonly perSecond: number };
  /** Bytes a connection may send in a burst, and refilled per second. */
  readonly bytes: { readonly burst: number; readonly perSecond: number };
  /** Bytes queued for a client that does not read before it is cut off. */
  readonly maxBufferedBytes: number;
}

/** Limits that let a fast typist and a large paste through and stop a flood. */
export const defaultLimits: ConnectionLimits = {
  messages: { burst: 2000, perSecond: 500 },
  bytes: { burst: 64 * 1024 * 1024, perSecond: 16 * 1024 * 1024 },
  maxBufferedBytes: 64 * 1024 * 1024,
};

/** A token bucket: `take` fails once more was taken than the burst plus what refilled. */
class Bucket {
  #level: number;
  #at = performance.now();
  constructor(private readonly limit: { burst: number; perSecond: number }) {
    this.#level = limit.burst;
  }
  take(amount: number): boolean {
    const now = performance.now();
    this.#level = Math.min(
      this.limit.burst,
      this.#level + ((now - this.#at) / 1000) * this.limit.perSecond,
    );
    this.#at = now;
    this.#level -= amount;
    return this.#level >= 0;
  }
}

let nextConnectionId = 1;

/** A client's websocket in a room. */
export class Connection {
  /** A number unique within this process, for logs. */
  readonly id = nextConnectionId++;
  /** Awareness client ids this connection has claimed; removed from presence when it goes. */
  readonly awarenessClients = new Set<number>();
  #closed = false;
  readonly #messages: Bucket;
  readonly #bytes: Bucket;

  constructor(
    readonly ws: WebSocket,
    /** The socket under `ws`, for frames prepared once for many receivers. */
    private readonly socket: Duplex,
    readonly identity: Identity,
    readonly log: Logger,
    private readonly limits: ConnectionLimits,
    private readonly metrics: Metrics,
    /** Told when the server closes this connection for cause (not at shutdown). */
    private readonly onKick: (code: CloseCode, reason: string) => void = () => {},
  ) {
    this.#messages = new Bucket(limits.messages);
    this.#bytes = new Bucket(limits.bytes);
  }

  /** Whether the server closed this connection or the client went away. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Mark the connection gone because the socket closed from the other side. */
  markClosed(): void {
    this.#closed = true;
  }

  /**
   * Count an incoming frame of `size` bytes against the rate limits. Returns false, having
   * closed the connection with `flood`, when it is over them.
   */
  admit(size: number): boolean {
    if (this.#closed) return false;
    this.metrics.bytesIn += size;
    if (this.#messages.take(1) && this.#bytes.take(size)) return true;
    this.close(CloseCode.flood, "flood", "too many messages");
    return false;
  }

  /**
   * Send a message. Does nothing once the connection is closed; closes it with `slowReader`
   * instead of sending when the client has left too much unread.
   */
  send(message: Uint8Array): void {
    if (!this.#mayWrite()) return;
    this.metrics.bytesOut += message.length;
    this.ws.send(message);
  }

  /** Send a frame prepared once for many receivers (see frames.ts), as `send` does. */
  sendPrepared(frame: PreparedFrame): void {
    if (!this.#mayWrite() || this.ws.readyState !== WebSocket.OPEN) return;
    this.metrics.bytesOut += frame.size;
    this.socket.write(frame.wire);
  }

  #mayWrite(): boolean {
    if (this.#closed) return false;
    // Compare what is still unread, not what it would be with this frame: a frame larger than
    // the cap (a big document's sync step 2) must still reach a client that reads.
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CloseCode.slowReader, "slow-reader", "client does not read fast enough");
      return false;
    }
    return true;
  }

  /**
   * Close the connection with `code`, counting it under `reason` (a short stable name) and
   * logging `detail`. Closing twice does nothing.
   */
  close(code: CloseCode, reason: string, detail: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (code !== CloseCode.goingAway) {
      this.metrics.disconnected(reason);
      this.log.warn({ code, reason, detail }, "closing connection");
      try {
        this.onKick(code, reason);
      } catch (error) {
        this.log.error({ err: error }, "onKick threw");
      }
    }
    try {
      this.ws.close(code, closeReason(reason));
    } catch {
      this.ws.terminate();
    }
    // A client that stops reading also stops acknowledging the close handshake; do not let
    // its socket hold the room open.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }
}
