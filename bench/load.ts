// The load generator of one fan-out cell, run as its own process pinned to its own core:
// `node load.mjs '<FanoutJob JSON>'` (bundled by entries.ts). It attaches a few real provider
// clients that type at the cell's aggregate rate and N − typers lightweight receivers, then
// prints one line `RESULT <FanoutMeasurement JSON>` and exits. Every wait is bounded.

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

/** One cell's instructions to the load generator. */
export interface FanoutJob {
  readonly endpoint: Endpoint;
  readonly serverPid: number;
  readonly connections: number;
  readonly typers: number;
  /** Aggregate edits per second over all typers. */
  readonly rate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** How long to wait after the last edit for deliveries still under way. */
  readonly drainMs: number;
  /** The cores the server and the load generator are pinned to, to see who else used them. */
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
  /** Edits sent in the measured window, and per second. */
  readonly editsMeasured: number;
  readonly achievedRate: number;
  /** Latency until every receiver had the edit, over edits of the window delivered to all. */
  readonly latency: LatencySummary;
  /** Edits (of all sent, warm-up included) that some receiver never got. */
  readonly undeliveredEdits: number;
  /** Missing (edit, receiver) pairs among all edits sent. */
  readonly undeliveredDeliveries: number;
  readonly receiversLost: number;
  /** Server CPU over the measured window: share of a core, and milliseconds per edit. */
  readonly serverCoreShare: number;
  readonly serverCpuMsPerEdit: number;
  /** The server process's peak resident set (VmHWM) at the end of the cell, in bytes. */
  readonly serverPeakRss: number;
  /** The load generator's own share of its core over the measured window. */
  readonly loadGeneratorShare: number;
  /** (Edit, receiver) deliveries seen per second during the window. */
  readonly deliveriesPerSecond: number;
  /** Shares of the server's and the load generator's cores used by other processes. */
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

/** Run one cell. Rejects only when the typers cannot sync (nothing to measure then). */
export async function runFanout(job: FanoutJob): Promise<FanoutMeasurement> {
  const receiverCount = job.connections - job.typers;
  if (receiverCount < 1)
    throw new RangeError(`A cell needs more connections than its ${job.typers} typers`);
  const maxEdits = Math.ceil((job.rate * (job.warmupMs + job.measureMs)) / 1000) + 64;
  const sentAt = new Float64Array(maxEdits);
  const remaining = new Int32Array(maxEdits);
  const doneAt = new Float64Array(maxEdits).fill(Number.NaN);
  // One byte per (receiver, edit): a receiver may see an edit twice (in an update and again
  // in a sync reply), and must count once.
  const seen = new Uint8Array(receiverCount * maxEdits);
  let sent = 0;
  let lost = 0;
  let synced = 0;
  let deliveries = 0;
  let deliveriesBefore = 0;
  const onEdit = (index: number, id: number) => {
    if (id >= sent) return;
    const slot = index * maxEdits + id;
    if (seen[slot]) return;
    seen[slot] = 1;
    deliveries++;
    const left = (remaining[id] as number) - 1;
    remaining[id] = left;
    if (left === 0) doneAt[id] = performance.now();
  };
  const typers: TyperConnection[] = [];
  const docs: Y.Doc[] = [];
  let receivers: Receiver[] = [];
  try {
    const started = performance.now();
    const seed = job.endpoint.seededByServer ? null : fanoutSeed(job.typers);
    for (let i = 0; i < job.typers; i++) {
      const ydoc = new Y.Doc();
      if (seed) Y.applyUpdate(ydoc, seed);
      docs.push(ydoc);
      typers.push(await connectTyper(job.endpoint, ydoc, i, connectTimeoutMs));
    }
    await Promise.all(typers.map((t) => t.synced));
    const hands = docs.map((d, i) => new Typist(d, i));
    const opened = await openReceivers(
      {
        host: "127.0.0.1",
        port: job.endpoint.port,
        path: job.endpoint.receiverPath,
        dialect: job.endpoint.dialect,
        docName: job.endpoint.docName,
        token: job.endpoint.receiverToken,
      },
      receiverCount,
      connectParallel,
      onEdit,
      () => {
        lost++;
      },
      connectTimeoutMs,
      () => {
        synced++;
      },
    );
    receivers = opened.receivers;
    // Edits start once every receiver has the document: a server may still be setting a
    // connection up after the upgrade (Hocuspocus authenticates first), and an edit it relays
    // before then would reach that receiver only inside its sync reply, late.
    const syncDeadline = performance.now() + connectTimeoutMs;
    while (synced < receivers.length && performance.now() < syncDeadline) await until(10);
    const connectMs = performance.now() - started;
    remaining.fill(receivers.length);

    const t0 = performance.now();
    const windowStart = t0 + job.warmupMs;
    const end = windowStart + job.measureMs;
    let firstMeasured = -1;
    let serverBefore: CpuSample | null = null;
    let ownBefore = 0;
    let coresBefore: CoreTimes = { busy: new Map(), stolen: new Map() };
    let windowOpenedAt = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (serverBefore === null && now >= windowStart) {
          serverBefore = readServerCpu(job.serverPid);
          ownBefore = ownCpu();
          coresBefore = coreTimes();
          deliveriesBefore = deliveries;
          windowOpenedAt = now;
          firstMeasured = sent;
        }
        if (now >= end) {
          resolve();
          return;
        }
        const due = Math.min(maxEdits, Math.floor((job.rate * (now - t0)) / 1000));
        while (sent < due) {
          const id = sent;
          sentAt[id] = performance.now();
          sent++;
          (hands[id % hands.length] as Typist).type(id);
        }
        setTimeout(tick, tickMs);
      };
      tick();
    });
    const windowSeconds = (performance.now() - windowOpenedAt) / 1000;
    const serverAfter = readServerCpu(job.serverPid);
    const ownUsed = ownCpu() - ownBefore;
    const coresAfter = coreTimes();
    const ownShare = ownUsed / windowSeconds;
    const windowDeliveries = deliveries - deliveriesBefore;
    const editsMeasured = sent - firstMeasured;

    // Drain: wait for every edit to reach every receiver, bounded by drainMs.
    const drainEnd = performance.now() + job.drainMs;
    while (performance.now() < drainEnd) {
      let pending = false;
      for (let id = 0; id < sent; id++) {
        if ((remaining[id] as number) > 0) {
          pending = true;
          break;
        }
      }
      if (!pending) break;
      await until(20);
    }

    const latencies: number[] = [];
    let undeliveredEdits = 0;
    let undeliveredDeliveries = 0;
    for (let id = 0; id < sent; id++) {
      const left = remaining[id] as number;
      if (left > 0) {
        undeliveredEdits++;
        undeliveredDeliveries += left;
      } else if (id >= firstMeasured) {
        latencies.push((doneAt[id] as number) - (sentAt[id] as number));
      }
    }
    const cpuUsed =
      serverBefore === null
        ? 0
        : serverAfter.user +
          serverAfter.system -
          (serverBefore as CpuSample).user -
          (serverBefore as CpuSample).system;
    const status = readFileSync(`/proc/${job.serverPid}/status`, "utf8");
    return {
      connected: receivers.length + typers.length,
      synced,
      connectErrors: opened.errors.slice(0, 5),
      connectMs,
      editsMeasured,
      achievedRate: editsMeasured / windowSeconds,
      latency: summarize(latencies),
      undeliveredEdits,
      undeliveredDeliveries,
      receiversLost: lost,
      serverCoreShare: cpuUsed / windowSeconds,
      serverCpuMsPerEdit: editsMeasured > 0 ? (cpuUsed * 1000) / editsMeasured : Number.NaN,
      serverPeakRss: parseProcStatusKb(status, "VmHWM") ?? Number.NaN,
      loadGeneratorShare: ownShare,
      deliveriesPerSecond: windowDeliveries / windowSeconds,
      othersOnServerCore: othersShare(
        coresBefore.busy,
        coresAfter.busy,
        job.serverCore,
        cpuUsed,
        windowSeconds,
      ),
      othersOnLoadCore: othersShare(
        coresBefore.busy,
        coresAfter.busy,
        job.loadCore,
        ownUsed,
        windowSeconds,
      ),
      stolenOnServerCore: stolenShare(
        coresBefore.stolen,
        coresAfter.stolen,
        job.serverCore,
        windowSeconds,
      ),
      stolenOnLoadCore: stolenShare(
        coresBefore.stolen,
        coresAfter.stolen,
        job.loadCore,
        windowSeconds,
      ),
    };
  } finally {
    for (const r of receivers) r.close();
    for (const t of typers) t.destroy();
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
    job.warmupMs + job.measureMs + job.drainMs + 60_000,
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
