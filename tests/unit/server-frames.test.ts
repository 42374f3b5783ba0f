import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { prepareFrame } from "../../server/frames.ts";

// Frames prepared once and written straight to a socket must read, at a stock `ws` client,
// exactly as `ws.send` would: every length encoding, in order with `ws`'s own sends.

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server that hands each connection's websocket and raw socket to `onConnect`. */
async function serve(onConnect: (ws: WebSocket, socket: Duplex) => void): Promise<string> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => onConnect(ws, socket));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    for (const client of wss.clients) client.terminate();
    http.close();
  });
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function payload(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe("frames prepared once for many receivers", () => {
  it("arrive whole and in order, at every length encoding, among ws's own sends", async () => {
    const sizes = [0, 1, 125, 126, 127, 65535, 65536, 200_000];
    const url = await serve((ws, socket) => {
      sizes.forEach((size, i) => {
        socket.write(prepareFrame(payload(size, i)).wire);
        ws.send(payload(3, 100 + i));
      });
    });
    const client = new WebSocket(url);
    closers.push(() => client.terminate());
    const received: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on("error", reject);
      client.on("message", (data: Buffer, isBinary: boolean) => {
        expect(isBinary).toBe(true);
        received.push(data);
        if (received.length === sizes.length * 2) resolve();
      });
    });
    const expected = sizes.flatMap((size, i) => [payload(size, i), payload(3, 100 + i)]);
    expect(received.map((b) => b.length)).toEqual(expected.map((b) => b.length));
    expect(received.every((b, i) => b.equals(expected[i]!))).toBe(true);
  });

  it("writes the same bytes ws would for the same payload", async () => {
    const sizes = [5, 300, 70_000];
    const chunks: Buffer[] = [];
    const url = await serve((ws, socket) => {
      const write = socket.write.bind(socket);
      // Record what ws writes, then compare it with the prepared frames.
      socket.write = ((chunk: Buffer, ...rest: never[]) => {
        chunks.push(Buffer.from(chunk));
        return write(chunk, ...rest);
      }) as typeof socket.write;
      for (const size of sizes) ws.send(payload(size, size));
    });
    const client = new WebSocket(url);
    closers.push(() => client.terminate());
    let count = 0;
    await new Promise<void>((resolve) => {
      client.on("message", () => {
        if (++count === sizes.length) resolve();
      });
    });
    const written = Buffer.concat(chunks);
    const prepared = Buffer.concat(sizes.map((size) => prepareFrame(payload(size, size)).wire));
    expect(written.equals(prepared)).toBe(true);
  });
});
