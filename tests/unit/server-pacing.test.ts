import { describe, expect, it } from "vitest";
import { defaultPacing, Pacer } from "../../server/pacing.ts";

describe("relay pacing", () => {
  it("never holds back a room whose relays are short", () => {
    const pacer = new Pacer();
    pacer.relayed(100, 100.4, 12);
    expect(pacer.delay(100.4)).toBe(0);
  });

  it("never holds back a room whose long relays carry one edit each", () => {
    const pacer = new Pacer();
    pacer.relayed(100, 108, 1);
    expect(pacer.delay(108)).toBe(0);
  });

  it("after a long relay of a batch, holds the next commit for a share of the relay's time", () => {
    const pacer = new Pacer();
    pacer.relayed(100, 104, 2);
    expect(pacer.delay(104)).toBeCloseTo(4 * defaultPacing.share);
    expect(pacer.delay(105)).toBeCloseTo(4 * defaultPacing.share - 1);
    expect(pacer.delay(104 + 4 * defaultPacing.share)).toBe(0);
    expect(pacer.delay(200)).toBe(0);
  });

  it("holds back no longer than its limit, and the next short relay releases the room", () => {
    const pacer = new Pacer();
    pacer.relayed(0, 500, 3);
    expect(pacer.delay(500)).toBe(defaultPacing.maxMs);
    pacer.relayed(600, 600.2, 3);
    expect(pacer.delay(600.2)).toBe(0);
  });

  it("follows its options", () => {
    const pacer = new Pacer({ afterRelayMs: 0, minBatch: 1, share: 2, maxMs: 100 });
    pacer.relayed(10, 10.5, 1);
    expect(pacer.delay(10.5)).toBeCloseTo(1);
  });
});
