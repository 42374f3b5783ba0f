import { describe, expect, it } from "vitest";
import { typingTime } from "../../bench/load.ts";
import { parityOrder, turnOrder } from "../../bench/turns.ts";

describe("servers taking turns at typing", () => {
  it("one server types all the time", () => {
    expect([0, 10, 1234.5].map((t) => typingTime(t, 1, 0, 250))).toEqual([0, 10, 1234.5]);
  });

  it("the first types for a turn while the second waits, then the second", () => {
    const both = (t: number) => [typingTime(t, 2, 0, 250), typingTime(t, 2, 1, 250)];
    expect(both(0)).toEqual([0, 0]);
    expect(both(100)).toEqual([100, 0]);
    expect(both(250)).toEqual([250, 0]);
    expect(both(400)).toEqual([250, 150]);
    expect(both(500)).toEqual([250, 250]);
    expect(both(600)).toEqual([350, 250]);
  });

  it("between them they type the whole time, and each half of it over whole rounds", () => {
    for (const t of [0, 1, 249, 250, 251, 499, 500, 777, 12_000, 12_345.6]) {
      expect(typingTime(t, 2, 0, 250) + typingTime(t, 2, 1, 250)).toBeCloseTo(t, 9);
    }
    expect(typingTime(12_000, 2, 0, 250)).toBe(6000);
    expect(typingTime(12_000, 2, 1, 250)).toBe(6000);
  });

  it("never runs backwards, and is nothing before typing begins", () => {
    let last = 0;
    for (let t = 0; t < 3000; t += 7) {
      const now = typingTime(t, 3, 2, 100);
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
    expect(typingTime(-5, 2, 0, 250)).toBe(0);
  });

  it("checks on types first in even runs, checks off in odd ones", () => {
    expect([0, 1, 2].map(turnOrder)).toEqual([
      ["parley", "parley-nochecks"],
      ["parley-nochecks", "parley"],
      ["parley", "parley-nochecks"],
    ]);
  });

  it("Parley and the peers: each types first once in three runs, and after each other as often in six", () => {
    const orders = [0, 1, 2, 3, 4, 5].map(parityOrder);
    for (const block of [orders.slice(0, 3), orders.slice(3)]) {
      expect(block.map((o) => o[0])).toEqual(["parley", "y-websocket", "hocuspocus"]);
    }
    for (const order of orders)
      expect([...order].sort()).toEqual(["hocuspocus", "parley", "y-websocket"]);
    const follows = new Map<string, number>();
    for (const order of orders) {
      order.forEach((server, i) => {
        const before = order[(i + order.length - 1) % order.length];
        follows.set(`${before}>${server}`, (follows.get(`${before}>${server}`) ?? 0) + 1);
      });
    }
    expect([...follows.values()]).toEqual([3, 3, 3, 3, 3, 3]);
    expect(parityOrder(6)).toEqual(orders[0]);
  });
});
