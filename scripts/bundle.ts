// What every bundle of Parley's TypeScript for Node is built with: ESM for Node 20, packages
// from node_modules left external (so a bundle must lie inside the repository, where Node
// finds them), and a linked source map for stack traces (`node --enable-source-maps`).
//
// Bundles run with plain Node instead of through tsx, and that is not only a faster start:
// tsx compiles with esbuild's `keepNames`, which wraps every function created at run time in
// a call that defines its `name` property. The permission guard creates a few closures per
// judged update, and under tsx those calls were about a third of the guard's time (a hot
// loop of the benchmark's keystrokes: 24 µs of guard work per update under tsx, 10 µs bundled).
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
