// Parley and the peers taking turns in one window (bench/turns.ts) in RESULTS.md: each
// server's p99 and CPU per edit run by run, Parley's ratio to the better peer as a geometric
// mean over the runs with a 95% interval, and which cells that judges for the parity target.

import type { FanoutCell } from "./fanout.ts";
import { parityServers, peerNames, type ServerName } from "./peers.ts";
import { validRunsNeeded } from "./repeats.ts";
import {
  cpu,
  eachRunText,
  fmt,
  labels,
  type Metric,
  medianOfRuns,
  type PairedRatio,
  p99,
  pairedRatio,
  ratioFigure,
  sustained,
} from "./report-cells.ts";
import type { BenchResults } from "./results.ts";
import type { ParityCell, ParityRun } from "./turns.ts";

const cellOf = (run: ParityRun, server: ServerName): FanoutCell | undefined =>
  run.cells.find((c) => c.server === server);

/** One server's measurement in each run of a cell. */
const runsOf = (cell: ParityCell, server: ServerName) =>
  cell.runs.map((run) => cellOf(run, server));

/** Parley ÷ the better peer on one metric, from a cell's runs taking turns. */
export interface TurnsParity {
  /** The peer with the lower geometric mean over the runs that count; null with none. */
  readonly peer: ServerName | null;
  /** The logarithm of Parley's figure ÷ that peer's, for each run that counts. */
  readonly logs: readonly number[];
  /** Their geometric mean and its interval; null with fewer than two runs. */
  readonly ratio: PairedRatio | null;
}

/**
 * The runs of a cell that say something about parity on `metric`: those where Parley and
 * both peers were valid, delivered every edit and have the figure.
 */
function countingRuns(cell: ParityCell, metric: Metric): Map<ServerName, number>[] {
  return cell.runs.flatMap((run) => {
    const values = new Map<ServerName, number>();
    for (const server of parityServers) {
      const v = sustained(cellOf(run, server), metric);
      if (v === null || !(v > 0)) return [];
      values.set(server, v);
    }
    return [values];
  });
}

/**
 * Parley ÷ the better peer on `metric` at one cell taking turns. The better peer is the one
 * whose runs have the lower geometric mean, chosen once for the cell (picking the lower of
 * the two in every run would favour the peers: the minimum of two noisy figures is lower than
 * either's typical one).
 */
export function turnsParity(cell: ParityCell, metric: Metric): TurnsParity {
  const runs = countingRuns(cell, metric);
  if (runs.length === 0) return { peer: null, logs: [], ratio: null };
  const logMean = (peer: ServerName) =>
    runs.reduce((sum, r) => sum + Math.log(r.get(peer) as number), 0) / runs.length;
  const peer = peerNames.reduce((a, b) => (logMean(b) < logMean(a) ? b : a));
  const logs = runs.map((r) => Math.log((r.get("parley") as number) / (r.get(peer) as number)));
  return { peer, logs, ratio: pairedRatio(logs) };
}

/** The ratio the verdict rests on: the geometric mean, or the one run's ratio. */
export function parityRatio(p: TurnsParity): number | null {
  if (p.ratio) return p.ratio.ratio;
  return p.logs.length === 1 ? Math.exp(p.logs[0] as number) : null;
}

/** Whether both peers were valid in a run and delivered every edit. */
const peersKept = (run: ParityRun): boolean =>
  peerNames.every((peer) => sustained(cellOf(run, peer), p99) !== null);

/** One cell taking turns, as the parity target reads it. */
export interface TurnsParityVerdict {
  readonly connections: number;
  readonly rate: number;
  /** Whether both peers sustained the cell: valid with every edit delivered in enough runs (as a cell of the grid needs). */
  readonly peersSustain: boolean;
  readonly p99: TurnsParity;
  readonly cpu: TurnsParity;
  /** Runs of Parley's, among those where both peers sustained the cell, that lost edits. */
  readonly parleyLost: number;
}

export function turnsParityVerdicts(results: BenchResults): TurnsParityVerdict[] {
  return (results.parity?.cells ?? []).map((cell) => ({
    connections: cell.connections,
    rate: cell.rate,
    peersSustain: cell.runs.filter(peersKept).length >= validRunsNeeded(cell.runs.length),
    p99: turnsParity(cell, p99),
    cpu: turnsParity(cell, cpu),
    parleyLost: cell.runs.filter((run) => {
      const parley = cellOf(run, "parley");
      return peersKept(run) && !parley?.invalid && (parley?.measurement?.undeliveredEdits ?? 0) > 0;
    }).length,
  }));
}

/** A parity ratio with its interval when it has one: "1.12 (0.95–1.31)", or "1.003". */
function parityFigure(p: TurnsParity): string {
  const r = parityRatio(p);
  if (r === null) return "–";
  return `${ratioFigure(r)}${p.ratio ? ` (${p.ratio.low.toFixed(2)}–${p.ratio.high.toFixed(2)})` : ""}`;
}

/** "p99 1.12 (0.95–1.31) against Hocuspocus", for a target's text. */
export function turnsParityText(name: string, p: TurnsParity): string {
  const against = p.peer ? ` against ${labels[p.peer]}` : "";
  return `${name} ${parityFigure(p)}${against}`;
}

const ratioCell = (p: TurnsParity): string => {
  const r = parityRatio(p);
  if (r === null) return "–";
  return `${parityFigure(p)}${r > 1 ? " ✗" : ""}${p.peer ? ` vs ${shortLabels[p.peer]}` : ""}`;
};

const shortLabels: Partial<Record<ServerName, string>> = {
  "y-websocket": "reference",
  hocuspocus: "Hocuspocus",
};

export function paritySection(results: BenchResults): string[] {
  const parity = results.parity;
  if (!parity || parity.cells.length === 0) return [];
  const servers = ["y-websocket", "hocuspocus", "parley"] as const satisfies readonly ServerName[];
  const seconds = (ms: number) => fmt(ms / 1000, ms % 1000 ? 1 : 0);
  const lines = [
    "### Parley and the peers, taking turns in one window",
    "",
    `Parley, the reference server and Hocuspocus run at once, all on the server core, each with its own typers and receivers in the one load generator; their typers take turns of ${parity.turnMs} ms, one server's typing while the others' rest, through a warm-up of ${seconds(parity.warmupMs)} s and a window of ${seconds(parity.measureMs)} s, so each server is typed at for a third of each: as long as in a run of the grid. ` +
      "Whatever the machine does during the window falls on all three alike, turn after turn, where the grid's runs, one after the other, each meet it at a different moment. The order rotates from run to run. " +
      'Sharing the core also means sharing its caches: each server\'s edits meet caches the others have used since, which costs most the server whose edit touches the most memory (measured on 2026-12-05: Parley at the low rates, see "Why the low rates miss taking turns" in the notes). ' +
      "A run counts when all three measurements are valid and delivered every edit; invalid ones are in parentheses. The ratio is Parley's ÷ the better peer's (the peer with the lower geometric mean over the runs that count), the geometric mean of the runs' ratios with its 95% interval; ✗ marks one above 1. CPU per edit is each process's over the whole window, the other servers' turns included.",
    "",
    `| connections | edits/s | ${servers.map((s) => `p99 ${labels[s]}, each run, ms`).join(" | ")} | p99 Parley ÷ better peer (95% interval) | ${servers.map((s) => `CPU ms/edit ${labels[s]}`).join(" | ")} | CPU Parley ÷ better peer (95% interval) |`,
    `| ---: | ---: | ${servers.map(() => "---:").join(" | ")} | ---: | ${servers.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const cell of parity.cells) {
    lines.push(
      `| ${cell.connections} | ${cell.rate} | ${servers.map((s) => eachRunText(runsOf(cell, s), p99, 1)).join(" | ")} | ${ratioCell(turnsParity(cell, p99))} | ${servers.map((s) => fmt(medianOfRuns(runsOf(cell, s), cpu), 3)).join(" | ")} | ${ratioCell(turnsParity(cell, cpu))} |`,
    );
  }
  return [...lines, ""];
}
