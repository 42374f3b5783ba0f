// Repeated runs of a fan-out cell: the order they run in, and how their measurements make
// the cell's figures. One run's p99 over a few hundred edits swings by an order of magnitude
// between identical runs on a small VM, so a cell is measured several times and reported by
// the median of each metric, with the runs kept beside it.

import type { FanoutCell, FanoutRun } from "./fanout.ts";
import type { FanoutMeasurement } from "./load.ts";
import type { ServerName } from "./peers.ts";
import { describeInvalid, type LatencySummary } from "./stats.ts";

/** One run to make: a cell of the grid against one server, the `repeat`th time (from 0). */
export interface PlannedRun {
  readonly server: ServerName;
  readonly connections: number;
  readonly rate: number;
  readonly repeat: number;
}

/**
 * Every run of a plan, in the order they are made: cell by cell, and within a cell run 1 of
 * every server, then run 2 of every server, and so on, so that whatever drifts on the
 * machine during a cell (a neighbour's load, thermal state) falls on all servers alike.
 */
export function runOrder(
  servers: readonly ServerName[],
  connections: readonly number[],
  rates: readonly number[],
  repeats: number,
): PlannedRun[] {
  const order: PlannedRun[] = [];
  for (const c of connections) {
    for (const rate of rates) {
      for (let repeat = 0; repeat < repeats; repeat++) {
        for (const server of servers) order.push({ server, connections: c, rate, repeat });
      }
    }
  }
  return order;
}

/** How many valid runs a cell of `runs` runs needs to count as valid: two, or all if fewer. */
export function validRunsNeeded(runs: number): number {
  return Math.min(2, runs);
}

/** The median of the finite values, NaN when there are none. */
export const medianOf = (values: readonly number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const maxOf = (values: readonly number[]): number =>
  values.reduce((a, b) => (Number.isFinite(b) && !(b <= a) ? b : a), Number.NaN);

/**
 * The figures of several runs' measurements: the median of each metric on its own (so a
 * cell's p50 and p99 may come from different runs), except what was lost — undelivered
 * edits and deliveries, receivers lost — which is the worst run's. Throws a `RangeError` for
 * no measurements.
 */
export function combineMeasurements(list: readonly FanoutMeasurement[]): FanoutMeasurement {
  if (list.length === 0) throw new RangeError("No measurements to combine");
  const median = (pick: (m: FanoutMeasurement) => number) => medianOf(list.map(pick));
  const worst = (pick: (m: FanoutMeasurement) => number) => maxOf(list.map(pick));
  const latency = (pick: (l: LatencySummary) => number) => median((m) => pick(m.latency));
  return {
    connected: median((m) => m.connected),
    synced: median((m) => m.synced),
    connectErrors: list.flatMap((m) => m.connectErrors).slice(0, 5),
    connectMs: median((m) => m.connectMs),
    editsMeasured: median((m) => m.editsMeasured),
    achievedRate: median((m) => m.achievedRate),
    latency: {
      count: latency((l) => l.count),
      p50: latency((l) => l.p50),
      p95: latency((l) => l.p95),
      p99: latency((l) => l.p99),
      max: latency((l) => l.max),
    },
    undeliveredEdits: worst((m) => m.undeliveredEdits),
    undeliveredDeliveries: worst((m) => m.undeliveredDeliveries),
    receiversLost: worst((m) => m.receiversLost),
    serverCoreShare: median((m) => m.serverCoreShare),
    serverCpuMsPerEdit: median((m) => m.serverCpuMsPerEdit),
    serverPeakRss: median((m) => m.serverPeakRss),
    loadGeneratorShare: median((m) => m.loadGeneratorShare),
    deliveriesPerSecond: median((m) => m.deliveriesPerSecond),
    othersOnServerCore: median((m) => m.othersOnServerCore),
    othersOnLoadCore: median((m) => m.othersOnLoadCore),
    // Results written before steal was recorded have none: keep it absent, not NaN.
    ...(list.every((m) => m.stolenOnServerCore !== undefined && m.stolenOnLoadCore !== undefined)
      ? {
          stolenOnServerCore: median((m) => m.stolenOnServerCore as number),
          stolenOnLoadCore: median((m) => m.stolenOnLoadCore as number),
        }
      : {}),
  };
}

/** Why one run is not a server result, as a sentence; null when it is one. */
function runProblem(run: FanoutRun): string | null {
  if (run.error) return `error: ${run.error.split("\n")[0]}`;
  if (!run.measurement) return "no measurement";
  return run.invalid ? describeInvalid(run.invalid) : null;
}

/**
 * A cell from its runs (each a one-run cell of the same server and grid point). The cell is
 * valid with at least `validRunsNeeded` valid runs, and then reports the combination of the
 * valid runs; otherwise it is invalid (`tooFewValidRuns`, naming each invalid run's reason)
 * and reports the combination of every run that measured anything, shown but not compared.
 * When no run measured anything the cell carries the first run's error. Every run is kept in
 * `runs`. Throws a `RangeError` for no runs.
 */
export function combineRuns(runs: readonly FanoutCell[]): FanoutCell {
  const first = runs[0];
  if (!first) throw new RangeError("A cell needs at least one run");
  const kept: FanoutRun[] = runs.map((r) => ({
    measurement: r.measurement,
    invalid: r.invalid,
    error: r.error,
    wallMs: r.wallMs,
  }));
  const base = {
    server: first.server,
    connections: first.connections,
    rate: first.rate,
    typers: first.typers,
    wallMs: kept.reduce((sum, r) => sum + r.wallMs, 0),
    runs: kept,
  };
  const measured = kept.filter((r) => r.measurement !== null);
  if (measured.length === 0) {
    return { ...base, measurement: null, invalid: null, error: first.error ?? "no measurement" };
  }
  const valid = measured.filter((r) => runProblem(r) === null);
  const enough = valid.length >= validRunsNeeded(kept.length);
  const from = enough ? valid : measured;
  const measurement = combineMeasurements(from.map((r) => r.measurement as FanoutMeasurement));
  if (enough) return { ...base, measurement, invalid: null, error: null };
  // One run alone keeps its own reason: a quick run reads as it did before repeats.
  if (kept.length === 1) return { ...base, measurement, invalid: first.invalid, error: null };
  return {
    ...base,
    measurement,
    invalid: {
      kind: "tooFewValidRuns",
      valid: valid.length,
      runs: kept.length,
      reasons: kept.map(runProblem).filter((p): p is string => p !== null),
    },
    error: null,
  };
}
