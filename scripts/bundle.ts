// What every bundle of Parley's TypeScript for Node is built with: ESM for Node 20, packages
// from node_modules left external (so a bundle must lie inside the repository, where Node
// finds them), and a linked source map for stack traces (`node --enable-source-maps`).
//
// A bundle is plain JavaScript, which Node (or tsx, which leaves .mjs files as they are) runs
// as esbuild wrote it, and that is not only a faster start. tsx compiles TypeScript with
// esbuild's `keepNames`, which wraps every function created at run time in a call that
// defines its `name` property. The permission guard creates a few closures per judged
// update; in a hot loop of the benchmark's keystrokes its work per update (beyond Yjs's own
// apply) measured 12–26 µs under tsx and 11–17 µs bundled (three runs each).
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";

/** The repository's root directory. */
export const repoRoot = fileURLToPath(new URL("../", import.meta.url));

/** The options shared by every Node bundle; add entry points and where to write. */
export const nodeBundleOptions = {
  absWorkingDir: repoRoot,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
} satisfies BuildOptions;
