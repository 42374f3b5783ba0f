import * as encoding from "lib0/encoding";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../../server/protocol.ts";
import { updateEffect } from "../../server/updates.ts";
import { connectClient, type TestClient, untilConverged, untilDoc } from "./helpers/clients.ts";
import { frame, openRaw, syncFrame, textUpdate } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

let server: TestServer;
let docId: string;
let kicked: (code: number, reason: string) => void = () => {};
const clients: TestClient[] = [];

beforeEach(async () => {
  kicked = () => {};
  server = await startServer({
    limits: { maxBufferedBytes: 1024 * 1024 },
    hooks: { onKick: ({ code, reason }) => kicked(code, reason) },
  });
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
    // Read again the moment the server gives up on it, to find its close frame.
    kicked = (_code, reason) => {
      if (reason === "slow-reader") slow.ws.resume();
    };
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
    expect((await slow.closed).code).toBe(CloseCode.slowReader);
    expect(server.server.metrics.disconnects.get("slow-reader")).toBe(1);
  });
});

describe("updates Yjs would trust", () => {
  it("refuses, before applying, an item whose origin is a later item of its own client", async () => {
    const [watcher] = await honest(1);
    const raw = await openRaw(server.wsUrl, docId, await token("forger"));
    const forger = new Y.Doc();
    const text = forger.getText("t");
    text.insert(0, "ab");
    raw.ws.send(syncFrame(2, Y.encodeStateAsUpdate(forger)));
    await untilDoc(
      watcher!.doc,
      "the forger's first words",
      (d) => d.getText("t").toString() === "ab",
    );
    const before = Y.encodeStateVector(forger);
    text.insert(2, "c");
    const update = Y.encodeStateAsUpdate(forger, before);
    // [structs of 1 client][1 struct][client][clock 2][info][origin client][origin clock 1]…
    const client = encodeVarUint(forger.clientID);
    const originAt = update.indexOf(client[0]!, 2 + client.length + 2) + client.length;
    expect(update[originAt]).toBe(1);
    update[originAt] = 9;
    const room = server.server.rooms.get(docId)!;
    expect(updateEffect(room.doc, update)).toMatchObject({ kind: "malformed" });
    raw.ws.send(syncFrame(2, update));
    expect((await raw.closed).code).toBe(CloseCode.malformed);
    watcher!.doc.getText("t").insert(0, "still ");
    await untilConverged([watcher!.doc, room.doc], "the server and the watcher");
    expect(room.doc.getText("t").toString()).toBe("still ab");
  });
});

function encodeVarUint(n: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, n);
  return encoding.toUint8Array(encoder);
}
