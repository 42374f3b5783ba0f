import { beforeEach, describe, expect, it } from "vitest";
import type { Draft } from "../../schema/draft.ts";
import type { BracketEntry, Position, Registry, Stance } from "../../schema/registry.ts";
import { readAnnotatedText } from "../../schema/render/annotated-reader.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import { writeText } from "../../schema/render/text.ts";
import { at, br, ca, doc, h, np, option, options, p, registry, resetIds } from "../builder.ts";

beforeEach(resetIds);

const pos = (party: string, stance: Stance, over: Partial<Position> = {}): Position => ({
  party,
  stance,
  onBehalfOf: null,
  text: null,
  enteredBy: null,
  ...over,
});

const bracket = (over: Partial<BracketEntry> = {}): BracketEntry => ({
  kind: "insertion",
  status: "open",
  proposedBy: [],
  enteredBy: null,
  pairedWith: null,
  alternativeTo: null,
  positions: {},
  ...over,
});

const draftOf = (node: ReturnType<typeof doc>, parts: Partial<Registry>): Draft => ({
  doc: node,
  registry: registry(parts),
});

/** The body of the text, without its header. */
const body = (draft: Draft, mode: "annotated" | "unattributed" | "clean", lang: "zh" | "en") =>
  writeText(draft, { mode, lang }).split("\n\n").slice(1).join("\n\n").trimEnd();

const pakistanDeletes = (words: string) =>
  draftOf(doc(h({ label: "A." }, "Background ", br("b1", words))), {
    brackets: {
      b1: bracket({
        kind: "deletion",
        proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
        positions: {
          Pakistan: pos("Pakistan", "delete"),
          "United Arab Emirates": pos("United Arab Emirates", "oppose"),
        },
      }),
    },
  });

describe("the annotated text", () => {
  it("writes a deletion and an objection the way Chinese drafts do", () => {
    expect(body(pakistanDeletes("和宗旨"), "annotated", "zh")).toBe(
      "A. Background [“和宗旨”——巴基斯坦：删除；阿拉伯联合酋长国：反对]",
    );
  });

  it("writes a deletion and an objection the way English drafts do", () => {
    expect(body(pakistanDeletes("and purpose"), "annotated", "en")).toBe(
      'A. Background ["and purpose" — Pakistan: delete; United Arab Emirates: oppose]',
    );
  });

  it("lists the proposer's own position when it is no longer the deletion it proposed", () => {
    const draft = draftOf(doc(np("a ", br("b1", "b"))), {
      brackets: {
        b1: bracket({
          kind: "deletion",
          proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
          positions: { Pakistan: pos("Pakistan", "reserve") },
        }),
      },
    });
    expect(body(draft, "annotated", "en")).toBe(
      '1. a ["b" — deletion proposed by Pakistan; Pakistan: reserve]',
    );
  });

  const stanceWords: [Stance, string | null, string, string][] = [
    ["support", null, "支持", "support"],
    ["oppose", null, "反对", "oppose"],
    ["reserve", null, "保留", "reserve"],
    ["accept", null, "同意", "OK"],
    ["delete", null, "删除", "delete"],
    ["retain", null, "保留原文", "retain"],
    ["replace", "网络", "替换为“网络”", 'replace with "网络"'],
    ["comment", "过宽", "意见“过宽”", 'comment "过宽"'],
  ];

  it.each(stanceWords)("words the stance %s in both languages", (stance, text, zh, en) => {
    const draft = draftOf(doc(np(br("b1", at("a1", "x")))), {
      brackets: {
        b1: bracket({
          proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
          positions: { Algeria: pos("Algeria", stance, { text }) },
        }),
      },
      attributions: { a1: { party: "Pakistan", onBehalfOf: null, enteredBy: null } },
    });
    expect(body(draft, "annotated", "zh")).toBe(`1. [“x”——巴基斯坦；阿尔及利亚：${zh}]`);
    expect(body(draft, "annotated", "en")).toBe(`1. ["x" — Pakistan; Algeria: ${en}]`);
  });

  it("says the proposer is unknown rather than let a deletion read as a proposal", () => {
    const draft = draftOf(doc(np(br("b1", "x"))), {
      brackets: { b1: bracket({ kind: "text", positions: { Algeria: pos("Algeria", "delete") } }) },
    });
    expect(body(draft, "annotated", "zh")).toBe("1. [“x”——提案方不详；阿尔及利亚：删除]");
    expect(body(draft, "annotated", "en")).toBe('1. ["x" — proposer unknown; Algeria: delete]');
  });

  it("names a delegation speaking for a group and the secretariat that entered its words", () => {
    const draft = draftOf(doc(np(br("b1", at("a1", "x")))), {
      brackets: {
        b1: bracket({
          proposedBy: [{ party: "Algeria", onBehalfOf: "African Group" }],
          enteredBy: "Secretariat",
        }),
      },
      attributions: {
        a1: { party: "Algeria", onBehalfOf: "African Group", enteredBy: "Secretariat" },
      },
    });
    expect(body(draft, "annotated", "zh")).toBe("1. [“x”——阿尔及利亚代表非洲集团（秘书处录入）]");
    expect(body(draft, "annotated", "en")).toBe(
      '1. ["x" — Algeria on behalf of the African Group (entered by the Secretariat)]',
    );
  });

  it("nests a bracket proposed inside another bracket", () => {
    const draft = draftOf(doc(np(br("b1", "a ", br("b2", "b"), " c"))), {
      brackets: {
        b1: bracket({ proposedBy: [{ party: "Pakistan", onBehalfOf: null }] }),
        b2: bracket({ proposedBy: [{ party: "Algeria", onBehalfOf: null }] }),
      },
    });
    expect(body(draft, "annotated", "en")).toBe('1. ["a ["b" — Algeria] c" — Pakistan]');
  });

  it("writes a replacement as the deletion directly followed by the new words", () => {
    const draft = draftOf(doc(np(br("b1", "old"), br("b2", "new"))), {
      brackets: {
        b1: bracket({
          kind: "deletion",
          proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
          pairedWith: "b2",
          positions: { Pakistan: pos("Pakistan", "delete") },
        }),
        b2: bracket({ proposedBy: [{ party: "Pakistan", onBehalfOf: null }], pairedWith: "b1" }),
      },
    });
    expect(body(draft, "annotated", "zh")).toBe("1. [“old”——巴基斯坦提议替换][“new”——巴基斯坦]");
  });
});

describe("a chair's alternative text", () => {
  const chairDraft = (...above: ReturnType<typeof np>[]) =>
    draftOf(
      doc(...above, np({ id: "p2" }, "b"), np({ id: "p3" }, "c"), np(ca("c1", "new b and c"))),
      {
        chairAlternatives: { c1: { replaces: ["p2", "p3"], status: "proposed" } },
      },
    );

  it("is framed with the numbers of the paragraphs it replaces", () => {
    expect(body(chairDraft(np("a")), "annotated", "zh")).toContain(
      "[主席的替代案文，代替第 2、3段：\n\n2. new b and c\n\n]",
    );
    expect(body(chairDraft(np("a")), "annotated", "en")).toContain(
      "[Chair's alternative text, replacing paras 2, 3:\n\n2. new b and c\n\n]",
    );
  });

  it("keeps naming the right paragraphs when one is inserted above them", () => {
    expect(body(chairDraft(np("a"), np("inserted")), "annotated", "en")).toContain(
      "[Chair's alternative text, replacing paras 3, 4:",
    );
  });

  it("is framed once when it holds competing options", () => {
    const draft = draftOf(
      doc(
        np({ id: "target" }, "b"),
        np(ca("c1", "intro")),
        options(
          option({ label: "Option 1" }, np(ca("c1", "one"))),
          option({ label: "Option 2" }, np(ca("c1", "two"))),
        ),
      ),
      { chairAlternatives: { c1: { replaces: ["target"], status: "proposed" } } },
    );
    const text = writeText(draft, { mode: "annotated", lang: "en" });
    expect(text.match(/Chair's alternative text/g)).toHaveLength(1);
    expect(canonicalDraft(readAnnotatedText(text))).toEqual(canonicalDraft(draft));
  });

  it("keeps its frame and label in the unattributed text", () => {
    expect(body(chairDraft(np("a")), "unattributed", "en")).toContain(
      "[Chair's alternative text, replacing paras 2, 3:",
    );
  });
});

describe("a chair's alternative text the chair typed on past", () => {
  const typedOn = () =>
    draftOf(doc(np({ id: "p1" }, "a"), np(ca("c1", "x")), np(ca("c1", "new"), " more")), {
      chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } },
    });

  it("is set off within the block that is only partly its own", () => {
    expect(body(typedOn(), "annotated", "en")).toBe(
      "1. a\n\n[Chair's alternative text, replacing para 1:\n\n1. x\n\n]\n\n" +
        "2. [Chair's alternative text, replacing para 1: new] more",
    );
  });

  it("is read back as one chair's text", () => {
    const draft = typedOn();
    const back = readAnnotatedText(writeText(draft, { mode: "annotated", lang: "zh" }));
    expect(canonicalDraft(back)).toEqual(canonicalDraft(draft));
  });
});

describe("the unattributed text", () => {
  it("keeps every bracket and drops every name and position", () => {
    const text = body(pakistanDeletes("and purpose"), "unattributed", "en");
    expect(text).toBe("A. Background [and purpose]");
  });
});

describe("the clean text", () => {
  it("leaves out open brackets with their words and everything nested in them", () => {
    const draft = draftOf(doc(np("keep ", br("b1", "gone ", br("b2", "also gone")), " this")), {
      brackets: { b1: bracket({ kind: "text" }), b2: bracket({ kind: "text" }) },
    });
    expect(body(draft, "clean", "en")).toBe("1. keep this");
  });

  it("keeps the words of a bracket that was lifted", () => {
    const draft = draftOf(doc(np("keep ", br("b1", "agreed"), " this")), {
      brackets: { b1: bracket({ kind: "text", status: "lifted" }) },
    });
    expect(body(draft, "clean", "en")).toBe("1. keep agreed this");
  });

  it("leaves out a proposed chair's text and keeps an adopted one in place", () => {
    const draft = draftOf(
      doc(np({ id: "p1" }, "a"), np(ca("c1", "proposed")), np(ca("c2", "adopted")), np("b")),
      {
        chairAlternatives: {
          c1: { replaces: ["p1"], status: "proposed" },
          c2: { replaces: ["gone"], status: "adopted" },
        },
      },
    );
    expect(body(draft, "clean", "en")).toBe("1. a\n\n2. adopted\n\n3. b");
  });

  it("leaves out a block whose whole text is an open alternative wording", () => {
    const draft = draftOf(doc(np({ id: "p1" }, "a"), p(br("b1", at("a1", "other a")))), {
      brackets: {
        b1: bracket({
          kind: "alternative",
          alternativeTo: "p1",
          proposedBy: [{ party: "Algeria", onBehalfOf: null }],
        }),
      },
      attributions: { a1: { party: "Algeria", onBehalfOf: null, enteredBy: null } },
    });
    expect(body(draft, "clean", "zh")).toBe("1. a");
  });
});

describe("an alternative wording", () => {
  const reworded = (...between: ReturnType<typeof p>[]) =>
    draftOf(doc(np({ id: "target" }, "a"), ...between, p(br("b1", at("a1", "other a")))), {
      brackets: {
        b1: bracket({
          kind: "alternative",
          alternativeTo: "target",
          proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
        }),
      },
      attributions: { a1: { party: "Pakistan", onBehalfOf: null, enteredBy: null } },
    });

  it("says no more than who proposes it when it follows the paragraph it rewords", () => {
    expect(body(reworded(), "annotated", "en")).toBe(
      '1. a\n\n["other a" — Pakistan proposes alternative wording]',
    );
  });

  it("names the paragraph it rewords when a statement comes between", () => {
    const draft = reworded(p("a statement"));
    expect(body(draft, "annotated", "zh")).toContain("——巴基斯坦提出第 1 段的替代措辞]");
    expect(body(draft, "annotated", "en")).toContain(
      "— Pakistan proposes alternative wording of para 1]",
    );
    const back = readAnnotatedText(writeText(draft, { mode: "annotated", lang: "en" }));
    expect(canonicalDraft(back)).toEqual(canonicalDraft(draft));
  });
});

describe("words that look like notation", () => {
  it("show their square brackets full-width and read back unchanged", () => {
    const draft = draftOf(doc(p("[English only] text"), np("a ", br("b1", "x"))), {
      brackets: { b1: bracket({ kind: "text" }) },
    });
    const text = writeText(draft, { mode: "annotated", lang: "en" });
    expect(text).toContain("［English only］ text");
    expect(canonicalDraft(readAnnotatedText(text))).toEqual(canonicalDraft(draft));
  });

  it("read back unchanged when a bracket without annotation starts with a quote", () => {
    const draft = draftOf(doc(np(br("b1", "“quoted” words"))), {
      brackets: { b1: bracket({ kind: "text" }) },
    });
    const text = writeText(draft, { mode: "annotated", lang: "zh" });
    expect(canonicalDraft(readAnnotatedText(text))).toEqual(canonicalDraft(draft));
  });
});

describe("an imported bracket whose annotation named its proposers", () => {
  const imported = () =>
    draftOf(doc(np(br("b1", "x"))), {
      brackets: {
        b1: bracket({
          kind: "text",
          proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
          positions: { Algeria: pos("Algeria", "delete") },
        }),
      },
    });

  it("names them without claiming the words as their insertion", () => {
    expect(body(imported(), "annotated", "zh")).toBe("1. [“x”——巴基斯坦提出；阿尔及利亚：删除]");
    expect(body(imported(), "annotated", "en")).toBe(
      '1. ["x" — proposed by Pakistan; Algeria: delete]',
    );
  });

  it("is read back with its proposers and kind", () => {
    const draft = imported();
    const back = readAnnotatedText(writeText(draft, { mode: "annotated", lang: "en" }));
    expect(canonicalDraft(back)).toEqual(canonicalDraft(draft));
  });
});

describe("readAnnotatedText", () => {
  it("knows parties by the other names drafts give them", () => {
    const read = readAnnotatedText(
      "原文：中文\n\nA. 背景[“和宗旨”——巴基斯坦：删除；阿联酋：反对]\n",
    );
    const entry = Object.values(read.registry.brackets)[0]!;
    expect(Object.keys(entry.positions).sort()).toEqual(["Pakistan", "United Arab Emirates"]);
  });

  it("reads back a proposer whose Chinese name holds the list separator", () => {
    const proposedBy = [
      { party: "CACEET", onBehalfOf: null },
      { party: "Pakistan", onBehalfOf: null },
    ];
    const draft = draftOf(doc(np(br("b1", "x"))), { brackets: { b1: bracket({ proposedBy }) } });
    const text = writeText(draft, { mode: "annotated", lang: "zh" });
    expect(text).toContain("——中亚、高加索和东欧国家集团、巴基斯坦]");
    expect(Object.values(readAnnotatedText(text).registry.brackets)[0]?.proposedBy).toEqual(
      proposedBy,
    );
  });

  it("refuses a bracket that is never closed and names its line", () => {
    expect(() => readAnnotatedText("Original: English\n\n1. a\n\n2. b [c\n")).toThrow(/Line 5/);
  });

  it("refuses a stance it does not know", () => {
    expect(() => readAnnotatedText('Original: English\n\n1. ["c" — Algeria: maybe]\n')).toThrow(
      /maybe/,
    );
  });

  it("refuses a chair's text that replaces a paragraph the draft does not have", () => {
    const text =
      "Original: English\n\n1. a\n\n[Chair's alternative text, replacing para 7:\n\n7. b\n\n]\n";
    expect(() => readAnnotatedText(text)).toThrow(/no paragraph 7/);
  });
});
