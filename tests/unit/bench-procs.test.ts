import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canPin, pinSelf } from "../../bench/procs.ts";

/** The cores each thread of this process may run on, by thread id. */
function allowedCores(): Map<string, string> {
  const cores = new Map<string, string>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const status = readFileSync(`/proc/self/task/${tid}/status`, "utf8");
      cores.set(tid, /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1] ?? "");
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return cores;
}

describe("pinning the benchmark's own process", () => {
  it.skipIf(!canPin())("pins every thread to one core, then gives each its cores back", () => {
    const before = allowedCores();
    const unpin = pinSelf(0);
    let during: Map<string, string>;
    try {
      during = allowedCores();
    } finally {
      unpin();
    }
    expect(new Set(during.values())).toEqual(new Set(["0"]));
    const after = allowedCores();
    for (const [tid, cores] of before) {
      if (after.has(tid)) expect(after.get(tid), `thread ${tid}`).toBe(cores);
    }
  });
});
