import { cellLoad, type FanoutCell } from "../bench/fanout.ts";
import type { FanoutMeasurement } from "../bench/load.ts";
import type { ServerName } from "../bench/peers.ts";
import { combineRuns } from "../bench/repeats.ts";
import type { BenchResults } from "../bench/results.ts";
import { invalidReason } from "../bench/stats.ts";

// What the benchmark's harness tests build runs and cells from.

/** A plausible valid fan-out measurement with p99 `p99` ms, changed by `over`. */
export function measurement(p99: number, over: Partial<FanoutMeasurement> = {}): FanoutMeasurement {
  return {
    connected: 50,
    synced: 46,
    connectErrors: [],
    connectMs: 100,
    editsMeasured: 600,
    achievedRate: 100,
    latency: { count: 600, p50: p99 / 2, p95: p99 * 0.9, p99, max: p99 * 2 },
    undeliveredEdits: 0,
    undeliveredDeliveries: 0,
    receiversLost: 0,
    serverCoreShare: 0.2,
    serverCpuMsPerEdit: 0.5,
    serverPeakRss: 80 * 2 ** 20,
    loadGeneratorShare: 0.3,
    deliveriesPerSecond: 4600,
    othersOnServerCore: 0.02,
    othersOnLoadCore: 0.02,
    stolenOnServerCore: 0.01,
    stolenOnLoadCore: 0.01,
    ...over,
  };
}

/** One run of `server` at 50 connections × 100 edits/s, valid unless `m` makes it otherwise. */
export function cell(server: ServerName, m: FanoutMeasurement): FanoutCell {
  return {
    server,
    connections: 50,
    rate: 100,
    typers: 4,
    measurement: m,
    invalid: invalidReason(cellLoad(m, 100, 50)),
    error: null,
    wallMs: 9000,
  };
}

/** A cell of `server` measured once per p99 in `p99s`, combined as a repeated cell is. */
export function runs(server: ServerName, p99s: number[]): FanoutCell {
  return combineRuns(p99s.map((p99) => cell(server, measurement(p99))));
}

/** The results of a custom run of Parley and both peers whose grid is `fanout`. */
export function results(fanout: FanoutCell[]): BenchResults {
  return {
    version: 1,
    mode: "custom",
    command: "npm run bench -- --connections 50 --rates 100",
    startedAt: "2026-11-21T11:00:00.000Z",
    durationMs: 60_000,
    machine: {
      cores: 2,
      cpuModel: "test",
      node: "v20.20.0",
      platform: "linux x64",
      pinned: true,
      loadAverageAtStart: 0.1,
    },
    servers: ["y-websocket", "hocuspocus", "parley"],
    unavailable: [],
    fanout,
    drafts: null,
  };
}
