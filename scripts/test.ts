// `npm test`: everything CI checks, in order, stopping at the first failure. Browser tests
// need Debian's Chromium; it is installed here when missing so a fresh machine needs no
// manual step.
import { spawnSync } from "node:child_process";
import { ensureChromium } from "./chromium.ts";

function run(title: string, command: string, args: string[]): void {
  console.log(`\n== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

ensureChromium();
run("format and lint", "npx", ["biome", "check", "."]);
run("types", "npx", ["tsc", "-p", "tsconfig.json"]);
run("tests", "npx", ["vitest", "run", ...process.argv.slice(2)]);
