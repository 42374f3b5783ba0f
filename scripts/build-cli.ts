// Bundle the `parley` CLI (cli/main.ts and the schema it uses) into node_modules/.cache/parley-cli/parley.mjs, so
// that bin/parley.js can start it with plain Node instead of compiling every module with tsx
// on each run: tsx's module loading is nearly all of the time a short command takes.
// Packages in node_modules stay external and load as they are. Dynamic imports become
// chunks of their own, so `parley inspect` never loads the DOCX writer and its `docx`
// package. Run by npm's "prepare" (`tsx scripts/build-cli.ts`); bin/parley.js falls back
// to tsx when the bundle is missing or older than the sources.
import { rmSync, utimesSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { nodeBundleOptions, repoRoot } from "./bundle.ts";

/** Where bin/parley.js looks for the bundle. */
export const defaultOutdir = fileURLToPath(
  new URL("../node_modules/.cache/parley-cli/", import.meta.url),
);

/**
 * Build the CLI bundle into `outdir` (emptied first), its entry `parley.mjs` exporting
 * `main` as cli/main.ts does. `outdir` must lie inside the repository, where Node finds
 * node_modules for the external packages. Returns the files written; throws esbuild's
 * error when a source does not compile.
 */
export async function buildCli(outdir: string = defaultOutdir): Promise<string[]> {
  // Sources edited while the build runs must make the bundle stale, so every output is
  // dated when the build began, not when it finished.
  const started = new Date();
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...nodeBundleOptions,
    entryPoints: { parley: "cli/main.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    metafile: true,
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => resolve(repoRoot, file));
  for (const file of outputs) utimesSync(file, started, started);
  return outputs;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outdir = process.argv[2] ? resolve(process.argv[2]) : defaultOutdir;
  const outputs = await buildCli(outdir);
  const modules = outputs.filter((file) => file.endsWith(".mjs")).length;
  console.log(`Built the parley CLI: ${modules} modules in ${outdir}`);
}
