import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Role } from "../../../schema/registry.ts";
import { TokenIssuer } from "../../../server/tokens.ts";

// The sync server as a separate process (server/main.ts through tsx), for tests that stop it
// with a signal. The test knows the token secret, so it can act as the administrator over
// the HTTP API without reading the child's store.

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The secret every spawned test server signs its tokens with. */
export const processSecret = "a process test secret, long enough for HS256 signing";

/** A server running in a child process. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  /** Everything the process wrote to stderr so far (its JSON log lines). */
  stderr(): string;
  /** Send `signal`; resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /**
   * Create a negotiation over the HTTP API with one invitation per entry of `invite`;
   * resolves with its id and a token per invited party.
   */
  createDoc(
    invite: ReadonlyArray<{ party: string; role: Role }>,
    text?: string,
  ): Promise<{ id: string; tokens: Record<string, string> }>;
}

/** Start `server/main.ts` on a free port with the store in `dataDir`; resolves once it listens. */
export async function spawnServer(dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      PARLEY_DATA: dataDir,
      PARLEY_SECRET: processSecret,
      PARLEY_DEMO: "0",
      // The shipped default ("interval"), whose promise these tests check: a killed process
      // loses nothing it relayed.
      PARLEY_LOG_LEVEL: process.env.PARLEY_TEST_LOG ?? "warn",
      // These tests stress persistence with plain Y.Text edits, which the permission guard
      // rightly refuses as writes outside the draft; the guard has suites of its own.
      PARLEY_CHECKS: "off",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const match = /listening on http:\/\/localhost:(\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    void exited.then((code) =>
      reject(new Error(`server exited (${code}) before listening:\n${stderr}`)),
    );
  });
  const url = `http://127.0.0.1:${port}`;
  const admin = await new TokenIssuer(new TextEncoder().encode(processSecret)).signAdmin();
  return {
    child,
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    stderr: () => stderr,
    stop(signal) {
      child.kill(signal);
      return exited;
    },
    async createDoc(invite, text) {
      const response = await fetch(`${url}/api/docs`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({ invitations: invite, ...(text === undefined ? {} : { text }) }),
      });
      if (response.status !== 201) throw new Error(`create failed: ${await response.text()}`);
      const body = (await response.json()) as {
        id: string;
        invitations: Array<{ party: string; token: string }>;
      };
      return {
        id: body.id,
        tokens: Object.fromEntries(body.invitations.map((i) => [i.party, i.token])),
      };
    },
  };
}
