import * as decoding from "lib0/decoding";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openSqliteStore } from "../../server/sqlite-store.ts";
import type { Store } from "../../server/store.ts";
import { untilConverged } from "./helpers/clients.ts";
import { openRaw, type RawSocket, syncFrame } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

// The relay writes a large room a chunk of connections at a time and reads what arrives in
// between (server/relay.ts). Here a chunk is two connections, so that every pass over the
// room is split many times while writers type at once, and what reaches each socket is
// checked against what the store held at that moment.

let server: TestServer;
const sockets: RawSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.terminate();
  await server.stop();
});

/**
 * A store that keeps, beside the real one, a document of every update appended so far, and
 * takes a moment over each append, as a disk does: long enough for a frame written before
 * the append resolved to reach a reader in this process first.
 */
function watchedStore(): { store: Store; stored: Y.Doc } {
  const store = openSqliteStore(":memory:");
  const stored = new Y.Doc();
  const keep = (update: Uint8Array) => Y.applyUpdate(stored, update);
  const disk = () => new Promise((resolve) => setTimeout(resolve, 2));
  return {
    stored,
    store: {
      ...store,
      appendUpdate: async (id, update) => {
        await disk();
        const seq = await store.appendUpdate(id, update);
        keep(update);
        return seq;
      },
      appendUpdates: async (id, updates) => {
        await disk();
        const seq = await store.appendUpdates(id, updates);
        for (const update of updates) keep(update);
        return seq;
      },
      compact: async (id, snapshot, throughSeq) => {
        await store.compact(id, snapshot, throughSeq);
        keep(snapshot);
      },
    },
  };
}

/**
 * A raw socket with a document of its own, kept up to date from the server's sync messages;
 * `onUpdate` sees each relayed update (sync type 2) as it arrives.
 */
async function peer(docId: string, token: string, onUpdate: (update: Uint8Array) => void) {
  const socket = await openRaw(server.wsUrl, docId, token);
  sockets.push(socket);
  const doc = new Y.Doc();
  socket.ws.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 0) return;
    const type = decoding.readVarUint(decoder);
    if (type !== 1 && type !== 2) return;
    const update = decoding.readVarUint8Array(decoder);
    if (type === 2) onUpdate(update);
    Y.applyUpdate(doc, update, "server");
  });
  // Ask for the document as it is, so that what is relayed later builds on it.
  socket.ws.send(syncFrame(0, Y.encodeStateVector(doc)));
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== "server") socket.ws.send(syncFrame(2, update));
  });
  return { socket, doc };
}

/** Whether `stored` holds every struct of `update`. */
function holds(stored: Y.Doc, update: Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(stored));
  const needs = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
  return [...needs].every(([client, clock]) => (have.get(client) ?? 0) >= clock);
}

describe("a relay split into chunks", () => {
  it("sends every connection only stored updates, never a writer its own, and everyone converges", async () => {
    const { store, stored } = watchedStore();
    server = await startServer({ store, pacing: { chunk: 2 } });
    const docId = await server.createDoc();
    const token = (party: string) => server.mintToken({ docId, party, role: "delegation" });
    const unstored: string[] = [];
    const echoed: string[] = [];
    const writers = await Promise.all(
      ["Brazil", "Chile", "Peru", "Uruguay"].map(async (party) => {
        const writer = await peer(docId, await token(party), (update) => {
          const own = Y.decodeUpdate(update).structs.some(
            (struct) => struct.id.client === writer.doc.clientID,
          );
          if (own) echoed.push(party);
          if (!holds(stored, update)) unstored.push(party);
        });
        return writer;
      }),
    );
    const readers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        peer(docId, await token(`Reader ${i}`), (update) => {
          if (!holds(stored, update)) unstored.push(`Reader ${i}`);
        }),
      ),
    );
    for (let round = 0; round < 40; round++) {
      for (const [i, writer] of writers.entries()) {
        const text = writer.doc.getText("t");
        text.insert(round % 2 === 0 ? 0 : text.length, `${i}.${round};`);
      }
      if (round % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const docs = [...writers, ...readers].map((p) => p.doc);
    await untilConverged(docs, "every writer and reader to converge");
    expect(docs[0]!.getText("t").toString().split(";").filter(Boolean)).toHaveLength(160);
    expect(server.server.rooms.get(docId)!.doc.getText("t").toString()).toBe(
      docs[0]!.getText("t").toString(),
    );
    expect(unstored).toEqual([]);
    expect(echoed).toEqual([]);
  });
});
