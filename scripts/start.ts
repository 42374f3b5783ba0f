// `npm start`: build what is needed, then run the sync server (server/main.ts, bundled into
// build/server.mjs by build-server.ts) with the embedded store in ./data. The browser client
// is built with Vite into dist/ when it exists; without it the server still starts and
// serves a plain page, since any y-websocket client can use it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { buildServer, serverBundle } from "./build-server.ts";

const root = new URL("../", import.meta.url);
const hasClient =
  existsSync(new URL("vite.config.ts", root)) && existsSync(new URL("client/index.html", root));

if (hasClient) {
  console.log("Building the browser client (vite build)…");
  const build = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], {
    stdio: "inherit",
    cwd: root,
  });
  if (build.status !== 0) {
    console.error(`vite build failed (exit ${build.status ?? build.signal}); not starting.`);
    process.exit(build.status ?? 1);
  }
} else {
  console.log("No browser client to build yet (client/index.html); serving a plain page.");
}

await buildServer();
// The bundle is plain JavaScript, which tsx (running this script) loads as it is.
const { main } = (await import(
  pathToFileURL(serverBundle).href
)) as typeof import("../server/main.ts");
await main();
