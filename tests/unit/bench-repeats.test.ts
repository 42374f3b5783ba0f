import { describe, expect, it } from "vitest";
import type { FanoutCell } from "../../bench/fanout.ts";
import type { FanoutMeasurement } from "../../bench/load.ts";
import { combineMeasurements, combineRuns, runOrder } from "../../bench/repeats.ts";
import type { InvalidReason } from "../../bench/stats.ts";
import { measurement } from "../bench-fixtures.ts";

const saturated: InvalidReason = { kind: "loadGeneratorSaturated", share: 0.95 };

function run(
  m: FanoutMeasurement | null,
  invalid: InvalidReason | null = null,
  error: string | null = null,
): FanoutCell {
  return {
    server: "parley",
    connections: 50,
    rate: 100,
    typers: 4,
    measurement: m,
    invalid,
    error,
    wallMs: 10_000,
  };
}

describe("the order of runs", () => {
  it("servers take turns within a cell: run 1 of every server, then run 2 of every server", () => {
    const order = runOrder(["y-websocket", "parley"], [50], [100], 2).map(
      (r) => `${r.server}#${r.repeat}`,
    );
    expect(order).toEqual(["y-websocket#0", "parley#0", "y-websocket#1", "parley#1"]);
  });

  it("every run of a cell comes before the next cell", () => {
    const order = runOrder(["y-websocket", "parley"], [50, 200], [100, 400], 3).map(
      (r) => `${r.connections}×${r.rate}`,
    );
    expect(order).toEqual([
      ...Array(6).fill("50×100"),
      ...Array(6).fill("50×400"),
      ...Array(6).fill("200×100"),
      ...Array(6).fill("200×400"),
    ]);
  });
});

describe("combining the runs of a cell", () => {
  it("each metric is the median over the runs on its own", () => {
    const m = combineMeasurements([
      measurement(5, { serverCpuMsPerEdit: 0.9 }),
      measurement(40, { serverCpuMsPerEdit: 0.4 }),
      measurement(6, { serverCpuMsPerEdit: 0.5 }),
    ]);
    expect([m.latency.p99, m.latency.p50, m.serverCpuMsPerEdit]).toEqual([6, 3, 0.5]);
  });

  it("the median of two runs is their mean", () => {
    expect(combineMeasurements([measurement(4), measurement(10)]).latency.p99).toBe(7);
  });

  it("undelivered edits are the worst run's, not the median", () => {
    const m = combineMeasurements([
      measurement(5),
      measurement(5, { undeliveredEdits: 12, undeliveredDeliveries: 300 }),
      measurement(5),
    ]);
    expect([m.undeliveredEdits, m.undeliveredDeliveries]).toEqual([12, 300]);
  });

  it("an invalid run is left out of a cell with two valid runs", () => {
    const cell = combineRuns([
      run(measurement(5)),
      run(measurement(500, { loadGeneratorShare: 0.95 }), saturated),
      run(measurement(7)),
    ]);
    expect([cell.invalid, cell.measurement?.latency.p99, cell.runs?.length]).toEqual([null, 6, 3]);
  });

  it("a failed run is left out of a cell with two valid runs", () => {
    const cell = combineRuns([run(measurement(5)), run(null, null, "boom"), run(measurement(7))]);
    expect([cell.invalid, cell.error, cell.measurement?.latency.p99]).toEqual([null, null, 6]);
  });

  it("a cell with one valid run of three is invalid and names the other runs' reasons", () => {
    const cell = combineRuns([
      run(measurement(5)),
      run(measurement(500, { loadGeneratorShare: 0.95 }), saturated),
      run(null, null, "server died\nstack"),
    ]);
    expect(cell.invalid).toEqual({
      kind: "tooFewValidRuns",
      valid: 1,
      runs: 3,
      reasons: ["load generator at 95% of its core", "error: server died"],
    });
  });

  it("a single valid run is a valid cell (quick mode)", () => {
    const cell = combineRuns([run(measurement(5))]);
    expect([cell.invalid, cell.measurement?.latency.p99]).toEqual([null, 5]);
  });

  it("a single invalid run keeps its own reason", () => {
    expect(combineRuns([run(measurement(5), saturated)]).invalid).toEqual(saturated);
  });

  it("a cell where no run measured anything carries the first error", () => {
    const cell = combineRuns([run(null, null, "no start"), run(null, null, "again")]);
    expect([cell.measurement, cell.error]).toEqual([null, "no start"]);
  });

  it("the cell keeps every run as measured", () => {
    const runs = [run(measurement(5)), run(measurement(9))];
    expect(combineRuns(runs).runs?.map((r) => r.measurement?.latency.p99)).toEqual([5, 9]);
  });
});
