// The arithmetic of the benchmark, kept apart from sockets and processes so it can be tested:
// percentiles, CPU accounting read from /proc, and the rule that decides whether a cell
// measured the server or only the load generator.

/** Latency summary of one cell, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The `q` quantile (0 ≤ q ≤ 1) of `sorted` by the nearest-rank method: the smallest value
 * with at least `q` of the samples at or below it, so p99 of 100 samples is the 99th value,
 * never an interpolation between two. Returns `NaN` for no samples. Throws a `RangeError`
 * when `q` is outside [0, 1].
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`A quantile must lie in [0, 1], not ${q}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * n));
  return sorted[rank - 1] as number;
}

/** p50, p95, p99 and the maximum of `samples` (which are not changed); all `NaN` when empty. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/** CPU time a process has used, in seconds, as read from /proc/<pid>/stat. */
export interface CpuSample {
  readonly user: number;
  readonly system: number;
}

/** Clock ticks per second of /proc times; 100 on every Linux this runs on (USER_HZ). */
export const clockTicksPerSecond = 100;

/**
 * The CPU times in a /proc/<pid>/stat line. The command name (field 2) is in parentheses and
 * may itself hold spaces and parentheses, so fields are counted from the last `)`. Returns
 * null when the line does not have the shape of a stat line.
 */
export function parseProcStat(line: string): CpuSample | null {
  const close = line.lastIndexOf(")");
  if (close < 0) return null;
  // After ")": state(3) ppid(4) … utime(14) stime(15); index 0 here is field 3.
  const fields = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return { user: utime / clockTicksPerSecond, system: stime / clockTicksPerSecond };
}

/**
 * A value in kB from /proc/<pid>/status (e.g. `VmHWM`, the peak resident set), in bytes.
 * Returns null when the field is absent.
 */
export function parseProcStatusKb(status: string, field: string): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** Busy time of processes (user, nice, system) and of the hypervisor (steal) per core, in seconds. */
export type CoreBusy = ReadonlyMap<number, number>;

/**
 * Busy seconds per core from the text of /proc/stat (the `cpuN` lines; the aggregate `cpu`
 * line is skipped). Interrupt and softirq time are left out: loopback traffic is processed
 * there, it is caused by the very processes measured, and the kernel does not charge it to
 * them. Steal counts as busy: time the hypervisor gave to someone else is time the process
 * pinned there could not run.
 */
export function parseCoreBusy(stat: string): CoreBusy {
  return perCore(stat, ([user = 0, nice = 0, system = 0, , , , , steal = 0]) => {
    return user + nice + system + steal;
  });
}

/**
 * Steal seconds per core from the text of /proc/stat: time the hypervisor ran something else
 * on the physical CPU behind that core, while this VM's work there waited.
 */
export function parseCoreSteal(stat: string): CoreBusy {
  return perCore(stat, (ticks) => ticks[7] ?? 0);
}

/** Seconds per core from the `cpuN` lines of /proc/stat, `pick` choosing ticks from a line's. */
function perCore(stat: string, pick: (ticks: readonly number[]) => number): CoreBusy {
  const seconds = new Map<number, number>();
  for (const line of stat.split("\n")) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const ticks = (match[2] as string).trim().split(/\s+/).map(Number);
    seconds.set(Number(match[1]), pick(ticks) / clockTicksPerSecond);
  }
  return seconds;
}

/** The share of `core` the hypervisor took (steal) between two `parseCoreSteal` samples. */
export function stolenShare(
  before: CoreBusy,
  after: CoreBusy,
  core: number,
  seconds: number,
): number {
  if (!(seconds > 0)) throw new RangeError(`An interval must be positive, not ${seconds}`);
  return Math.max(0, ((after.get(core) ?? 0) - (before.get(core) ?? 0)) / seconds);
}

/**
 * The share of `core` that processes other than ours used over `seconds`: its busy time
 * between two /proc/stat samples minus what our process pinned there used (`ours`, in CPU
 * seconds). Never below zero (the two clocks tick separately).
 */
export function othersShare(
  before: CoreBusy,
  after: CoreBusy,
  core: number,
  ours: number,
  seconds: number,
): number {
  const used = (after.get(core) ?? 0) - (before.get(core) ?? 0);
  return Math.max(0, (used - ours) / seconds);
}

/**
 * Above this share of a pinned core used by other processes the cell measured a shared
 * machine: the server or the load generator waited for the CPU, and latencies show that wait.
 */
export const contentionLimit = 0.2;

/**
 * Above this share of a pinned core taken by the hypervisor (steal) the cell measured the
 * VM's host, not the server. Far stricter than `contentionLimit`: another process on the
 * core yields to a server that wakes up with work, but stolen time stops the whole virtual
 * core, whatever runs on it, and a pause of a few milliseconds lands in the latencies
 * directly. On this VM p99s three times a run's usual coincided with 7–11% of a core
 * stolen.
 */
export const stealLimit = 0.05;

/** The share of one core used between two samples taken `seconds` apart (1 = a full core). */
export function coreShare(before: CpuSample, after: CpuSample, seconds: number): number {
  if (!(seconds > 0)) throw new RangeError(`An interval must be positive, not ${seconds}`);
  return (after.user + after.system - before.user - before.system) / seconds;
}

/**
 * Above this share of its core the load generator, not the server, sets the pace: its
 * timers fire late and its receivers read late, so latencies say nothing about the server.
 */
export const loadGeneratorLimit = 0.9;

/**
 * Why figures taken on a core measured the machine rather than the server, by the fan-out's
 * rules: the hypervisor took over `stealLimit` of the core, or other processes (steal
 * included) over `contentionLimit`; null when neither, or when a share was not recorded.
 */
export function disturbance(
  others: number | null | undefined,
  stolen: number | null | undefined,
): string | null {
  if (typeof stolen === "number" && stolen > stealLimit) {
    return `the hypervisor took ${Math.round(stolen * 100)}% of its core`;
  }
  if (typeof others === "number" && others > contentionLimit) {
    return `other processes used ${Math.round(others * 100)}% of its core`;
  }
  return null;
}

/** Why a cell's numbers are not a server result; null when they are. */
export type InvalidReason =
  | { readonly kind: "loadGeneratorSaturated"; readonly share: number }
  | { readonly kind: "rateNotReached"; readonly achieved: number; readonly target: number }
  | { readonly kind: "connectFailed"; readonly connected: number; readonly wanted: number }
  | {
      readonly kind: "coreContended";
      readonly role: "server" | "load generator";
      readonly share: number;
    }
  | {
      readonly kind: "coreStolen";
      readonly role: "server" | "load generator";
      readonly share: number;
    }
  /** A repeated cell with fewer valid runs than it needs; `reasons` says why each other failed. */
  | {
      readonly kind: "tooFewValidRuns";
      readonly valid: number;
      readonly runs: number;
      readonly reasons: readonly string[];
    };

/** What the invalid-cell rule looks at. */
export interface CellLoad {
  /** The load generator's share of its core during the measured window. */
  readonly loadGeneratorShare: number;
  readonly targetRate: number;
  /** Edits actually sent per second during the window. */
  readonly achievedRate: number;
  readonly connected: number;
  readonly wanted: number;
  /** Shares of the server's and the load generator's cores used by other processes. */
  readonly othersOnServerCore: number;
  readonly othersOnLoadCore: number;
  /** Shares of the server's and the load generator's cores the hypervisor took (steal). */
  readonly stolenOnServerCore: number;
  readonly stolenOnLoadCore: number;
}

/**
 * Whether a cell measured the server. A cell is invalid when the load generator used more
 * than `loadGeneratorLimit` of its core, when it sent fewer than 95% of the edits it was
 * asked to (it fell behind, so the server saw a lighter load than the cell's label), or when
 * not every connection was established, or when other processes used more than
 * `contentionLimit` of the server's or the load generator's core (the machine was not
 * quiet), or when the hypervisor took more than `stealLimit` of either. Undelivered edits and high latency do not make a cell invalid: they are the
 * server's result.
 */
export function invalidReason(load: CellLoad): InvalidReason | null {
  if (load.connected < load.wanted) {
    return { kind: "connectFailed", connected: load.connected, wanted: load.wanted };
  }
  // Steal first: "others" counts it too, and it is the more specific reason.
  if (load.stolenOnServerCore > stealLimit) {
    return { kind: "coreStolen", role: "server", share: load.stolenOnServerCore };
  }
  if (load.stolenOnLoadCore > stealLimit) {
    return { kind: "coreStolen", role: "load generator", share: load.stolenOnLoadCore };
  }
  if (load.othersOnServerCore > contentionLimit) {
    return { kind: "coreContended", role: "server", share: load.othersOnServerCore };
  }
  if (load.othersOnLoadCore > contentionLimit) {
    return { kind: "coreContended", role: "load generator", share: load.othersOnLoadCore };
  }
  if (load.loadGeneratorShare > loadGeneratorLimit) {
    return { kind: "loadGeneratorSaturated", share: load.loadGeneratorShare };
  }
  if (load.achievedRate < 0.95 * load.targetRate) {
    return { kind: "rateNotReached", achieved: load.achievedRate, target: load.targetRate };
  }
  return null;
}

/** A sentence for an invalid cell, as printed in RESULTS.md. */
export function describeInvalid(reason: InvalidReason): string {
  switch (reason.kind) {
    case "loadGeneratorSaturated":
      return `load generator at ${Math.round(reason.share * 100)}% of its core`;
    case "rateNotReached":
      return `load generator sent ${Math.round(reason.achieved)}/s of ${reason.target}/s`;
    case "connectFailed":
      return `only ${reason.connected} of ${reason.wanted} connections opened`;
    case "coreContended":
      return `other processes used ${Math.round(reason.share * 100)}% of the ${reason.role}'s core`;
    case "coreStolen":
      return `the hypervisor took ${Math.round(reason.share * 100)}% of the ${reason.role}'s core`;
    case "tooFewValidRuns":
      return `${reason.valid} of ${reason.runs} runs valid (${reason.reasons.join("; ")})`;
    default: {
      const never: never = reason;
      throw new RangeError(`Unknown invalid reason ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Parley's value over the best (lowest) valid peer value, or null when Parley's value or
 * every peer value is missing. Lower is better for every quantity the benchmark compares.
 */
export function ratioToBest(
  parley: number | null,
  peers: readonly (number | null)[],
): number | null {
  const valid = peers.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  if (parley === null || !Number.isFinite(parley) || valid.length === 0) return null;
  return parley / Math.min(...valid);
}
