import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "../../scripts/build-server.ts";

// The bundle `npm start` runs (scripts/build-server.ts); the end-to-end demo test starts one
// and opens the demo from it. Here: what the bundle is built with, and where it may lie.

const root = fileURLToPath(new URL("../..", import.meta.url));
const bundle = join(root, "test-artifacts", `server-bundle-${process.pid}.mjs`);

let built: string[] = [];

afterAll(async () => {
  for (const file of built) await rm(file, { force: true });
});

describe("the server bundle", () => {
  it("holds the server without tsx's function-naming wrappers", async () => {
    built = await buildServer(bundle);
    const code = await readFile(bundle, "utf8");
    expect(code).toContain("function createPermissionGuard(");
    // esbuild's keepNames (tsx compiles with it) defines the name of every function made at
    // run time through this helper; the bundle is built without it, which is its point.
    expect(code).not.toMatch(/\b__name\(/);
    expect(code).toContain(`//# sourceMappingURL=server-bundle-${process.pid}.mjs.map`);
  });

  it("must lie one directory below the root, where it finds dist/ and fixtures/", async () => {
    await expect(buildServer(join(root, "test-artifacts", "deeper", "server.mjs"))).rejects.toThrow(
      RangeError,
    );
    await expect(buildServer(join(root, "server.mjs"))).rejects.toThrow(RangeError);
  });
});
