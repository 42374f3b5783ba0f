// `npm run bench [-- --quick]`: every scenario against every server, side by side in one
// run, then bench/results/<date>.json and a regenerated bench/RESULTS.md.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DraftsResult, runDrafts } from "./drafts.ts";
import { type FanoutCell, runCell } from "./fanout.ts";
import { type BenchPlan, parseArgs } from "./options.ts";
import type { ServerName } from "./peers.ts";
import { canPin } from "./procs.ts";
import { renderResults } from "./report.ts";
import { type BenchResults, describeMachine, resultsFileName } from "./results.ts";
import { othersShare, parseCoreBusy } from "./stats.ts";

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
    `others ${pct(m.othersOnServerCore)}/${pct(m.othersOnLoadCore)}${verdict}`
  );
}

const quietShare = 0.15;
const retryBudgetMs = 12 * 60_000;
const quietSampleMs = 2000;

/**
 * Wait until no core is busier than `quietShare` over a sample of two seconds (nothing of
 * ours runs between cells), for at most `maxMs`. Resolves whether the machine got quiet.
 */
async function waitForQuiet(maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  const read = () => parseCoreBusy(readFileSync("/proc/stat", "utf8"));
  while (performance.now() < deadline) {
    const before = read();
    await new Promise((resolve) => setTimeout(resolve, quietSampleMs));
    const after = read();
    const busiest = Math.max(
      ...[...after.keys()].map((core) => othersShare(before, after, core, 0, quietSampleMs / 1000)),
    );
    if (busiest < quietShare) return true;
  }
  return false;
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
  const fanout: FanoutCell[] = [];
  const unavailable: { server: ServerName; reason: string }[] = [];
  const servers: ServerName[] = [];
  // Retries stop after this: a machine that stays busy must not stretch the run past 30 min.
  const retryDeadline = t0 + retryBudgetMs;
  for (const server of plan.fanout ? plan.servers : []) {
    let firstError: string | null = null;
    let cells = 0;
    for (const connections of plan.connections) {
      for (const rate of plan.rates) {
        const spec = {
          connections,
          rate,
          typers: plan.typers,
          warmupMs: plan.warmupMs,
          measureMs: plan.measureMs,
          drainMs: plan.drainMs,
        };
        let cell = await runCell(server, spec, scratch);
        for (
          let retry = 0;
          retry < plan.retries &&
          cell.invalid?.kind === "coreContended" &&
          performance.now() < retryDeadline;
          retry++
        ) {
          log(
            `${server} ${connections} conn × ${rate}/s: ${summary(cell)}; waiting for a quiet machine`,
          );
          const quiet = await waitForQuiet(plan.quietWaitMs);
          log(quiet ? "quiet; measuring again" : "still busy; measuring again anyway");
          cell = await runCell(server, spec, scratch);
        }
        log(
          `${server} ${connections} conn × ${rate}/s: ${summary(cell)} (${(cell.wallMs / 1000).toFixed(1)} s)`,
        );
        fanout.push(cell);
        cells++;
        if (cell.error && cells === 1) firstError = cell.error;
        // A server that cannot even start its first cell is not available in this run;
        // trying its other cells would only repeat the same error.
        if (firstError) break;
      }
      if (firstError) break;
    }
    if (firstError && cells === 1) {
      fanout.pop();
      unavailable.push({ server, reason: firstError.split("\n")[0] ?? firstError });
    } else servers.push(server);
  }
  if (!plan.fanout) servers.push(...plan.servers);
  let drafts: DraftsResult | null = null;
  if (plan.draftPages > 0) {
    log(`large drafts: ${plan.draftPages} pages`);
    drafts = await runDrafts(plan, servers, scratch, log);
  }
  return {
    version: 1,
    mode: plan.mode,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    machine: describeMachine(canPin()),
    servers,
    unavailable,
    fanout,
    drafts,
  };
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
