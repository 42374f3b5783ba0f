import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import * as Y from "yjs";
import { draftFromYDoc } from "../../schema/draft.ts";
import { emptyRegistry } from "../../schema/registry.ts";
import { CloseCode } from "../../server/protocol.ts";
import { TokenIssuer } from "../../server/tokens.ts";
import { doc, np } from "../builder.ts";
import {
  connectClient,
  type TestClient,
  untilConverged,
  untilDoc,
  waitFor,
} from "./helpers/clients.ts";
import { upgradeStatus } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

let server: TestServer;
let docId: string;
const clients: TestClient[] = [];

beforeEach(async () => {
  server = await startServer();
  docId = await server.createDoc({ title: "Sync test" });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.stop();
});

async function join(party: string, role: "delegation" | "chair" | "observer" = "delegation") {
  const token = await server.mintToken({ docId, party, role });
  const client = connectClient(server.wsUrl, docId, token);
  clients.push(client);
  return client;
}

const serverDoc = () => server.server.rooms.get(docId)?.doc;

describe("sync", () => {
  it("ten clients converge and an eleventh joining late receives everything", async () => {
    const ten = await Promise.all(Array.from({ length: 10 }, (_, i) => join(`Party ${i}`)));
    await Promise.all(ten.map((c) => c.synced()));
    ten.forEach((client, i) => {
      for (let n = 0; n < 20; n++) {
        const text = client.doc.getText("t");
        text.insert(n % 3 === 0 ? 0 : text.length, `${i}:${n};`);
      }
    });
    await untilConverged(
      ten.map((c) => c.doc),
      "ten clients to converge",
    );
    const text = ten[0]!.doc.getText("t").toString();
    expect(text.split(";").filter(Boolean)).toHaveLength(200);
    const late = await join("Late");
    await late.synced();
    await untilDoc(
      late.doc,
      "the late joiner to receive all",
      (d) => d.getText("t").length === text.length,
    );
    expect(late.doc.getText("t").toString()).toBe(text);
    expect(serverDoc()!.getText("t").toString()).toBe(text);
  });

  it("an observer's writes reach neither the server's document nor other clients", async () => {
    const delegate = await join("Pakistan");
    const observer = await join("Observer", "observer");
    await Promise.all([delegate.synced(), observer.synced()]);
    delegate.doc.getText("t").insert(0, "agreed words");
    await untilDoc(observer.doc, "the observer to see the delegate's words", (d) =>
      d.getText("t").toString().includes("agreed"),
    );
    const denied = new Promise<string>((resolve) => {
      const original = console.warn;
      console.warn = (message: string) => {
        console.warn = original;
        resolve(String(message));
      };
    });
    const closed = observer.closed();
    observer.doc.getText("t").insert(0, "observer graffiti ");
    expect(await closed).toEqual({ code: CloseCode.refused, reason: "observer-read-only" });
    expect(await denied).toContain("Observers may not change the draft");
    // A write the delegate makes after the refusal arrives, the observer's never does.
    delegate.doc.getText("t").insert(0, "later ");
    const room = serverDoc()!;
    await waitFor(
      "the server to apply the delegate's later words",
      (check) => {
        room.on("update", check);
        return () => room.off("update", check);
      },
      () => room.getText("t").toString().startsWith("later "),
    );
    expect(room.getText("t").toString()).toBe("later agreed words");
    expect(delegate.doc.getText("t").toString()).toBe("later agreed words");
    expect(server.server.metrics.refusals.get("observer-read-only")).toBe(1);
  });

  it("an observer that only reads stays connected through its sync", async () => {
    const delegate = await join("Pakistan");
    await delegate.synced();
    delegate.doc.getText("t").insert(0, "words");
    const observer = await join("Observer", "observer");
    await observer.synced();
    await untilDoc(
      observer.doc,
      "the observer to receive the words",
      (d) => d.getText("t").toString() === "words",
    );
    expect(observer.provider.wsconnected).toBe(true);
    expect(server.server.metrics.refusals.size).toBe(0);
  });
});

describe("tokens", () => {
  it("refuses a forged, an expired and a missing token at the upgrade with 401", async () => {
    const forger = new TokenIssuer(new TextEncoder().encode("x".repeat(40)));
    const forged = await forger.sign(
      { docId, party: "Chair", role: "chair", onBehalfOf: null, invitation: "i1" },
      new Date(Date.now() + 60_000),
    );
    const expired = await server.mintToken({
      docId,
      party: "Pakistan",
      role: "delegation",
      expiresAt: new Date(Date.now() - 1000),
    });
    const base = `${server.wsUrl}/${docId}`;
    expect(await upgradeStatus(`${base}?token=${forged}`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${expired}`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=garbage`)).toBe(401);
    expect(await upgradeStatus(base)).toBe(401);
  });

  it("refuses a valid token for another document with 403", async () => {
    const other = await server.createDoc();
    const token = await server.mintToken({ docId: other, party: "Pakistan", role: "delegation" });
    expect(await upgradeStatus(`${server.wsUrl}/${docId}?token=${token}`)).toBe(403);
    expect(await upgradeStatus(`${server.wsUrl}/${other}?token=${token}`)).toBe(101);
  });
});

describe("presence", () => {
  it("shows a client claiming another identity under its own", async () => {
    const spoofer = await join("Pakistan");
    const watcher = await join("Observer", "observer");
    await Promise.all([spoofer.synced(), watcher.synced()]);
    spoofer.provider.awareness.setLocalStateField("user", {
      name: "Chair",
      party: "Chair",
      role: "chair",
      color: "#ff0000",
    });
    const id = spoofer.doc.clientID;
    const seen = () =>
      watcher.provider.awareness.getStates().get(id)?.user as Record<string, unknown> | undefined;
    await waitFor(
      "the watcher to see the spoofer's presence",
      (check) => {
        watcher.provider.awareness.on("change", check);
        return () => watcher.provider.awareness.off("change", check);
      },
      () => seen()?.color === "#ff0000",
    );
    expect(seen()).toEqual({
      name: "Pakistan",
      party: "Pakistan",
      role: "delegation",
      onBehalfOf: null,
      color: "#ff0000",
    });
  });

  it("removes a departed client's presence from the others", async () => {
    const leaver = await join("Pakistan");
    const watcher = await join("Observer", "observer");
    await Promise.all([leaver.synced(), watcher.synced()]);
    const id = leaver.doc.clientID;
    const states = watcher.provider.awareness;
    leaver.provider.awareness.setLocalStateField("cursor", { anchor: 1 });
    await waitFor(
      "the leaver's presence to appear",
      (check) => {
        states.on("change", check);
        return () => states.off("change", check);
      },
      () => states.getStates().has(id),
    );
    // Terminate the socket so the client cannot say goodbye itself: the server must.
    (leaver.provider.ws as unknown as WebSocket).terminate();
    leaver.provider.shouldConnect = false;
    await waitFor(
      "the leaver's presence to go",
      (check) => {
        states.on("change", check);
        return () => states.off("change", check);
      },
      () => !states.getStates().has(id),
    );
  });
});

describe("rooms", () => {
  it("does not rewrite a large document's snapshot every few updates", async () => {
    const small = await startServer({ compactEvery: 10 });
    try {
      // About 40 KB of snapshot: 25 short edits are far below the log share that compacts.
      const id = await small.createDoc({ text: "Paragraph of a long draft. ".repeat(1500) });
      const token = await small.mintToken({ docId: id, party: "Pakistan", role: "delegation" });
      const client = connectClient(small.wsUrl, id, token);
      clients.push(client);
      await client.synced();
      for (let i = 0; i < 25; i++) client.doc.getText("t").insert(0, `${i};`);
      const room = small.server.rooms.get(id)!;
      await untilConverged([client.doc, room.doc], "the server to apply 25 edits");
      expect(await room.flush()).toBe(true);
      const stored = await small.server.store.loadDocument(id);
      expect(stored!.updates.length).toBeGreaterThan(10);
      const reloaded = new Y.Doc();
      for (const update of stored!.updates) Y.applyUpdate(reloaded, update);
      expect(reloaded.getText("t").toString()).toBe(client.doc.getText("t").toString());
    } finally {
      await small.stop();
    }
  });

  it("compacts the update log into a snapshot every few updates and loads it back intact", async () => {
    const small = await startServer({ compactEvery: 10 });
    try {
      const id = await small.createDoc();
      const token = await small.mintToken({ docId: id, party: "Pakistan", role: "delegation" });
      const client = connectClient(small.wsUrl, id, token);
      clients.push(client);
      await client.synced();
      for (let i = 0; i < 25; i++) client.doc.getText("t").insert(0, `${i};`);
      const room = small.server.rooms.get(id)!;
      await untilConverged([client.doc, room.doc], "the server to apply 25 edits");
      // Applied updates are committed in a batch at the end of the turn; wait for that commit.
      expect(await room.flush()).toBe(true);
      // The seed, 25 appends, compactions at 10 and 20: a snapshot and at most 9 updates.
      const stored = await small.server.store.loadDocument(id);
      expect(stored!.updates.length).toBeLessThanOrEqual(10);
      const reloaded = new Y.Doc();
      for (const update of stored!.updates) Y.applyUpdate(reloaded, update);
      expect(reloaded.getText("t").toString()).toBe(client.doc.getText("t").toString());
    } finally {
      await small.stop();
    }
  });

  it("leaves memory when the last client goes, with its state stored", async () => {
    const client = await join("Pakistan");
    await client.synced();
    client.doc.getText("t").insert(0, "kept");
    await untilDoc(
      serverDoc()!,
      "the server to apply the words",
      (d) => d.getText("t").toString() === "kept",
    );
    const room = server.server.rooms.get(docId)!;
    client.destroy();
    await room.unloaded;
    expect(server.server.rooms.has(docId)).toBe(false);
    const stored = await server.server.store.loadDocument(docId);
    const doc = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(doc, update);
    expect(doc.getText("t").toString()).toBe("kept");
  });

  it("refuses clients with 503 when the document fails to load, and stores nothing over it", async () => {
    const client = await join("Pakistan");
    await client.synced();
    client.doc.getText("t").insert(0, "precious");
    await untilDoc(serverDoc()!, "the words to arrive", (d) => d.getText("t").length > 0);
    const room = server.server.rooms.get(docId)!;
    client.destroy();
    await room.unloaded;
    const store = server.server.store;
    const load = store.loadDocument;
    store.loadDocument = () => Promise.reject(new Error("disk on fire"));
    const token = await server.mintToken({ docId, party: "Pakistan", role: "delegation" });
    expect(await upgradeStatus(`${server.wsUrl}/${docId}?token=${token}`)).toBe(503);
    expect(server.server.rooms.has(docId)).toBe(false);
    store.loadDocument = load;
    const again = await join("Pakistan");
    await again.synced();
    await untilDoc(again.doc, "the stored words", (d) => d.getText("t").toString() === "precious");
  });
});

describe("documents", () => {
  it("are seeded once on the server, so every client sees the draft exactly once", async () => {
    const draft = { doc: doc(np("First paragraph."), np("Second.")), registry: emptyRegistry };
    const id = await server.createDoc({ draft, id: "seeded-once" });
    await expect(server.createDoc({ draft, id })).rejects.toThrow(RangeError);
    const tokenA = await server.mintToken({ docId: id, party: "Pakistan", role: "delegation" });
    const tokenB = await server.mintToken({ docId: id, party: "Ghana", role: "delegation" });
    const a = connectClient(server.wsUrl, id, tokenA);
    const b = connectClient(server.wsUrl, id, tokenB);
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    await untilConverged([a.doc, b.doc]);
    for (const client of [a, b]) {
      expect(draftFromYDoc(client.doc).doc.toJSON()).toEqual(draft.doc.toJSON());
    }
  });
});
