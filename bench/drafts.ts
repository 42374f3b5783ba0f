// The large-drafts scenario: how long a server takes to load a 200-page draft and send it
// to a new client, how much memory a loaded draft costs it, and how fast the codecs read
// and write it.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import { draftToUpdate } from "../schema/draft.ts";
import type { Actor } from "../schema/registry.ts";
import { type BigDraft, buildBigDraft } from "./bigdraft.ts";
import { measureCodecs } from "./codecs.ts";
import { firstEditUpdate } from "./firstedit.ts";
import type { BenchPlan } from "./options.ts";
import { connectTyper, type Endpoint, type ServerName } from "./peers.ts";
import { loadCore, pinSelf, serverCore } from "./procs.ts";
import { openReceiver, type Receiver } from "./receiver.ts";
import { type RunningServer, startServer } from "./servers.ts";
import {
  type CoreBusy,
  type CpuSample,
  disturbance,
  othersShare,
  parseCoreBusy,
  parseCoreSteal,
  parseProcStat,
  quantile,
  stolenShare,
} from "./stats.ts";
import { typerParty } from "./workload.ts";

/** What the generated draft holds. */
export interface DraftShape {
  readonly pages: number;
  readonly blocks: number;
  readonly brackets: number;
  readonly maxDepth: number;
  readonly parties: number;
  readonly chairAlternatives: number;
  readonly updateBytes: number;
  readonly buildMs: number;
  /** How the draft was built (the model's commands, or a fallback when they are missing). */
  readonly builtWith: string;
}

/** One server's handling of the draft. */
export interface DraftServerResult {
  readonly server: ServerName;
  /**
   * Inside the server: from asking its store (or load hook) for the draft until the document
   * is ready to serve (for Parley, with the permission guard's copy opened). Median over copies.
   */
  readonly loadMs: number | null;
  /** From a first client's connect to the draft received: load from store, then send. */
  readonly firstOpenMs: number | null;
  /** A new client's connect to the draft received, the draft already in memory. */
  readonly receiveMs: number | null;
  /**
   * Live memory per loaded copy of the draft, in bytes: growth of V8 heap in use plus memory
   * outside the heap (buffers), after a full garbage collection, over several copies.
   */
  readonly memoryPerDraft: number | null;
  /** Growth of the resident set per copy, in bytes (includes heap slack V8 keeps). */
  readonly rssPerDraft: number | null;
  /**
   * The same as `memoryPerDraft` once every copy has had one edit (a delegation's proposed
   * insertion): a room in a negotiation is written to, and a server may build state for
   * writes (Parley's guard builds its copy of the document at the first one). Absent in
   * results files from before it was measured.
   */
  readonly memoryInUsePerDraft?: number | null;
  readonly rssInUsePerDraft?: number | null;
  /**
   * From sending the first edit of a loaded copy until a client watching that copy has it,
   * in milliseconds; median over copies. Absent in older results files.
   */
  readonly firstEditMs?: number | null;
  /**
   * The share of the server's core other processes used while this was measured; above
   * `contentionLimit` the times include waiting for the CPU.
   */
  readonly othersOnServerCore: number | null;
  /**
   * The share of the server's core the hypervisor took (steal; counted in `othersOnServerCore`
   * too) while this was measured. Absent in results written before 2026-11-21 23:30.
   */
  readonly stolenOnServerCore?: number | null;
  readonly error: string | null;
}

/** Why a server's draft figures measured the machine, not the server (stats.ts `disturbance`). */
export function draftDisturbance(result: DraftServerResult): string | null {
  return disturbance(result.othersOnServerCore, result.stolenOnServerCore);
}

/** One codec's time on the draft. */
export interface CodecResult {
  readonly format: string;
  readonly writeMs: number | null;
  readonly readMs: number | null;
  readonly bytes: number | null;
  readonly note: string | null;
}

/** The scenario's results. */
export interface DraftsResult {
  readonly shape: DraftShape;
  readonly servers: readonly DraftServerResult[];
  readonly codecs: readonly CodecResult[];
}

const draftSeed = 20_261_121;
const openTimeoutMs = 60_000;
const receiveRepeats = 3;

/** The draft for the scenario: the shared generator's when it exists, else this bench's own. */
async function makeDraft(
  pages: number,
): Promise<{ big: BigDraft; builtWith: string; buildMs: number }> {
  const t0 = performance.now();
  const big = buildBigDraft({ pages, seed: draftSeed });
  return {
    big,
    builtWith: "bench/bigdraft.ts through the model's commands",
    buildMs: performance.now() - t0,
  };
}

/** The server child's memory after a full collection (see serve.ts `reportMemoryOnSignal`). */
async function liveMemory(
  running: RunningServer,
  n: number,
): Promise<{ live: number; rss: number }> {
  running.child.process.kill("SIGUSR2");
  const match = await running.child.waitFor(new RegExp(`^MEMORY ${n} (.*)$`, "m"), 30_000);
  const usage = JSON.parse(match[1] as string) as NodeJS.MemoryUsage;
  return { live: usage.heapUsed + usage.external, rss: usage.rss };
}

/** Connect a receiver to `endpoint` and time until the whole document has arrived. */
async function timeToDocument(
  endpoint: Endpoint,
  index: number,
  onEdit: (index: number, id: number) => void = () => {},
): Promise<{ ms: number; receiver: Receiver }> {
  const t0 = performance.now();
  let resolveDoc: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    resolveDoc = resolve;
  });
  const receiver = await openReceiver(
    {
      host: "127.0.0.1",
      port: endpoint.port,
      path: endpoint.receiverPath,
      dialect: endpoint.dialect,
      docName: endpoint.docName,
      token: endpoint.receiverToken,
    },
    index,
    onEdit,
    () => {},
    openTimeoutMs,
    () => resolveDoc(),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      arrived,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`No document within ${openTimeoutMs} ms`)),
          openTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    receiver.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { ms: performance.now() - t0, receiver };
}

/** Others' share of the server core since `t0`, from the samples taken then and `coresAfter` now. */
function othersDuring(
  pid: number,
  coresBefore: CoreBusy,
  coresAfter: CoreBusy,
  serverBefore: CpuSample | null,
  t0: number,
): number | null {
  const serverAfter = parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  if (!serverBefore || !serverAfter) return null;
  const ours = serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system;
  const seconds = (performance.now() - t0) / 1000;
  return othersShare(coresBefore, coresAfter, serverCore, ours, seconds);
}

const median = (values: readonly number[]): number =>
  quantile(Float64Array.from(values).sort(), 0.5);

/**
 * Send copy `index`'s first edit from a delegation's provider client (of the server's own
 * kind, holding the draft already) and time until `watched` resolves: the watching client
 * has the edit. The provider's own connect and sync are not timed.
 */
async function timeFirstEdit(
  endpoint: Endpoint,
  stored: Uint8Array,
  edit: Uint8Array,
  watched: Promise<void>,
): Promise<number> {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, stored);
  const typer = await connectTyper(endpoint, ydoc, 0, openTimeoutMs);
  let timer: NodeJS.Timeout | undefined;
  try {
    await typer.synced;
    const t0 = performance.now();
    // The provider sends every update not of its own making, so applying the edit sends it.
    Y.applyUpdate(ydoc, edit);
    await Promise.race([
      watched,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`The first edit did not arrive within ${openTimeoutMs} ms`)),
          openTimeoutMs,
        );
      }),
    ]);
    return performance.now() - t0;
  } finally {
    clearTimeout(timer);
    typer.destroy();
    ydoc.destroy();
  }
}

async function measureServer(
  server: ServerName,
  draft: { file: string; stored: Uint8Array; edits: readonly Uint8Array[] },
  scratch: string,
): Promise<DraftServerResult> {
  const copies = draft.edits.length;
  const docNames = Array.from({ length: copies }, (_, i) => `draft-${i}`);
  const receivers: Receiver[] = [];
  // Copy i's watcher (receiver i) resolves arrivals[i] when it sees edit i.
  const arrived: (() => void)[] = [];
  const arrivals = docNames.map(
    (_, i) =>
      new Promise<void>((resolve) => {
        arrived[i] = resolve;
      }),
  );
  const onEdit = (index: number, id: number) => {
    if (index === id) arrived[index]?.();
  };
  let running: RunningServer | null = null;
  try {
    running = await startServer(server, {
      typers: 1,
      scratch,
      draft: { file: draft.file, docNames },
    });
    const baseline = await liveMemory(running, 1);
    const pid = running.child.pid;
    const t0 = performance.now();
    const statBefore = readFileSync("/proc/stat", "utf8");
    const coresBefore = parseCoreBusy(statBefore);
    const stolenBefore = parseCoreSteal(statBefore);
    const serverBefore = parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
    const opens: number[] = [];
    for (const [i, name] of docNames.entries()) {
      const { ms, receiver } = await timeToDocument(running.endpointFor(name), i, onEdit);
      opens.push(ms);
      receivers.push(receiver);
    }
    const loaded = await liveMemory(running, 2);
    const loads = [...running.child.stdout().matchAll(/^LOADED (\S+) ([\d.]+)$/gm)].map((m) =>
      Number(m[2]),
    );
    const receives: number[] = [];
    for (let k = 0; k < receiveRepeats; k++) {
      const { ms, receiver } = await timeToDocument(
        running.endpointFor(docNames[0] as string),
        copies + k,
      );
      receives.push(ms);
      receivers.push(receiver);
    }
    const firstEdits: number[] = [];
    for (const [i, name] of docNames.entries()) {
      firstEdits.push(
        await timeFirstEdit(
          running.endpointFor(name),
          draft.stored,
          draft.edits[i] as Uint8Array,
          arrivals[i] as Promise<void>,
        ),
      );
    }
    const inUse = await liveMemory(running, 3);
    const statAfter = readFileSync("/proc/stat", "utf8");
    return {
      server,
      loadMs: loads.length ? median(loads) : null,
      firstOpenMs: median(opens),
      receiveMs: median(receives),
      memoryPerDraft: (loaded.live - baseline.live) / copies,
      rssPerDraft: (loaded.rss - baseline.rss) / copies,
      memoryInUsePerDraft: (inUse.live - baseline.live) / copies,
      rssInUsePerDraft: (inUse.rss - baseline.rss) / copies,
      firstEditMs: median(firstEdits),
      othersOnServerCore: othersDuring(
        pid,
        coresBefore,
        parseCoreBusy(statAfter),
        serverBefore,
        t0,
      ),
      stolenOnServerCore: stolenShare(
        stolenBefore,
        parseCoreSteal(statAfter),
        serverCore,
        (performance.now() - t0) / 1000,
      ),
      error: null,
    };
  } catch (error) {
    return {
      server,
      loadMs: null,
      firstOpenMs: null,
      receiveMs: null,
      memoryPerDraft: null,
      rssPerDraft: null,
      memoryInUsePerDraft: null,
      rssInUsePerDraft: null,
      firstEditMs: null,
      othersOnServerCore: null,
      stolenOnServerCore: null,
      error: (error as Error).message.slice(0, 300),
    };
  } finally {
    for (const r of receivers) r.close();
    await running?.stop();
  }
}

/** One server's figures as the progress log shows them. */
function progressLine(result: DraftServerResult): string {
  const ms = (v: number | null | undefined) => v?.toFixed(0) ?? "–";
  const mib = (v: number | null | undefined) => (v == null ? "–" : (v / 2 ** 20).toFixed(1));
  const others =
    result.othersOnServerCore === null ? "–" : `${(result.othersOnServerCore * 100).toFixed(0)}%`;
  return (
    `${result.server}: load ${ms(result.loadMs)} ms, first open ${ms(result.firstOpenMs)} ms, new client ${ms(result.receiveMs)} ms, ` +
    `${mib(result.memoryPerDraft)} MB per draft loaded, ${mib(result.memoryInUsePerDraft)} MB in use, first edit ${ms(result.firstEditMs)} ms, ` +
    `others on its core ${others}` +
    (typeof result.stolenOnServerCore === "number"
      ? ` (steal ${(result.stolenOnServerCore * 100).toFixed(0)}%)`
      : "") +
    (result.error ? ` (${result.error})` : "")
  );
}

/**
 * Run the scenario on `servers` (the check-less Parley is left out: loading and sending do
 * not run checks) and on every codec found. Never rejects for a server or codec that fails;
 * its row carries the error instead.
 */
export async function runDrafts(
  plan: BenchPlan,
  servers: readonly ServerName[],
  scratch: string,
  log: (line: string) => void,
  waitForQuiet: () => Promise<boolean> = async () => true,
): Promise<DraftsResult> {
  const { big, builtWith, buildMs } = await makeDraft(plan.draftPages);
  const update = draftToUpdate(big.draft);
  const file = join(scratch, "draft.update");
  writeFileSync(file, update);
  const shape: DraftShape = {
    pages: plan.draftPages,
    blocks: big.blocks,
    brackets: big.brackets,
    maxDepth: big.maxDepth,
    parties: big.parties,
    chairAlternatives: big.chairAlternatives,
    updateBytes: update.length,
    buildMs,
    builtWith,
  };
  log(
    `draft: ${shape.brackets} brackets, depth ${shape.maxDepth}, ${(update.length / 2 ** 20).toFixed(1)} MB update`,
  );
  // One edit per copy, tagged with the copy's index, made once and sent to every server.
  const author: Actor = { party: typerParty(0), role: "delegation" };
  const edits = Array.from({ length: plan.draftCopies }, (_, i) =>
    firstEditUpdate(update, author, i),
  );
  log(`first edits: ${edits.map((e) => e.length).join(", ")} bytes`);
  const results: DraftServerResult[] = [];
  // This process is the scenario's client (it receives each copy of the draft): keep it, its
  // garbage collector and its compiler off the server's core, as the fan-out keeps its load
  // generator.
  const unpin = pinSelf(loadCore);
  try {
    for (const server of servers.filter((s) => s !== "parley-nochecks")) {
      let result = await measureServer(server, { file, stored: update, edits }, scratch);
      // As a disturbed fan-out run is: measured again once the machine is quiet.
      for (let retry = 0; retry < plan.retries && draftDisturbance(result); retry++) {
        log(`${progressLine(result)}; disturbed, waiting for a quiet machine`);
        log(
          (await waitForQuiet()) ? "quiet; measuring again" : "still busy; measuring again anyway",
        );
        result = await measureServer(server, { file, stored: update, edits }, scratch);
      }
      log(progressLine(result));
      results.push(result);
    }
  } finally {
    unpin();
  }
  const codecs = await measureCodecs(big.draft);
  for (const c of codecs)
    log(
      `codec ${c.format}: write ${c.writeMs?.toFixed(0) ?? "–"} ms, read ${c.readMs?.toFixed(0) ?? "–"} ms ${c.note ?? ""}`,
    );
  return { shape, servers: results, codecs };
}
