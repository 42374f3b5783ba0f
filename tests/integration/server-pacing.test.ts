import * as decoding from "lib0/decoding";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { connectClient, type TestClient, waitFor } from "./helpers/clients.ts";
import { openRaw, type RawSocket } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

// A busy room holds a commit back after a long relay so that edits go out merged
// (server/pacing.ts). Here pacing is set to hold every commit that follows a relay for
// `holdMs`, so that what it does with the edits that arrive meanwhile can be seen.

const holdMs = 150;
let server: TestServer;
let writer: TestClient;
let reader: RawSocket;

afterEach(async () => {
  writer?.destroy();
  reader?.ws.close();
  await server.stop();
});

/**
 * A document with a delegation writing through a provider and a raw socket reading it,
 * which keeps the sync updates (message 0, sync type 2) it receives with their arrival times.
 */
async function writerAndReader() {
  const docId = await server.createDoc();
  const token = (party: string) => server.mintToken({ docId, party, role: "delegation" });
  writer = connectClient(server.wsUrl, docId, await token("Brazil"));
  await writer.synced();
  reader = await openRaw(server.wsUrl, docId, await token("Chile"));
  const updates: { at: number; update: Uint8Array }[] = [];
  reader.ws.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 2) return;
    updates.push({ at: performance.now(), update: decoding.readVarUint8Array(decoder) });
  });
  const received = (what: string, condition: () => boolean) =>
    waitFor(
      what,
      (check) => {
        reader.ws.on("message", check);
        return () => reader.ws.off("message", check);
      },
      condition,
    );
  return { docId, text: writer.doc.getText("t"), updates, received };
}

describe("relay pacing", () => {
  it("merges the edits that arrive while a commit is held back into one frame, losing none", async () => {
    server = await startServer({
      pacing: { afterRelayMs: 0, minBatch: 1, share: 1e6, maxMs: holdMs },
    });
    const { docId, text, updates, received } = await writerAndReader();
    text.insert(0, "1");
    await received("the first edit to reach the reader", () => updates.length === 1);
    // Three separate updates, sent while the room holds its next commit back.
    text.insert(1, "2");
    text.insert(2, "3");
    text.insert(3, "4");
    await received("the held edits to reach the reader", () => {
      const seen = new Y.Doc();
      for (const { update } of updates) Y.applyUpdate(seen, update);
      return seen.getText("t").toString() === "1234";
    });
    expect(updates).toHaveLength(2);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(holdMs - 30);
    const room = server.server.rooms.get(docId)!;
    expect(await room.flush()).toBe(true);
    const stored = await server.server.store.loadDocument(docId);
    const reloaded = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(reloaded, update);
    expect(reloaded.getText("t").toString()).toBe("1234");
  });

  it("relays each edit of a quiet room in its own frame", async () => {
    server = await startServer();
    const { text, updates, received } = await writerAndReader();
    for (let i = 0; i < 3; i++) {
      text.insert(i, String(i));
      await received(`edit ${i} to reach the reader`, () => updates.length === i + 1);
    }
    expect(updates).toHaveLength(3);
  });
});
