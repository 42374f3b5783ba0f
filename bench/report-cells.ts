// Reading one run's fan-out cells for RESULTS.md: labels and number formats, a run's metrics,
// which cells and runs count (valid, everything delivered), and ratios estimated from runs
// side by side. Shared by the report (report.ts) and its sections on the checks' cost
// (report-checks.ts) and on Parley and the peers taking turns (report-parity.ts).

import type { FanoutCell, FanoutRun } from "./fanout.ts";
import type { ServerName } from "./peers.ts";
import { medianOf } from "./repeats.ts";
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

/**
 * A ratio judged against 1, to two decimals, or three when two would read 1.00 for a ratio
 * that is not 1 (a "1.00 ✗" would not say why it is marked).
 */
export const ratioFigure = (r: number): string =>
  r !== 1 && r.toFixed(2) === "1.00" ? r.toFixed(3) : r.toFixed(2);

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

/**
 * One server's figure in each of its runs taking turns: "5.1 / 6.3 / 4.0", a run that was
 * invalid or lost edits in parentheses, a failed one as "error".
 */
export function eachRunText(
  runs: readonly (FanoutRun | undefined)[],
  metric: Metric,
  digits: number,
): string {
  return runs
    .map((r) => {
      if (!r || r.error || !r.measurement) return "error";
      const v = fmt(metric(r), digits);
      return r.invalid || r.measurement.undeliveredEdits > 0 ? `(${v})` : v;
    })
    .join(" / ");
}

/** The median of the metric over those of `runs` that are valid and delivered everything. */
export function medianOfRuns(runs: readonly (FanoutRun | undefined)[], metric: Metric): number {
  return medianOf(runs.map((run) => sustained(run, metric)).filter((v): v is number => v !== null));
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

/** Two-sided 95% quantiles of Student's t, for 1 to 30 degrees of freedom. */
const studentT95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

/** The two-sided 95% quantile of Student's t with `df` degrees of freedom (df ≥ 1). */
function studentT(df: number): number {
  if (df <= 30) return studentT95[df - 1] as number;
  return df <= 60 ? 2.0 : df <= 120 ? 1.98 : 1.96;
}

/** A ratio estimated from pairs of runs: their geometric mean and its 95% interval. */
export interface PairedRatio {
  /** Pairs of runs behind the estimate. */
  readonly pairs: number;
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
}

/** The geometric mean of the ratios whose logarithms are `logs`, with Student's t interval. */
export function pairedRatio(logs: readonly number[]): PairedRatio | null {
  const n = logs.length;
  if (n < 2) return null;
  const mean = logs.reduce((sum, x) => sum + x, 0) / n;
  const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
  const half = (studentT(n - 1) * sd) / Math.sqrt(n);
  return {
    pairs: n,
    ratio: Math.exp(mean),
    low: Math.exp(mean - half),
    high: Math.exp(mean + half),
  };
}

export const pooledText = (p: PairedRatio, of = "pairs of runs"): string =>
  `${p.ratio.toFixed(2)}, 95% interval ${p.low.toFixed(2)}–${p.high.toFixed(2)}, ${p.pairs} ${of}`;
