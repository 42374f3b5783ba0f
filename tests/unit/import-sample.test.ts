import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inspectDraft } from "../../cli/inspect.ts";
import { checkDraft } from "../../schema/draft.ts";
import { importText } from "../../schema/import/index.ts";
import { blockLabels } from "../../schema/numbering.ts";
import { listChairAlternatives } from "../../schema/queries.ts";
import { markRanges } from "../../schema/ranges.ts";

// Concrete expectations on the sample draft (a WIPO terms of reference extracted from a
// PDF). The figures come from inspectDraft, the function `parley inspect` prints.

const text = readFileSync(
  new URL("../../fixtures/field-office-tor.zh.txt", import.meta.url),
  "utf8",
);
const { draft, problems } = importText(text);
const report = inspectDraft(draft, problems);
const bracketIn = (paragraph: string | null, words: string) =>
  report.brackets.find((b) => b.paragraph === paragraph && b.text === words);

describe("the sample draft", () => {
  it("is a consistent draft", () => {
    expect(checkDraft(draft)).toEqual([]);
  });

  it("has its symbol, title and language", () => {
    expect(draft.registry.meta).toMatchObject({
      symbol: "WO/PBC/34/15",
      title: "2021年评价产权组织驻外办事处的职权范围初稿",
      lang: "zh",
      date: "2021 年 12 月 23 日",
    });
  });

  it("has 21 numbered paragraphs", () => {
    expect(report.paragraphs).toBe(21);
  });

  it("has 125 brackets", () => {
    expect(report.brackets).toHaveLength(125);
  });

  it("keeps the original-language line out of the body, in the front matter", () => {
    const { frontMatter } = importText(text);
    expect([frontMatter, draft.doc.textContent.includes("原文")]).toEqual([["原文：英文"], false]);
  });

  it("has the sections A to H as headings", () => {
    const headings: string[] = [];
    draft.doc.forEach((n) => {
      if (n.type.name === "heading") headings.push(`${n.attrs.label} ${n.textContent}`);
    });
    expect(headings).toEqual([
      "A. 背景和宗旨",
      "B. 对象",
      "C. 范围",
      "D. 目的",
      "E. 方法",
      "F. 管理安排",
      "G. 预期交付成果和过程",
      "H. 时间表",
    ]);
  });

  it("records Pakistan (delete) and the UAE (oppose) on the bracket in heading A", () => {
    expect(bracketIn("A.", "和宗旨")).toMatchObject({
      depth: 1,
      proposedBy: [],
      positions: [
        { party: "Pakistan", stance: "delete", onBehalfOf: null },
        { party: "United Arab Emirates", stance: "oppose", onBehalfOf: null },
      ],
    });
  });

  it("reads “宗旨”——巴基斯坦 as Pakistan's insertion", () => {
    expect(report.brackets.find((b) => b.text === "宗旨")).toMatchObject({
      kind: "insertion",
      proposedBy: ["Pakistan"],
    });
  });

  it("reads a stance glued to the party inside a nested bracket", () => {
    expect(report.brackets.find((b) => b.text === "单个驻外办事处或")).toMatchObject({
      depth: 2,
      positions: [{ party: "Russian Federation", stance: "delete" }],
    });
  });

  it("reads a replacement with its words", () => {
    const b = bracketIn("(1)", "每个");
    expect(b?.positions).toEqual([
      { party: "Russian Federation", stance: "replace", onBehalfOf: null },
    ]);
    expect(draft.registry.brackets[b!.id]!.positions["Russian Federation"]!.text).toBe("网络");
  });

  it("brackets quoted words that a position follows as a deletion", () => {
    expect(report.brackets.find((b) => b.text === "各")).toMatchObject({
      kind: "deletion",
      proposedBy: ["Russian Federation"],
      positions: [{ party: "Russian Federation", stance: "delete" }],
    });
  });

  it("takes party names at the edges of a bracket as its proposers", () => {
    const b = report.brackets.find((x) => x.text.startsWith("提高单个驻外办事处或驻外办事处网络"));
    expect(b?.proposedBy).toEqual(["Pakistan", "Algeria"]);
  });

  it("attaches a block of annotation to the wholly bracketed item above it", () => {
    const b = report.brackets.find((x) => x.text.startsWith("提高单个驻外办事处或驻外办事处网络"));
    expect(b?.positions).toEqual([
      { party: "Russian Federation", stance: "delete", onBehalfOf: null },
    ]);
  });

  it("reads Algeria on behalf of the African Group proposing an alternative wording", () => {
    const alt = Object.values(draft.registry.brackets).find(
      (b) => b.kind === "alternative" && b.proposedBy[0]?.onBehalfOf === "African Group",
    );
    expect(alt?.proposedBy).toEqual([{ party: "Algeria", onBehalfOf: "African Group" }]);
  });

  it("points an alternative wording at the item above it", () => {
    const alt = report.brackets.find(
      (b) => b.kind === "alternative" && b.text.startsWith("应该设计一个客观标准"),
    );
    const target = draft.registry.brackets[alt!.id]!.alternativeTo!;
    let targetText = "";
    draft.doc.descendants((n) => {
      if (n.attrs.id === target) targetText = n.textContent;
      return true;
    });
    expect(targetText).toBe("应该设计一个经验性的客观标准来衡量驻外办事处的附加值、效率和效果。");
  });

  it("puts an alternative wording of an item into the same list, right after it", () => {
    const alt = report.brackets.find(
      (b) => b.kind === "alternative" && b.text.startsWith("应该设计一个客观标准"),
    )!;
    const target = draft.registry.brackets[alt.id]!.alternativeTo!;
    let siblings: string[] = [];
    draft.doc.descendants((n) => {
      if (n.type.name !== "list") return true;
      const ids: string[] = [];
      n.forEach((item) => {
        ids.push(String(item.attrs.id));
      });
      const at = ids.indexOf(target);
      if (at >= 0) siblings = [n.child(at + 1).textContent];
      return false;
    });
    expect(siblings).toEqual([alt.text]);
  });

  it("reads what others said on the lead-in of a new wording as positions on it", () => {
    const alt = report.brackets.find(
      (b) => b.kind === "alternative" && b.text.startsWith("提高单个驻外办事处"),
    );
    expect(alt?.positions).toEqual([
      { party: "Algeria", stance: "accept", onBehalfOf: null },
      { party: "Ghana", stance: "comment", onBehalfOf: "African Group" },
    ]);
  });

  it("records the UAE, India and Colombia asking to delete the last two items of paragraph 6", () => {
    const last = report.brackets.filter(
      (b) => b.paragraph === "•" && b.positions.some((p) => p.party === "Colombia"),
    );
    expect(last.map((b) => b.text.slice(0, 6))).toEqual(["审查开设新驻", "为产权组织制"]);
  });

  it("has 8 chair's alternative texts replacing the paragraphs they name or follow", () => {
    expect(report.chairAlternatives.map((c) => c.replaces)).toEqual([
      ["5"],
      ["9"],
      ["10"],
      ["12", "13"],
      ["15", "16", "17"],
      ["18"],
      ["19", "20"],
      ["21"],
    ]);
  });

  it("labels a chair's text's own paragraph with the number it replaces", () => {
    const labels = blockLabels(draft.doc, draft.registry);
    const chair = listChairAlternatives(draft)[3]!;
    let label: string | undefined;
    draft.doc.descendants((n, pos) => {
      if (n.type.name === "paragraph" && pos >= chair.from - 1 && label === undefined) {
        label = labels.get(String(n.attrs.id));
      }
      return true;
    });
    expect([label, chair.text.startsWith("评价应以以纯技术方式严格")]).toEqual(["12", true]);
  });

  it("attributes a statement from the floor to its speaker", () => {
    let found: string[] = [];
    draft.doc.descendants((n) => {
      if (n.type.name === "paragraph" && n.textContent.startsWith("俄罗斯联邦：第 5 段假定")) {
        expect(n.attrs.numbering).toBe("none");
        found = n
          .lastChild!.marks.filter((m) => m.type.name === "attribution")
          .map((m) => draft.registry.attributions[String(m.attrs.id)]!.party);
      }
      return true;
    });
    expect(found).toEqual(["Russian Federation"]);
  });

  it("keeps a chair's note as the chair's words, not as a bracket", () => {
    const notes = Object.values(draft.registry.attributions).filter((a) => a.party === "Chair");
    expect(notes).toHaveLength(3);
  });

  it("keeps the editorial marker [后接附件二] as text", () => {
    expect(draft.doc.lastChild!.textContent).toBe("[后接附件二]");
  });

  it("keeps the Word comment with its author", () => {
    expect(Object.values(draft.registry.comments)).toEqual([
      { author: "作者1", text: "阿尔及利亚提出增加" },
    ]);
  });

  it("drops footnote numbers and footnote texts", () => {
    expect(draft.doc.textContent).not.toContain("A/59/13 Add.4");
  });

  it("reports every unmatched bracket with its line and column", () => {
    expect(problems.map((p) => [p.kind, p.line, p.column])).toEqual([
      ["unclosedBracket", 15, 1],
      ["unclosedChairAlternative", 100, 1],
      ["strayCloseBracket", 108, 43],
      ["unclosedBracket", 246, 18],
      ["unclosedChairAlternative", 269, 1],
      ["unclosedBracket", 309, 3],
      ["unclosedChairAlternative", 390, 1],
      ["strayCloseBracket", 593, 9],
      ["unclosedChairAlternative", 707, 1],
      ["chairNumberMismatch", 738, 1],
      ["unclosedBracket", 764, 14],
      ["chairNumberMismatch", 829, 1],
      ["strayCloseBracket", 835, 35],
    ]);
  });

  it("counts open brackets per party", () => {
    expect(report.parties).toEqual({
      Pakistan: 23,
      "United Arab Emirates": 5,
      "United States of America": 9,
      Algeria: 21,
      "Russian Federation": 36,
      Canada: 3,
      "Iran (Islamic Republic of)": 5,
      Ghana: 1,
      India: 4,
      Colombia: 2,
      Nigeria: 2,
      China: 1,
      Slovakia: 1,
      Brazil: 2,
      Singapore: 1,
      "South Africa": 1,
      "African Group": 4,
    });
  });

  it("gives every bracket mark a registry entry", () => {
    expect([...markRanges(draft.doc, "bracket").keys()].sort()).toEqual(
      Object.keys(draft.registry.brackets).sort(),
    );
  });
});

describe("importing broken text", () => {
  // Seeded slices of the sample: whatever is cut, the reader must return a draft whose
  // marks all have entries and whose blocks have unique ids. Override with IMPORT_SEED.
  const seed = Number(process.env.IMPORT_SEED ?? 20261121);
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  it(`never throws and always gives a consistent draft (seed ${seed})`, () => {
    for (let n = 0; n < 40; n++) {
      const from = Math.floor(random() * text.length);
      const to = from + Math.floor(random() * 3000);
      const slice = text.slice(from, to);
      const fatal = checkDraft(importText(slice).draft).filter((p) => p.kind !== "bracketOverlap");
      expect(fatal, `seed ${seed}, slice ${from}-${to}`).toEqual([]);
    }
  });
});
