// Reading one run's fan-out cells for RESULTS.md: labels and number formats, a run's metrics,
// and which cells and runs count (valid, everything delivered). Shared by the report
// (report.ts) and its section on the checks' cost (report-checks.ts).

import type { FanoutCell, FanoutRun } from "./fanout.ts";
import type { ServerName } from "./peers.ts";
import type { BenchResults } from "./results.ts";

export const labels: Record<ServerName, string> = {
  "y-websocket": "y-websocket (reference)",
  hocuspocus: "Hocuspocus",
  parley: "Parley",
  "parley-nochecks": "Parley, checks off",
};

export const fmt = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);

export const mb = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined || !Number.isFinite(bytes)
    ? "–"
    : (bytes / 2 ** 20).toFixed(1);

/** A metric of a run, NaN when the run has none. */
export type Metric = (run: FanoutRun) => number;
export const p99: Metric = (run) => run.measurement?.latency.p99 ?? Number.NaN;
export const cpu: Metric = (run) => run.measurement?.serverCpuMsPerEdit ?? Number.NaN;

/** A cell's (or run's) value only when it is a valid server result with everything delivered. */
export function sustained(cell: FanoutRun | undefined, pick: Metric): number | null {
  if (!cell?.measurement || cell.invalid || cell.error) return null;
  if (cell.measurement.undeliveredEdits > 0) return null;
  return pick(cell);
}

/** Parley against the better peer on one metric at one cell. */
export interface Parity {
  /** Parley's figure ÷ the better peer's; null unless both sustained the cell. */
  readonly ratio: number | null;
  /**
   * Whether the range of Parley's valid runs meets the better peer's: the verdict then rests
   * on medians of runs that disagree. Null when either cell has fewer than two such runs.
   */
  readonly overlap: boolean | null;
}

/** The metric over a cell's valid runs that delivered everything. */
export function runValues(cell: FanoutCell, metric: Metric): number[] {
  return (cell.runs ?? [])
    .map((run) => sustained(run, metric))
    .filter((v): v is number => v !== null && Number.isFinite(v));
}

/**
 * Whether the range of one cell's valid runs meets the other's on `metric`; null when either
 * has fewer than two such runs.
 */
export function runsOverlap(a: FanoutCell, b: FanoutCell, metric: Metric): boolean | null {
  const ours = runValues(a, metric);
  const theirs = runValues(b, metric);
  if (ours.length < 2 || theirs.length < 2) return null;
  return Math.min(...ours) <= Math.max(...theirs) && Math.min(...theirs) <= Math.max(...ours);
}

export function grid(results: BenchResults): { connections: number; rate: number }[] {
  const seen = new Map<string, { connections: number; rate: number }>();
  for (const c of results.fanout)
    seen.set(`${c.connections}/${c.rate}`, { connections: c.connections, rate: c.rate });
  return [...seen.values()].sort((a, b) => a.connections - b.connections || a.rate - b.rate);
}

export function find(results: BenchResults, server: ServerName, connections: number, rate: number) {
  return results.fanout.find(
    (c) => c.server === server && c.connections === connections && c.rate === rate,
  );
}
