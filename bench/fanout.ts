// One fan-out cell from the orchestrator's side: a fresh server on the server core, a load
// generator on the other core, the load generator's measurement read back, both stopped.

import { childProgram } from "./entries.ts";
import type { FanoutJob, FanoutMeasurement } from "./load.ts";
import type { ServerName } from "./peers.ts";
import { loadCore, loadNodeFlags, serverCore, spawnNode } from "./procs.ts";
import { startServer } from "./servers.ts";
import { type CellLoad, type InvalidReason, invalidReason } from "./stats.ts";
import { typersFor } from "./workload.ts";

/** The shape of one cell. */
export interface FanoutSpec {
  readonly connections: number;
  readonly rate: number;
  readonly typers: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly drainMs: number;
}

/** One run of a cell: a measurement, or the error that prevented one. */
export interface FanoutRun {
  readonly measurement: FanoutMeasurement | null;
  /** Why the numbers are not a server result (see `invalidReason`); null when they are. */
  readonly invalid: InvalidReason | null;
  /** Why the run could not be measured at all; null when it was. */
  readonly error: string | null;
  readonly wallMs: number;
}

/**
 * A cell's outcome. `measurement`, `invalid` and `error` are the cell's figures: those of its
 * one run, or, for a repeated cell, their combination (see repeats.ts `combineRuns`), with
 * every run kept in `runs`. Results files from before repeats have no `runs`.
 */
export interface FanoutCell extends FanoutRun {
  readonly server: ServerName;
  readonly connections: number;
  readonly rate: number;
  readonly typers: number;
  readonly runs?: readonly FanoutRun[];
}

/**
 * A measurement as the load generator printed it. JSON has no NaN and writes it as null (a
 * cell where no edit reached every receiver has no latency quantiles); every number of a
 * measurement is read back as a number, NaN for null, so that arithmetic on it cannot throw.
 * Throws a `SyntaxError` for text that is not JSON.
 */
export function parseMeasurement(json: string): FanoutMeasurement {
  return JSON.parse(json, (_key, value: unknown) =>
    value === null ? Number.NaN : value,
  ) as FanoutMeasurement;
}
const resultLine = /^RESULT (.*)$/m;

/**
 * What the invalid-run rule (stats.ts `invalidReason`) looks at in a measurement of a cell
 * at `targetRate` edits/s with `wanted` connections. Steal missing (results written before
 * it was recorded) counts as none.
 */
export function cellLoad(m: FanoutMeasurement, targetRate: number, wanted: number): CellLoad {
  return {
    loadGeneratorShare: m.loadGeneratorShare,
    targetRate,
    achievedRate: m.achievedRate,
    connected: m.connected,
    wanted,
    othersOnServerCore: m.othersOnServerCore,
    othersOnLoadCore: m.othersOnLoadCore,
    stolenOnServerCore: m.stolenOnServerCore ?? 0,
    stolenOnLoadCore: m.stolenOnLoadCore ?? 0,
  };
}

/**
 * Measure one run of a cell against `server`, with a fresh server. Never rejects: a server that does not start or a load
 * generator that fails gives a cell with `error` set, so one broken server does not end the
 * whole run.
 */
export async function runCell(
  server: ServerName,
  spec: FanoutSpec,
  scratch: string,
): Promise<FanoutCell> {
  const started = performance.now();
  const typers = typersFor(spec.typers, spec.rate);
  const base = { server, connections: spec.connections, rate: spec.rate, typers };
  let running: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    running = await startServer(server, { typers, scratch });
    const job: FanoutJob = {
      endpoint: running.endpoint,
      serverPid: running.child.pid,
      connections: spec.connections,
      typers,
      rate: spec.rate,
      warmupMs: spec.warmupMs,
      measureMs: spec.measureMs,
      drainMs: spec.drainMs,
      serverCore,
      loadCore,
    };
    const load = spawnNode(loadCore, [
      ...loadNodeFlags(),
      ...(await childProgram("load")),
      JSON.stringify(job),
    ]);
    const limit = spec.warmupMs + spec.measureMs + spec.drainMs + 90_000;
    let match: RegExpMatchArray;
    try {
      match = await load.waitFor(resultLine, limit);
    } finally {
      await load.stop();
    }
    const measurement = parseMeasurement(match[1] as string);
    return {
      ...base,
      measurement,
      invalid: invalidReason(cellLoad(measurement, spec.rate, spec.connections)),
      error: null,
      wallMs: performance.now() - started,
    };
  } catch (error) {
    return {
      ...base,
      measurement: null,
      invalid: null,
      error: (error as Error).message.slice(0, 600),
      wallMs: performance.now() - started,
    };
  } finally {
    await running?.stop();
  }
}
