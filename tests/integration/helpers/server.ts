import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Draft } from "../../../schema/draft.ts";
import type { Role } from "../../../schema/registry.ts";
import { createInvitation, createNegotiation, identityOf } from "../../../server/documents.ts";
import type { UpdateGuard } from "../../../server/guard.ts";
import { createServer, type ParleyServer, type ServerOptions } from "../../../server/server.ts";

// An in-process sync server on a free port for integration tests, with helpers to create
// documents and mint tokens for them. Everyone's integration tests use this; keep it small.

/** Who a minted token is for. */
export interface TokenSpec {
  readonly docId: string;
  readonly party: string;
  readonly role: Role;
  readonly onBehalfOf?: string | null;
  /** When the token expires (default: in a day). A past date makes an expired token. */
  readonly expiresAt?: Date;
}

/** A running test server. */
export interface TestServer {
  readonly server: ParleyServer;
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `ws://127.0.0.1:PORT/ws`, the WebsocketProvider's server URL. */
  readonly wsUrl: string;
  /** The store directory (a fresh temporary one unless given). */
  readonly dataDir: string;
  /** A token for the HTTP API's administrator. */
  readonly adminToken: string;
  /**
   * Create a negotiation, seeded once on the server: from a `draft` built in code (e.g. with
   * tests/builder.ts), from a plain-text draft, or empty. Resolves with its id.
   */
  createDoc(options?: {
    draft?: Draft;
    text?: string;
    title?: string;
    id?: string;
  }): Promise<string>;
  /** Store an invitation for `spec` and sign a token for it. */
  mintToken(spec: TokenSpec): Promise<string>;
  /** Stop the server (storing every room); removes the data directory if it made it. */
  stop(): Promise<void>;
}

/**
 * Start a server on port 0. `dataDir` reuses a store (e.g. to test a restart); `guard`
 * replaces the default observer guard; other options pass through to `createServer`.
 * Logs are silent unless PARLEY_TEST_LOG names a pino level.
 */
export async function startServer(
  options: { dataDir?: string; guard?: UpdateGuard } & ServerOptions = {},
): Promise<TestServer> {
  const ownDir = !options.dataDir && !options.store;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "parley-test-")));
  const server = await createServer({
    staticDir: null,
    secret: "a test secret that is long enough for HS256 signing",
    logger: pino({ level: process.env.PARLEY_TEST_LOG ?? "silent" }),
    ...options,
    dataDir,
  });
  const port = await server.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    server,
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    dataDir,
    adminToken: await server.tokens.signAdmin(),
    async createDoc(doc = {}) {
      return (await createNegotiation(server.store, doc)).id;
    },
    async mintToken(spec) {
      const { invitation } = await createInvitation(server.store, server.tokens, spec);
      return server.tokens.sign(
        identityOf(invitation),
        spec.expiresAt ?? new Date(Date.now() + 86_400_000),
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
