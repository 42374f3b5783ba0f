import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The browser client lives in client/ and is built into dist/ at the repository root, which
// the sync server serves. Paths are resolved from this file so the build works from any cwd
// (the end-to-end tests call Vite's JS API from the test runner).
const root = fileURLToPath(new URL("./client/", import.meta.url));
const outDir = fileURLToPath(new URL("./dist/", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: { port: 5173 },
});
