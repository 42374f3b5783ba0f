import { beforeEach, describe, expect, it } from "vitest";
import {
  bracketCounts,
  bracketsAt,
  listBrackets,
  listChairAlternatives,
} from "../../schema/queries.ts";
import type { Position } from "../../schema/registry.ts";
import {
  at,
  br,
  bracketEntry,
  ca,
  doc,
  h,
  item,
  list,
  np,
  registry,
  resetIds,
} from "../builder.ts";

beforeEach(resetIds);

const entry = bracketEntry;

const position = (party: string, stance: Position["stance"]): Position => ({
  party,
  stance,
  onBehalfOf: null,
  text: null,
  enteredBy: null,
});

// Section A, paragraph 1 with Pakistan's b1 holding the UAE's b2, paragraph 2 with Chile's
// b3 (lifted), item (a) with b4 of unknown origin.
const sample = () => {
  const d = doc(
    h({ label: "A." }, "Background"),
    np("The ", br("b1", at("a1", "big ", br("b2", "new"), " office")), " <x>shall"),
    np("It ", br("b3", "may")),
    list("alpha", item(br("b4", "<y>maybe"))),
  );
  const reg = registry({
    brackets: {
      b1: entry({ positions: { "Russian Federation": position("Russian Federation", "support") } }),
      b2: entry({
        kind: "deletion",
        proposedBy: [{ party: "United Arab Emirates", onBehalfOf: null }],
        positions: {
          "United Arab Emirates": position("United Arab Emirates", "delete"),
          Pakistan: position("Pakistan", "oppose"),
        },
      }),
      b3: entry({ status: "lifted", proposedBy: [{ party: "Chile", onBehalfOf: null }] }),
      b4: entry({ kind: "text", proposedBy: [] }),
    },
  });
  return { d, draft: { doc: d, registry: reg } };
};

describe("listBrackets", () => {
  it("lists brackets in document order, outer before inner", () => {
    expect(listBrackets(sample().draft).map((b) => b.id)).toEqual(["b1", "b2", "b3", "b4"]);
  });

  it("gives depth and parent by range containment", () => {
    expect(listBrackets(sample().draft).map((b) => [b.id, b.depth, b.parent])).toEqual([
      ["b1", 1, null],
      ["b2", 2, "b1"],
      ["b3", 1, null],
      ["b4", 1, null],
    ]);
  });

  it("gives a bracket's words including those nested in it", () => {
    expect(listBrackets(sample().draft).map((b) => b.text)).toEqual([
      "big new office",
      "new",
      "may",
      "maybe",
    ]);
  });

  it("gives the label and id of the block each bracket is in", () => {
    expect(listBrackets(sample().draft).map((b) => [b.paragraph, b.blockId])).toEqual([
      ["1", "p1"],
      ["1", "p1"],
      ["2", "p2"],
      ["(a)", "i1"],
    ]);
  });

  it("gives proposers, positions, kind and status from the registry", () => {
    const b2 = listBrackets(sample().draft)[1];
    expect([b2?.kind, b2?.status, b2?.proposedBy, b2?.positions.map((p) => p.party)]).toEqual([
      "deletion",
      "open",
      ["United Arab Emirates"],
      ["United Arab Emirates", "Pakistan"],
    ]);
  });

  it("orders brackets on exactly the same words by id, so every peer nests them alike", () => {
    const d = doc(np(br("z9", br("a1", "same"))));
    const reg = registry({ brackets: { z9: entry(), a1: entry() } });
    expect(listBrackets({ doc: d, registry: reg }).map((b) => [b.id, b.depth])).toEqual([
      ["a1", 1],
      ["z9", 2],
    ]);
  });

  it("joins the words of a bracket spanning paragraphs with a line break", () => {
    const d = doc(np("a ", br("b1", "b")), np(br("b1", "c"), " d"));
    const reg = registry({ brackets: { b1: entry() } });
    expect(listBrackets({ doc: d, registry: reg })[0]?.text).toBe("b\nc");
  });

  it("leaves out a bracket mark with no registry entry", () => {
    const d = doc(np(br("b1", "x"), br("ghost", "y")));
    expect(
      listBrackets({ doc: d, registry: registry({ brackets: { b1: entry() } }) }).map((b) => b.id),
    ).toEqual(["b1"]);
  });
});

describe("bracketCounts", () => {
  it("counts open brackets only", () => {
    expect(bracketCounts(sample().draft).open).toBe(3);
  });

  it("counts open brackets by paragraph label", () => {
    expect(bracketCounts(sample().draft).byParagraph).toEqual({ "1": 2, "(a)": 1 });
  });

  it("counts each open bracket once for every party that proposed it or holds a position on it", () => {
    expect(bracketCounts(sample().draft).byParty).toEqual({
      Pakistan: 2,
      "Russian Federation": 1,
      "United Arab Emirates": 1,
    });
  });
});

describe("bracketsAt", () => {
  it("gives the brackets around a position, innermost last", () => {
    const d = doc(np("a ", br("b1", "b ", br("b2", "c<x>d"), " e")));
    const reg = registry({ brackets: { b1: entry(), b2: entry() } });
    expect(bracketsAt({ doc: d, registry: reg }, d.tag.x!)).toEqual(["b1", "b2"]);
  });

  it("counts a position at a bracket's edge as at the bracket", () => {
    const { d, draft } = sample();
    expect(bracketsAt(draft, d.tag.y!)).toEqual(["b4"]);
  });

  it("gives nothing outside every bracket", () => {
    const { d, draft } = sample();
    expect(bracketsAt(draft, d.tag.x!)).toEqual([]);
  });

  it("throws for a position outside the document", () => {
    expect(() => bracketsAt(sample().draft, -1)).toThrow(RangeError);
  });
});

describe("listChairAlternatives", () => {
  it("gives each chair's text with the numbers of the paragraphs it replaces", () => {
    const d = doc(
      np("one"),
      np("two"),
      np("three"),
      np(ca("c1", "new two")),
      np(ca("c1", "new three")),
    );
    const reg = registry({
      chairAlternatives: { c1: { replaces: ["p2", "p3"], status: "proposed" } },
    });
    expect(
      listChairAlternatives({ doc: d, registry: reg }).map((c) => [c.id, c.replacesLabels, c.text]),
    ).toEqual([["c1", ["2", "3"], "new two\nnew three"]]);
  });

  it("gives no label for a replaced paragraph that is gone", () => {
    const d = doc(np(ca("c1", "adopted")));
    const reg = registry({ chairAlternatives: { c1: { replaces: ["p9"], status: "adopted" } } });
    expect(listChairAlternatives({ doc: d, registry: reg })[0]?.replacesLabels).toEqual([null]);
  });
});
