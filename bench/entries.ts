// The children's programs: serve.ts (a server under test) and load.ts (a load generator) run
// bundled, with plain Node, as `npm start` runs the server bundled (scripts/bundle.ts says
// why: under tsx every closure made at run time also gets its name defined). Both are
// bundled once per benchmark process, into a directory of bench/tmp/ of its own (inside the
// repository, so that Node finds the packages the bundles leave external), removed when the
// process exits.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { nodeBundleOptions } from "../scripts/bundle.ts";

const here = new URL(".", import.meta.url).pathname;
const outdir = join(here, "tmp", `entries-${process.pid}`);
let built: Promise<void> | null = null;

/**
 * The node arguments that run child program `name` (bundling the programs on first use).
 * Rejects with esbuild's error when a source does not compile.
 */
export async function childProgram(name: "serve" | "load"): Promise<string[]> {
  built ??= build({
    ...nodeBundleOptions,
    entryPoints: { serve: "bench/serve.ts", load: "bench/load.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
  }).then(() => {
    process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));
  });
  await built;
  return ["--enable-source-maps", join(outdir, `${name}.mjs`)];
}
