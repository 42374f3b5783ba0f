#!/usr/bin/env node
// The `parley` command. It runs the bundle scripts/build-cli.ts makes (npm's "prepare"
// builds it) with plain Node, which answers within a second; compiling every module with
// tsx on each run takes several. When the bundle is missing, or a source file under cli/ or
// schema/ is newer than it (someone is editing), it runs the TypeScript through tsx, as the
// rest of the project does, so the command never runs stale code.
import { readdirSync, statSync } from "node:fs";

const bundle = new URL("../dist/cli/parley.mjs", import.meta.url);
const sources = ["../cli/", "../schema/"].map((dir) => new URL(dir, import.meta.url));

/** Whether any file under `dir` was modified after `time` (milliseconds). */
function newerUnder(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.isDirectory() ? `${entry.name}/` : entry.name, dir);
    if (entry.isDirectory() ? newerUnder(url, time) : statSync(url).mtimeMs > time) return true;
  }
  return false;
}

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    return !sources.some((dir) => newerUnder(dir, built));
  } catch {
    // No bundle (never built, or `vite build` emptied dist/), or no sources to compare.
    return false;
  }
}

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(new URL("../cli/main.ts", import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));
