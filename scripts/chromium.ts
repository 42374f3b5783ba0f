import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Where Debian puts its Chromium; the browser tests drive this binary. */
export const chromiumPath = process.env.PARLEY_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Install Debian's Chromium when it is missing (the machines run as root on Debian). A
 * test tool that downloads its own browser cannot work here, so the project installs the
 * distribution's. Throws when the install fails, naming the command.
 */
export function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  console.log(`Chromium not found at ${chromiumPath}; installing Debian's chromium package`);
  const asRoot = process.getuid?.() === 0 ? [] : ["sudo"];
  for (const args of [
    ["apt-get", "update"],
    ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
  ]) {
    const [command, ...rest] = [...asRoot, ...args];
    const result = spawnSync(command!, rest, { stdio: "inherit" });
    if (result.status !== 0) throw new Error(`Installing Chromium failed: ${args.join(" ")}`);
  }
  execFileSync(chromiumPath, ["--version"], { stdio: "inherit" });
}
