// The plug-in point for Parley's own server. Parley runs as it ships: the embedded SQLite
// store with its default durability, signed tokens checked at the upgrade against stored
// invitations, and the permission guard; `parley-nochecks` swaps the guard for the plain
// observer rule to show what the checks cost.
//
// The orchestrator half (`startParleyServer`) spawns `serve.ts parley …` on the server core;
// the child half (`startParleyForBench`) builds the server, seeds its store, mints the tokens
// and prints them, then listens.

import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Durability } from "../server/sqlite-store.ts";
import { childProgram } from "./entries.ts";
import type { Endpoint, ServerName } from "./peers.ts";
import { listeningLine, serverCore, serverNodeFlags, spawnNode } from "./procs.ts";
import type { RunningServer, StartOptions } from "./servers.ts";
import { fanoutSeed, typerParty } from "./workload.ts";

/** The tokens a child minted, by document: one per typer, one for every receiver. */
interface MintedTokens {
  readonly [docName: string]: { readonly typers: readonly string[]; readonly receiver: string };
}

const tokensLine = /^TOKENS (.*)$/m;
const startTimeoutMs = 60_000;
// A fixed secret: the benchmark's tokens are minted in the child and never leave loopback.
const benchSecret = "parley benchmark secret, long enough for HS256 signing";

function option(args: readonly string[], name: string): string | null {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? null) : null;
}

/**
 * Start Parley (`name` is "parley" or "parley-nochecks") in a pinned child with a fresh
 * store in `options.scratch`, seeded with the fan-out draft for `options.typers` typers as
 * `docName`, or with `options.draft` under each of its document names. Rejects when the
 * child does not report its tokens and port within a minute.
 */
export async function startParleyServer(
  name: ServerName,
  options: StartOptions,
  docName: string,
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(options.scratch, `${name}-`));
  const docs = options.draft ? options.draft.docNames : [docName];
  const args = [
    ...serverNodeFlags(),
    ...(options.draft ? ["--expose-gc"] : []),
    ...(await childProgram("serve")),
    name,
    "--data",
    dataDir,
    "--docs",
    docs.join(","),
    "--typers",
    String(options.typers),
    ...(options.draft ? ["--draft", options.draft.file] : []),
  ];
  const child = spawnNode(serverCore, args, {
    PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? "info",
  });
  let port: number;
  let tokens: MintedTokens;
  try {
    port = Number((await child.waitFor(listeningLine, startTimeoutMs))[1]);
    tokens = JSON.parse((await child.waitFor(tokensLine, 1000))[1] as string) as MintedTokens;
  } catch (error) {
    await child.stop();
    throw error;
  }
  const endpointFor = (doc: string): Endpoint => {
    const minted = tokens[doc];
    if (!minted) throw new RangeError(`The Parley child minted no tokens for ${doc}`);
    return {
      server: name,
      port,
      dialect: "y-websocket",
      docName: doc,
      receiverPath: `/ws/${encodeURIComponent(doc)}?token=${encodeURIComponent(minted.receiver)}`,
      providerUrl: `ws://127.0.0.1:${port}/ws`,
      providerParams: {},
      typerTokens: minted.typers,
      receiverToken: minted.receiver,
      seededByServer: true,
    };
  };
  return {
    name,
    child,
    endpoint: endpointFor(docs[0] as string),
    endpointFor,
    stop: () => child.stop(),
  };
}

/**
 * Inside the server child: build Parley on the store in `--data`, seed each document of
 * `--docs` (from `--draft`, else with the fan-out draft for `--typers` typers), mint a
 * delegation token per typer and an observer token for receivers, print them as one
 * `TOKENS` line, listen on 127.0.0.1, and resolve with the port. Throws when an option is
 * missing.
 */
export async function startParleyForBench(options: {
  checks: boolean;
  args: readonly string[];
}): Promise<number> {
  const { pino } = await import("pino");
  const { createServer } = await import("../server/server.ts");
  const { createInvitation, identityOf } = await import("../server/documents.ts");
  const { observerGuard } = await import("../server/guard.ts");
  const { createPermissionGuard } = await import("../server/permissions/index.ts");
  const { openSqliteStore } = await import("../server/sqlite-store.ts");
  // "memory" is not a durability of the shipped store but a throwaway ":memory:" database:
  // the same SQLite statements with no file, WAL or sync worker behind them.
  const isMode = (value: string): value is Durability | "memory" =>
    value === "interval" || value === "full" || value === "normal" || value === "memory";
  const dataDir = option(options.args, "--data");
  const docs = option(options.args, "--docs")?.split(",") ?? [];
  const typers = Number(option(options.args, "--typers") ?? "4");
  const draftFile = option(options.args, "--draft");
  if (!dataDir || docs.length === 0)
    throw new RangeError("serve.ts parley needs --data and --docs");
  // The store the server would open itself (same file, default durability), opened here only
  // to time a load from the moment the store is asked until the room is ready (`onLoad`).
  // BENCH_PARLEY_DURABILITY=full, normal or memory measures another durability mode
  // (diagnosis only; results are committed with the shipped default, "interval").
  const mode = process.env.BENCH_PARLEY_DURABILITY;
  if (mode !== undefined && !isMode(mode)) {
    throw new RangeError(`BENCH_PARLEY_DURABILITY must be interval, full, normal or memory`);
  }
  const memory = mode === "memory";
  const durability = memory ? undefined : mode;
  const dbPath = join(dataDir, "parley.db");
  const initial = draftFile ? new Uint8Array(readFileSync(draftFile)) : fanoutSeed(typers);
  // Seed the documents through a connection of their own, closed (which checkpoints the WAL
  // into the database) before the server opens the store: a server then loads a draft from a
  // store at rest, as after a restart, not while its sync worker is still copying the
  // megabytes just written (four copies of the 200-page draft pass the WAL growth that
  // brings a checkpoint forward, and the worker shares the server's core).
  // A ":memory:" store is seeded and then served as it is: closing it would lose it.
  const seeding = openSqliteStore(memory ? ":memory:" : dbPath, "normal");
  for (const doc of docs) {
    await seeding.createDocument(
      { id: doc, title: doc, createdAt: new Date().toISOString() },
      initial,
    );
  }
  if (!memory) await seeding.close();
  const store = memory ? seeding : openSqliteStore(dbPath, durability);
  const loadStarted = new Map<string, number>();
  // The store's methods are closures over its database, so copying them keeps them working.
  const timedStore: typeof store = {
    ...store,
    loadDocument(id: string) {
      loadStarted.set(id, performance.now());
      return store.loadDocument(id);
    },
  };
  const server = await createServer({
    store: timedStore,
    hooks: {
      onLoad: ({ room }) => {
        const started = loadStarted.get(room);
        if (started !== undefined) {
          process.stdout.write(`LOADED ${room} ${performance.now() - started}\n`);
        }
      },
    },
    secret: benchSecret,
    guard: options.checks ? createPermissionGuard() : observerGuard,
    staticDir: null,
    logger: pino(
      { name: "parley", level: process.env.PARLEY_LOG_LEVEL ?? "info" },
      pino.destination({ dest: 2, sync: false }),
    ),
  });
  const expiresAt = new Date(Date.now() + 86_400_000);
  const minted: Record<string, { typers: string[]; receiver: string }> = {};
  for (const doc of docs) {
    const typerTokens: string[] = [];
    for (let i = 0; i < typers; i++) {
      const { invitation } = await createInvitation(server.store, server.tokens, {
        docId: doc,
        party: typerParty(i),
        role: "delegation",
      });
      typerTokens.push(await server.tokens.sign(identityOf(invitation), expiresAt));
    }
    const { invitation } = await createInvitation(server.store, server.tokens, {
      docId: doc,
      party: "Observer",
      role: "observer",
    });
    minted[doc] = {
      typers: typerTokens,
      receiver: await server.tokens.sign(identityOf(invitation), expiresAt),
    };
  }
  const port = await server.listen(0, "127.0.0.1");
  process.stdout.write(`TOKENS ${JSON.stringify(minted)}\n`);
  return port;
}
