import { beforeEach, describe, expect, it } from "vitest";
import { blockLabels, insertedSuffix, itemLabel, paragraphLabel } from "../../schema/numbering.ts";
import { emptyRegistry, type Registry } from "../../schema/registry.ts";
import {
  br,
  ca,
  doc,
  h,
  ip,
  item,
  list,
  np,
  option,
  options,
  p,
  registry,
  resetIds,
} from "../builder.ts";

beforeEach(resetIds);

const labelsOf = (node: Parameters<typeof blockLabels>[0], reg: Registry = emptyRegistry) =>
  Object.fromEntries(blockLabels(node, reg));

describe("blockLabels", () => {
  it("numbers numbered paragraphs in document order", () => {
    expect(labelsOf(doc(np("a"), np("b"), np("c")))).toEqual({ p1: "1", p2: "2", p3: "3" });
  });

  it("gives paragraphs numbered none no label and does not count them", () => {
    expect(labelsOf(doc(np("a"), p("floor"), np("b")))).toEqual({ p1: "1", p3: "2" });
  });

  it("labels inserted paragraphs bis, ter, quater after the previous number", () => {
    expect(labelsOf(doc(np("a"), np("b"), np("c"), ip("x"), ip("y"), ip("z"), np("d")))).toEqual({
      p1: "1",
      p2: "2",
      p3: "3",
      p4: "3bis",
      p5: "3ter",
      p6: "3quater",
      p7: "4",
    });
  });

  it("restarts the inserted suffixes after each numbered paragraph", () => {
    expect(labelsOf(doc(np("a"), ip("x"), np("b"), ip("y")))).toEqual({
      p1: "1",
      p2: "1bis",
      p3: "2",
      p4: "2bis",
    });
  });

  it("labels headings with their label attribute", () => {
    expect(labelsOf(doc(h({ label: "A." }, "Background"), np("a")))).toEqual({
      h1: "A.",
      p1: "1",
    });
  });

  it("labels list items by their list's style", () => {
    const d = doc(
      list("alpha", item("x"), item("y")),
      list("decimal", item("x"), item("y")),
      list("roman", item("x"), item("y"), item("z"), item("w")),
      list("bullet", item("x")),
      list("dash", item("x")),
    );
    expect(labelsOf(d)).toEqual({
      i1: "(a)",
      i2: "(b)",
      i3: "(1)",
      i4: "(2)",
      i5: "(i)",
      i6: "(ii)",
      i7: "(iii)",
      i8: "(iv)",
      i9: "•",
      i10: "–",
    });
  });

  it("labels options with their label and numbers each option from the same start", () => {
    const d = doc(
      np("a"),
      options(
        option({ label: "Option 1" }, np("one")),
        option({ label: "Option 2" }, np("two"), np("two more")),
      ),
      np("b"),
    );
    expect(labelsOf(d)).toEqual({
      p1: "1",
      opt1: "Option 1",
      p2: "2",
      opt2: "Option 2",
      p3: "2",
      p4: "3",
      p5: "4",
    });
  });

  it("labels a proposed chair's alternative with the numbers it replaces, without shifting later ones", () => {
    const d = doc(np("a"), np("b"), np("c"), np(ca("c1", "chair's b and c")), np("d"));
    const reg = registry({
      chairAlternatives: { c1: { replaces: ["p2", "p3"], status: "proposed" } },
    });
    expect(labelsOf(d, reg)).toEqual({ p1: "1", p2: "2", p3: "3", p4: "2", p5: "4" });
  });

  it("labels the second paragraph of a chair's alternative with the second replaced number", () => {
    const d = doc(np("a"), np("b"), np(ca("c1", "new a")), np(ca("c1", "new b")), np("c"));
    const reg = registry({
      chairAlternatives: { c1: { replaces: ["p1", "p2"], status: "proposed" } },
    });
    expect(labelsOf(d, reg)).toMatchObject({ p3: "1", p4: "2", p5: "3" });
  });

  it("labels a chair's paragraph beyond those it replaces with bis after the last", () => {
    const d = doc(np("a"), np(ca("c1", "x")), np(ca("c1", "y")), np("b"));
    const reg = registry({ chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } } });
    expect(labelsOf(d, reg)).toMatchObject({ p2: "1", p3: "1bis", p4: "2" });
  });

  it("continues the suffixes of an inserted paragraph a chair's text replaces last", () => {
    const d = doc(np("a"), ip("a bis"), np(ca("c1", "x")), np(ca("c1", "y")), np(ca("c1", "z")));
    const reg = registry({
      chairAlternatives: { c1: { replaces: ["p1", "p2"], status: "proposed" } },
    });
    expect(labelsOf(d, reg)).toMatchObject({ p3: "1", p4: "1bis", p5: "1ter" });
  });

  it("keeps a chair's paragraph unnumbered when a delegation proposes words at its edge", () => {
    const d = doc(np("a"), np(ca("c1", "chair's a"), br("b1", " and more")), np("b"));
    const reg = registry({ chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } } });
    expect(labelsOf(d, reg)).toEqual({ p1: "1", p2: "1", p3: "2" });
  });

  it("numbers an adopted chair's alternative like ordinary text", () => {
    const d = doc(np("a"), np(ca("c1", "chair's text")), np("b"));
    const reg = registry({ chairAlternatives: { c1: { replaces: ["gone"], status: "adopted" } } });
    expect(labelsOf(d, reg)).toEqual({ p1: "1", p2: "2", p3: "3" });
  });

  it("numbers a paragraph only partly inside a chair's alternative like ordinary text", () => {
    const d = doc(np("a"), np("b ", ca("c1", "x")), np("c"));
    const reg = registry({ chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } } });
    expect(labelsOf(d, reg)).toEqual({ p1: "1", p2: "2", p3: "3" });
  });
});

describe("paragraphLabel", () => {
  it("gives the number of the paragraph that holds the position", () => {
    const d = doc(np("a"), np("b<x>c"));
    expect(paragraphLabel(d, emptyRegistry, d.tag.x!)).toBe("2");
  });

  it("gives an item's label for text in a list item", () => {
    const d = doc(np("a"), list("alpha", item("x"), item("y<x>")));
    expect(paragraphLabel(d, emptyRegistry, d.tag.x!)).toBe("(b)");
  });

  it("gives the innermost label, a paragraph inside an option", () => {
    const d = doc(options(option({ label: "Option 1" }, np("t<x>"))));
    expect(paragraphLabel(d, emptyRegistry, d.tag.x!)).toBe("1");
  });

  it("falls back to the enclosing option for an unnumbered paragraph in it", () => {
    const d = doc(options(option({ label: "Option 1" }, p("t<x>"))));
    expect(paragraphLabel(d, emptyRegistry, d.tag.x!)).toBe("Option 1");
  });

  it("is null inside an unnumbered paragraph", () => {
    const d = doc(np("a"), p("f<x>loor"));
    expect(paragraphLabel(d, emptyRegistry, d.tag.x!)).toBeNull();
  });

  it("refuses a position outside the document", () => {
    const d = doc(np("a"));
    expect(() => paragraphLabel(d, emptyRegistry, 99)).toThrow(RangeError);
  });
});

describe("label helpers", () => {
  it("runs out of Latin after decies and keeps labels unique", () => {
    expect([insertedSuffix(1), insertedSuffix(9), insertedSuffix(10)]).toEqual([
      "bis",
      "decies",
      "-10",
    ]);
  });

  it("continues alpha labels past z with doubled letters", () => {
    expect([itemLabel("alpha", 26), itemLabel("alpha", 27)]).toEqual(["(z)", "(aa)"]);
  });
});
