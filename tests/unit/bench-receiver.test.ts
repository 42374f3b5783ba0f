import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setupWSConnection } from "@y/websocket-server/utils";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import { connectTyper, type Endpoint, type TyperConnection } from "../../bench/peers.ts";
import { openReceiver, type Receiver } from "../../bench/receiver.ts";
import { referenceEndpoint } from "../../bench/servers.ts";
import { fanoutSeed, Typist } from "../../bench/workload.ts";

// A receiver against the real reference server (its own connection handler, on port 0),
// with a real provider typing: the path every fan-out cell measures.

let http: Server | null = null;
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  http = null;
});

async function referenceServer(): Promise<number> {
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", setupWSConnection);
  http = createServer((_req, res) => res.end("okay"));
  http.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  cleanups.push(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  await new Promise<void>((resolve) => http?.listen(0, "127.0.0.1", resolve));
  return (http.address() as AddressInfo).port;
}

/** The test's own reference server, seeded by the typers as the bench does with its bin. */
const endpoint = (port: number, docName: string): Endpoint =>
  referenceEndpoint("y-websocket", port, false, docName);

describe("a receiver on the reference server", () => {
  it("sees the edit a real provider types, by its id", async () => {
    const port = await referenceServer();
    const ep = endpoint(port, "receiver-test-1");
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, fanoutSeed(1));
    const typer: TyperConnection = await connectTyper(ep, ydoc, 0, 5000);
    cleanups.push(() => typer.destroy());
    await typer.synced;
    let gotDocument: () => void = () => {};
    const documentArrived = new Promise<void>((resolve) => {
      gotDocument = resolve;
    });
    let gotEdit: (id: number) => void = () => {};
    const edit = new Promise<number>((resolve) => {
      gotEdit = resolve;
    });
    const receiver: Receiver = await openReceiver(
      {
        host: "127.0.0.1",
        port,
        path: ep.receiverPath,
        dialect: "y-websocket",
        docName: ep.docName,
        token: "",
      },
      0,
      (_index, id) => gotEdit(id),
      () => {},
      5000,
      () => gotDocument(),
    );
    cleanups.push(() => receiver.close());
    await documentArrived;
    new Typist(ydoc, 0).type(4711);
    expect(await edit).toBe(4711);
  });

  it("finds edits made before it joined in the document the server sends it", async () => {
    const port = await referenceServer();
    const ep = endpoint(port, "receiver-test-2");
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, fanoutSeed(1));
    const typer = await connectTyper(ep, ydoc, 0, 5000);
    cleanups.push(() => typer.destroy());
    await typer.synced;
    const target = {
      host: "127.0.0.1" as const,
      port,
      path: ep.receiverPath,
      dialect: "y-websocket" as const,
      docName: ep.docName,
      token: "",
    };
    // A first receiver proves the server has all three edits; no edit is typed after that,
    // so a receiver joining later can find them only in the document the server sends it.
    const collect = async (index: number) => {
      const seen: number[] = [];
      let complete: () => void = () => {};
      const all = new Promise<void>((resolve) => {
        complete = resolve;
      });
      const r = await openReceiver(
        target,
        index,
        (_i, id) => {
          seen.push(id);
          if (seen.length === 3) complete();
        },
        () => {},
        5000,
      );
      cleanups.push(() => r.close());
      return { seen, all };
    };
    const first = await collect(1);
    const hands = new Typist(ydoc, 0);
    for (let id = 0; id < 3; id++) hands.type(id);
    await first.all;
    const late = await collect(2);
    await late.all;
    const seen = late.seen;
    expect(seen.sort()).toEqual([0, 1, 2]);
  });
});
