import { describe, expect, it } from "vitest";
import type { FanoutCell } from "../../bench/fanout.ts";
import type { FanoutMeasurement } from "../../bench/load.ts";
import type { ServerName } from "../../bench/peers.ts";
import { renderResults } from "../../bench/report.ts";
import type { BenchResults } from "../../bench/results.ts";
import { invalidReason } from "../../bench/stats.ts";

function measurement(p99: number, over: Partial<FanoutMeasurement> = {}): FanoutMeasurement {
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
    ...over,
  };
}

function cell(server: ServerName, m: FanoutMeasurement): FanoutCell {
  return {
    server,
    connections: 50,
    rate: 100,
    typers: 4,
    measurement: m,
    invalid: invalidReason({
      loadGeneratorShare: m.loadGeneratorShare,
      targetRate: 100,
      achievedRate: m.achievedRate,
      connected: m.connected,
      wanted: 50,
      othersOnServerCore: m.othersOnServerCore,
      othersOnLoadCore: m.othersOnLoadCore,
    }),
    error: null,
    wallMs: 9000,
  };
}

function results(fanout: FanoutCell[]): BenchResults {
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
