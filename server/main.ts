import { pathToFileURL } from "node:url";
import { pino } from "pino";
import { ensureDemo } from "./documents.ts";
import { observerGuard } from "./guard.ts";
import { invitationLink } from "./http.ts";
import { createPermissionGuard } from "./permissions/index.ts";
import { createServer, type ParleyServer } from "./server.ts";

// The server as a process: configuration from the environment, the demo negotiation on first
// start, invitation links on stdout (logs go to stderr as JSON lines), and a clean stop on
// SIGTERM or SIGINT. `npm start` runs this after building the client; the integration tests
// spawn it directly to kill it.
//
//   PORT          port to listen on (default 8080; 0 picks a free one)
//   HOST          interface to bind (default all)
//   PARLEY_DATA   directory of the SQLite store (default ./data)
//   PARLEY_SECRET token secret (default: generated on first start and kept in the store)
//   PARLEY_DEMO   "0" to skip seeding the demo negotiation
//   PARLEY_DURABILITY  "full" (default: a commit survives a power cut) or "normal" (it
//                 survives the process being killed, not the machine; much faster on slow disks)
//   PARLEY_LOG_LEVEL  pino level (default info)
//   PARLEY_CHECKS "off" to enforce only the observers' read-only rule instead of the full
//                 permission table of DESIGN §5 (the benchmark measures what the checks cost)

const demoDraft = new URL("../fixtures/field-office-tor.zh.txt", import.meta.url);

/** Start the server as configured by the environment; resolves once it listens. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<ParleyServer> {
  const logger = pino(
    { name: "parley", level: env.PARLEY_LOG_LEVEL ?? "info" },
    pino.destination({ dest: 2, sync: true }),
  );
  const durability = env.PARLEY_DURABILITY === "normal" ? "normal" : "full";
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
