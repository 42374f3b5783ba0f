import { describe, expect, it } from "vitest";
import { describeRegistryChange } from "../../client/announce.ts";
import { applyRegistryOps, type BracketEntry } from "../../schema/registry.ts";
import { bracketEntry, registry } from "../builder.ts";

const opened: BracketEntry = bracketEntry();

const support = {
  party: "Russian Federation",
  stance: "support",
  onBehalfOf: null,
  text: null,
  enteredBy: null,
} as const;

describe("announcements", () => {
  it("say who opened a bracket and who supports it", () => {
    const before = registry({});
    const after = applyRegistryOps(before, [
      { op: "putBracket", id: "b1", entry: opened },
      { op: "setPosition", bracket: "b1", party: "Russian Federation", position: support },
    ]);
    expect(describeRegistryChange(before, after, "en")).toBe(
      "bracket opened by Pakistan; Russian Federation supports",
    );
  });

  it("say a position stated on an existing bracket in Chinese", () => {
    const before = registry({ brackets: { b1: opened } });
    const after = applyRegistryOps(before, [
      { op: "setPosition", bracket: "b1", party: "Russian Federation", position: support },
    ]);
    expect(describeRegistryChange(before, after, "zh")).toBe("俄罗斯联邦支持");
  });

  it("say that a bracket was lifted", () => {
    const before = registry({ brackets: { b1: opened } });
    const after = applyRegistryOps(before, [
      { op: "setBracketStatus", id: "b1", status: "lifted" },
    ]);
    expect(describeRegistryChange(before, after, "en")).toBe("bracket lifted");
  });

  it("stay silent when nothing in the room changed", () => {
    const before = registry({ brackets: { b1: opened } });
    expect(describeRegistryChange(before, before, "en")).toBe("");
  });

  it("stay silent on a resync that brings a whole negotiation at once", () => {
    const before = registry({});
    const ops = Array.from({ length: 20 }, (_, i) => ({
      op: "putBracket" as const,
      id: `b${i}`,
      entry: opened,
    }));
    expect(describeRegistryChange(before, applyRegistryOps(before, ops), "en")).toBe("");
  });
});
