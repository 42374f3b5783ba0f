import { Fragment, Slice } from "prosemirror-model";
import { describe, expect, it } from "vitest";
import { pendingChairBlocks, replacingLabel } from "../../client/gutter.ts";
import { blockLabels } from "../../schema/numbering.ts";
import { schema } from "../../schema/schema.ts";
import { sampleDraft } from "../e2e/sample.ts";

describe("gutter", () => {
  it("labels a chair's alternative by the paragraphs it replaces", () => {
    const { doc, registry } = sampleDraft();
    const labels = blockLabels(doc, registry);
    expect(replacingLabel(["p3", "p4"], labels, "en")).toBe(
      "Chair's alternative text, replacing paras 3, 4",
    );
  });

  it("follows renumbering when a paragraph is inserted above", () => {
    const { doc, registry } = sampleDraft();
    const added = schema.nodes.paragraph!.create({ id: "new", numbering: "numbered" }, [
      schema.text("A new first paragraph."),
    ]);
    const first = doc.child(0).nodeSize;
    const shifted = doc.replace(first, first, new Slice(Fragment.from(added), 0, 0));
    expect(replacingLabel(["p3", "p4"], blockLabels(shifted, registry), "en")).toBe(
      "Chair's alternative text, replacing paras 4, 5",
    );
  });

  it("says it in Chinese", () => {
    const { doc, registry } = sampleDraft();
    expect(replacingLabel(["p3", "p4"], blockLabels(doc, registry), "zh")).toBe(
      "主席的替代案文，代替第 3、4 段",
    );
  });

  it("frames only the blocks of a proposed chair's alternative", () => {
    const { doc, registry } = sampleDraft();
    expect(pendingChairBlocks(doc, registry).map((g) => g.blocks.length)).toEqual([1]);
    const adopted = {
      ...registry,
      chairAlternatives: { c1: { replaces: ["p3", "p4"], status: "adopted" as const } },
    };
    expect(pendingChairBlocks(doc, adopted)).toEqual([]);
  });
});
