// A server under test, hosted in its own process:
// `node serve.mjs <name> [--draft <file>] [parley options]` (bundled by entries.ts). It listens on
// 127.0.0.1 on a free port and prints `LISTENING <port>` once ready, then serves until it is
// killed. For the fan-out the reference y-websocket server is not hosted here but run from
// its own bin, exactly as shipped (see servers.ts); with `--draft`, where the peers need a
// load hook that its bin does not offer, its own connection handler is hosted here instead.
//
// `--draft <file>`: every document a peer opens is loaded from the Yjs update in `file`, the
// way a store hook (Hocuspocus' `onLoadDocument`, the reference server's `bindState`) would.

import { readFileSync } from "node:fs";
import * as Y from "yjs";
import { isServerName, type ServerName } from "./peers.ts";
import { runsProgram } from "./procs.ts";

/**
 * Apply a stored draft to a document being loaded and print `LOADED <name> <ms>`: the
 * server-side load time the large-drafts scenario reports.
 */
function loadTimed(name: string, doc: Y.Doc, stored: Uint8Array): void {
  const t0 = performance.now();
  Y.applyUpdate(doc, stored);
  process.stdout.write(`LOADED ${name} ${performance.now() - t0}\n`);
}

function draftArg(args: readonly string[]): Uint8Array | null {
  const at = args.indexOf("--draft");
  const file = at >= 0 ? args[at + 1] : undefined;
  return file ? new Uint8Array(readFileSync(file)) : null;
}

async function hostReference(stored: Uint8Array): Promise<number> {
  const { WebSocketServer } = await import("ws");
  const { createServer } = await import("node:http");
  const utils = await import("@y/websocket-server/utils");
  utils.setPersistence({
    provider: null,
    bindState: (name, doc) => loadTimed(name, doc, stored),
    writeState: async () => {},
  });
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((_req, res) => res.end("okay"));
  wss.on("connection", utils.setupWSConnection);
  http.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  return typeof address === "object" && address ? address.port : 0;
}

async function hostHocuspocus(stored: Uint8Array | null): Promise<number> {
  const { Server } = await import("@hocuspocus/server");
  // No extensions and in memory: the relay people start from.
  const server = new Server({
    port: 0,
    address: "127.0.0.1",
    quiet: true,
    stopOnSignals: false,
    ...(stored
      ? {
          onLoadDocument: async ({
            document,
            documentName,
          }: {
            document: Y.Doc;
            documentName: string;
          }) => loadTimed(documentName, document, stored),
        }
      : {}),
  });
  await server.listen();
  return server.address.port;
}

async function hostParley(name: ServerName, args: readonly string[]): Promise<number> {
  const { startParleyForBench } = await import("./parley.ts");
  return startParleyForBench({ checks: name === "parley", args });
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? "";
  const args = process.argv.slice(3);
  const stored = draftArg(args);
  if (!isServerName(name) || (name === "y-websocket" && !stored)) {
    console.error(`serve.ts: cannot host ${JSON.stringify(name)}`);
    process.exit(2);
  }
  const port =
    name === "y-websocket"
      ? await hostReference(stored as Uint8Array)
      : name === "hocuspocus"
        ? await hostHocuspocus(stored)
        : await hostParley(name, args);
  // Before the line: the orchestrator may signal as soon as it reads it, and SIGUSR2 with no
  // handler installed yet would kill the process.
  reportMemoryOnSignal();
  // A normal exit on SIGTERM, so that --cpu-prof and friends write their output.
  process.on("SIGTERM", () => process.exit(0));
  process.stdout.write(`LISTENING ${port}\n`);
}

/**
 * On SIGUSR2: collect garbage (when node runs with --expose-gc) and print
 * `MEMORY <n> <process.memoryUsage() JSON>`, n counting from 1, so the orchestrator can read
 * the live memory a loaded document costs rather than heap slack.
 */
function reportMemoryOnSignal(): void {
  let count = 0;
  process.on("SIGUSR2", () => {
    (globalThis as { gc?: () => void }).gc?.();
    count++;
    process.stdout.write(`MEMORY ${count} ${JSON.stringify(process.memoryUsage())}\n`);
  });
}

if (runsProgram("serve")) {
  main().catch((error: Error) => {
    console.error(`serve.ts: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
