import { readFileSync } from "node:fs";
import type { Node } from "prosemirror-model";
import { describe, expect, it } from "vitest";
import { inspectDraft } from "../../cli/inspect.ts";
import { checkDraft } from "../../schema/draft.ts";
import { importText } from "../../schema/import/index.ts";
import { blockLabels } from "../../schema/numbering.ts";

// Concrete expectations on the English drafts in fixtures/real-world (UNFCCC texts: no
// names on brackets, Markdown emphasis, tab-indented structure, options, placeholders).

const read = (name: string) => {
  const text = readFileSync(new URL(`../../fixtures/real-world/${name}`, import.meta.url), "utf8");
  const { draft, problems } = importText(text);
  return { draft, problems, report: inspectDraft(draft, problems) };
};

const childrenOf = (node: Node, type: string): Node[] => {
  const out: Node[] = [];
  node.descendants((n) => {
    if (n.type.name === type) out.push(n);
    return true;
  });
  return out;
};

describe("the COP21 preamble (Markdown emphasis, blank-line blocks)", () => {
  const { draft, problems, report } = read("01-unfccc-cop21-draft-23oct2015-preamble.txt");

  it("is a consistent draft", () => {
    expect(checkDraft(draft)).toEqual([]);
  });

  it("has 44 brackets and no numbered paragraph", () => {
    expect([report.brackets.length, report.paragraphs]).toEqual([44, 0]);
  });

  it("reads [furtherance][pursuit] as two sibling brackets", () => {
    expect(report.brackets.slice(0, 2).map((b) => [b.text, b.depth])).toEqual([
      ["furtherance", 1],
      ["pursuit", 1],
    ]);
  });

  it("drops the emphasis asterisks around words and brackets", () => {
    expect(
      report.brackets.find((b) => b.id === "b6")?.text.startsWith("Taking account of the"),
    ).toBe(true);
  });

  it("reports the two stray closing brackets and the one never closed", () => {
    expect(problems.map((p) => [p.kind, p.line, p.column])).toEqual([
      ["strayCloseBracket", 7, 287],
      ["strayCloseBracket", 13, 715],
      ["unclosedBracket", 33, 370],
    ]);
  });

  it("reads **Option 1:** and **Option 2:** as one options block", () => {
    const options = childrenOf(draft.doc, "options");
    expect(options.map((o) => childrenOf(o, "option").map((x) => x.attrs.label))).toEqual([
      ["Option 1", "Option 2"],
    ]);
  });

  it("reads ## Preamble as a heading", () => {
    expect(draft.doc.firstChild?.type.name).toBe("heading");
  });

  it("names no party", () => {
    expect(report.parties).toEqual({});
  });
});

describe("the Lima elements annex (tab-indented, nested options)", () => {
  const { draft, problems, report } = read("03-unfccc-lima-elements-2014-annex.txt");

  it("is a consistent draft with nothing it could not read", () => {
    expect([checkDraft(draft), problems]).toEqual([[], []]);
  });

  it("has its title", () => {
    expect(draft.registry.meta.title).toBe("Elements for a draft negotiating text");
  });

  it("has no brackets and 3 numbered paragraphs", () => {
    expect([report.brackets.length, report.paragraphs]).toEqual([0, 3]);
  });

  it("keeps [English only] and {Placeholder for preamble} as text", () => {
    expect(draft.doc.textContent).toContain("[English only]");
    expect(draft.doc.textContent).toContain("{Placeholder for preamble}");
  });

  it("has the sections A., B. and C.", () => {
    expect(childrenOf(draft.doc, "heading").map((h) => h.attrs.label)).toEqual(["A.", "B.", "C."]);
  });

  it("nests lettered options inside numbered ones", () => {
    const outer = childrenOf(draft.doc, "options")[0]!;
    const inner = childrenOf(outer, "options").map((o) => o.childCount);
    expect([outer.childCount, inner]).toEqual([2, [2, 4]]);
  });

  it("numbers each option of paragraph 3 as paragraph 3", () => {
    const labels = blockLabels(draft.doc, draft.registry);
    const options = draft.doc.lastChild!;
    const firsts: (string | undefined)[] = [];
    options.forEach((option) => {
      firsts.push(labels.get(String(option.firstChild!.attrs.id)));
    });
    expect(firsts).toEqual(["3", "3", "3"]);
  });

  it("reads the Symbol-font bullets of the definitions as a list", () => {
    expect(childrenOf(draft.doc, "list").map((l) => [l.attrs.style, l.childCount])).toEqual([
      ["bullet", 4],
    ]);
  });
});

describe("the Article 6.2 draft decision (options holding numbered paragraphs)", () => {
  const { draft, problems, report } = read("04-unfccc-art62-draft-decision-2024-sec1.txt");

  it("is a consistent draft with nothing it could not read", () => {
    expect([checkDraft(draft), problems]).toEqual([[], []]);
  });

  it("has its symbol and title", () => {
    expect(draft.registry.meta).toMatchObject({
      symbol: "-/CMA.6",
      title:
        "Matters relating to cooperative approaches referred to in Article 6, paragraph 2, of the Paris Agreement",
    });
  });

  it("has the sections I. and II.", () => {
    expect(childrenOf(draft.doc, "heading").map((h) => h.attrs.label)).toEqual(["I.", "II."]);
  });

  it("has three options, the last only a placeholder", () => {
    const options = childrenOf(draft.doc, "option");
    expect(options.map((o) => [o.attrs.label, o.childCount])).toEqual([
      ["Option 1", 1],
      ["Option 2", 4],
      ["Option 3", 1],
    ]);
  });

  it("counts paragraph numbers per option, each option restarting where the slot began", () => {
    expect(report.paragraphs).toBe(3);
  });

  it("lets a bracket opened at the start of a paragraph close at the end of the next", () => {
    expect(report.brackets.map((b) => [b.depth, b.text.split("\n").length])).toEqual([
      [1, 2],
      [2, 1],
      [2, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it("finds the brackets of the heading of section II", () => {
    expect(report.brackets.filter((b) => b.paragraph === "II.").map((b) => b.text)).toEqual([
      "Further guidance on initial reports",
      "Additional upfront information on implementation of elements of the guidance",
    ]);
  });
});
