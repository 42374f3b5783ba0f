// The plug-in point for Parley's own server. Parley runs as it ships: SQLite store, signed
// tokens, permission checks (or, for the check-cost figure, only the observer rule).

import type { ServerName } from "./peers.ts";
import type { RunningServer, StartOptions } from "./servers.ts";

/** Raised when Parley's server cannot be started by the benchmark (not built yet, or broken). */
export class ParleyUnavailable extends Error {}

/** Start Parley in a pinned child process. Rejects with `ParleyUnavailable` until it exists. */
export async function startParleyServer(
  _name: ServerName,
  _options: StartOptions,
  _docName: string,
): Promise<RunningServer> {
  throw new ParleyUnavailable("Parley's server has no benchmark entry yet");
}

/** Inside the server child: start Parley and return its port. */
export async function startParleyForBench(_options: {
  checks: boolean;
  args: readonly string[];
}): Promise<number> {
  throw new ParleyUnavailable("Parley's server has no benchmark entry yet");
}
