// Bundle the sync server (server/main.ts) into build/server.mjs, which `npm start` runs. See
// bundle.ts for why the server runs bundled rather than through tsx. The server finds the
// client build (../dist/) and the demo draft (../fixtures/) from its own module's URL, so
// a bundle of it must lie one directory below the repository's root.
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { nodeBundleOptions, repoRoot } from "./bundle.ts";

/** Where `npm start` builds and runs the server. */
export const serverBundle = join(repoRoot, "build", "server.mjs");

/**
 * Bundle the server into `outfile`; resolves with the files written (the bundle and its
 * source map). Throws a `RangeError` when `outfile` is not one directory below the root, and
 * esbuild's error when a source does not compile.
 */
export async function buildServer(outfile: string = serverBundle): Promise<string[]> {
  if (dirname(dirname(resolve(outfile))) !== resolve(repoRoot)) {
    throw new RangeError(`A server bundle must lie one directory below ${repoRoot}: ${outfile}`);
  }
  const result = await build({
    ...nodeBundleOptions,
    entryPoints: ["server/main.ts"],
    outfile,
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).map((file) => resolve(repoRoot, file));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await buildServer();
  console.log(`Built the server: ${serverBundle}`);
}
