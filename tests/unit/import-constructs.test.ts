import { describe, expect, it } from "vitest";
import { inspectDraft } from "../../cli/inspect.ts";
import { checkDraft } from "../../schema/draft.ts";
import { readBracket, readSpeakerPrefix } from "../../schema/import/annotations.ts";
import { importText } from "../../schema/import/index.ts";

// One construct of drafts written elsewhere per test, each on the smallest text that has it.

const inspect = (text: string) => {
  const { draft, problems } = importText(text);
  return { draft, problems, report: inspectDraft(draft, problems) };
};
const only = (text: string) => {
  const { report } = inspect(text);
  expect(report.brackets).toHaveLength(1);
  return report.brackets[0]!;
};
const kinds = (text: string) => inspect(text).problems.map((p) => [p.kind, p.line, p.column]);

describe("annotations inside a bracket", () => {
  it("reads positions after quoted words", () => {
    expect(only("A. 背景[“和宗旨”——巴基斯坦：删除；阿联酋不同意]").positions).toEqual([
      { party: "Pakistan", stance: "delete", onBehalfOf: null },
      { party: "United Arab Emirates", stance: "oppose", onBehalfOf: null },
    ]);
  });

  it("leaves the quotes and the annotation out of the words", () => {
    expect(only("A. 背景[“和宗旨”——巴基斯坦：删除]").text).toBe("和宗旨");
  });

  it("reads a party after a dash as the proposer", () => {
    expect(only("1. 评价[“宗旨”——巴基斯坦]。")).toMatchObject({
      kind: "insertion",
      proposedBy: ["Pakistan"],
    });
  });

  it("reads a party before a dash and quoted words as the proposer of those words", () => {
    expect(only("1. 期间[加拿大——“每五年一次”；美国——OK]。")).toMatchObject({
      text: "每五年一次",
      proposedBy: ["Canada"],
      positions: [{ party: "United States of America", stance: "accept", onBehalfOf: null }],
    });
  });

  it("reads words before a semicolon and a position after it", () => {
    expect(only("1. [考虑；阿尔及利亚——删除]产权组织")).toMatchObject({
      text: "考虑",
      positions: [{ party: "Algeria", stance: "delete", onBehalfOf: null }],
    });
  });

  it("leaves the words of a deletion unattributed, since they are not its proposer's", () => {
    const { draft, report } = inspect("1. 与东道国和“各”[俄罗斯——删除]驻外办事处");
    expect(report.brackets[0]).toMatchObject({ kind: "deletion", text: "各" });
    const attributed: string[] = [];
    draft.doc.descendants((node) => {
      if (node.isText && node.marks.some((m) => m.type.name === "attribution")) {
        attributed.push(node.text ?? "");
      }
    });
    expect(attributed).toEqual([]);
  });

  it("reads a party speaking on behalf of a group", () => {
    expect(only("1. [词语——阿尔及利亚代表非洲集团：支持]").positions).toEqual([
      { party: "Algeria", stance: "support", onBehalfOf: "African Group" },
    ]);
  });

  it("reads English conventions", () => {
    expect(
      only("1. The [evaluation — Algeria on behalf of the African Group: oppose] shall.").positions,
    ).toEqual([{ party: "Algeria", stance: "oppose", onBehalfOf: "African Group" }]);
  });

  it("reads an annotation after the closing bracket", () => {
    expect(only("1. The [independent]——Pakistan evaluation.")).toMatchObject({
      text: "independent",
      proposedBy: ["Pakistan"],
    });
  });

  it.each([
    ["不支持", "oppose"],
    ["反对", "oppose"],
    ["同意", "accept"],
    ["OK", "accept"],
    ["保留", "retain"],
    ["持保留意见", "reserve"],
    ["支持", "support"],
    ["删除", "delete"],
  ])("reads %s as %s", (word, stance) => {
    expect(readBracket(`词——俄罗斯——${word}`).items).toEqual([
      {
        kind: "position",
        parties: [{ party: "Russian Federation", onBehalfOf: null }],
        stance,
        text: null,
      },
    ]);
  });

  it("reads a replacement and its words", () => {
    expect(readBracket("俄罗斯——替换“网络”").items).toEqual([
      {
        kind: "position",
        parties: [{ party: "Russian Federation", onBehalfOf: null }],
        stance: "replace",
        text: "网络",
      },
    ]);
  });

  it("keeps a bracket without annotation as words of unknown origin", () => {
    expect(only("1. 到[产权组织有可用最新数据的年份]。")).toMatchObject({
      kind: "text",
      proposedBy: [],
      positions: [],
    });
  });
});

describe("annotations attached to other words", () => {
  it("attaches a bracket of positions to the bracket just before it", () => {
    const { report } = inspect("(1)相关性。[每个][俄罗斯——替换“网络”]产权组织");
    expect(report.brackets.map((b) => [b.text, b.positions.map((p) => p.stance)])).toEqual([
      ["每个", ["replace"]],
    ]);
  });

  it("brackets the quoted words a position follows", () => {
    expect(only("1. 与东道国和“各”[俄罗斯——删除]驻外办事处")).toMatchObject({
      text: "各",
      kind: "deletion",
      proposedBy: ["Russian Federation"],
    });
  });

  it("takes party names at the edges of an enclosing bracket as its proposers", () => {
    expect(only("• [[巴基斯坦]提高效率。[阿尔及利亚]]").proposedBy).toEqual([
      "Pakistan",
      "Algeria",
    ]);
  });

  it("attaches a line of positions to the wholly bracketed item above", () => {
    expect(only("• [审查开设新驻外办事处的过程。]\n\n[俄罗斯——删除第三项]").positions).toEqual([
      { party: "Russian Federation", stance: "delete", onBehalfOf: null },
    ]);
  });

  it("keeps a bracketed statement about something it cannot find as that statement", () => {
    expect(only("[巴基斯坦、伊朗不支持主席的第 5 段替代案文]")).toMatchObject({
      kind: "text",
      proposedBy: ["Pakistan", "Iran (Islamic Republic of)"],
    });
  });

  it("reads a position in parentheses after a bracket", () => {
    expect(only("1. 评价[和宗旨]（美国——同意）。")).toMatchObject({
      text: "和宗旨",
      positions: [{ party: "United States of America", stance: "accept", onBehalfOf: null }],
    });
  });

  it("takes the parenthesised positions out of the text", () => {
    const { draft } = inspect("1. 评价[和宗旨]（美国——同意）（俄罗斯——删除）。");
    expect(draft.doc.textContent).toBe("评价和宗旨。");
  });

  it("reads several positions in parentheses, in one group or in a row", () => {
    expect(only("1. 评价[和宗旨]（美国——同意；巴西——支持）（俄罗斯——删除）。").positions).toEqual([
      { party: "United States of America", stance: "accept", onBehalfOf: null },
      { party: "Brazil", stance: "support", onBehalfOf: null },
      { party: "Russian Federation", stance: "delete", onBehalfOf: null },
    ]);
  });

  it("reads English positions in parentheses", () => {
    expect(only("1. The [purpose] (United States: oppose) of it.").positions).toEqual([
      { party: "United States of America", stance: "oppose", onBehalfOf: null },
    ]);
  });

  it("keeps words proposed in parentheses after a bracket as text", () => {
    const { draft, report } = inspect("1. 评价[报告]（“供委员会采取适当行动”——巴基斯坦）");
    expect([report.brackets[0]!.positions, draft.doc.textContent]).toEqual([
      [],
      "评价报告（“供委员会采取适当行动”——巴基斯坦）",
    ]);
  });

  it("keeps a stance with words saying what it is about as text", () => {
    const { draft, report } = inspect("1. 评价[报告]（阿尔及利亚——删除提及外聘审计员）");
    expect([report.brackets[0]!.positions, draft.doc.textContent]).toEqual([
      [],
      "评价报告（阿尔及利亚——删除提及外聘审计员）",
    ]);
  });

  it("keeps positions in parentheses after a bracket of annotation alone as text", () => {
    const { draft } = inspect("• （外聘审计员）[俄罗斯——删除，报告]（阿尔及利亚——删除）");
    expect(draft.doc.textContent).toContain("（阿尔及利亚——删除）");
  });
});

describe("statements from the floor", () => {
  it("finds the speaker and where the words begin", () => {
    expect(readSpeakerPrefix("俄罗斯联邦：第 5 段假定")).toEqual({
      speakers: [{ party: "Russian Federation", onBehalfOf: null }],
      end: 6,
    });
  });

  it("makes a statement an unnumbered paragraph attributed to the speaker", () => {
    const { draft } = inspect("5. 评价。\n\n俄罗斯联邦：第 5 段假定评价结果。");
    const statement = draft.doc.child(1);
    const party = statement.lastChild!.marks.map(
      (m) => draft.registry.attributions[String(m.attrs.id)]?.party,
    );
    expect([statement.attrs.numbering, party]).toEqual(["none", ["Russian Federation"]]);
  });

  it("reads a stance on the item above as a position on its bracket", () => {
    expect(
      only("• [审查开设新驻外办事处的过程。]\n\n非洲集团建议删除上面一项。").positions,
    ).toEqual([{ party: "African Group", stance: "delete", onBehalfOf: null }]);
  });

  it("reads a new wording as an alternative to the item above", () => {
    const { draft, report } = inspect(
      "• [评价应采用方法。]\n\n巴基斯坦：上面一项的建议新措辞：[评价应采用新方法。]",
    );
    const alt = report.brackets.find((b) => b.kind === "alternative")!;
    const itemId = draft.doc.child(0).child(0).attrs.id;
    expect([alt.proposedBy, draft.registry.brackets[alt.id]!.alternativeTo]).toEqual([
      ["Pakistan"],
      itemId,
    ]);
  });

  it("makes a new wording of the item above an item of the same list", () => {
    const { draft } = inspect(
      "• [评价应采用方法。]\n\n巴基斯坦：上面一项的建议新措辞：[评价应采用新方法。]\n\n• [最后一项。]",
    );
    const list = draft.doc.child(0);
    expect([
      draft.doc.childCount,
      list.type.name,
      list.childCount,
      list.child(1).textContent,
    ]).toEqual([1, "list", 3, "评价应采用新方法。"]);
  });

  it("reads annotations on a new wording's lead-in as positions on the wording", () => {
    const { report } = inspect(
      "• [评价应采用方法。]\n\n阿尔及利亚代表非洲集团[加纳代表非洲集团重申；美国不同意]提出上面一项的替代措辞：[评价应采用新方法。]",
    );
    expect(report.brackets.map((b) => [b.kind, b.positions.map((p) => p.party)])).toEqual([
      ["text", []],
      ["alternative", ["Ghana", "United States of America"]],
    ]);
  });

  it("keeps a new wording of an item as a statement when others spoke in between", () => {
    const { draft } = inspect(
      "• [评价应采用方法。]\n\n美国：支持。\n\n巴基斯坦：上面一项的建议新措辞：[评价应采用新方法。]",
    );
    expect(draft.doc.lastChild!.textContent).toBe(
      "巴基斯坦：上面一项的建议新措辞：评价应采用新方法。",
    );
  });
});

describe("chair's texts", () => {
  const draftWith = (chair: string) =>
    inspect(`1. 第一段。\n\n2. 第二段。\n\n3. 第三段。\n\n${chair}`).report.chairAlternatives;

  it("replaces the paragraphs it names", () => {
    expect(draftWith("[主席的替代案文，代替第 1、2段：\n\n1. 新案文。]")[0]?.replaces).toEqual([
      "1",
      "2",
    ]);
  });

  it("replaces a range of paragraphs", () => {
    expect(draftWith("[主席的替代案文，代替第 1至3段：\n\n1. 新案文。]")[0]?.replaces).toEqual([
      "1",
      "2",
      "3",
    ]);
  });

  it("replaces the paragraph it follows when it names none", () => {
    expect(draftWith("[主席的替代案文：\n\n3. 新案文。]")[0]?.replaces).toEqual(["3"]);
  });

  it("does not count its own paragraphs", () => {
    expect(inspect("1. 甲。\n\n[主席的替代案文：\n\n1. 乙。]\n\n2. 丙。").report.paragraphs).toBe(
      2,
    );
  });

  it("reports a chair's text numbered differently from the paragraph it follows", () => {
    expect(kinds("18. 甲。\n\n[主席的替代案文：\n\n14. 乙。]")).toEqual([
      ["chairNumberMismatch", 3, 1],
    ]);
  });

  it("reads the English wording of a chair's alternative", () => {
    const text =
      "1. The evaluation.\n2. Its scope.\n[Chair's alternative text, replacing paras 1 and 2:\n1. An evaluation.]";
    expect(inspect(text).report.chairAlternatives).toEqual([
      { id: "c1", replaces: ["1", "2"], text: "An evaluation." },
    ]);
  });

  it("keeps a chair's note as the chair's words without a bracket", () => {
    const { draft, report } = inspect("[主席的建议：移至 D节]。");
    const parties = Object.values(draft.registry.attributions).map((a) => a.party);
    expect([report.brackets.length, parties, draft.doc.textContent]).toEqual([
      0,
      ["Chair"],
      "主席的建议：移至 D节。",
    ]);
  });
});

describe("unmatched brackets", () => {
  it("reports a bracket never closed at its line and column", () => {
    expect(kinds("1. 甲。\n2. 乙[丙。\n3. 丁。")).toEqual([["unclosedBracket", 2, 5]]);
  });

  it("does not pair a stray closing bracket with a bracket left open paragraphs before", () => {
    expect(kinds("1. 甲[乙。\n\n2. 丙。\n\n3. 丁]戊。")).toEqual([
      ["unclosedBracket", 1, 5],
      ["strayCloseBracket", 5, 5],
    ]);
  });

  it("lets a bracket opened before a paragraph's number close at the end of the next paragraph", () => {
    const { report, problems } = inspect("[3. 甲。\n\n4. 乙。]\n\n5. 丙。");
    expect([problems, report.brackets.map((b) => b.text)]).toEqual([[], ["甲。\n乙。"]]);
  });

  it("ends such a bracket at a heading", () => {
    expect(kinds("[1. 甲。\n\nA. 背景\n\n2. 乙。]")).toEqual([
      ["unclosedBracket", 1, 1],
      ["strayCloseBracket", 5, 6],
    ]);
  });

  it("lets a bracket opened mid-paragraph close in a plain block that continues it", () => {
    const { report, problems } = inspect("1. 甲[乙。\n\n丙]丁。");
    expect([problems, report.brackets.map((b) => b.text)]).toEqual([[], ["乙。\n丙"]]);
  });

  it("reads full-width brackets", () => {
    expect(only("1. 甲［乙］丙。").text).toBe("乙");
  });

  it("does not take editorial markers for brackets", () => {
    const { report, draft } = inspect(
      "[后接附件二]\n\n[English only]\n\n批注 [作者1]: 意见\n\nOption 3: {No text required}",
    );
    expect([
      report.brackets.length,
      report.problems.length,
      draft.doc.textContent.includes("[English only]"),
    ]).toEqual([0, 0, true]);
  });
});

describe("page furniture", () => {
  it("drops a footnote number standing alone on a line", () => {
    expect(inspect("3. 大会进一步决定\n2\n：").draft.doc.textContent).toBe("大会进一步决定：");
  });

  it("drops the footnote texts under a page's rule", () => {
    const rule = " ".repeat(48);
    const { draft } = inspect(`1. 甲。\n${rule}\n1\n  A/55/INF/11\n2. 乙。`);
    expect(draft.doc.textContent).toBe("甲。乙。");
  });

  it("takes a Word comment out of the text and anchors it on the block before it", () => {
    const { draft } = inspect("1. 甲。\n批注 [作者1]: 阿尔及利亚提出增加\n2. 乙。");
    const anchored = draft.doc.child(0).firstChild!.marks.map((m) => m.type.name);
    expect([draft.doc.textContent, anchored]).toEqual(["甲。乙。", ["comment"]]);
  });
});

describe("structure", () => {
  it("joins the lines of a paragraph broken by a PDF", () => {
    const line =
      "评价将侧重于产权组织驻外办事处的活动同时考虑到最近开设的驻外办事处以及二零一九年冠状病毒";
    const text = `${Array.from({ length: 30 }, (_, i) => `${i + 1}. ${line}\n\n${line}\n`).join("\n")}`;
    expect(inspect(text).draft.doc.childCount).toBe(30);
  });

  it("reads list items of every style", () => {
    const { draft } = inspect("(a) 甲\n(b) 乙\n(1) 丙\n• 丁\n− 戊");
    const styles: string[] = [];
    draft.doc.forEach((n) => {
      styles.push(`${n.attrs.style}:${n.childCount}`);
    });
    expect(styles).toEqual(["alpha:2", "decimal:1", "bullet:1", "dash:1"]);
  });

  it("reads a heading and takes the PDF's letter spacing out of it", () => {
    const { draft } = inspect("B. 对 象");
    expect([draft.doc.firstChild!.attrs.label, draft.doc.firstChild!.textContent]).toEqual([
      "B.",
      "对象",
    ]);
  });
});

describe("any text", () => {
  it.each([
    "",
    "]]][[[",
    "［］",
    "1.",
    "Option",
    "\u0000\uFFFF",
    "主席的替代案文：]",
    "[主席的替代案文",
  ])("gives a consistent draft for %j", (text) => {
    expect(checkDraft(importText(text).draft)).toEqual([]);
  });
});
