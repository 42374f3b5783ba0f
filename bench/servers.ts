// Starting a server under test in its own pinned process and saying how clients reach it.

import { createRequire } from "node:module";
import { join } from "node:path";
import { childProgram } from "./entries.ts";
import type { Endpoint, ServerName } from "./peers.ts";
import {
  type Child,
  freePort,
  listeningLine,
  serverCore,
  serverNodeFlags,
  spawnNode,
} from "./procs.ts";

/** A server started for one cell (or one scenario); `stop()` kills it. */
export interface RunningServer {
  readonly name: ServerName;
  readonly child: Child;
  /** How clients reach the cell's document (`bench`). */
  readonly endpoint: Endpoint;
  /** How clients reach another document of this server. */
  endpointFor(docName: string): Endpoint;
  stop(): Promise<void>;
}

/** Options that only some servers use. */
export interface StartOptions {
  /** The number of typers a Parley document is seeded for (Parley seeds on the server). */
  readonly typers: number;
  /** A scratch directory for Parley's store. */
  readonly scratch: string;
  /**
   * For the large-drafts scenario: a file holding a draft as a Yjs update, which every
   * document the server opens is loaded from (`docNames` for Parley, which seeds its store).
   */
  readonly draft?: { readonly file: string; readonly docNames: readonly string[] };
}

const startTimeoutMs = 30_000;
const docName = "bench";

function referenceServerBin(): string {
  // The package exports no path to its bin, so resolve its package.json and go from there.
  const require = createRequire(import.meta.url);
  return join(require.resolve("@y/websocket-server/package.json"), "..", "src", "server.js");
}

/** The endpoint of a y-websocket server (the reference one, as shipped or hosted here). */
export function referenceEndpoint(
  name: ServerName,
  port: number,
  seededByServer: boolean,
  doc = docName,
): Endpoint {
  return {
    server: name,
    port,
    dialect: "y-websocket",
    docName: doc,
    receiverPath: `/${doc}`,
    providerUrl: `ws://127.0.0.1:${port}`,
    providerParams: {},
    typerTokens: [""],
    receiverToken: "",
    seededByServer,
  };
}

/**
 * Start `name` on 127.0.0.1, pinned to the server core. Rejects (after killing the child)
 * when it does not report that it listens within 30 s.
 */
export async function startServer(name: ServerName, options: StartOptions): Promise<RunningServer> {
  if (name === "y-websocket" && !options.draft) {
    // The reference server exactly as shipped (`npx y-websocket`), in memory.
    const port = await freePort();
    const child = spawnNode(serverCore, [...serverNodeFlags(), referenceServerBin()], {
      HOST: "127.0.0.1",
      PORT: String(port),
    });
    await guard(child, child.waitFor(/running at/, startTimeoutMs));
    return running(name, child, referenceEndpoint(name, port, false));
  }
  if (name === "hocuspocus" || name === "y-websocket") {
    const extra = options.draft ? ["--draft", options.draft.file] : [];
    // In the drafts scenario the orchestrator asks for a full GC before reading memory.
    const flags = [...serverNodeFlags(), ...(options.draft ? ["--expose-gc"] : [])];
    const child = spawnNode(serverCore, [
      ...flags,
      ...(await childProgram("serve")),
      name,
      ...extra,
    ]);
    const match = await guard(child, child.waitFor(listeningLine, startTimeoutMs));
    const port = Number(match[1]);
    if (name === "y-websocket") {
      return running(name, child, referenceEndpoint(name, port, true));
    }
    return running(name, child, {
      server: name,
      port,
      dialect: "hocuspocus",
      docName,
      receiverPath: "/",
      providerUrl: `ws://127.0.0.1:${port}`,
      providerParams: {},
      typerTokens: ["bench"],
      receiverToken: "bench",
      seededByServer: false,
    });
  }
  const { startParleyServer } = await import("./parley.ts");
  return startParleyServer(name, options, docName);
}

async function guard<T>(child: Child, ready: Promise<T>): Promise<T> {
  try {
    return await ready;
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/**
 * Wrap a started peer as a `RunningServer`. Peers need no per-document tokens, so another
 * document's endpoint differs only in its name (and, for y-websocket, its path).
 */
export function running(name: ServerName, child: Child, endpoint: Endpoint): RunningServer {
  return {
    name,
    child,
    endpoint,
    endpointFor: (doc) => ({
      ...endpoint,
      docName: doc,
      receiverPath: endpoint.dialect === "y-websocket" ? `/${doc}` : endpoint.receiverPath,
    }),
    stop: () => child.stop(),
  };
}
