// The command line of `npm run bench`, read into a plan. Kept apart from run.ts so the
// modes can be tested without starting servers.

import { isServerName, parityServers, type ServerName, serverNames } from "./peers.ts";
import type { TurnCell } from "./turns.ts";

/** Everything a run will do. */
export interface BenchPlan {
  readonly mode: "quick" | "full" | "custom";
  readonly servers: readonly ServerName[];
  readonly connections: readonly number[];
  readonly rates: readonly number[];
  readonly typers: number;
  /**
   * How often each cell is measured per server, each time with a fresh server; the cell
   * reports the median of its valid runs (see repeats.ts).
   */
  readonly repeats: number;
  /** Edits sent before the measured window opens, so V8 has compiled the hot paths. */
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly drainMs: number;
  /** Whether to run the fan-out scenario. */
  readonly fanout: boolean;
  /**
   * Cells where Parley with checks and without take turns in one window, to measure the
   * checks' cost (bench/turns.ts); empty skips the scenario, as does a plan without both.
   */
  readonly turnCells: readonly TurnCell[];
  /** Runs per cell taking turns, each with fresh servers. */
  readonly turnRepeats: number;
  /** How long each server types before the next takes over. */
  readonly turnMs: number;
  /**
   * Cells where Parley and the two peers take turns in one window, to compare them on the
   * same moments of the machine (bench/turns.ts); empty skips the scenario, as does a plan
   * without all three. As many runs per cell as `turnRepeats`, turns of `turnMs`.
   */
  readonly parityCells: readonly TurnCell[];
  /** Pages of the large draft; 0 skips the scenario. */
  readonly draftPages: number;
  /** Copies of the draft loaded at once to measure memory per draft. */
  readonly draftCopies: number;
  /**
   * How often a cell that other processes disturbed (see `contentionLimit`) is measured
   * again, after waiting up to `quietWaitMs` for the machine to calm down.
   */
  readonly retries: number;
  readonly quietWaitMs: number;
  /** Whether to write bench/results/<date>.json and RESULTS.md. */
  readonly write: boolean;
}

/** The full grid of issue 7. */
export const fullPlan: BenchPlan = {
  mode: "full",
  servers: serverNames,
  connections: [50, 200, 1000],
  rates: [100, 400, 1000, 2000],
  typers: 4,
  repeats: 3,
  warmupMs: 5000,
  measureMs: 6000,
  // Only cells that lose edits wait this long; a sustained cell stops draining at its last delivery.
  drainMs: 2000,
  fanout: true,
  turnCells: [
    { connections: 50, rate: 100 },
    { connections: 50, rate: 400 },
    { connections: 200, rate: 400 },
    { connections: 200, rate: 1000 },
    // Not 1000 × 400: reading two thousand sockets taking turns, the load generator was at
    // 89–91% of its core there, and two of three runs of 2026-11-22 07:24 were invalid.
    { connections: 1000, rate: 100 },
  ],
  turnRepeats: 3,
  turnMs: 25,
  // The cells of the grid where both peers delivered every edit in the committed runs and
  // none of the three servers needs most of the core: there a server that falls behind in its
  // turn would still be catching up in the next server's. Not 50 × 2000 (Hocuspocus at 98% of
  // the core) nor 1000 × 100 (Hocuspocus loses edits).
  parityCells: [
    { connections: 50, rate: 100 },
    { connections: 50, rate: 400 },
    { connections: 50, rate: 1000 },
    { connections: 200, rate: 100 },
    { connections: 200, rate: 400 },
  ],
  draftPages: 200,
  draftCopies: 4,
  retries: 1,
  quietWaitMs: 20_000,
  write: true,
};

/** A short run for checking a change: two cells per server and a smaller draft. */
export const quickPlan: BenchPlan = {
  ...fullPlan,
  mode: "quick",
  connections: [50, 200],
  rates: [400],
  repeats: 1,
  warmupMs: 1000,
  measureMs: 2000,
  drainMs: 1500,
  turnCells: [{ connections: 200, rate: 400 }],
  turnRepeats: 1,
  parityCells: [{ connections: 200, rate: 400 }],
  draftPages: 50,
  draftCopies: 2,
  retries: 0,
  quietWaitMs: 0,
};

const usage = `usage: npm run bench -- [--quick] [--servers a,b] [--connections 50,200] [--rates 100,400]
       [--typers 4] [--repeats 3] [--measure-ms 6000] [--warmup-ms 5000] [--drain-ms 2000] [--pages 200] [--only fanout|checks|parity|drafts] [--retries 2] [--no-write]
       [--turns 50x400,200x400] [--parity 50x100,200x400] [--turn-repeats 3] [--turn-ms 25]
servers: ${serverNames.join(", ")}`;

function numbers(flag: string, value: string | undefined): number[] {
  const list = (value ?? "").split(",").map(Number);
  if (!value || list.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new RangeError(
      `${flag} needs a comma-separated list of whole numbers, not ${JSON.stringify(value)}\n${usage}`,
    );
  }
  return list;
}

/** "50x400,200x1000" (connections × edits/s): cells for taking turns. */
function turnCells(flag: string, value: string | undefined): TurnCell[] {
  const items = (value ?? "").split(",");
  const cells = items.map((item) => /^(\d+)x(\d+)$/.exec(item));
  if (!value || cells.some((m) => m === null)) {
    throw new RangeError(
      `${flag} needs cells as connectionsxrate, comma-separated (50x400,200x1000), not ${JSON.stringify(value)}\n${usage}`,
    );
  }
  return cells.map((m) => ({ connections: Number(m?.[1]), rate: Number(m?.[2]) }));
}

function number(flag: string, value: string | undefined): number {
  const [n] = numbers(flag, value);
  return n as number;
}

/**
 * The plan for `argv` (the arguments after `bench/run.ts`). `--quick` starts from the quick
 * plan, anything else from the full one; any further option makes the mode "custom".
 * Throws a `RangeError` with the usage for an unknown option or a bad value.
 */
export function parseArgs(argv: readonly string[]): BenchPlan {
  let plan: { -readonly [K in keyof BenchPlan]: BenchPlan[K] } = {
    ...(argv.includes("--quick") ? quickPlan : fullPlan),
  };
  let custom = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    const takes = () => {
      i++;
      custom = true;
      return value;
    };
    switch (flag) {
      case "--quick":
        break;
      case "--no-write":
        plan.write = false;
        break;
      case "--servers": {
        const names = (takes() ?? "").split(",");
        const bad = names.find((n) => !isServerName(n));
        if (bad !== undefined)
          throw new RangeError(`Unknown server ${JSON.stringify(bad)}\n${usage}`);
        plan.servers = serverNames.filter((s) => names.includes(s));
        break;
      }
      case "--connections":
        plan.connections = numbers(flag, takes());
        break;
      case "--rates":
        plan.rates = numbers(flag, takes());
        break;
      case "--typers":
        plan.typers = number(flag, takes());
        break;
      case "--repeats":
        plan.repeats = number(flag, takes());
        break;
      case "--warmup-ms":
        plan.warmupMs = number(flag, takes());
        break;
      case "--measure-ms":
        plan.measureMs = number(flag, takes());
        break;
      case "--drain-ms":
        plan.drainMs = number(flag, takes());
        break;
      case "--retries":
        plan.retries = number(flag, takes());
        break;
      case "--only": {
        const only = takes();
        if (only !== "fanout" && only !== "checks" && only !== "parity" && only !== "drafts") {
          throw new RangeError(
            `--only takes fanout, checks, parity or drafts, not ${JSON.stringify(only)}\n${usage}`,
          );
        }
        if (only !== "fanout") plan.fanout = false;
        if (only !== "checks") plan.turnCells = [];
        if (only !== "parity") plan.parityCells = [];
        if (only !== "drafts") plan.draftPages = 0;
        break;
      }
      case "--turns":
        plan.turnCells = turnCells(flag, takes());
        break;
      case "--parity":
        plan.parityCells = turnCells(flag, takes());
        break;
      case "--turn-repeats":
        plan.turnRepeats = number(flag, takes());
        break;
      case "--turn-ms":
        plan.turnMs = number(flag, takes());
        break;
      case "--pages":
        plan.draftPages = number(flag, takes());
        break;
      default:
        throw new RangeError(`Unknown option ${JSON.stringify(flag)}\n${usage}`);
    }
  }
  if (plan.repeats < 1) throw new RangeError(`--repeats must be at least 1\n${usage}`);
  if (plan.turnRepeats < 1) throw new RangeError(`--turn-repeats must be at least 1\n${usage}`);
  if (plan.turnMs < 1) throw new RangeError(`--turn-ms must be at least 1\n${usage}`);
  if (plan.typers < 1) throw new RangeError(`--typers must be at least 1\n${usage}`);
  const tooFew = [
    ...plan.connections,
    ...[...plan.turnCells, ...plan.parityCells].map((c) => c.connections),
  ].find((n) => n <= plan.typers);
  if (tooFew !== undefined) {
    throw new RangeError(`${tooFew} connections leave no receiver besides ${plan.typers} typers`);
  }
  if (custom) plan = { ...plan, mode: "custom" };
  return plan;
}

/**
 * What one fan-out run costs besides its warm-up and measured window: starting a fresh
 * server, connecting up to a thousand receivers, draining (only cells that lose edits wait
 * the whole drain), stopping both processes. The mean over the 48 cells of the committed
 * run of 2026-11-21 11:24 on the 2-core VM.
 */
const runOverheadMs = 2500;
/** The large-drafts scenario for 200 pages on that machine, codecs and first edits included. */
const draftsMsPer200Pages = 45_000;

/** Whether `plan` runs the cells where Parley with checks and without take turns. */
export function takesTurns(plan: BenchPlan): boolean {
  return (
    plan.turnCells.length > 0 &&
    plan.servers.includes("parley") &&
    plan.servers.includes("parley-nochecks")
  );
}

/** Whether `plan` runs the cells where Parley and the two peers take turns. */
export function takesParityTurns(plan: BenchPlan): boolean {
  return (
    plan.parityCells.length > 0 && parityServers.every((server) => plan.servers.includes(server))
  );
}

/**
 * The warm-up and window of a run where `servers` take turns: a fan-out run's times as many,
 * so that each server types as long as in a fan-out run.
 */
export function turnWindow(plan: BenchPlan, servers = 2): { warmupMs: number; measureMs: number } {
  return { warmupMs: servers * plan.warmupMs, measureMs: servers * plan.measureMs };
}

/**
 * How long `plan` should take on a quiet machine, in milliseconds: every fan-out run's
 * warm-up, window and overhead, the runs taking turns (each server's overhead), plus
 * the large-drafts scenario. An estimate for the log and RESULTS.md, not a limit; waiting for
 * a busy machine comes on top.
 */
export function estimateDurationMs(plan: BenchPlan): number {
  const runs = plan.fanout
    ? plan.servers.length * plan.connections.length * plan.rates.length * plan.repeats
    : 0;
  const fanout = runs * (plan.warmupMs + plan.measureMs + runOverheadMs);
  const window = turnWindow(plan);
  const turns = takesTurns(plan)
    ? plan.turnCells.length *
      plan.turnRepeats *
      (window.warmupMs + window.measureMs + 2 * runOverheadMs)
    : 0;
  const lanes = parityServers.length;
  const parityWindow = turnWindow(plan, lanes);
  const parity = takesParityTurns(plan)
    ? plan.parityCells.length *
      plan.turnRepeats *
      (parityWindow.warmupMs + parityWindow.measureMs + lanes * runOverheadMs)
    : 0;
  const drafts = (plan.draftPages / 200) * draftsMsPer200Pages;
  return fanout + turns + parity + drafts;
}
