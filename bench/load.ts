// The load generator of one fan-out cell, run as its own process pinned to its own core:
// `node load.mjs '<FanoutJob JSON>'` (bundled by entries.ts). It attaches a few real provider
// clients that type at the cell's aggregate rate and N − typers lightweight receivers per
// server of the cell (usually one; several take turns typing, see bench/turns.ts), then prints
// one line `RESULT <JSON array of FanoutMeasurement, one per server>` and exits. Every wait is
// bounded.

import { readFileSync } from "node:fs";
import * as Y from "yjs";
import type { Endpoint, TyperConnection } from "./peers.ts";
import { connectTyper } from "./peers.ts";
import { runsProgram } from "./procs.ts";
import { openReceivers, type Receiver } from "./receiver.ts";
import {
  type CoreBusy,
  type CpuSample,
  type LatencySummary,
  othersShare,
  parseCoreBusy,
  parseCoreSteal,
  parseProcStat,
  parseProcStatusKb,
  stolenShare,
  summarize,
} from "./stats.ts";
import { fanoutSeed, Typist } from "./workload.ts";

/** A server the load generator types at and reads from, and its process (for its CPU). */
export interface LaneTarget {
  readonly endpoint: Endpoint;
  readonly serverPid: number;
}

/** One cell's instructions to the load generator. */
export interface FanoutJob {
  /**
   * The servers of the cell, each with its own typers and receivers. One, or several that
   * take turns: only one lane types at a time, for `turnMs` each, in order (bench/turns.ts).
   */
  readonly lanes: readonly LaneTarget[];
  /** How long each lane types before the next takes over; unused with one lane. */
  readonly turnMs: number;
  readonly connections: number;
  readonly typers: number;
  /** Aggregate edits per second over all typers, while their lane types. */
  readonly rate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** How long to wait after the last edit for deliveries still under way. */
  readonly drainMs: number;
  /** The cores the servers and the load generator are pinned to, to see who else used them. */
  readonly serverCore: number;
  readonly loadCore: number;
}

/** What the load generator measured in one cell. */
export interface FanoutMeasurement {
  readonly connected: number;
  /** Receivers that had received the document when the edits began. */
  readonly synced: number;
  readonly connectErrors: readonly string[];
  readonly connectMs: number;
  /** Edits sent in the measured window, and per second of the window its lane typed. */
  readonly editsMeasured: number;
  readonly achievedRate: number;
  /** Latency until every receiver had the edit, over edits of the window delivered to all. */
  readonly latency: LatencySummary;
  /** Edits (of all sent, warm-up included) that some receiver never got. */
  readonly undeliveredEdits: number;
  /** Missing (edit, receiver) pairs among all edits sent. */
  readonly undeliveredDeliveries: number;
  readonly receiversLost: number;
  /**
   * Server CPU over the measured window (all of it, the other lanes' turns included): share
   * of a core, and milliseconds per edit.
   */
  readonly serverCoreShare: number;
  readonly serverCpuMsPerEdit: number;
  /** The server process's peak resident set (VmHWM) at the end of the cell, in bytes. */
  readonly serverPeakRss: number;
  /** The load generator's own share of its core over the measured window. */
  readonly loadGeneratorShare: number;
  /** (Edit, receiver) deliveries seen per second of the window its lane typed. */
  readonly deliveriesPerSecond: number;
  /**
   * Shares of the server's and the load generator's cores used by other processes (the other
   * lanes' servers are not others).
   */
  readonly othersOnServerCore: number;
  readonly othersOnLoadCore: number;
  /**
   * Shares of the server's and the load generator's cores the hypervisor took (steal; also
   * counted in the two above). Absent from results written before 2026-11-21 22:40.
   */
  readonly stolenOnServerCore?: number;
  readonly stolenOnLoadCore?: number;
}

const connectParallel = 50;
const connectTimeoutMs = 10_000;
const tickMs = 2;

function readServerCpu(pid: number): CpuSample {
  const sample = parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (!sample) throw new Error(`Cannot read the CPU times of the server (pid ${pid})`);
  return sample;
}

/** Busy and stolen seconds per core (see stats.ts). */
interface CoreTimes {
  readonly busy: CoreBusy;
  readonly stolen: CoreBusy;
}

/** Busy and stolen seconds per core, from one read of /proc/stat. */
function coreTimes(): CoreTimes {
  const stat = readFileSync("/proc/stat", "utf8");
  return { busy: parseCoreBusy(stat), stolen: parseCoreSteal(stat) };
}

function ownCpu(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

const until = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long lane `lane` of `lanes` taking turns of `turnMs` has typed by `elapsed` ms after
 * typing began: lane 0 types first, then lane 1, and so on, round after round.
 */
export function typingTime(elapsed: number, lanes: number, lane: number, turnMs: number): number {
  if (lanes === 1) return Math.max(0, elapsed);
  const round = lanes * turnMs;
  const rounds = Math.floor(Math.max(0, elapsed) / round);
  const into = Math.max(0, elapsed) - rounds * round - lane * turnMs;
  return rounds * turnMs + Math.min(turnMs, Math.max(0, into));
}

/** One server of a cell, its typers and receivers, and what they saw. */
class Lane {
  readonly maxEdits: number;
  readonly sentAt: Float64Array;
  readonly remaining: Int32Array;
  readonly doneAt: Float64Array;
  /**
   * One byte per (receiver, edit): a receiver may see an edit twice (in an update and again
   * in a sync reply), and must count once.
   */
  #seen: Uint8Array = new Uint8Array(0);
  sent = 0;
  lost = 0;
  synced = 0;
  deliveries = 0;
  deliveriesBefore = 0;
  firstMeasured = -1;
  connectMs = 0;
  connectErrors: string[] = [];
  readonly typers: TyperConnection[] = [];
  hands: Typist[] = [];
  receivers: Receiver[] = [];

  constructor(
    readonly target: LaneTarget,
    readonly job: FanoutJob,
  ) {
    this.maxEdits = Math.ceil((job.rate * (job.warmupMs + job.measureMs)) / 1000) + 64;
    this.sentAt = new Float64Array(this.maxEdits);
    this.remaining = new Int32Array(this.maxEdits);
    this.doneAt = new Float64Array(this.maxEdits).fill(Number.NaN);
  }

  readonly #onEdit = (index: number, id: number) => {
    if (id >= this.sent) return;
    const slot = index * this.maxEdits + id;
    if (this.#seen[slot]) return;
    this.#seen[slot] = 1;
    this.deliveries++;
    const left = (this.remaining[id] as number) - 1;
    this.remaining[id] = left;
    if (left === 0) this.doneAt[id] = performance.now();
  };

  /** Attach the typers, then the receivers, and wait (bounded) until each has the document. */
  async connect(): Promise<void> {
    const { job } = this;
    const { endpoint } = this.target;
    const started = performance.now();
    const seed = endpoint.seededByServer ? null : fanoutSeed(job.typers);
    const docs: Y.Doc[] = [];
    for (let i = 0; i < job.typers; i++) {
      const ydoc = new Y.Doc();
      if (seed) Y.applyUpdate(ydoc, seed);
      docs.push(ydoc);
      this.typers.push(await connectTyper(endpoint, ydoc, i, connectTimeoutMs));
    }
    await Promise.all(this.typers.map((t) => t.synced));
    this.hands = docs.map((d, i) => new Typist(d, i));
    const receiverCount = job.connections - job.typers;
    this.#seen = new Uint8Array(receiverCount * this.maxEdits);
    const opened = await openReceivers(
      {
        host: "127.0.0.1",
        port: endpoint.port,
        path: endpoint.receiverPath,
        dialect: endpoint.dialect,
        docName: endpoint.docName,
        token: endpoint.receiverToken,
      },
      receiverCount,
      connectParallel,
      this.#onEdit,
      () => {
        this.lost++;
      },
      connectTimeoutMs,
      () => {
        this.synced++;
      },
    );
    this.receivers = opened.receivers;
    this.connectErrors = opened.errors.slice(0, 5);
    // Edits start once every receiver has the document: a server may still be setting a
    // connection up after the upgrade (Hocuspocus authenticates first), and an edit it relays
    // before then would reach that receiver only inside its sync reply, late.
    const syncDeadline = performance.now() + connectTimeoutMs;
    while (this.synced < this.receivers.length && performance.now() < syncDeadline) {
      await until(10);
    }
    this.connectMs = performance.now() - started;
    this.remaining.fill(this.receivers.length);
  }

  /** The measured window opens: edits from now on are measured, and deliveries counted. */
  openWindow(): void {
    this.deliveriesBefore = this.deliveries;
    this.firstMeasured = this.sent;
  }

  /** Make every edit due by `typed` ms of typing. */
  typeUntil(typed: number): void {
    const due = Math.min(this.maxEdits, Math.floor((this.job.rate * typed) / 1000));
    while (this.sent < due) {
      const id = this.sent;
      this.sentAt[id] = performance.now();
      this.sent++;
      (this.hands[id % this.hands.length] as Typist).type(id);
    }
  }

  /** Whether some edit sent has not reached every receiver yet. */
  pending(): boolean {
    for (let id = 0; id < this.sent; id++) if ((this.remaining[id] as number) > 0) return true;
    return false;
  }

  /** The latencies of the window's edits delivered to all, and what was not delivered. */
  deliveryFigures(): { latencies: number[]; undeliveredEdits: number; undelivered: number } {
    const latencies: number[] = [];
    let undeliveredEdits = 0;
    let undelivered = 0;
    for (let id = 0; id < this.sent; id++) {
      const left = this.remaining[id] as number;
      if (left > 0) {
        undeliveredEdits++;
        undelivered += left;
      } else if (id >= this.firstMeasured) {
        latencies.push((this.doneAt[id] as number) - (this.sentAt[id] as number));
      }
    }
    return { latencies, undeliveredEdits, undelivered };
  }

  close(): void {
    for (const r of this.receivers) r.close();
    for (const t of this.typers) t.destroy();
  }
}

/**
 * Run one cell: one measurement per lane, in the job's order. Rejects only when the typers
 * cannot sync (nothing to measure then).
 */
export async function runFanout(job: FanoutJob): Promise<FanoutMeasurement[]> {
  if (job.connections - job.typers < 1)
    throw new RangeError(`A cell needs more connections than its ${job.typers} typers`);
  if (job.lanes.length < 1) throw new RangeError("A cell needs a server");
  const lanes = job.lanes.map((target) => new Lane(target, job));
  try {
    for (const lane of lanes) await lane.connect();
    const t0 = performance.now();
    const typed = (lane: number, at: number) => typingTime(at - t0, lanes.length, lane, job.turnMs);
    const windowStart = t0 + job.warmupMs;
    const end = windowStart + job.measureMs;
    let serversBefore: CpuSample[] | null = null;
    let ownBefore = 0;
    let coresBefore: CoreTimes = { busy: new Map(), stolen: new Map() };
    let windowOpenedAt = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (serversBefore === null && now >= windowStart) {
          serversBefore = job.lanes.map((l) => readServerCpu(l.serverPid));
          ownBefore = ownCpu();
          coresBefore = coreTimes();
          windowOpenedAt = now;
          for (const lane of lanes) lane.openWindow();
        }
        if (now >= end) {
          resolve();
          return;
        }
        for (const [i, lane] of lanes.entries()) lane.typeUntil(typed(i, now));
        setTimeout(tick, tickMs);
      };
      tick();
    });
    const windowClosedAt = performance.now();
    const windowSeconds = (windowClosedAt - windowOpenedAt) / 1000;
    const serversAfter = job.lanes.map((l) => readServerCpu(l.serverPid));
    const ownUsed = ownCpu() - ownBefore;
    const coresAfter = coreTimes();
    const cpuUsed = serversAfter.map((after, i) => {
      const before = (serversBefore as CpuSample[] | null)?.[i];
      return before ? after.user + after.system - before.user - before.system : 0;
    });
    const allServersUsed = cpuUsed.reduce((a, b) => a + b, 0);

    // Drain: wait for every edit to reach every receiver, bounded by drainMs.
    const drainEnd = performance.now() + job.drainMs;
    while (performance.now() < drainEnd && lanes.some((lane) => lane.pending())) await until(20);

    const othersOnServerCore = othersShare(
      coresBefore.busy,
      coresAfter.busy,
      job.serverCore,
      allServersUsed,
      windowSeconds,
    );
    const othersOnLoadCore = othersShare(
      coresBefore.busy,
      coresAfter.busy,
      job.loadCore,
      ownUsed,
      windowSeconds,
    );
    const stolenOnServerCore = stolenShare(
      coresBefore.stolen,
      coresAfter.stolen,
      job.serverCore,
      windowSeconds,
    );
    const stolenOnLoadCore = stolenShare(
      coresBefore.stolen,
      coresAfter.stolen,
      job.loadCore,
      windowSeconds,
    );
    return lanes.map((lane, i) => {
      const { latencies, undeliveredEdits, undelivered } = lane.deliveryFigures();
      const editsMeasured = lane.sent - lane.firstMeasured;
      const typingSeconds = (typed(i, windowClosedAt) - typed(i, windowOpenedAt)) / 1000;
      const used = cpuUsed[i] as number;
      const status = readFileSync(`/proc/${lane.target.serverPid}/status`, "utf8");
      return {
        connected: lane.receivers.length + lane.typers.length,
        synced: lane.synced,
        connectErrors: lane.connectErrors,
        connectMs: lane.connectMs,
        editsMeasured,
        achievedRate: editsMeasured / typingSeconds,
        latency: summarize(latencies),
        undeliveredEdits,
        undeliveredDeliveries: undelivered,
        receiversLost: lane.lost,
        serverCoreShare: used / windowSeconds,
        serverCpuMsPerEdit: editsMeasured > 0 ? (used * 1000) / editsMeasured : Number.NaN,
        serverPeakRss: parseProcStatusKb(status, "VmHWM") ?? Number.NaN,
        loadGeneratorShare: ownUsed / windowSeconds,
        deliveriesPerSecond: (lane.deliveries - lane.deliveriesBefore) / typingSeconds,
        othersOnServerCore,
        othersOnLoadCore,
        stolenOnServerCore,
        stolenOnLoadCore,
      };
    });
  } finally {
    for (const lane of lanes) lane.close();
  }
}

if (runsProgram("load")) {
  const job = JSON.parse(process.argv[2] ?? "null") as FanoutJob | null;
  if (!job) {
    console.error("usage: load.ts '<FanoutJob JSON>'");
    process.exit(2);
  }
  // A hard stop: the cell's own waits are bounded, this guards against a wait that is not.
  const hardStop = setTimeout(
    () => {
      console.error("load generator: hard time limit reached");
      process.exit(3);
    },
    job.warmupMs + job.measureMs + job.drainMs + 60_000 * job.lanes.length,
  );
  runFanout(job).then(
    (result) => {
      clearTimeout(hardStop);
      // The orchestrator stops this process with SIGTERM once it has the line; exiting
      // normally on it lets --cpu-prof write a profile.
      process.on("SIGTERM", () => process.exit(0));
      process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
    },
    (error: Error) => {
      console.error(`load generator: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
