// `npm run bench [-- --quick]`: every scenario against every server, side by side in one
// run, then bench/results/<date>.json and a regenerated bench/RESULTS.md.

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
  return (
    `p50 ${m.latency.p50.toFixed(1)} p99 ${m.latency.p99.toFixed(1)} ms, undelivered ${m.undeliveredEdits}, ` +
    `server ${(m.serverCoreShare * 100).toFixed(0)}% ${m.serverCpuMsPerEdit.toFixed(3)} ms/edit, ` +
    `load gen ${(m.loadGeneratorShare * 100).toFixed(0)}%, others ${(m.othersOnServerCore * 100).toFixed(0)}%/${(m.othersOnLoadCore * 100).toFixed(0)}%${verdict}`
  );
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
  for (const server of plan.fanout ? plan.servers : []) {
    let firstError: string | null = null;
    let cells = 0;
    for (const connections of plan.connections) {
      for (const rate of plan.rates) {
        const cell = await runCell(
          server,
          {
            connections,
            rate,
            typers: plan.typers,
            warmupMs: plan.warmupMs,
            measureMs: plan.measureMs,
            drainMs: plan.drainMs,
          },
          scratch,
        );
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

async function main(): Promise<void> {
  const plan = parseArgs(process.argv.slice(2));
  if (!canPin()) log("taskset is missing: server and load generator will share cores");
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
    writeFileSync(join(here, "RESULTS.md"), renderResults(results, readNotes()));
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
