import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// bin/parley.js chooses between the prebuilt bundle and the TypeScript sources. It runs
// here, unchanged, in a checkout of its own whose "sources" and "bundle" each say which
// one ran, so that every case can be set up by file dates alone.

const root = fileURLToPath(new URL("../..", import.meta.url));

let dir: string;
const at = (path: string) => join(dir, path);
const sourceTime = new Date("2026-01-01T00:00:00Z");
const later = new Date("2026-01-02T00:00:00Z");
const earlier = new Date("2025-12-31T00:00:00Z");

const run = (): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile("node", [at("bin/parley.js"), "inspect", "x"], { cwd: dir }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const writeBundle = async (body: string, time: Date) => {
  await mkdir(at("node_modules/.cache/parley-cli"), { recursive: true });
  await writeFile(at("node_modules/.cache/parley-cli/parley.mjs"), body);
  await utimes(at("node_modules/.cache/parley-cli/parley.mjs"), time, time);
};
const bundleSaying = `export async function main(argv) {
  process.stdout.write("bundle " + argv.join(" ") + "\\n");
  return 0;
}
`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-bin-"));
  await mkdir(at("bin"));
  await copyFile(join(root, "bin/parley.js"), at("bin/parley.js"));
  await writeFile(at("package.json"), '{ "type": "module" }\n');
  // Only tsx is linked in: the bundle lives under node_modules/.cache, and linking the whole
  // of node_modules would let these cases overwrite the project's real bundle.
  await mkdir(at("node_modules"));
  await symlink(join(root, "node_modules/tsx"), at("node_modules/tsx"));
  await mkdir(at("cli"));
  await mkdir(at("schema/render"), { recursive: true });
  // A type annotation, so only tsx can run it.
  await writeFile(
    at("cli/main.ts"),
    `export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write("sources " + argv.join(" ") + "\\n");
  return 0;
}
`,
  );
  await writeFile(at("schema/render/words.ts"), "export const words: string[] = [];\n");
  for (const file of ["cli/main.ts", "schema/render/words.ts"]) {
    await utimes(at(file), sourceTime, sourceTime);
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("bin/parley.js", () => {
  it("runs the bundle when it is newer than every source", async () => {
    await writeBundle(bundleSaying, later);
    expect(await run()).toEqual({ code: 0, stdout: "bundle inspect x\n", stderr: "" });
  });

  it("runs the sources through tsx when there is no bundle", async () => {
    expect(await run()).toEqual({ code: 0, stdout: "sources inspect x\n", stderr: "" });
  });

  it("runs the sources when a file deep under schema/ is newer than the bundle", async () => {
    await writeBundle(bundleSaying, later);
    const edited = new Date("2026-01-03T00:00:00Z");
    await utimes(at("schema/render/words.ts"), edited, edited);
    expect((await run()).stdout).toBe("sources inspect x\n");
  });

  it("runs the sources when the bundle is older than them", async () => {
    await writeBundle(bundleSaying, earlier);
    expect((await run()).stdout).toBe("sources inspect x\n");
  });

  it("runs the sources when a chunk of the bundle has vanished", async () => {
    await writeBundle(
      `export async function main() {
  await import("./chunks/gone.mjs");
  return 0;
}
`,
      later,
    );
    expect(await run()).toEqual({ code: 0, stdout: "sources inspect x\n", stderr: "" });
  });

  it("lets a bundle's own errors through, as a bug, not a reason to run the sources", async () => {
    await writeBundle(`export async function main() { throw new TypeError("a bug"); }\n`, later);
    const result = await run();
    expect([result.code, result.stdout, result.stderr.includes("TypeError: a bug")]).toEqual([
      1,
      "",
      true,
    ]);
  });
});
