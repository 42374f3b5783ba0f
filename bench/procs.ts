// Child processes of the benchmark: each server and each load generator runs in its own
// process pinned to its own core, and every child is killed when the benchmark ends, however
// it ends (normal exit, an exception, Ctrl-C).

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** The line a server hosted by serve.ts prints when it accepts connections. */
export const listeningLine = /^LISTENING (\d+)$/m;

/** The core servers run on. */
export const serverCore = 0;
/** The core load generators run on. */
export const loadCore = 1;

/** Whether this process runs child program `name` (entries.ts bundles them): serve or load. */
export function runsProgram(name: "serve" | "load"): boolean {
  return new RegExp(`[/\\\\]${name}\\.(ts|mjs)$`).test(process.argv[1] ?? "");
}

const children = new Set<ChildProcess>();
let hooksInstalled = false;

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

let tasksetChecked: boolean | null = null;

/** Whether `taskset` (util-linux) is available; without it children run unpinned. */
export function canPin(): boolean {
  if (tasksetChecked === null) {
    tasksetChecked = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  }
  return tasksetChecked;
}

/**
 * Pin every thread of this process to `core` (when `taskset` is available) and return a
 * function that gives them back the cores they had. The large-drafts scenario runs its
 * clients in this process, so they would otherwise share the server's core while it loads.
 */
export function pinSelf(core: number): () => void {
  if (!canPin()) return () => {};
  const shown = spawnSync("taskset", ["-p", String(process.pid)], { encoding: "utf8" });
  const mask = /affinity mask:\s*([0-9a-f]+)/i.exec(shown.stdout ?? "")?.[1];
  if (shown.status !== 0 || !mask) return () => {};
  const pinned = spawnSync("taskset", ["-a", "-p", "-c", String(core), String(process.pid)]);
  if (pinned.status !== 0) return () => {};
  return () => {
    spawnSync("taskset", ["-a", "-p", mask, String(process.pid)]);
  };
}

const stopGraceMs = 3000;

/**
 * Extra node flags for server children, from BENCH_SERVER_NODE_FLAGS (for example
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a server spends its time).
 */
export function serverNodeFlags(): string[] {
  return (process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter(Boolean);
}

/** Extra node flags for load generators, from BENCH_LOAD_NODE_FLAGS (as for servers). */
export function loadNodeFlags(): string[] {
  return (process.env.BENCH_LOAD_NODE_FLAGS ?? "").split(" ").filter(Boolean);
}

/** A running child process and what it has printed. */
export interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with the first match of `pattern` in the child's stdout; rejects when the
   * child exits first or after `timeoutMs`, with the tail of its stderr in the message.
   */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name) once the child has ended. */
  exited(): Promise<number | string>;
  /** Stop the child (SIGTERM, then SIGKILL after 3 s) and wait for it to end. */
  stop(): Promise<void>;
}

/**
 * Start `node <args>` pinned to `core`, with `env` added to this process's environment.
 * The child is killed when this process exits.
 */
export function spawnNode(
  core: number,
  args: readonly string[],
  env: Record<string, string> = {},
): Child {
  installHooks();
  const command = canPin() ? "taskset" : process.execPath;
  const argv = canPin() ? ["-c", String(core), process.execPath, ...args] : [...args];
  const child = spawn(command, argv, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    // Keep only the tail: a crashing server can print a lot.
    err = (err + chunk.toString()).slice(-4000);
  });
  const exit = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? "unknown");
      for (const l of listeners) l();
    });
  });
  if (child.pid === undefined) throw new Error(`Could not start node ${args.join(" ")}`);
  return {
    pid: child.pid,
    process: child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(
              new Error(`node ${args.join(" ")} exited before printing ${pattern}: ${err.trim()}`),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `node ${args.join(" ")} printed no ${pattern} within ${timeoutMs} ms: ${err.trim()}`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM first so a child run with --cpu-prof can write its profile; SIGKILL if it
      // does not end promptly.
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), stopGraceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * A free TCP port on 127.0.0.1, for a server that cannot be told to listen on port 0 and
 * report its port (the reference server's bin). The port is released before it is returned,
 * so another process could take it in between; on loopback in a quiet benchmark it does not.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
