import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../scripts/build-server.ts";
import { ensureClientBuilt, joinAs, launchChromium } from "./harness.ts";

// `npm start` as a user meets it: the server, bundled as npm start bundles it (into a file
// of this test's own, so that a running npm start keeps its own), seeds the demo negotiation
// from the Chinese sample draft and prints one invitation link per participant; a link
// opened in Chromium shows that draft with its numbers and brackets. The bundle finds the
// sample draft and the client build from where it lies, as build/server.mjs does.

const root = fileURLToPath(new URL("../../", import.meta.url));
// test-artifacts/ is one directory below the root, as build/ is, and ignored by git.
const bundle = join(root, "test-artifacts", `demo-server-${process.pid}.mjs`);
let built: string[] = [];
let child: ChildProcess;
let dataDir: string;
let browser: Browser;
let links: Map<string, string>;

beforeAll(async () => {
  await ensureClientBuilt();
  dataDir = await mkdtemp(join(tmpdir(), "parley-demo-"));
  built = await buildServer(bundle);
  child = spawn(process.execPath, ["--enable-source-maps", bundle], {
    cwd: root,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      PARLEY_DATA: dataDir,
      PARLEY_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stdout = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("Administrator token")) resolve(out);
    });
    child.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
  links = new Map(
    [...stdout.matchAll(/^ {2}(.+?) \((\w+)\): (http\S+)$/gm)].map((m) => [m[1]!, m[3]!]),
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  for (const file of built) await rm(file, { force: true });
});

describe("the demo negotiation of npm start", () => {
  it("prints an invitation link for the chair and for delegations", () => {
    expect(links.get("Chair")).toMatch(/^http:\/\/localhost:\d+\/\?doc=\w+&token=/);
    expect(links.get("Pakistan")).toBeDefined();
  });

  it("opens the sample draft, numbered and bracketed, from the chair's link", async () => {
    const { page, context } = await joinAs(browser, links.get("Chair")!, "zh");
    await expect(page.locator("#identity").textContent()).resolves.toContain("主席");
    await expect(page.locator(".draft p[data-num]").count()).resolves.toBeGreaterThan(10);
    await expect(page.locator(".draft .br-open").count()).resolves.toBeGreaterThan(20);
    await expect(page.locator(".panel-total").textContent()).resolves.toMatch(/未决方括号 \d+ 处/);
    await context.close();
  });
});
