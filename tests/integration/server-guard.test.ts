import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { UpdateGuard } from "../../server/guard.ts";
import { CloseCode } from "../../server/protocol.ts";
import type { Store } from "../../server/store.ts";
import {
  connectClient,
  type TestClient,
  untilConverged,
  untilDoc,
  waitFor,
} from "./helpers/clients.ts";
import { openRaw, syncFrame, upgradeStatus } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

// The server's seams: an injected guard sees every update in one place, in the documented
// order; a guard that throws refuses; a store that fails loses nothing and relays nothing
// it has not stored.

let server: TestServer | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.stop();
  server = null;
});

async function join(s: TestServer, docId: string, party: string): Promise<TestClient> {
  const token = await s.mintToken({ docId, party, role: "delegation" });
  const client = connectClient(s.wsUrl, docId, token);
  clients.push(client);
  await client.synced();
  return client;
}

/**
 * A guard that applies first and refuses "forbidden" words after, as the permission guard
 * does: a refusal leaves the words in the document, which the room must then rebuild
 * without them (and hand to `onReplace`).
 */
function applyThenJudge(onReplace: (doc: Y.Doc) => void = () => {}): UpdateGuard {
  return {
    open() {},
    apply(_room, doc, update) {
      Y.applyUpdate(doc, update);
      return doc.getText("t").toString().includes("forbidden")
        ? {
            verdict: { ok: false, rule: "no-forbidden-words", reason: "That word is not allowed" },
            touched: true,
          }
        : { verdict: { ok: true }, touched: false };
    },
    replace(_room, doc) {
      onReplace(doc);
    },
    close() {},
  };
}

describe("the update guard", () => {
  it("is opened on load, applies every change, and is closed on unload", async () => {
    const calls: string[] = [];
    const guard: UpdateGuard = {
      open: (room, doc) => calls.push(`open ${room === docId} ${doc instanceof Y.Doc}`),
      apply: (room, doc, update, identity) => {
        calls.push(`apply ${identity.party} ${doc === server?.server.rooms.get(room)?.doc}`);
        Y.applyUpdate(doc, update);
        return { verdict: { ok: true }, touched: false };
      },
      replace: () => calls.push("replace"),
      close: () => calls.push("close"),
    };
    server = await startServer({ guard });
    const docId = await server.createDoc();
    const client = await join(server, docId, "Pakistan");
    client.doc.getText("t").insert(0, "hello");
    const room = server.server.rooms.get(docId)!;
    await untilDoc(room.doc, "the server to apply it", (d) => d.getText("t").length === 5);
    client.destroy();
    await room.unloaded;
    expect(calls).toEqual(["open true true", "apply Pakistan true", "close"]);
  });

  it("refuses with its rule: the client is told why, nothing is kept or relayed", async () => {
    const replaced: Y.Doc[] = [];
    const guard = applyThenJudge((doc) => replaced.push(doc));
    server = await startServer({ guard });
    const docId = await server.createDoc();
    const writer = await join(server, docId, "Pakistan");
    const watcher = await join(server, docId, "Algeria");
    writer.doc.getText("t").insert(0, "fine ");
    await untilDoc(watcher.doc, "the fine words", (d) => d.getText("t").toString() === "fine ");
    const closed = writer.closed();
    writer.doc.getText("t").insert(0, "forbidden ");
    expect(await closed).toEqual({ code: CloseCode.refused, reason: "no-forbidden-words" });
    watcher.doc.getText("t").insert(5, "still ");
    const room = server.server.rooms.get(docId)!;
    await untilConverged([watcher.doc, room.doc], "the watcher and the server");
    expect(room.doc.getText("t").toString()).toBe("fine still ");
    expect([replaced.length, replaced[0] === room.doc]).toEqual([1, true]);
    expect(server.server.metrics.refusals.get("no-forbidden-words")).toBe(1);
  });

  it("refuses an update when the guard throws", async () => {
    const guard: UpdateGuard = {
      open() {},
      apply(_room, doc, update) {
        Y.applyUpdate(doc, update);
        throw new Error("bug in the guard");
      },
      replace() {},
      close() {},
    };
    server = await startServer({ guard });
    const docId = await server.createDoc();
    const writer = await join(server, docId, "Pakistan");
    const closed = writer.closed();
    writer.doc.getText("t").insert(0, "unjudged");
    expect(await closed).toEqual({ code: CloseCode.refused, reason: "guard-error" });
    expect(server.server.rooms.get(docId)!.doc.getText("t").length).toBe(0);
  });
});

describe("a failing store", () => {
  it("keeps the change in memory, relays it only once stored, and stores it when it can", async () => {
    server = await startServer();
    const docId = await server.createDoc();
    const store = server.server.store;
    let failing = false;
    const failWhen =
      <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        failing ? Promise.reject(new Error("disk full")) : method(...args);
    const wrapped: Partial<Store> = {
      appendUpdate: failWhen(store.appendUpdate),
      appendUpdates: failWhen(store.appendUpdates),
      compact: failWhen(store.compact),
    };
    Object.assign(store, wrapped);
    const writer = await join(server, docId, "Pakistan");
    const watcher = await join(server, docId, "Algeria");
    failing = true;
    const closed = writer.closed();
    writer.doc.getText("t").insert(0, "unstored");
    expect(await closed).toEqual({ code: CloseCode.internalError, reason: "store-failed" });
    const room = server.server.rooms.get(docId)!;
    expect(room.doc.getText("t").toString()).toBe("unstored");
    expect(watcher.doc.getText("t").length).toBe(0);
    failing = false;
    // The writer reconnects by itself (1011 is transient); its sync stores the room first.
    await untilDoc(
      watcher.doc,
      "the watcher to get the change once stored",
      (d) => d.getText("t").toString() === "unstored",
    );
    await waitFor(
      "the writer to reconnect",
      (check) => {
        writer.provider.on("sync", check);
        return () => writer.provider.off("sync", check);
      },
      () => writer.provider.synced,
    );
    const stored = await store.loadDocument(docId);
    const doc = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(doc, update);
    expect(doc.getText("t").toString()).toBe("unstored");
    expect(server.server.metrics.storeFailures).toBeGreaterThan(0);
  });
});

/** An update appending `text` to the Y.Text "t" of a copy of `doc`, by a fresh client. */
function textUpdateAfter(doc: Y.Doc, text: string): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  copy.getText("t").insert(copy.getText("t").length, text);
  return Y.encodeStateAsUpdate(copy, before);
}

describe("a refused update that got into the document", () => {
  const guard = applyThenJudge();

  it("is rebuilt out of the document from the store and the updates not yet stored", async () => {
    server = await startServer({ guard });
    const docId = await server.createDoc();
    const writer = await join(server, docId, "Pakistan");
    const watcher = await join(server, docId, "Algeria");
    const room = server.server.rooms.get(docId)!;
    // Two honest updates in one event-loop turn, then the forbidden one: the room rebuilds
    // while the first two may still wait for their commit, and must keep them.
    const closed = writer.closed();
    writer.doc.transact(() => writer.doc.getText("t").insert(0, "one "));
    writer.doc.transact(() => writer.doc.getText("t").insert(4, "two "));
    writer.doc.transact(() => writer.doc.getText("t").insert(8, "forbidden"));
    expect(await closed).toEqual({ code: CloseCode.refused, reason: "no-forbidden-words" });
    const live = server.server.rooms.get(docId)!.doc;
    await untilDoc(
      watcher.doc,
      "the honest words",
      (d) => d.getText("t").toString() === "one two ",
    );
    expect([live === room.doc, live.getText("t").toString()]).toEqual([true, "one two "]);
  });

  it("turns the sender's invitation away for a while, longer each time", async () => {
    server = await startServer({ guard, refusalCooldownMs: 500 });
    const docId = await server.createDoc();
    const token = await server.mintToken({ docId, party: "Pakistan", role: "delegation" });
    const other = await server.mintToken({ docId, party: "Algeria", role: "delegation" });
    const watcher = await join(server, docId, "Brazil");
    const room = server.server.rooms.get(docId)!;
    const offend = async () => {
      const raw = await openRaw(server!.wsUrl, docId, token);
      raw.ws.send(syncFrame(2, textUpdateAfter(room.doc, "forbidden")));
      expect(await raw.closed).toMatchObject({ code: CloseCode.refused });
    };
    const status = (t: string) =>
      upgradeStatus(`${server!.wsUrl}/${docId}?token=${encodeURIComponent(t)}`);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await offend();
    // 500 ms for the first refusal, 1000 ms for the second.
    const first = [await status(token), await status(other)];
    await sleep(600);
    const afterFirst = await status(token);
    await offend();
    await sleep(500);
    const stillWaiting = await status(token);
    await sleep(600);
    expect([first, afterFirst, stillWaiting, await status(token)]).toEqual([
      [429, 101],
      101,
      429,
      101,
    ]);
    expect(watcher.doc.getText("t").length).toBe(0);
  });

  it("closes the room without storing it when the store cannot give its copy back", async () => {
    server = await startServer({ guard });
    const docId = await server.createDoc();
    const store = server.server.store;
    const writer = await join(server, docId, "Pakistan");
    const watcher = await join(server, docId, "Algeria");
    writer.doc.getText("t").insert(0, "kept ");
    await untilDoc(watcher.doc, "the kept words", (d) => d.getText("t").toString() === "kept ");
    const room = server.server.rooms.get(docId)!;
    const load = store.loadDocument;
    store.loadDocument = () => Promise.reject(new Error("disk gone"));
    const watcherClosed = watcher.closed();
    writer.doc.getText("t").insert(5, "forbidden");
    expect(await watcherClosed).toEqual({ code: CloseCode.internalError, reason: "store-failed" });
    await room.unloaded;
    store.loadDocument = load;
    const stored = await store.loadDocument(docId);
    const doc = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(doc, update);
    expect(doc.getText("t").toString()).toBe("kept ");
    expect(server.server.metrics.storeFailures).toBeGreaterThan(0);
  });
});

describe("group commit", () => {
  it("stores the updates that pile up while the room is busy in one commit, before relaying any", async () => {
    server = await startServer();
    const docId = await server.createDoc();
    const watcher = await join(server, docId, "Algeria");
    const store = server.server.store;
    const commits: number[] = [];
    const watcherHadAtCommit: number[] = [];
    const { appendUpdate, appendUpdates } = store;
    const wrapped: Partial<Store> = {
      appendUpdate: (id, update) => {
        commits.push(1);
        watcherHadAtCommit.push(watcher.doc.getText("t").length);
        return appendUpdate(id, update);
      },
      appendUpdates: (id, updates) => {
        commits.push(updates.length);
        watcherHadAtCommit.push(watcher.doc.getText("t").length);
        return appendUpdates(id, updates);
      },
    };
    Object.assign(store, wrapped);
    const writer = await openRaw(
      server.wsUrl,
      docId,
      await server.mintToken({ docId, party: "Pakistan", role: "delegation" }),
    );
    const room = server.server.rooms.get(docId)!;
    const serverSide = [...room.connections].find((c) => c.identity.party === "Pakistan")!;
    let received = 0;
    serverSide.ws.on("message", () => received++);
    // Hold the room's queue, as a commit syncing to disk does, so the writer's updates pile
    // up behind it and are then applied in one turn.
    let release = () => {};
    void room.enqueue(() => new Promise<void>((resolve) => (release = resolve)));
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on("update", (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 20; i++) source.getText("t").insert(source.getText("t").length, `${i};`);
    for (const update of updates) writer.ws.send(syncFrame(2, update));
    await waitFor(
      "the server to receive the twenty updates",
      (check) => {
        serverSide.ws.on("message", check);
        return () => serverSide.ws.off("message", check);
      },
      () => received === 20,
    );
    release();
    const expected = source.getText("t").toString();
    await untilDoc(
      watcher.doc,
      "the watcher to get all twenty",
      (d) => d.getText("t").toString() === expected,
    );
    expect(commits).toEqual([20]);
    expect(watcherHadAtCommit).toEqual([0]);
    const stored = await store.loadDocument(docId);
    const reloaded = new Y.Doc();
    for (const update of stored!.updates) Y.applyUpdate(reloaded, update);
    expect(reloaded.getText("t").toString()).toBe(expected);
    writer.ws.close();
  });
});
