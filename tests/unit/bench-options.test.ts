import { describe, expect, it } from "vitest";
import { buildBigDraft } from "../../bench/bigdraft.ts";
import {
  estimateDurationMs,
  fullPlan,
  parseArgs,
  quickPlan,
  takesParityTurns,
  takesTurns,
  turnWindow,
} from "../../bench/options.ts";
import { resultsFileName } from "../../bench/results.ts";
import { fanoutDraft } from "../../bench/workload.ts";
import { checkDraft } from "../../schema/draft.ts";

describe("the command line", () => {
  it("no options run the full grid of issue 7", () => {
    expect(parseArgs([])).toEqual(fullPlan);
  });

  it("--quick runs the quick plan", () => {
    expect(parseArgs(["--quick"])).toEqual(quickPlan);
  });

  it("narrowing the grid makes the run a custom one", () => {
    const plan = parseArgs(["--quick", "--connections", "20", "--rates", "100,400"]);
    expect([plan.mode, plan.connections, plan.rates]).toEqual(["custom", [20], [100, 400]]);
  });

  it("servers keep the canonical order whatever order they are named in", () => {
    expect(parseArgs(["--servers", "parley,y-websocket"]).servers).toEqual([
      "y-websocket",
      "parley",
    ]);
  });

  it("an unknown server is a RangeError", () => {
    expect(() => parseArgs(["--servers", "nginx"])).toThrow(RangeError);
  });

  it("a cell with no connection left for a receiver is a RangeError", () => {
    expect(() => parseArgs(["--connections", "4", "--typers", "4"])).toThrow(RangeError);
  });

  it("the full plan measures each cell three times after a 5 s warm-up", () => {
    expect([fullPlan.repeats, fullPlan.warmupMs]).toEqual([3, 5000]);
  });

  it("the quick plan measures each cell once", () => {
    expect(quickPlan.repeats).toBe(1);
  });

  it("--repeats sets the runs per cell and makes the run a custom one", () => {
    const plan = parseArgs(["--repeats", "2", "--warmup-ms", "1000"]);
    expect([plan.mode, plan.repeats, plan.warmupMs]).toEqual(["custom", 2, 1000]);
  });

  it("--repeats 0 is a RangeError", () => {
    expect(() => parseArgs(["--repeats", "0"])).toThrow(RangeError);
  });

  it("the quick plan is estimated to stay under two minutes", () => {
    expect(estimateDurationMs(quickPlan)).toBeLessThan(120_000);
  });

  it("the estimate counts every run: three runs take three times the fan-out of one", () => {
    const one = { ...fullPlan, repeats: 1, draftPages: 0, turnCells: [], parityCells: [] };
    expect(estimateDurationMs({ ...one, repeats: 3 })).toBe(3 * estimateDurationMs(one));
  });

  it("the estimate counts the runs taking turns, each twice a fan-out run's window", () => {
    const none = { ...fullPlan, fanout: false, draftPages: 0, turnCells: [], parityCells: [] };
    const one = { ...none, turnCells: [{ connections: 50, rate: 400 }], turnRepeats: 1 };
    expect(estimateDurationMs(none)).toBe(0);
    expect(estimateDurationMs({ ...one, turnRepeats: 3 })).toBe(3 * estimateDurationMs(one));
    expect(estimateDurationMs(one)).toBeGreaterThan(2 * (fullPlan.warmupMs + fullPlan.measureMs));
  });

  it("the estimate counts the runs of Parley and the peers taking turns, each three fan-out windows", () => {
    const none = { ...fullPlan, fanout: false, draftPages: 0, turnCells: [], parityCells: [] };
    const one = { ...none, parityCells: [{ connections: 50, rate: 100 }], turnRepeats: 1 };
    expect(estimateDurationMs({ ...one, turnRepeats: 3 })).toBe(3 * estimateDurationMs(one));
    expect(estimateDurationMs(one)).toBeGreaterThan(3 * (fullPlan.warmupMs + fullPlan.measureMs));
    expect(turnWindow(fullPlan, 3)).toEqual({ warmupMs: 15_000, measureMs: 18_000 });
  });

  it("an unknown option is a RangeError", () => {
    expect(() => parseArgs(["--fast"])).toThrow(RangeError);
  });
});

describe("the checks taking turns on the command line", () => {
  it("the full plan has Parley with checks and without take turns at five cells", () => {
    expect(takesTurns(fullPlan)).toBe(true);
    expect(fullPlan.turnCells.map((c) => `${c.connections}x${c.rate}`)).toEqual([
      "50x100",
      "50x400",
      "200x400",
      "200x1000",
      "1000x100",
    ]);
  });

  it("--only checks runs only them, --only fanout and --only drafts leave them out", () => {
    const checks = parseArgs(["--only", "checks"]);
    expect([checks.fanout, checks.draftPages, checks.turnCells]).toEqual([
      false,
      0,
      fullPlan.turnCells,
    ]);
    expect(checks.parityCells).toEqual([]);
    expect(parseArgs(["--only", "fanout"]).turnCells).toEqual([]);
    expect(parseArgs(["--only", "drafts"]).turnCells).toEqual([]);
    expect(() => parseArgs(["--only", "everything"])).toThrow(RangeError);
  });

  it("--turns names the cells as connections x rate", () => {
    const plan = parseArgs(["--turns", "200x400,1000x100", "--turn-repeats", "5"]);
    expect([plan.mode, plan.turnCells, plan.turnRepeats]).toEqual([
      "custom",
      [
        { connections: 200, rate: 400 },
        { connections: 1000, rate: 100 },
      ],
      5,
    ]);
  });

  it("a cell that is not connections x rate, or leaves no receiver, is a RangeError", () => {
    expect(() => parseArgs(["--turns", "200-400"])).toThrow(RangeError);
    expect(() => parseArgs(["--turns", "200x"])).toThrow(RangeError);
    expect(() => parseArgs(["--turns", "4x400", "--typers", "4"])).toThrow(RangeError);
    expect(() => parseArgs(["--turn-repeats", "0"])).toThrow(RangeError);
    expect(() => parseArgs(["--turn-ms", "0"])).toThrow(RangeError);
  });

  it("a run without both Parleys does not take turns", () => {
    expect(takesTurns(parseArgs(["--servers", "parley,y-websocket"]))).toBe(false);
    expect(takesTurns(parseArgs(["--servers", "parley,parley-nochecks"]))).toBe(true);
  });
});

describe("generated drafts", () => {
  it("the fan-out draft is a consistent draft", () => {
    expect(checkDraft(fanoutDraft(4))).toEqual([]);
  });

  it("a generated draft is consistent, nests to depth 4 and has positions from many parties", () => {
    const big = buildBigDraft({ pages: 4, seed: 11 });
    expect([checkDraft(big.draft), big.maxDepth, big.brackets, big.parties > 20]).toEqual([
      [],
      4,
      100,
      true,
    ]);
  });

  it("the same seed gives the same draft", () => {
    const a = buildBigDraft({ pages: 2, seed: 5 }).draft.doc.textContent;
    const b = buildBigDraft({ pages: 2, seed: 5 }).draft.doc.textContent;
    expect(a).toBe(b);
  });

  it("results files are named by their start time without colons", () => {
    expect(resultsFileName(new Date("2026-11-21T10:15:30.123Z"))).toBe("2026-11-21T10-15-30Z.json");
  });
});

describe("Parley and the peers taking turns on the command line", () => {
  it("the full plan has them take turns at five cells of the grid, the quick plan at one", () => {
    expect(takesParityTurns(fullPlan)).toBe(true);
    expect(fullPlan.parityCells.map((c) => `${c.connections}x${c.rate}`)).toEqual([
      "50x100",
      "50x400",
      "50x1000",
      "200x100",
      "200x400",
    ]);
    expect(quickPlan.parityCells).toEqual([{ connections: 200, rate: 400 }]);
  });

  it("--only parity runs only them; every other --only leaves them out", () => {
    const parity = parseArgs(["--only", "parity"]);
    expect([parity.fanout, parity.draftPages, parity.turnCells, parity.parityCells]).toEqual([
      false,
      0,
      [],
      fullPlan.parityCells,
    ]);
    for (const only of ["fanout", "checks", "drafts"]) {
      expect(parseArgs(["--only", only]).parityCells).toEqual([]);
    }
  });

  it("--parity names the cells as connections x rate, and a bad cell is a RangeError", () => {
    expect(parseArgs(["--parity", "50x1000"]).parityCells).toEqual([
      { connections: 50, rate: 1000 },
    ]);
    expect(() => parseArgs(["--parity", "50by1000"])).toThrow(RangeError);
    expect(() => parseArgs(["--parity", "3x100"])).toThrow(RangeError);
  });

  it("a run without Parley or either peer does not take these turns", () => {
    expect(takesParityTurns(parseArgs(["--servers", "parley,y-websocket"]))).toBe(false);
    expect(takesParityTurns(parseArgs(["--servers", "hocuspocus,y-websocket"]))).toBe(false);
    expect(takesParityTurns(parseArgs(["--servers", "parley,y-websocket,hocuspocus"]))).toBe(true);
  });
});
