import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CloseCode } from "../../server/protocol.ts";
import { connectClient, type TestClient, untilConverged, untilDoc } from "./helpers/clients.ts";
import { type ServerProcess, spawnServer } from "./helpers/process.ts";

// The server as a real process, stopped with SIGTERM or killed with SIGKILL, then started
// again on the same store. Clients of the first run are destroyed before the restart so that
// they cannot hand their copies back to the new server and hide a loss.

let dataDir: string;
const running: ServerProcess[] = [];
const clients: TestClient[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "parley-restart-"));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of running.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await server.stop("SIGKILL");
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await spawnServer(dataDir);
  running.push(server);
  return server;
}

function connect(server: ServerProcess, docId: string, token: string): TestClient {
  const client = connectClient(server.wsUrl, docId, token);
  clients.push(client);
  return client;
}

/** A fresh client's view of the document after a restart. */
async function reread(docId: string, token: string): Promise<Y.Doc> {
  const server = await start();
  const reader = connect(server, docId, token);
  await reader.synced();
  return reader.doc;
}

describe("restart", () => {
  it("keeps the document intact across SIGTERM and a restart on the same store", async () => {
    const first = await start();
    const { id, tokens } = await first.createDoc([
      { party: "Pakistan", role: "delegation" },
      { party: "Observer", role: "observer" },
    ]);
    const writer = connect(first, id, tokens.Pakistan!);
    const reader = connect(first, id, tokens.Observer!);
    await Promise.all([writer.synced(), reader.synced()]);
    for (let i = 0; i < 300; i++) writer.doc.getText("t").insert(i % 7, `${i},`);
    writer.doc.getText("t").delete(0, 10);
    await untilConverged([writer.doc, reader.doc], "the reader to receive every edit");
    const expected = writer.doc.getText("t").toString();
    const closed = reader.closed();
    expect(await first.stop("SIGTERM")).toBe(0);
    expect((await closed).code).toBe(CloseCode.goingAway);
    writer.destroy();
    reader.destroy();
    const doc = await reread(id, tokens.Observer!);
    expect(doc.getText("t").toString()).toBe(expected);
  });

  it("keeps every update relayed to another client when killed with SIGKILL mid-burst", async () => {
    const first = await start();
    const { id, tokens } = await first.createDoc([
      { party: "Pakistan", role: "delegation" },
      { party: "Observer", role: "observer" },
    ]);
    const writer = connect(first, id, tokens.Pakistan!);
    const watcher = connect(first, id, tokens.Observer!);
    await Promise.all([writer.synced(), watcher.synced()]);
    const text = writer.doc.getText("t");
    let killed = false;
    const burst = (async () => {
      for (let i = 0; i < 3000 && !killed; i++) {
        text.insert(text.length, `${i};`);
        if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // Kill the moment the watcher has seen a good part of the burst, while more is in flight.
    await untilDoc(watcher.doc, "the watcher to see 100 edits", (d) =>
      d.getText("t").toString().includes(";99;"),
    );
    const closed = watcher.closed();
    killed = true;
    expect(await first.stop("SIGKILL")).toBeNull();
    await closed;
    await burst;
    const relayed = Y.encodeStateVector(watcher.doc);
    const seen = watcher.doc.getText("t").toString();
    writer.destroy();
    watcher.destroy();
    const doc = await reread(id, tokens.Observer!);
    const after = Y.decodeStateVector(Y.encodeStateVector(doc));
    for (const [client, clock] of Y.decodeStateVector(relayed)) {
      expect(after.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
    }
    expect(doc.getText("t").toString().startsWith(seen)).toBe(true);
  });
});
