import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

// Golden files pin exported output, so that a change of format cannot silently break
// exported or stored documents. After a deliberate change, rewrite them with
// PARLEY_UPDATE_GOLDEN=1 and review the diff.

/**
 * Expect `actual` to equal the golden file at `name` (a path under tests/golden/). With
 * PARLEY_UPDATE_GOLDEN=1 the file is (re)written first. A missing file fails the test.
 */
export function expectGolden(name: string, actual: string): void {
  const url = new URL(`golden/${name}`, import.meta.url);
  if (process.env.PARLEY_UPDATE_GOLDEN === "1") {
    mkdirSync(new URL(".", url), { recursive: true });
    writeFileSync(url, actual);
  }
  expect(existsSync(url), `No golden file ${name}; run with PARLEY_UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(url, "utf8"));
}
