import { pathToFileURL } from "node:url";
import { pino } from "pino";
import { ensureDemo } from "./documents.ts";
import { observerGuard } from "./guard.ts";
import { invitationLink } from "./http.ts";
import { createPermissionGuard } from "./permissions/index.ts";
import { createServer, type ParleyServer } from "./server.ts";
import type { Durability } from "./sqlite-store.ts";

// The server as a process: configuration from the environment, the demo negotiation on first
// start, invitation links on stdout (logs go to stderr as JSON lines), and a clean stop on
// SIGTERM or SIGINT. `npm start` builds the client, bundles this (scripts/build-server.ts)
// and runs the bundle; the integration tests spawn it directly to kill it.
//
//   PORT          port to listen on (default 8080; 0 picks a free one)
//   HOST          interface to bind (default all)
//   PARLEY_DATA   directory of the SQLite store (default ./data)
//   PARLEY_SECRET token secret (default: generated on first start and kept in the store)
//   PARLEY_DEMO   "0" to skip seeding the demo negotiation
//   PARLEY_DURABILITY  when an edit reaches the disk; in every mode it survives the process
//                 being killed. "interval" (default): synced by a background thread within
//                 about 100 ms; "full": synced before it is relayed (an fsync per commit on the
//                 event loop); "normal": only when SQLite next checkpoints on its own
//   PARLEY_LOG_LEVEL  pino level (default info)
//   PARLEY_CHECKS "off" to enforce only the observers' read-only rule instead of the full
//                 permission table of DESIGN §5 (the benchmark measures what the checks cost)

const demoDraft = new URL("../fixtures/field-office-tor.zh.txt", import.meta.url);

/** The durability named by PARLEY_DURABILITY; throws a RangeError naming a value it is not. */
function durabilityOf(value: string | undefined): Durability {
  if (value === undefined || value === "") return "interval";
  if (value === "interval" || value === "full" || value === "normal") return value;
  throw new RangeError(`PARLEY_DURABILITY must be interval, full or normal, not ${value}`);
}

/** Start the server as configured by the environment; resolves once it listens. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<ParleyServer> {
  const logger = pino(
    { name: "parley", level: env.PARLEY_LOG_LEVEL ?? "info" },
    pino.destination({ dest: 2, sync: true }),
  );
  const durability = durabilityOf(env.PARLEY_DURABILITY);
  const guard = env.PARLEY_CHECKS === "off" ? observerGuard : createPermissionGuard();
  const server = await createServer({
    dataDir: env.PARLEY_DATA ?? "data",
    logger,
    durability,
    guard,
  });
  const port = await server.listen(Number(env.PORT ?? 8080), env.HOST || undefined);
  const base = `http://localhost:${port}`;
  const out: string[] = [`Parley is listening on ${base}`];
  if (env.PARLEY_DEMO !== "0") {
    const demo = await ensureDemo(server.store, server.tokens, demoDraft);
    out.push(
      "",
      `Demo negotiation ${demo.docId}${demo.created ? " (seeded now)" : ""}; open one link per participant:`,
    );
    for (const { invitation, token } of demo.invitations) {
      const who = invitation.onBehalfOf
        ? `${invitation.party} on behalf of ${invitation.onBehalfOf}`
        : invitation.party;
      out.push(`  ${who} (${invitation.role}): ${invitationLink(base, demo.docId, token)}`);
    }
  }
  out.push("", `Administrator token (HTTP API): ${await server.tokens.signAdmin()}`, "");
  process.stdout.write(`${out.join("\n")}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    server.log.info({ signal }, "stopping");
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.log.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
