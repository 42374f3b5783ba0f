// One fan-out cell from the orchestrator's side: a fresh server on the server core (or
// several, taking turns), a load generator on the other core, the load generator's
// measurements read back, all stopped.

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
 * The measurements as the load generator printed them, one per server of the cell. JSON has
 * no NaN and writes it as null (a cell where no edit reached every receiver has no latency
 * quantiles); every number of a measurement is read back as a number, NaN for null, so that
 * arithmetic on it cannot throw. Throws a `SyntaxError` for text that is not JSON, and a
 * `RangeError` for JSON that is not a list.
 */
export function parseMeasurements(json: string): FanoutMeasurement[] {
  const parsed: unknown = JSON.parse(json, (_key, value: unknown) =>
    value === null ? Number.NaN : value,
  );
  if (!Array.isArray(parsed)) throw new RangeError("The load generator did not print a list");
  return parsed as FanoutMeasurement[];
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
 * Measure one run of a cell against `server`, with a fresh server. Never rejects: a server
 * that does not start or a load generator that fails gives a cell with `error` set, so one
 * broken server does not end the whole run.
 */
export async function runCell(
  server: ServerName,
  spec: FanoutSpec,
  scratch: string,
): Promise<FanoutCell> {
  const [cell] = await runLanes([server], spec, scratch, 0);
  return cell as FanoutCell;
}

/**
 * Measure one run of a cell against each of `servers` at once, each a fresh server on the
 * server core with its own typers and receivers, taking turns of `turnMs` at typing (in the
 * order given; see bench/turns.ts). One cell per server, in that order. Never rejects: an
 * error gives every server's cell `error`.
 */
export async function runLanes(
  servers: readonly ServerName[],
  spec: FanoutSpec,
  scratch: string,
  turnMs: number,
): Promise<FanoutCell[]> {
  const started = performance.now();
  const typers = typersFor(spec.typers, spec.rate);
  const base = (server: ServerName) => ({
    server,
    connections: spec.connections,
    rate: spec.rate,
    typers,
  });
  const running: Awaited<ReturnType<typeof startServer>>[] = [];
  try {
    for (const server of servers) running.push(await startServer(server, { typers, scratch }));
    const job: FanoutJob = {
      lanes: running.map((r) => ({ endpoint: r.endpoint, serverPid: r.child.pid })),
      turnMs,
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
    const limit = spec.warmupMs + spec.measureMs + spec.drainMs + 90_000 * servers.length;
    let match: RegExpMatchArray;
    try {
      match = await load.waitFor(resultLine, limit);
    } finally {
      await load.stop();
    }
    const measurements = parseMeasurements(match[1] as string);
    if (measurements.length !== servers.length) {
      throw new RangeError(
        `The load generator measured ${measurements.length} servers, not ${servers.length}`,
      );
    }
    return servers.map((server, i) => {
      const measurement = measurements[i] as FanoutMeasurement;
      return {
        ...base(server),
        measurement,
        invalid: invalidReason(cellLoad(measurement, spec.rate, spec.connections)),
        error: null,
        wallMs: performance.now() - started,
      };
    });
  } catch (error) {
    return servers.map((server) => ({
      ...base(server),
      measurement: null,
      invalid: null,
      error: (error as Error).message.slice(0, 600),
      wallMs: performance.now() - started,
    }));
  } finally {
    for (const r of running) await r.stop();
  }
}
