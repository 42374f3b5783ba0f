// `npm run bench [-- --quick]`: every scenario against every server, side by side in one
// run, then bench/results/<date>.json and a regenerated bench/RESULTS.md.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DraftsResult, runDrafts } from "./drafts.ts";
import { type FanoutCell, type FanoutSpec, runCell } from "./fanout.ts";
import {
  type BenchPlan,
  estimateDurationMs,
  parseArgs,
  takesParityTurns,
  takesTurns,
  turnWindow,
} from "./options.ts";
import { parityServers, type ServerName } from "./peers.ts";
import { canPin } from "./procs.ts";
import { combineRuns, runOrder } from "./repeats.ts";
import { renderResults } from "./report.ts";
import { type BenchResults, describeMachine, resultsFileName } from "./results.ts";
import { othersShare, parseCoreBusy, parseCoreSteal, stealLimit, stolenShare } from "./stats.ts";
import { runParityTurns, runTurns, type TurnCell, type TurnsOf } from "./turns.ts";

const here = new URL(".", import.meta.url).pathname;
const notesFile = join(here, "NOTES.md");

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function summary(cell: FanoutCell): string {
  if (cell.error) return `error: ${cell.error.split("\n")[0]}`;
  const m = cell.measurement;
  if (!m) return "no measurement";
  const verdict = cell.invalid ? ` INVALID(${cell.invalid.kind})` : "";
  // Numbers may be NaN or, from older results files, null: format them without throwing.
  const n = (v: number | null, digits: number) =>
    typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "–";
  const pct = (v: number | null) =>
    typeof v === "number" && Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : "–";
  return (
    `p50 ${n(m.latency.p50, 1)} p99 ${n(m.latency.p99, 1)} ms, undelivered ${m.undeliveredEdits}, ` +
    `server ${pct(m.serverCoreShare)} ${n(m.serverCpuMsPerEdit, 3)} ms/edit, ` +
    `${n(m.deliveriesPerSecond / 1000, 0)}k deliveries/s, load gen ${pct(m.loadGeneratorShare)}, ` +
    `others ${pct(m.othersOnServerCore)}/${pct(m.othersOnLoadCore)} ` +
    `(steal ${pct(m.stolenOnServerCore ?? null)}/${pct(m.stolenOnLoadCore ?? null)})${verdict}`
  );
}

const quietShare = 0.15;
const retryBudgetMs = 12 * 60_000;
const quietSampleMs = 2000;

/** Whether a run was disturbed by the machine (other processes, or the hypervisor). */
function machineBusy(run: FanoutCell): boolean {
  return run.invalid?.kind === "coreContended" || run.invalid?.kind === "coreStolen";
}

/**
 * Wait until no core is busier than `quietShare`, and the hypervisor takes no more than
 * `stealLimit` of any, over a sample of two seconds (nothing of ours runs between cells),
 * for at most `maxMs`. Resolves whether the machine got quiet.
 */
async function waitForQuiet(maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  const seconds = quietSampleMs / 1000;
  while (performance.now() < deadline) {
    const before = readFileSync("/proc/stat", "utf8");
    await new Promise((resolve) => setTimeout(resolve, quietSampleMs));
    const after = readFileSync("/proc/stat", "utf8");
    const [busyBefore, busyAfter] = [parseCoreBusy(before), parseCoreBusy(after)];
    const [stolenBefore, stolenAfter] = [parseCoreSteal(before), parseCoreSteal(after)];
    const cores = [...busyAfter.keys()];
    const busiest = Math.max(
      ...cores.map((c) => othersShare(busyBefore, busyAfter, c, 0, seconds)),
    );
    const stolen = Math.max(
      ...cores.map((c) => stolenShare(stolenBefore, stolenAfter, c, seconds)),
    );
    if (busiest < quietShare && stolen <= stealLimit) return true;
  }
  return false;
}

/**
 * What the run has spent on measuring again: retries stop once they have taken
 * `retryBudgetMs` in all, so a machine that stays busy does not stretch the run by more.
 */
interface RetryBudget {
  spentMs: number;
}

/**
 * Measure with `measure`, and while `disturbed` says the machine disturbed the result, wait
 * for a quiet machine and measure again, up to the plan's retries and within the budget.
 * `describe` says what was disturbed, for the log.
 */
async function measureQuietly<T>(
  plan: BenchPlan,
  budget: RetryBudget,
  measure: () => Promise<T>,
  disturbed: (result: T) => boolean,
  describe: (result: T) => string,
): Promise<T> {
  let result = await measure();
  for (
    let retry = 0;
    retry < plan.retries && disturbed(result) && budget.spentMs < retryBudgetMs;
    retry++
  ) {
    log(`${describe(result)}; waiting for a quiet machine`);
    const retryStarted = performance.now();
    const quiet = await waitForQuiet(plan.quietWaitMs);
    log(quiet ? "quiet; measuring again" : "still busy; measuring again anyway");
    result = await measure();
    budget.spentMs += performance.now() - retryStarted;
  }
  return result;
}

/** The human-written notes appended to RESULTS.md, one per list item in bench/NOTES.md. */
function readNotes(): string[] {
  try {
    return readFileSync(notesFile, "utf8")
      .split(/\n(?=- )/)
      .map((n) =>
        n
          .replace(/^- /, "")
          .replace(/\s*\n\s*/g, " ")
          .trim(),
      )
      .filter((n) => n && !n.startsWith("#"));
  } catch {
    return [];
  }
}

async function runPlan(plan: BenchPlan, scratch: string): Promise<BenchResults> {
  const startedAt = new Date();
  const t0 = performance.now();
  const unavailable: { server: ServerName; reason: string }[] = [];
  const started = new Set<ServerName>();
  // Runs by cell (server, connections, rate), in the order they finish.
  const runs = new Map<string, FanoutCell[]>();
  const key = (server: ServerName, connections: number, rate: number) =>
    `${server} ${connections} ${rate}`;
  const retries: RetryBudget = { spentMs: 0 };
  const order = plan.fanout
    ? runOrder(plan.servers, plan.connections, plan.rates, plan.repeats)
    : [];
  for (const [at, { server, connections, rate, repeat }] of order.entries()) {
    if (unavailable.some((u) => u.server === server)) continue;
    const spec = {
      connections,
      rate,
      typers: plan.typers,
      warmupMs: plan.warmupMs,
      measureMs: plan.measureMs,
      drainMs: plan.drainMs,
    };
    const label = `${server} ${connections} conn × ${rate}/s run ${repeat + 1}/${plan.repeats}`;
    const run = await measureQuietly(
      plan,
      retries,
      () => runCell(server, spec, scratch),
      machineBusy,
      (disturbed) => `${label}: ${summary(disturbed)}`,
    );
    log(
      `${label} [${at + 1}/${order.length}]: ${summary(run)} (${(run.wallMs / 1000).toFixed(1)} s)`,
    );
    // A server that cannot even start its first run is not available in this run; trying
    // its other runs would only repeat the same error.
    if (run.error && !started.has(server)) {
      unavailable.push({ server, reason: run.error.split("\n")[0] ?? run.error });
      continue;
    }
    started.add(server);
    const cell = key(server, connections, rate);
    runs.set(cell, [...(runs.get(cell) ?? []), run]);
  }
  // Listed server by server, as the tables read, though measured cell by cell.
  const rank = (c: FanoutCell) => plan.servers.indexOf(c.server);
  const fanout = [...runs.values()]
    .map(combineRuns)
    .sort((a, b) => rank(a) - rank(b) || a.connections - b.connections || a.rate - b.rate);
  for (const cell of plan.repeats > 1 ? fanout : []) {
    log(
      `${cell.server} ${cell.connections} conn × ${cell.rate}/s, the cell (median per metric over its runs): ${summary(cell)}`,
    );
  }
  const servers = plan.fanout
    ? plan.servers.filter((s) => !unavailable.some((u) => u.server === s))
    : [...plan.servers];
  const turns = takesTurns(plan)
    ? await runTurnCells(
        plan,
        retries,
        plan.turnCells,
        2,
        "checks on and off",
        (spec, repeat) => runTurns(spec, plan.turnMs, repeat, scratch),
        (run) => [
          ["checks on", run.checksOn],
          ["checks off", run.checksOff],
        ],
      )
    : null;
  const parity = takesParityTurns(plan)
    ? await runTurnCells(
        plan,
        retries,
        plan.parityCells,
        parityServers.length,
        "Parley and the peers",
        (spec, repeat) => runParityTurns(spec, plan.turnMs, repeat, scratch),
        (run) => run.cells.map((cell) => [cell.server, cell] as const),
      )
    : null;
  let drafts: DraftsResult | null = null;
  if (plan.draftPages > 0) {
    log(`large drafts: ${plan.draftPages} pages`);
    drafts = await runDrafts(plan, servers, scratch, log, () => waitForQuiet(plan.quietWaitMs));
  }
  return {
    version: 1,
    mode: plan.mode,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    machine: describeMachine(canPin()),
    method: {
      repeats: plan.repeats,
      warmupMs: plan.warmupMs,
      measureMs: plan.measureMs,
      drainMs: plan.drainMs,
    },
    servers,
    unavailable,
    fanout,
    turns,
    parity,
    drafts,
  };
}

/**
 * Every one of `cells` where servers take turns (`lanes` of them), run after run, each run
 * measured again (as a fan-out run is) when the machine disturbed any of them. `measure`
 * makes one run; `parts` names each server's measurement in it, for the log.
 */
async function runTurnCells<Run>(
  plan: BenchPlan,
  retries: RetryBudget,
  cells: readonly TurnCell[],
  lanes: number,
  what: string,
  measure: (spec: FanoutSpec, repeat: number) => Promise<Run>,
  parts: (run: Run) => readonly (readonly [string, FanoutCell])[],
): Promise<TurnsOf<Run>> {
  const window = turnWindow(plan, lanes);
  const measured: TurnsOf<Run>["cells"][number][] = [];
  for (const { connections, rate } of cells) {
    const spec = { connections, rate, typers: plan.typers, drainMs: plan.drainMs, ...window };
    const runs: Run[] = [];
    for (let repeat = 0; repeat < plan.turnRepeats; repeat++) {
      const label = `${what} taking turns, ${connections} conn × ${rate}/s run ${repeat + 1}/${plan.turnRepeats}`;
      const run = await measureQuietly(
        plan,
        retries,
        () => measure(spec, repeat),
        (r) => parts(r).some(([, cell]) => machineBusy(cell)),
        () => `${label}: disturbed`,
      );
      for (const [name, cell] of parts(run)) log(`${label}: ${name} ${summary(cell)}`);
      runs.push(run);
    }
    measured.push({ connections, rate, runs });
  }
  return { turnMs: plan.turnMs, ...window, cells: measured };
}

/**
 * Write RESULTS.md and pass it through the repository's formatter, which lays out markdown
 * tables its own way; `npm run lint` checks this file too. A failing formatter leaves the
 * file as rendered and says so.
 */
function writeResultsMd(markdown: string): void {
  const file = join(here, "RESULTS.md");
  writeFileSync(file, markdown);
  const biome = join(here, "..", "node_modules", ".bin", "biome");
  const formatted = spawnSync(biome, ["format", "--write", file], { stdio: "ignore" });
  if (formatted.status !== 0) log("biome could not format bench/RESULTS.md; left as rendered");
}

/**
 * `--render <results.json>`: regenerate RESULTS.md from a stored run (for example after
 * editing bench/NOTES.md) without measuring anything.
 */
function render(file: string): void {
  const results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  writeResultsMd(renderResults(results, readNotes()));
  log(`rendered bench/RESULTS.md from ${file}`);
}

async function main(): Promise<void> {
  const renderAt = process.argv.indexOf("--render");
  if (renderAt >= 0) {
    const file = process.argv[renderAt + 1];
    if (!file) throw new RangeError("--render needs a results file");
    render(file);
    return;
  }
  const plan = parseArgs(process.argv.slice(2));
  if (!canPin()) log("taskset is missing: server and load generator will share cores");
  const load = describeMachine(canPin()).loadAverageAtStart;
  if (load > 0.5)
    log(`load average ${load}: others are busy; disturbed cells will be marked invalid`);
  const estimate = estimateDurationMs(plan);
  log(
    `${plan.mode} run: ${plan.repeats} run(s) per cell and server, ${plan.warmupMs / 1000} s warm-up, ` +
      `${plan.measureMs / 1000} s measured; estimated ${(estimate / 60_000).toFixed(1)} min`,
  );
  const scratch = mkdtempSync(join(tmpdir(), "parley-bench-"));
  // Also on Ctrl-C, when procs.ts exits the process and `finally` would not run.
  process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
  try {
    const results = await runPlan(plan, scratch);
    log(`done in ${(results.durationMs / 60_000).toFixed(1)} min`);
    if (!plan.write) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      return;
    }
    const dir = join(here, "results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, resultsFileName(new Date(results.startedAt)));
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    writeResultsMd(renderResults(results, readNotes()));
    log(`wrote ${file} and bench/RESULTS.md`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error instanceof RangeError ? error.message : (error.stack ?? error.message));
    process.exit(1);
  },
);
