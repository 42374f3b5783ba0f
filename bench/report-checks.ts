// The permission checks' cost in RESULTS.md: Parley's p99 with checks ÷ without, from the
// grid's pairs of runs (made one right after the other) and from the runs where the two take
// turns in one window (bench/turns.ts), each as a geometric mean with a 95% interval, and the
// target's verdict from them.

import type { FanoutCell } from "./fanout.ts";
import {
  cpu,
  eachRunText,
  find,
  fmt,
  grid,
  medianOfRuns,
  type PairedRatio,
  type Parity,
  p99,
  pairedRatio,
  pooledText,
  runsOverlap,
  sustained,
} from "./report-cells.ts";
import type { BenchResults } from "./results.ts";
import type { TurnsCell } from "./turns.ts";

/** Parley with checks and without at one cell: their p99s and cells, and the p99 ratio. */
interface ChecksCost extends Parity {
  readonly on: FanoutCell | undefined;
  readonly off: FanoutCell | undefined;
  readonly p99On: number | null;
  readonly p99Off: number | null;
}

/** Parley's p99 with checks ÷ without at one cell, and whether their runs overlap. */
export function checksCostAt(results: BenchResults, connections: number, rate: number): ChecksCost {
  const on = find(results, "parley", connections, rate);
  const off = find(results, "parley-nochecks", connections, rate);
  const p99On = sustained(on, p99);
  const p99Off = sustained(off, p99);
  const figures = { on, off, p99On, p99Off };
  if (!on || !off || p99On === null || p99Off === null || !(p99Off > 0)) {
    return { ...figures, ratio: null, overlap: null };
  }
  return { ...figures, ratio: p99On / p99Off, overlap: runsOverlap(on, off, p99) };
}

/**
 * The logarithms of Parley's p99 with checks ÷ without, for every pair of runs made side by
 * side at one cell: run i with checks and run i without, which the harness makes one right
 * after the other (bench/repeats.ts), so a pair shares the machine's moment. A pair counts
 * when both runs are valid, delivered every edit and have a p99.
 */
function checksCostLogs(results: BenchResults, connections: number, rate: number): number[] {
  const on = find(results, "parley", connections, rate);
  const off = find(results, "parley-nochecks", connections, rate);
  const logs: number[] = [];
  (on?.runs ?? []).forEach((run, i) => {
    const a = sustained(run, p99);
    const b = sustained(off?.runs?.[i], p99);
    if (a !== null && b !== null && a > 0 && b > 0) logs.push(Math.log(a / b));
  });
  return logs;
}

/**
 * The checks' cost on p99 pooled over the pairs of runs of the whole grid. One run's p99
 * moves by tens of percent between identical runs, so a cell's three pairs cannot tell a 20%
 * cost from none; the pairs of a whole grid can. Null with fewer than two pairs.
 */
export function pooledChecksCost(results: BenchResults): PairedRatio | null {
  return pairedRatio(
    grid(results).flatMap(({ connections, rate }) => checksCostLogs(results, connections, rate)),
  );
}

/** The checks' cost on p99 from one cell's pairs of runs alone. */
export function cellChecksCost(
  results: BenchResults,
  connections: number,
  rate: number,
): PairedRatio | null {
  return pairedRatio(checksCostLogs(results, connections, rate));
}

/**
 * The logarithms of Parley's p99 with checks ÷ without for each run of a cell taking turns
 * whose two measurements are both valid, delivered every edit and have a p99.
 */
function turnsCostLogs(cell: TurnsCell): number[] {
  return cell.runs.flatMap(({ checksOn, checksOff }) => {
    const a = sustained(checksOn, p99);
    const b = sustained(checksOff, p99);
    return a !== null && b !== null && a > 0 && b > 0 ? [Math.log(a / b)] : [];
  });
}

/**
 * The checks' cost on p99 pooled over every run taking turns (bench/turns.ts); null when the
 * run has fewer than two such runs.
 */
export function turnsChecksCost(results: BenchResults): PairedRatio | null {
  return pairedRatio((results.turns?.cells ?? []).flatMap(turnsCostLogs));
}

export function checksCost(results: BenchResults): string[] {
  const both = results.servers.includes("parley") && results.servers.includes("parley-nochecks");
  if (!both || grid(results).length === 0) return [];
  const lines = [
    "### Cost of the permission checks (Parley p99 with checks ÷ without)",
    "",
    "| connections | edits/s | p99 checks on | p99 checks off | ratio of medians | paired runs (95% interval) | CPU ms/edit on | off |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const { connections, rate } of grid(results)) {
    const { on, off, p99On, p99Off, ratio, overlap } = checksCostAt(results, connections, rate);
    const ratioCell =
      ratio === null ? "–" : `${ratio.toFixed(2)}${overlap ? " (runs overlap)" : ""}`;
    lines.push(
      `| ${connections} | ${rate} | ${fmt(p99On)} | ${fmt(p99Off)} | ${ratioCell} | ${pairedCell(cellChecksCost(results, connections, rate))} | ${fmt(on?.measurement?.serverCpuMsPerEdit, 3)} | ${fmt(off?.measurement?.serverCpuMsPerEdit, 3)} |`,
    );
  }
  const pooled = pooledChecksCost(results);
  if (pooled) {
    lines.push(
      "",
      `Pooled over the grid (${pooledText(pooled)}): each run with checks divided by the run without them made right after it at the same cell, so that the pair shares the machine's moment; "paired runs" is the same for each cell's own pairs. A cell's ratio of medians is of ${results.method?.repeats ?? "a few"} runs each, and one run's p99 moves by tens of percent between identical runs. The target is judged by the pairs: missed when the pool's interval or one cell's lies wholly above 1.2, met when the pool's lies wholly at or under it, not settled otherwise.`,
    );
  }
  return [...lines, ""];
}

export function turnsSection(results: BenchResults): string[] {
  const turns = results.turns;
  if (!turns || turns.cells.length === 0) return [];
  const seconds = (ms: number) => fmt(ms / 1000, ms % 1000 ? 1 : 0);
  const lines = [
    "### Cost of the permission checks, taking turns in one window",
    "",
    `Parley with checks and Parley without them run at once, both on the server core, each with its own typers and receivers in the one load generator; their typers take turns of ${turns.turnMs} ms (one server's typers type while the other's rest) through a warm-up of ${seconds(turns.warmupMs)} s and a window of ${seconds(turns.measureMs)} s, so each server is typed at for half of each. ` +
      "Whatever the machine does during the window falls on both alike, turn after turn. A run counts when both its measurements are valid and delivered every edit; invalid ones are in parentheses. CPU per edit is over the whole window, the other server's turns included.",
    "",
    "| connections | edits/s | p99 checks on, each run, ms | p99 checks off, each run, ms | p99 ratio (95% interval) | CPU ms/edit on | off |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const cell of turns.cells) {
    const logs = turnsCostLogs(cell);
    const on = cell.runs.map((run) => run.checksOn);
    const off = cell.runs.map((run) => run.checksOff);
    lines.push(
      `| ${cell.connections} | ${cell.rate} | ${eachRunText(on, p99, 1)} | ${eachRunText(off, p99, 1)} | ${pairedCell(pairedRatio(logs), logs)} | ${fmt(medianOfRuns(on, cpu), 3)} | ${fmt(medianOfRuns(off, cpu), 3)} |`,
    );
  }
  const pooled = turnsChecksCost(results);
  if (pooled) lines.push("", `Pooled over every cell: ${pooledText(pooled, "runs taking turns")}.`);
  return [...lines, ""];
}

/**
 * A ratio and its interval; "–" without one, or the single ratio of `logs` when there is only
 * one (no interval from one pair).
 */
const pairedCell = (p: PairedRatio | null, logs: readonly number[] = []): string =>
  p
    ? `${p.ratio.toFixed(2)} (${p.low.toFixed(2)}–${p.high.toFixed(2)})`
    : logs.length === 1
      ? Math.exp(logs[0] as number).toFixed(2)
      : "–";

/**
 * The checks' target, judged by the runs taking turns when the run has them, else by the
 * grid's pairs of runs: missed when that pool's interval, or one cell's own (either way of
 * measuring), lies wholly above 1.2 (a cost that only some cells pay must not hide in the
 * pool); met when the pool's whole interval is at most 1.2; otherwise not settled by this run.
 */
export function checksTarget(results: BenchResults): {
  readonly ok: boolean | null | "unsettled";
  readonly text: string;
} {
  const costs = grid(results)
    .map((cell) => ({ ...cell, ...checksCostAt(results, cell.connections, cell.rate) }))
    .filter((c): c is typeof c & { ratio: number } => c.ratio !== null);
  const over = costs
    .filter((c) => c.ratio > 1.2)
    .sort((a, b) => b.ratio - a.ratio)
    .map(
      (c) => `${c.connections}×${c.rate} ${c.ratio.toFixed(2)}${c.overlap ? ", runs overlap" : ""}`,
    );
  const worst = costs.length ? Math.max(...costs.map((c) => c.ratio)).toFixed(2) : "–";
  const gridPooled = pooledChecksCost(results);
  const turnsPooled = turnsChecksCost(results);
  const pooled = turnsPooled ?? gridPooled;
  const costlyCells = grid(results)
    .map((cell) => ({ ...cell, cost: cellChecksCost(results, cell.connections, cell.rate) }))
    .filter((c): c is typeof c & { cost: PairedRatio } => c.cost !== null && c.cost.low > 1.2)
    .map((c) => `${c.connections}×${c.rate} ${pairedCell(c.cost)}`);
  const costlyTurns = (results.turns?.cells ?? [])
    .map((cell) => ({ ...cell, cost: pairedRatio(turnsCostLogs(cell)) }))
    .filter((c): c is typeof c & { cost: PairedRatio } => c.cost !== null && c.cost.low > 1.2)
    .map((c) => `${c.connections}×${c.rate} ${pairedCell(c.cost)}`);
  const gridText =
    `pooled ${gridPooled ? pooledText(gridPooled) : "–"}${costlyCells.length ? `; cells whose own pairs lie over 1.2: ${costlyCells.join("; ")}` : ""}` +
    `; the worst cell's ratio of medians ${worst}${over.length ? `; over 1.2 at ${over.join("; ")}` : ""}`;
  const turnsText = turnsPooled
    ? `taking turns in one window, pooled ${pooledText(turnsPooled, "runs")}${costlyTurns.length ? `; cells whose own runs lie over 1.2: ${costlyTurns.join("; ")}` : ""}; by runs one after the other, `
    : "";
  return {
    ok:
      pooled === null
        ? null
        : pooled.low > 1.2 || costlyCells.length > 0 || costlyTurns.length > 0
          ? false
          : pooled.high <= 1.2
            ? true
            : "unsettled",
    text: `Permission checks cost at most 20% on p99 (${turnsText}${gridText}).`,
  };
}
