import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CloseCode } from "../../server/protocol.ts";
import { connectClient, type TestClient, untilConverged, untilDoc } from "./helpers/clients.ts";
import { frame, openRaw, syncFrame, textUpdate } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

let server: TestServer;
let docId: string;
const clients: TestClient[] = [];

beforeEach(async () => {
  server = await startServer({ limits: { maxBufferedBytes: 1024 * 1024 } });
  docId = await server.createDoc();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.stop();
});

const token = (party: string) => server.mintToken({ docId, party, role: "delegation" });

async function honest(count: number): Promise<TestClient[]> {
  const joined = await Promise.all(
    Array.from({ length: count }, async (_, i) =>
      connectClient(server.wsUrl, docId, await token(`Honest ${i}`)),
    ),
  );
  clients.push(...joined);
  await Promise.all(joined.map((c) => c.synced()));
  return joined;
}

function edit(client: TestClient, label: string): void {
  const text = client.doc.getText("t");
  text.insert(label.length % 2 === 0 ? 0 : text.length, `${label};`);
}

describe("bad input", () => {
  it("disconnects garbage, oversize and flooding clients while fifty honest clients converge", async () => {
    const fifty = await honest(50);
    const [garbage, unknown, trailing, oversize, flood] = await Promise.all(
      ["garbage", "unknown", "trailing", "oversize", "flood"].map(async (name) =>
        openRaw(server.wsUrl, docId, await token(name)),
      ),
    );
    for (const [i, client] of fifty.entries()) edit(client, `a${i}`);
    garbage!.ws.send(new Uint8Array([0xff, 0xff, 0xff]));
    unknown!.ws.send(frame(42));
    trailing!.ws.send(new Uint8Array([...syncFrame(2, textUpdate("x", "ok")), 7]));
    oversize!.ws.send(new Uint8Array(16 * 1024 * 1024 + 1));
    for (let i = 0; i < 5000 && flood!.ws.readyState === flood!.ws.OPEN; i++) {
      flood!.ws.send(frame(3));
    }
    for (const [i, client] of fifty.entries()) edit(client, `b${i}`);
    expect((await garbage!.closed).code).toBe(CloseCode.malformed);
    expect(await unknown!.closed).toEqual({ code: CloseCode.malformed, reason: "malformed" });
    expect((await trailing!.closed).code).toBe(CloseCode.malformed);
    expect((await oversize!.closed).code).toBe(CloseCode.tooLarge);
    expect(await flood!.closed).toEqual({ code: CloseCode.flood, reason: "flood" });
    await untilConverged(
      [...fifty.map((c) => c.doc), server.server.rooms.get(docId)!.doc],
      "fifty honest clients and the server to converge",
    );
    const text = fifty[0]!.doc.getText("t").toString();
    for (let i = 0; i < 50; i++) {
      expect(text).toContain(`a${i};`);
      expect(text).toContain(`b${i};`);
    }
    expect(text).not.toContain("ok");
    expect(fifty.every((c) => c.provider.wsconnected)).toBe(true);
    const disconnects = server.server.metrics.disconnects;
    expect(disconnects.get("malformed")).toBe(3);
    expect(disconnects.get("flood")).toBe(1);
    expect(disconnects.get("too-large")).toBe(1);
  });

  it("cuts off a client that stops reading, and the readers that read get everything", async () => {
    const [writer, reader] = await honest(2);
    const slow = await openRaw(server.wsUrl, docId, await token("slow"));
    slow.ws.pause();
    const chunk = "x".repeat(256 * 1024);
    // One chunk at a time, each read by the reader before the next: the reader keeps up,
    // the paused client falls further behind with every chunk.
    for (let i = 1; i <= 48; i++) {
      writer!.doc.getText("t").insert(0, chunk);
      await untilDoc(
        reader!.doc,
        `the reader to get chunk ${i}`,
        (d) => d.getText("t").length === i * chunk.length,
      );
    }
    expect(reader!.doc.getText("t").length).toBe(48 * chunk.length);
    // Everything was relayed, so the server has given up on the slow client by now; once it
    // reads again it finds the close frame behind what was queued for it.
    slow.ws.resume();
    expect((await slow.closed).code).toBe(CloseCode.slowReader);
    expect(server.server.metrics.disconnects.get("slow-reader")).toBe(1);
  });
});
