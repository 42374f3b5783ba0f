#!/usr/bin/env node
// The `parley` command. It runs the bundle scripts/build-cli.ts makes (npm's "prepare"
// builds it) with plain Node, which answers within a second; compiling every module with
// tsx on each run takes several. When the bundle is missing, or a source file under cli/ or
// schema/ is newer than it (someone is editing), it runs the TypeScript through tsx, as the
// rest of the project does, so the command never runs stale code.
import { readdirSync, statSync } from "node:fs";

const bundle = new URL("../node_modules/.cache/parley-cli/parley.mjs", import.meta.url);
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
    // No bundle (never built, or the cache was cleared), or no sources to compare.
    return false;
  }
}

async function fromSources() {
  const { register } = await import("tsx/esm/api");
  register();
  return (await import(new URL("../cli/main.ts", import.meta.url).href)).main;
}

/**
 * Whether `error` is the bundle's own files going missing while it runs: a rebuild
 * replaces the chunks between the check above and the
 * chunks' loading. Commands load their chunks before they read or write anything.
 */
function bundleVanished(error) {
  const dir = decodeURIComponent(new URL("./", bundle).pathname);
  return error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes(dir);
}

const argv = process.argv.slice(2);
if (bundleIsFresh()) {
  try {
    const { main } = await import(bundle.href);
    process.exitCode = await main(argv);
  } catch (error) {
    if (!bundleVanished(error)) throw error;
    process.exitCode = await (await fromSources())(argv);
  }
} else {
  process.exitCode = await (await fromSources())(argv);
}
