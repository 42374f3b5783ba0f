import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { buildCli } from "../../scripts/build-cli.ts";

// The bundle bin/parley.js runs when it is fresh must behave exactly as the TypeScript it
// is built from. It is built into a directory of its own, so that the bundle in node_modules/.cache/parley-cli
// that other tests' `parley` runs may be using is left alone.

const root = fileURLToPath(new URL("../..", import.meta.url));
const sample = join(root, "fixtures/field-office-tor.zh.txt");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;
let entry: string;
beforeAll(async () => {
  // Inside the repository (test-artifacts/ is ignored), where Node finds node_modules for
  // the packages the bundle leaves external.
  await mkdir(join(root, "test-artifacts"), { recursive: true });
  dir = await mkdtemp(join(root, "test-artifacts", "cli-bundle-"));
  await buildCli(dir);
  entry = pathToFileURL(join(dir, "parley.mjs")).href;
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run the bundle's `main` in a plain Node process, without tsx. */
const bundled = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    const script = `const { main } = await import(${JSON.stringify(entry)});
process.exitCode = await main(${JSON.stringify(args)});`;
    execFile(
      "node",
      ["--input-type=module", "-e", script],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** Run cli/main.ts itself, in this process. */
async function sourced(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => {
      stdout += typeof text === "string" ? text : Buffer.from(text).toString("latin1");
    },
    stderr: (text) => {
      stderr += text;
    },
    stdoutIsTerminal: false,
  });
  return { code, stdout, stderr };
}

describe("the prebuilt parley bundle", () => {
  it("prints the same inspect report as the sources", async () => {
    const [fromBundle, fromSources] = [
      await bundled("inspect", sample, "--json"),
      await sourced("inspect", sample, "--json"),
    ];
    expect([fromBundle.code, fromBundle.stderr, fromBundle.stdout]).toEqual([
      fromSources.code,
      "",
      fromSources.stdout,
    ]);
  });

  it("writes a Word file that reads back as the sources read it", async () => {
    const out = join(dir, "bundled.docx");
    const written = await bundled(
      "convert",
      sample,
      "--mode",
      "annotated",
      "--lang",
      "en",
      "--format",
      "docx",
      "-o",
      out,
    );
    const again = await sourced("inspect", out, "--json");
    const report = JSON.parse(again.stdout) as { brackets: unknown[]; problems: unknown[] };
    expect([
      written.code,
      (await readFile(out)).subarray(0, 2).toString(),
      report.problems,
    ]).toEqual([0, "PK", []]);
  });

  it("reports a usage error as the sources do", async () => {
    const [fromBundle, fromSources] = [
      await bundled("frobnicate", sample),
      await sourced("frobnicate", sample),
    ];
    expect([fromBundle.code, fromBundle.stderr]).toEqual([fromSources.code, fromSources.stderr]);
  });
});
