import { describe, expect, it } from "vitest";
import type { DraftServerResult } from "../../bench/drafts.ts";
import { cellLoad, type FanoutCell } from "../../bench/fanout.ts";
import type { FanoutMeasurement } from "../../bench/load.ts";
import type { ServerName } from "../../bench/peers.ts";
import { combineRuns } from "../../bench/repeats.ts";
import { renderResults } from "../../bench/report.ts";
import { invalidReason } from "../../bench/stats.ts";
import type { TurnsRun } from "../../bench/turns.ts";
import { cell, measurement, results, runs } from "../bench-fixtures.ts";

/**
 * Parley's cell of three runs, p99s `first` and `last` around a middle run (p99 `middle`) whose
 * load generator saturated its core, which makes that run invalid.
 */
function aroundSaturatedRun(first: number, middle: number, last: number): FanoutCell {
  return combineRuns([
    cell("parley", measurement(first)),
    cell("parley", measurement(middle, { loadGeneratorShare: 0.95 })),
    cell("parley", measurement(last)),
  ]);
}

/** RESULTS.md for a 200-page drafts run of Parley alone, its figures changed by `over`. */
function draftReport(over: Partial<DraftServerResult>): string {
  const server: DraftServerResult = {
    server: "parley",
    loadMs: 200,
    firstOpenMs: 300,
    receiveMs: 80,
    memoryPerDraft: 40 * 2 ** 20,
    rssPerDraft: 50 * 2 ** 20,
    memoryInUsePerDraft: 40 * 2 ** 20,
    rssInUsePerDraft: 50 * 2 ** 20,
    firstEditMs: 50,
    othersOnServerCore: 0,
    error: null,
    ...over,
  };
  const shape = {
    pages: 200,
    blocks: 1700,
    brackets: 5000,
    maxDepth: 4,
    parties: 50,
    chairAlternatives: 50,
    updateBytes: 4_000_000,
    buildMs: 700,
    builtWith: "test",
  };
  return renderResults({ ...results([]), drafts: { shape, servers: [server], codecs: [] } }, []);
}

/** The p99 comparison table's row for 50 connections at 100 edits/s. */
function p99Row(markdown: string): string {
  const table = markdown.slice(markdown.indexOf("### p99 latency"));
  return table.split("\n").find((line) => line.startsWith("| 50 | 100 |")) ?? "";
}

describe("RESULTS.md", () => {
  it("Parley's ratio is to the better of the peers", () => {
    const md = renderResults(
      results([
        cell("y-websocket", measurement(8)),
        cell("hocuspocus", measurement(4)),
        cell("parley", measurement(2)),
      ]),
      [],
    );
    expect(p99Row(md).endsWith("| 0.50 |")).toBe(true);
  });

  it("a peer cell whose load generator saturated is shown invalid and left out of the ratio", () => {
    const md = renderResults(
      results([
        cell("y-websocket", measurement(1, { loadGeneratorShare: 0.95 })),
        cell("hocuspocus", measurement(4)),
        cell("parley", measurement(2)),
      ]),
      [],
    );
    const row = p99Row(md);
    expect([
      row.includes("invalid (load generator at 95% of its core)"),
      row.endsWith("| 0.50 |"),
    ]).toEqual([true, true]);
  });

  it("a peer cell the hypervisor stole from is invalid, and the steal is shown", () => {
    const md = renderResults(
      results([
        cell("y-websocket", measurement(1, { stolenOnServerCore: 0.09 })),
        cell("hocuspocus", measurement(4)),
        cell("parley", measurement(2)),
      ]),
      [],
    );
    const every = md.slice(md.indexOf("### Every cell"));
    expect([
      p99Row(md).includes("invalid (the hypervisor took 9% of the server's core)"),
      p99Row(md).endsWith("| 0.50 |"),
      every.includes("| 2% / 2% (steal 9% / 1%) |"),
      md.includes("the hypervisor took over 5%"),
    ]).toEqual([true, true, true, true]);
  });

  it("results without steal figures render without them", () => {
    const old = (m: ReturnType<typeof measurement>) => {
      const { stolenOnServerCore: _s, stolenOnLoadCore: _l, ...rest } = m;
      return rest;
    };
    const md = renderResults(
      results([
        cell("y-websocket", old(measurement(8))),
        cell("hocuspocus", old(measurement(4))),
        cell("parley", old(measurement(2))),
      ]),
      [],
    );
    expect([md.includes("steal"), md.includes("hypervisor")]).toEqual([false, false]);
  });

  it("a ratio above 1 is flagged", () => {
    const md = renderResults(
      results([
        cell("y-websocket", measurement(2)),
        cell("hocuspocus", measurement(4)),
        cell("parley", measurement(3)),
      ]),
      [],
    );
    expect(p99Row(md).endsWith("| 1.50 ✗ |")).toBe(true);
  });

  it("a ratio whose runs overlap the better peer's says so, in the table and the target", () => {
    const md = renderResults(
      results([
        runs("y-websocket", [2, 4.5, 3]),
        runs("hocuspocus", [8, 9, 10]),
        runs("parley", [4, 3.5, 6]),
      ]),
      [],
    );
    const target = md.split("\n").find((l) => l.includes("at every cell both peers sustain")) ?? "";
    expect([p99Row(md).endsWith("| 1.33 ✗ (runs overlap) |"), target]).toEqual([
      true,
      expect.stringContaining("50×100 (p99 1.33, runs overlap)"),
    ]);
  });

  it("a ratio whose runs lie apart from the better peer's carries no overlap note", () => {
    const md = renderResults(
      results([
        runs("y-websocket", [2, 2.5, 3]),
        runs("hocuspocus", [8, 9, 10]),
        runs("parley", [4, 3.5, 6]),
      ]),
      [],
    );
    expect(p99Row(md).endsWith("| 1.60 ✗ |")).toBe(true);
  });

  describe("the sustains targets", () => {
    /** A cell at 1000 connections and 400 edits/s. */
    const heavy = (server: ServerName, p99: number, undeliveredEdits = 0): FanoutCell => {
      const m = measurement(p99, { connected: 1000, achievedRate: 400, undeliveredEdits });
      return {
        ...cell(server, m),
        connections: 1000,
        rate: 400,
        invalid: invalidReason(cellLoad(m, 400, 1000)),
      };
    };
    const target = (fanout: FanoutCell[]): string =>
      renderResults(results(fanout), [])
        .split("\n")
        .find((l) => l.includes("Parley sustains 1000 connections")) ?? "";

    it("with no peer sustaining the cell, Parley is held to the p99 the issue quotes", () => {
      const collapsed = [heavy("y-websocket", 6000, 3000), heavy("hocuspocus", 7000, 3500)];
      expect([
        target([...collapsed, heavy("parley", 28.9)]),
        target([...collapsed, heavy("parley", 14)]),
      ]).toEqual([
        expect.stringMatching(/^- \*\*missed\*\*: .*1\.93 × the 15 ms the issue quotes/),
        expect.stringMatching(/^- met: .*0\.93 × the 15 ms the issue quotes/),
      ]);
    });

    it("a peer that sustains the cell in the run is the bar instead", () => {
      const peers = [heavy("y-websocket", 6000, 3000), heavy("hocuspocus", 30)];
      expect(target([...peers, heavy("parley", 28.9)])).toMatch(
        /^- met: .*0\.96 × the better peer/,
      );
    });
  });

  describe("the cost of the checks", () => {
    /** RESULTS.md for both peers at 50 × 100 and Parley's cells with checks and without. */
    const withParleyCells = (cells: FanoutCell[]): string =>
      renderResults(
        {
          ...results([runs("y-websocket", [2, 2, 2]), runs("hocuspocus", [2, 2, 2]), ...cells]),
          servers: ["y-websocket", "hocuspocus", "parley", "parley-nochecks"],
        },
        [],
      );
    const withChecksOff = (on: number[], off: number[]): string =>
      withParleyCells([runs("parley", on), runs("parley-nochecks", off)]);
    /** The 50 × 100 row of the checks' cost table. */
    const costRow = (md: string) =>
      md
        .slice(md.indexOf("### Cost of the permission checks"))
        .split("\n")
        .find((l) => l.startsWith("| 50 | 100 |")) ?? "";
    const costTarget = (md: string) =>
      md.split("\n").find((l) => l.includes("Permission checks cost at most 20%")) ?? "";

    it("a cell's ratio of medians over 1.2 says whether its runs overlap", () => {
      const md = withChecksOff([6, 7, 8], [5, 5.5, 6.5]);
      expect(costRow(md)).toContain("| 7.0 | 5.5 | 1.27 (runs overlap) |");
      expect(costTarget(md)).toContain("over 1.2 at 50×100 1.27, runs overlap).");
    });

    it("runs that lie apart carry no overlap note", () => {
      const md = withChecksOff([7, 8, 9], [5, 5.5, 6]);
      expect(costRow(md)).toContain("| 8.0 | 5.5 | 1.45 |");
      expect(costTarget(md)).toMatch(/over 1\.2 at 50×100 1\.45\)\.$/);
    });

    // Pairs 7/5, 8/5.5, 9/6: logarithms 0.336, 0.375, 0.405; mean 0.372, sd 0.0345, t 4.303.
    it("is missed when the pooled interval lies wholly over 1.2", () => {
      expect(costTarget(withChecksOff([7, 8, 9], [5, 5.5, 6]))).toBe(
        "- **missed**: Permission checks cost at most 20% on p99 (pooled 1.45, 95% interval " +
          "1.33–1.58, 3 pairs of runs; cells whose own pairs lie over 1.2: 50×100 1.45 (1.33–1.58); " +
          "the worst cell's ratio of medians 1.45; over 1.2 at 50×100 1.45).",
      );
    });

    it("is met when the pooled interval lies wholly at or under 1.2", () => {
      const md = withChecksOff([5.2, 5.4, 6.6], [5, 5.5, 6.5]);
      expect(costTarget(md)).toMatch(/^- met: .*\(pooled 1\.01, 95% interval 0\.94–1\.09, 3 pairs/);
    });

    it("is not settled when the pooled interval straddles 1.2", () => {
      const md = withChecksOff([5, 6, 9], [5, 5.5, 6.5]);
      expect(costTarget(md)).toMatch(/^- \*\*not settled\*\*: .*95% interval 0\.75–1\.74/);
    });

    it("pairs each run with the run made beside it, so swings between rounds cancel", () => {
      // The runs span four times over between rounds; each pair differs by at most 3%.
      const md = withChecksOff([5, 10, 20], [4.9, 10.2, 19.5]);
      expect(costTarget(md)).toMatch(/^- met: .*\(pooled 1\.01, 95% interval 0\.95–1\.07, 3 pairs/);
    });

    it("is missed when one cell's own pairs lie over 1.2, though the pool is within it", () => {
      const at = (rate: number, c: FanoutCell): FanoutCell => ({ ...c, rate });
      const neutral = [100, 400, 1000, 2000].flatMap((rate) => [
        at(rate, runs("parley", [5.2, 5.4, 6.6])),
        at(rate, runs("parley-nochecks", [5, 5.5, 6.5])),
      ]);
      const md = withParleyCells([
        ...neutral,
        at(50, runs("parley", [7, 8, 9])),
        at(50, runs("parley-nochecks", [5, 5.5, 6])),
      ]);
      expect(costTarget(md)).toMatch(
        /^- \*\*missed\*\*: .*\(pooled 1\.09, 95% interval 1\.00–1\.18, 15 pairs of runs; cells whose own pairs lie over 1\.2: 50×50 1\.45 \(1\.33–1\.58\);/,
      );
    });

    it("leaves out a pair whose run is invalid, and pools pairs from every cell", () => {
      const on = aroundSaturatedRun(7, 50, 9);
      const at200 = (c: FanoutCell): FanoutCell => ({ ...c, connections: 200 });
      const md = withParleyCells([
        on,
        runs("parley-nochecks", [5, 5.5, 6]),
        at200(runs("parley", [8])),
        at200(runs("parley-nochecks", [5.5])),
      ]);
      expect(costTarget(md)).toContain("(pooled 1.45, 95% interval 1.33–1.58, 3 pairs of runs;");
    });
  });

  describe("the cost of the checks, taking turns", () => {
    /** A run taking turns at 200 × 400 whose two measurements have p99s `on` and `off`. */
    const turn = (on: number, off: number, over: Partial<FanoutMeasurement> = {}): TurnsRun => ({
      checksOn: { ...cell("parley", measurement(on, over)), connections: 200, rate: 400 },
      checksOff: { ...cell("parley-nochecks", measurement(off)), connections: 200, rate: 400 },
      first: "on",
    });
    /** RESULTS.md with the grid's pairs at 50 × 100 and runs taking turns at 200 × 400. */
    const withTurns = (grid: [number[], number[]], turns: TurnsRun[]): string =>
      renderResults(
        {
          ...results([
            runs("y-websocket", [2, 2, 2]),
            runs("hocuspocus", [2, 2, 2]),
            runs("parley", grid[0]),
            runs("parley-nochecks", grid[1]),
          ]),
          servers: ["y-websocket", "hocuspocus", "parley", "parley-nochecks"],
          turns: {
            turnMs: 250,
            warmupMs: 10_000,
            measureMs: 12_000,
            cells: [{ connections: 200, rate: 400, runs: turns }],
          },
        },
        [],
      );
    const costTarget = (md: string) =>
      md.split("\n").find((l) => l.includes("Permission checks cost at most 20%")) ?? "";
    /** The grid's pairs at 50 × 100 with no cost at all. */
    const evenGrid: [number[], number[]] = [
      [5, 5, 5],
      [5, 5, 5],
    ];
    /** Turns 5.2/5, 5.4/5.5, 6.6/6.5: the same pairs as the grid's "met" case, 1.01 (0.94–1.09). */
    const turnsWithin = () => [turn(5.2, 5), turn(5.4, 5.5), turn(6.6, 6.5)];
    const turnsRow = (md: string) =>
      md
        .slice(md.indexOf("### Cost of the permission checks, taking turns"))
        .split("\n")
        .find((l) => l.startsWith("| 200 | 400 |")) ?? "";

    it("judges the target by the runs taking turns when the run has them", () => {
      const md = withTurns(
        [
          [5, 6, 9],
          [5, 5.5, 6.5],
        ],
        turnsWithin(),
      );
      expect(costTarget(md)).toMatch(
        /^- met: Permission checks cost at most 20% on p99 \(taking turns in one window, pooled 1\.01, 95% interval 0\.94–1\.09, 3 runs; by runs one after the other, pooled 1\.15, 95% interval 0\.75–1\.74/,
      );
    });

    it("is missed when the runs taking turns lie wholly over 1.2", () => {
      const md = withTurns(
        [
          [5.2, 5.4, 6.6],
          [5, 5.5, 6.5],
        ],
        [turn(7, 5), turn(8, 5.5), turn(9, 6)],
      );
      expect(costTarget(md)).toMatch(
        /^- \*\*missed\*\*: .*pooled 1\.45, 95% interval 1\.33–1\.58, 3 runs; cells whose own runs lie over 1\.2: 200×400 1\.45 \(1\.33–1\.58\);/,
      );
    });

    it("is still missed when a cell of the grid's own pairs lies over 1.2", () => {
      const md = withTurns(
        [
          [7, 8, 9],
          [5, 5.5, 6],
        ],
        turnsWithin(),
      );
      expect(costTarget(md)).toMatch(
        /^- \*\*missed\*\*: .*cells whose own pairs lie over 1\.2: 50×100/,
      );
    });

    it("shows each run's p99s, leaves out a run with an invalid measurement, and pools the rest", () => {
      const md = withTurns(evenGrid, [
        turn(5.2, 5),
        turn(40, 5.5, { loadGeneratorShare: 0.95 }),
        turn(6.6, 6.5),
      ]);
      expect(turnsRow(md)).toContain("| 5.2 / (40.0) / 6.6 | 5.0 / 5.5 / 6.5 | 1.03 (0.88–1.20) |");
      expect(costTarget(md)).toContain("pooled 1.03, 95% interval 0.88–1.20, 2 runs;");
    });

    it("a cell with one run counted shows its ratio without an interval", () => {
      const md = withTurns(evenGrid, [turn(6, 5)]);
      expect(turnsRow(md)).toContain("| 6.0 | 5.0 | 1.20 |");
    });
  });

  it("a Parley cell with undelivered edits has no ratio and shows what was lost", () => {
    const md = renderResults(
      results([
        cell("y-websocket", measurement(2)),
        cell("hocuspocus", measurement(4)),
        cell("parley", measurement(1, { undeliveredEdits: 7 })),
      ]),
      [],
    );
    const row = p99Row(md);
    expect([row.includes("(7 undelivered)"), row.endsWith("| – |")]).toEqual([true, true]);
  });

  it("the every-cell table shows each run's p99 next to the median, invalid runs in parentheses", () => {
    const combined = aroundSaturatedRun(5.1, 90, 6.3);
    const md = renderResults(results([combined]), []);
    const row = md.split("\n").find((l) => l.startsWith("| Parley | 50 | 100 |")) ?? "";
    expect(row.includes("| 5.7 | 5.1 / (90.0) / 6.3 |")).toBe(true);
  });

  it("a cell stored without runs (an older results file) still renders", () => {
    const md = renderResults(results([cell("parley", measurement(5))]), []);
    const row = md.split("\n").find((l) => l.startsWith("| Parley | 50 | 100 |")) ?? "";
    expect(row.includes("| 5.0 | – |")).toBe(true);
  });

  it("states how runs were combined when a cell was measured several times", () => {
    const md = renderResults(
      { ...results([]), method: { repeats: 3, warmupMs: 5000, measureMs: 6000, drainMs: 2000 } },
      [],
    );
    expect([
      md.includes("measured 3 times per server"),
      md.includes("5 s warm-up"),
      md.includes("median of each metric over its valid runs"),
      md.includes("at least 2 valid runs"),
    ]).toEqual([true, true, true, true]);
  });

  it("says a results file from before repeats had one run per cell", () => {
    expect(
      renderResults(results([]), []).includes(
        "measured once, with a fresh server, after a 1 s warm-up",
      ),
    ).toBe(true);
  });

  it("the memory target is judged on the draft in use, not merely loaded", () => {
    const md = draftReport({
      memoryInUsePerDraft: 80 * 2 ** 20,
      rssInUsePerDraft: 90 * 2 ** 20,
      firstEditMs: 1000,
    });
    const target = md.split("\n").find((l) => l.includes("50 MB of server memory")) ?? "";
    expect([
      target.startsWith("- **missed**"),
      target.includes("80.0 MB"),
      md.includes("| 1000.0 |"),
    ]).toEqual([true, true, true]);
  });

  it("draft timings taken while the hypervisor stole from the server are not judged", () => {
    const md = draftReport({ loadMs: 450, othersOnServerCore: 0.1, stolenOnServerCore: 0.09 });
    const line = (text: string) => md.split("\n").find((l) => l.includes(text)) ?? "";
    expect([
      line("loaded by the server from its store").startsWith("- not measured"),
      line("loaded by the server from its store").includes("the hypervisor took 9% of its core"),
      line("received by a new client").startsWith("- not measured"),
      line("50 MB of server memory").startsWith("- met"),
      md.includes("| 10% (steal 9%) | disturbed: the hypervisor took 9% of its core |"),
    ]).toEqual([true, true, true, true, true]);
  });

  it("names the machine and the command to reproduce", () => {
    const md = renderResults(results([]), ["A note."]);
    expect([
      md.includes("2 cores"),
      md.includes("v20.20.0"),
      md.includes("npm run bench"),
      md.includes("- A note."),
    ]).toEqual([true, true, true, true]);
  });
});
