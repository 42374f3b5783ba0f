import { describe, expect, it } from "vitest";
import type { FanoutMeasurement } from "../../bench/load.ts";
import type { ServerName } from "../../bench/peers.ts";
import { renderResults } from "../../bench/report.ts";
import { type ParityRun, parityOrder } from "../../bench/turns.ts";
import { cell, measurement, results, runs } from "../bench-fixtures.ts";

/** What one server measured in a run taking turns: p99 and CPU per edit, and anything else. */
interface Figures {
  readonly p99: number;
  readonly cpu: number;
  readonly over?: Partial<FanoutMeasurement>;
}

/** A run at 50 × 100 where Parley and the peers took turns. */
function turn(ref: Figures, hocuspocus: Figures, parley: Figures, repeat = 0): ParityRun {
  const of = (server: ServerName, f: Figures) =>
    cell(server, measurement(f.p99, { serverCpuMsPerEdit: f.cpu, ...f.over }));
  const order = parityOrder(repeat);
  const figures = { "y-websocket": ref, hocuspocus, parley } as Record<ServerName, Figures>;
  return { order, cells: order.map((s) => of(s, figures[s])) };
}

/** Figures the same in each run: p99 `p99`, CPU `cpu`. */
const even = (p99: number, cpu: number): Figures => ({ p99, cpu });

/** RESULTS.md with the grid at 50 × 100 as given and the runs taking turns there. */
function report(grid: Record<"ref" | "hocuspocus" | "parley", number[]>, turns: ParityRun[]) {
  const fanout = [
    runs("y-websocket", grid.ref),
    runs("hocuspocus", grid.hocuspocus),
    runs("parley", grid.parley),
  ];
  const parity = {
    turnMs: 25,
    warmupMs: 15_000,
    measureMs: 18_000,
    cells: turns.length ? [{ connections: 50, rate: 100, runs: turns }] : [],
  };
  return renderResults({ ...results(fanout), parity }, []);
}

const parityTarget = (md: string) =>
  md.split("\n").find((l) => l.includes("no worse than the better peer at every cell")) ?? "";

const turnsRow = (md: string) =>
  md
    .slice(md.indexOf("### Parley and the peers, taking turns"))
    .split("\n")
    .find((l) => l.startsWith("| 50 | 100 |")) ?? "";

/** A grid where Parley's p99 is twice the peers': missed, if the grid judged the cell. */
const gridParleyWorse = { ref: [5, 5, 5], hocuspocus: [6, 6, 6], parley: [10, 10, 10] };

describe("RESULTS.md: Parley and the peers taking turns", () => {
  it("judges a cell taken in turns by those runs, not by the grid's", () => {
    const md = report(gridParleyWorse, [
      turn(even(5, 1), even(6, 1.2), even(4.5, 0.9), 0),
      turn(even(6, 1), even(6, 1.2), even(5.4, 0.9), 1),
      turn(even(4, 1), even(6, 1.2), even(3.6, 0.9), 2),
    ]);
    expect(parityTarget(md)).toBe(
      "- met: p99 and CPU per edit no worse than the better peer at every cell both peers sustain (1 such cells. Taking turns in one window at 1: 0 missed. By the grid's runs at the other 0: 0 missed; 0 not measured validly for Parley).",
    );
  });

  it("without runs taking turns the grid judges the cell, as before", () => {
    expect(parityTarget(report(gridParleyWorse, []))).toMatch(
      /^- \*\*missed\*\*: .*\(1 such cells; 1 missed: 50×100 \(p99 2\.00\)/,
    );
  });

  it("is missed when Parley's CPU per edit is above the better peer's, naming the peer and the interval", () => {
    const md = report(gridParleyWorse, [
      turn(even(5, 1), even(5, 1.4), even(5, 1.5), 0),
      turn(even(5, 1.1), even(5, 1.4), even(5, 1.65), 1),
      turn(even(5, 1.2), even(5, 1.4), even(5, 1.8), 2),
    ]);
    expect(parityTarget(md)).toContain(
      "Taking turns in one window at 1: 1 missed: 50×100 (CPU 1.50 (1.50–1.50) against y-websocket (reference)).",
    );
    expect(turnsRow(md)).toContain(
      "| 1.00 (1.00–1.00) vs reference | 1.100 | 1.400 | 1.650 | 1.50 (1.50–1.50) ✗ vs reference |",
    );
  });

  it("picks the better peer once per cell, by the geometric mean over the runs", () => {
    // The reference server's p99s (2, 10, 2) have the lower geometric mean (3.4 against 4):
    // Parley's 3 ms against it gives 1.5, 0.3 and 1.5, 0.88 in all. Taking the lower peer run
    // by run (2, 4, 2) would make it 1.5, 0.75 and 1.5: worse than either peer, which it is not.
    const md = report(gridParleyWorse, [
      turn(even(2, 1), even(4, 1), even(3, 1), 0),
      turn(even(10, 1), even(4, 1), even(3, 1), 1),
      turn(even(2, 1), even(4, 1), even(3, 1), 2),
    ]);
    expect(turnsRow(md)).toContain(
      "| 2.0 / 10.0 / 2.0 | 4.0 / 4.0 / 4.0 | 3.0 / 3.0 / 3.0 | 0.88 (",
    );
    expect(turnsRow(md)).toMatch(/0\.88 \([\d.]+–[\d.]+\) vs reference/);
    expect(parityTarget(md)).toMatch(/^- met: /);
  });

  it("leaves out a run where any of the three was invalid, and shows it in parentheses", () => {
    const stolen = { stolenOnServerCore: 0.09 };
    const md = report(gridParleyWorse, [
      turn(even(5, 1), even(6, 1.2), even(4, 0.9), 0),
      turn(even(5, 1), { p99: 6, cpu: 1.2, over: stolen }, even(40, 3), 1),
      turn(even(5, 1), even(6, 1.2), even(4.5, 0.9), 2),
    ]);
    expect(turnsRow(md)).toContain("| 5.0 / 5.0 / 5.0 | 6.0 / (6.0) / 6.0 | 4.0 / 40.0 / 4.5 |");
    expect(parityTarget(md)).toMatch(/^- met: .*Taking turns in one window at 1: 0 missed/);
  });

  it("Parley losing edits in a run where both peers kept every one is a miss", () => {
    const md = report(gridParleyWorse, [
      turn(even(5, 1), even(6, 1.2), even(4, 0.9), 0),
      turn(even(5, 1), even(6, 1.2), { p99: 4, cpu: 0.9, over: { undeliveredEdits: 3 } }, 1),
      turn(even(5, 1), even(6, 1.2), even(4.5, 0.9), 2),
    ]);
    expect(parityTarget(md)).toContain("1 missed: 50×100 (edits lost in 1 run(s))");
  });

  it("a cell where a peer lost edits in turns is not one both peers sustain there: the grid judges it", () => {
    const lost = { undeliveredEdits: 12 };
    const md = report(gridParleyWorse, [
      turn(even(5, 1), { p99: 6, cpu: 1.2, over: lost }, even(4, 0.9), 0),
      turn(even(5, 1), { p99: 6, cpu: 1.2, over: lost }, even(4, 0.9), 1),
      turn(even(5, 1), even(6, 1.2), even(4, 0.9), 2),
    ]);
    expect(parityTarget(md)).toMatch(
      /^- \*\*missed\*\*: .*\(1 such cells; 1 missed: 50×100 \(p99 2\.00\)/,
    );
  });

  it("a ratio just over 1 shows a third decimal, so that its mark says why", () => {
    // One run that counts: no interval, and 3.71 ÷ 3.70 would read "1.00 ✗" to two decimals.
    const stolen = { stolenOnServerCore: 0.09 };
    const md = report(gridParleyWorse, [
      turn({ p99: 3.7, cpu: 1, over: stolen }, { p99: 4, cpu: 1, over: stolen }, even(4, 1), 0),
      turn(even(3.7, 1), even(4, 1.2), even(3.71, 0.9), 1),
    ]);
    expect(turnsRow(md)).toContain("| 1.003 ✗ vs reference |");
  });
});
