import { describe, expect, it } from "vitest";
import { buildBigDraft } from "../../bench/bigdraft.ts";
import { estimateDurationMs, fullPlan, parseArgs, quickPlan } from "../../bench/options.ts";
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
    const one = { ...fullPlan, repeats: 1, draftPages: 0 };
    expect(estimateDurationMs({ ...one, repeats: 3 })).toBe(3 * estimateDurationMs(one));
  });

  it("an unknown option is a RangeError", () => {
    expect(() => parseArgs(["--fast"])).toThrow(RangeError);
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
