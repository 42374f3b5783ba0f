import { describe, expect, it } from "vitest";
import { parseMeasurements } from "../../bench/fanout.ts";
import {
  coreShare,
  describeInvalid,
  disturbance,
  invalidReason,
  othersShare,
  parseCoreBusy,
  parseCoreSteal,
  parseProcStat,
  parseProcStatusKb,
  quantile,
  ratioToBest,
  stolenShare,
  summarize,
} from "../../bench/stats.ts";

const valid = {
  loadGeneratorShare: 0.5,
  targetRate: 1000,
  achievedRate: 1000,
  connected: 200,
  wanted: 200,
  othersOnServerCore: 0.05,
  othersOnLoadCore: 0.05,
  stolenOnServerCore: 0.01,
  stolenOnLoadCore: 0.01,
};

describe("percentiles", () => {
  it("p99 of 1..100 is the 99th value, not an interpolation", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.99)).toBe(99);
  });

  it("p50 of an even count is the lower middle value by nearest rank", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  });

  it("p99 of fewer than a hundred samples is the maximum", () => {
    expect(quantile([3, 5, 8], 0.99)).toBe(8);
  });

  it("the quantile of no samples is NaN", () => {
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("a quantile outside [0, 1] is a RangeError", () => {
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it("summarize sorts its samples numerically, not as strings", () => {
    const summary = summarize([10, 9, 100, 2]);
    expect([summary.p50, summary.max, summary.count]).toEqual([9, 100, 4]);
  });
});

describe("reading /proc", () => {
  it("takes utime and stime from a stat line whose command holds spaces and parentheses", () => {
    const line =
      "4242 (node (bench) x) S 1 4242 4242 0 -1 4194560 1500 0 0 0 250 75 0 0 20 0 11 0 100 1000 2000";
    expect(parseProcStat(line)).toEqual({ user: 2.5, system: 0.75 });
  });

  it("a line without a command in parentheses is not a stat line", () => {
    expect(parseProcStat("garbage")).toBeNull();
  });

  it("reads VmHWM in bytes from a status file", () => {
    const status = "Name:\tnode\nVmPeak:\t  900000 kB\nVmHWM:\t   65032 kB\nVmRSS:\t   60000 kB\n";
    expect(parseProcStatusKb(status, "VmHWM")).toBe(65032 * 1024);
  });

  it("a missing status field reads as null", () => {
    expect(parseProcStatusKb("Name:\tnode\n", "VmHWM")).toBeNull();
  });

  it("a core share is CPU seconds over wall seconds", () => {
    expect(coreShare({ user: 1, system: 0 }, { user: 2, system: 0.5 }, 2)).toBe(0.75);
  });
});

describe("the invalid-cell rule", () => {
  it("a cell whose load generator stayed under 90% of its core and kept its rate is valid", () => {
    expect(invalidReason(valid)).toBeNull();
  });

  it("a load generator above 90% of its core makes the cell invalid", () => {
    expect(invalidReason({ ...valid, loadGeneratorShare: 0.93 })?.kind).toBe(
      "loadGeneratorSaturated",
    );
  });

  it("a load generator that sent under 95% of the target rate makes the cell invalid", () => {
    expect(invalidReason({ ...valid, achievedRate: 940 })?.kind).toBe("rateNotReached");
  });

  it("a cell where some connections never opened is invalid", () => {
    expect(invalidReason({ ...valid, connected: 190 })?.kind).toBe("connectFailed");
  });

  it("other processes busy on the server's core make the cell invalid", () => {
    expect(invalidReason({ ...valid, othersOnServerCore: 0.4 })).toEqual({
      kind: "coreContended",
      role: "server",
      share: 0.4,
    });
  });

  it("other processes busy on the load generator's core make the cell invalid", () => {
    expect(invalidReason({ ...valid, othersOnLoadCore: 0.3 })?.kind).toBe("coreContended");
  });

  it("the hypervisor taking over 5% of the server's core makes the cell invalid", () => {
    const reason = invalidReason({ ...valid, stolenOnServerCore: 0.08 });
    expect(reason).toEqual({ kind: "coreStolen", role: "server", share: 0.08 });
    expect(reason && describeInvalid(reason)).toBe("the hypervisor took 8% of the server's core");
  });

  it("the hypervisor taking over 5% of the load generator's core makes the cell invalid", () => {
    expect(invalidReason({ ...valid, stolenOnLoadCore: 0.06 })).toEqual({
      kind: "coreStolen",
      role: "load generator",
      share: 0.06,
    });
  });

  it("steal is named before the contention it is counted in", () => {
    const reason = invalidReason({ ...valid, othersOnServerCore: 0.6, stolenOnServerCore: 0.55 });
    expect(reason?.kind).toBe("coreStolen");
  });

  it("steal up to 5% leaves the cell valid", () => {
    expect(invalidReason({ ...valid, stolenOnServerCore: 0.05, stolenOnLoadCore: 0.05 })).toBe(
      null,
    );
  });

  it("figures from a core are disturbed by steal over 5% or others over 20%, steal named first", () => {
    expect([
      disturbance(0.1, 0.02),
      disturbance(0.3, 0.02),
      disturbance(0.3, 0.12),
      disturbance(null, undefined),
    ]).toEqual([
      null,
      "other processes used 30% of its core",
      "the hypervisor took 12% of its core",
      null,
    ]);
  });

  it("an invalid cell is described by what went wrong", () => {
    const reason = invalidReason({ ...valid, loadGeneratorShare: 0.97 });
    expect(reason && describeInvalid(reason)).toBe("load generator at 97% of its core");
  });
});

describe("who else used a core", () => {
  const stat = (cpu0: number, cpu1: number) =>
    `cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 ${cpu0} 0 0 500 7 3 40 0 0 0\ncpu1 ${cpu1} 0 0 500 0 0 0 0 0 0\nintr 1 2\n`;

  it("reads busy seconds per core from /proc/stat, leaving out idle, iowait and interrupts", () => {
    expect([...parseCoreBusy(stat(250, 100)).entries()]).toEqual([
      [0, 2.5],
      [1, 1],
    ]);
  });

  it("reads steal seconds per core, the eighth column", () => {
    const line = (steal0: number, steal1: number) =>
      `cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 250 0 0 500 7 3 40 ${steal0} 0 0\ncpu1 100 0 0 500 0 0 0 ${steal1} 0 0\n`;
    expect([...parseCoreSteal(line(30, 5)).entries()]).toEqual([
      [0, 0.3],
      [1, 0.05],
    ]);
    expect(stolenShare(parseCoreSteal(line(30, 5)), parseCoreSteal(line(90, 5)), 0, 2)).toBeCloseTo(
      0.3,
    );
  });

  it("others' share is the core's busy time minus our own", () => {
    const share = othersShare(parseCoreBusy(stat(100, 0)), parseCoreBusy(stat(300, 0)), 0, 1.5, 1);
    expect(share).toBeCloseTo(0.5);
  });
});

describe("reading a load generator's measurements", () => {
  it("a latency JSON wrote as null (NaN: nothing reached everyone) reads back as NaN", () => {
    const [m] = parseMeasurements(
      JSON.stringify([{ latency: { count: 0, p50: Number.NaN, p99: Number.NaN } }]),
    );
    expect([m?.latency.count, m?.latency.p50, Number.isNaN(m?.latency.p99)]).toEqual([
      0,
      Number.NaN,
      true,
    ]);
  });

  it("one per server, in the order of the job's lanes", () => {
    const list = parseMeasurements(JSON.stringify([{ connected: 50 }, { connected: 49 }]));
    expect(list.map((m) => m.connected)).toEqual([50, 49]);
  });

  it("refuses a single measurement printed without its list", () => {
    expect(() => parseMeasurements(JSON.stringify({ connected: 50 }))).toThrow(RangeError);
  });
});

describe("ratios to the better peer", () => {
  it("divides by the lower of the peers' values", () => {
    expect(ratioToBest(3, [6, 4])).toBe(0.75);
  });

  it("ignores a peer that has no value", () => {
    expect(ratioToBest(3, [null, 2])).toBe(1.5);
  });

  it("is null when no peer has a value", () => {
    expect(ratioToBest(3, [null, Number.NaN])).toBeNull();
  });
});
