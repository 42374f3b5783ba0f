// The fixed, hand-built draft the golden files in this folder are written from: one of
// every construct the text notation knows, in Chinese or English words. It lives next to
// its golden files because changing it changes every one of them.

import type { Mark, Node } from "prosemirror-model";
import type { Draft } from "../../../schema/draft.ts";
import type { BracketEntry, PartyRef, Position, Stance } from "../../../schema/registry.ts";
import { schema } from "../../../schema/schema.ts";

const sampleWords = {
  en: {
    symbol: "WO/PBC/34/15",
    title: "Draft Terms of Reference for the 2021 Evaluation of the WIPO External Offices",
    date: "23 December 2021",
    background: "Background ",
    purpose: "and purpose",
    p1: "The evaluation shall be conducted in accordance with the decisions of the Member States.",
    p2: "The evaluation shall review the |size and performance| of the |entire| network of External Offices.".split(
      "|",
    ),
    p3: "The evaluation will inform |the Member States'|the Committee's| consideration of pending applications |for new offices |in 2022-2023|.".split(
      "|",
    ),
    p4: "The evaluation will inform decisions on new External Offices.",
    comment: "too broad",
    p5: "The evaluation shall assess |comprehensively| the relevance and efficiency of the network.".split(
      "|",
    ),
    items: ["relevance;", "effectiveness;", "efficiency."],
    impact: "impact",
    p6: "The evaluator shall be an external firm.",
    p7: ["The evaluator shall be ", "the internal oversight division", "."],
    p8: "The evaluation shall be completed within six months.",
    p9: "The report shall be issued in all official languages.",
    p10: "The Committee shall consider the report at its next session.",
    option: "Option",
  },
  zh: {
    symbol: "WO/PBC/34/15",
    title: "2021年评价产权组织驻外办事处的职权范围初稿",
    date: "2021年12月23日",
    background: "背景",
    purpose: "和宗旨",
    p1: "评价将根据产权组织成员国的决定进行。",
    p2: ["评价旨在审查", "规模和绩效", "，对象为", "整个", "驻外办事处网络。"],
    p3: "评价将为|成员国|委员会|审议待决申请提供信息，|以开设新办事处|（2022-2023年）|。".split(
      "|",
    ),
    p4: "评价将为关于新驻外办事处的决定提供信息。",
    comment: "范围过宽",
    p5: ["评价应", "全面", "评估驻外办事处网络的相关性和效率。"],
    items: ["相关性；", "有效性；", "效率。"],
    impact: "影响",
    p6: "评价师应为外部机构。",
    p7: ["评价师应为", "内部监督司", "。"],
    p8: "评价应在六个月内完成。",
    p9: "报告应以所有正式语文印发。",
    p10: "委员会应在下届会议上审议该报告。",
    option: "备选案文",
  },
} as const;

/**
 * A fixed draft with one of every construct the text notation knows: a heading with a
 * deletion and an objection, an insertion, a replacement, a bracket nested in another, a
 * bracket of unknown proposer, an alternative wording on behalf of a group entered by the
 * secretariat, a proposed and an adopted chair's text, a list, options, an inserted
 * paragraph and agreed paragraphs. Its words are in `lang`.
 */
export function sampleDraft(lang: "zh" | "en"): Draft {
  const w = sampleWords[lang];
  const m = (name: "bracket" | "attribution" | "chairAlternative", id: string) =>
    schema.marks[name]!.create({ id });
  const t = (text: string | undefined, ...marks: Mark[]) => {
    if (text === undefined) throw new RangeError("A sample text piece is missing");
    let set: readonly Mark[] = [];
    for (const mark of marks) set = mark.addToSet(set);
    return schema.text(text, set);
  };
  const para = (id: string, numbering: string, ...content: Node[]) =>
    schema.nodes.paragraph!.create({ id, numbering }, content);
  const none = (party: string, stance: Stance, text: string | null = null): Position => ({
    party,
    stance,
    onBehalfOf: null,
    text,
    enteredBy: null,
  });
  const entry = (over: Partial<BracketEntry>): BracketEntry => ({
    kind: "insertion",
    status: "open",
    proposedBy: [],
    enteredBy: null,
    pairedWith: null,
    alternativeTo: null,
    positions: {},
    ...over,
  });
  const by = (party: string, onBehalfOf: string | null = null): PartyRef => ({ party, onBehalfOf });
  const c1 = m("chairAlternative", "c1");
  const c2 = m("chairAlternative", "c2");
  const b6 = [m("bracket", "b6"), m("attribution", "a4")];
  const blocks = [
    schema.nodes.heading!.create({ id: "h1", label: "A." }, [
      t(w.background),
      t(w.purpose, m("bracket", "b1")),
    ]),
    para("p1", "numbered", t(w.p1)),
    para(
      "p2",
      "numbered",
      t(w.p2[0]),
      t(w.p2[1], m("bracket", "b2"), m("attribution", "a1")),
      t(w.p2[2]),
      t(w.p2[3], m("bracket", "b3")),
      t(w.p2[4]),
    ),
    para(
      "p3",
      "numbered",
      t(w.p3[0]),
      t(w.p3[1], m("bracket", "b4")),
      t(w.p3[2], m("bracket", "b5"), m("attribution", "a2")),
      t(w.p3[3]),
      t(w.p3[4], ...b6),
      t(w.p3[5], ...b6, m("bracket", "b7")),
      t(w.p3[6]),
    ),
    para("p4", "none", t(w.p4, m("bracket", "b8"), m("attribution", "a3"))),
    para(
      "p5",
      "numbered",
      t(w.p5[0], c1),
      t(w.p5[1], c1, m("bracket", "b9"), m("attribution", "a5")),
      t(w.p5[2], c1),
    ),
    schema.nodes.list!.create({ id: "l1", style: "alpha" }, [
      schema.nodes.item!.create({ id: "i1" }, [t(w.items[0])]),
      schema.nodes.item!.create({ id: "i2" }, [
        t(w.items[1], m("bracket", "b10"), m("attribution", "a6")),
      ]),
      schema.nodes.item!.create({ id: "i3" }, [t(w.items[2])]),
    ]),
    schema.nodes.options!.create({ id: "o1" }, [
      schema.nodes.option!.create({ id: "opt1", label: `${w.option} 1` }, [
        para("p6", "numbered", t(w.p6)),
      ]),
      schema.nodes.option!.create({ id: "opt2", label: `${w.option} 2` }, [
        para(
          "p7",
          "numbered",
          t(w.p7[0]),
          t(w.p7[1], m("bracket", "b11"), m("attribution", "a7")),
          t(w.p7[2]),
        ),
      ]),
    ]),
    para("p8", "inserted", t(w.p8)),
    para("p9", "numbered", t(w.p9, c2)),
    para("p10", "numbered", t(w.p10)),
  ];
  const ag = "African Group";
  return {
    doc: schema.nodes.doc!.create(null, blocks),
    registry: {
      meta: { symbol: w.symbol, title: w.title, lang, revision: "Rev.1", date: w.date },
      brackets: {
        b1: entry({
          kind: "deletion",
          proposedBy: [by("Pakistan")],
          positions: {
            Pakistan: none("Pakistan", "delete"),
            "United Arab Emirates": none("United Arab Emirates", "oppose"),
          },
        }),
        b2: entry({ proposedBy: [by("Russian Federation")] }),
        b3: entry({
          kind: "deletion",
          proposedBy: [by("United States of America")],
          positions: {
            "United States of America": none("United States of America", "delete"),
            Algeria: none("Algeria", "support"),
          },
        }),
        b4: entry({
          kind: "deletion",
          proposedBy: [by("Pakistan")],
          pairedWith: "b5",
          positions: { Pakistan: none("Pakistan", "delete") },
        }),
        b5: entry({ proposedBy: [by("Pakistan")], pairedWith: "b4" }),
        b6: entry({
          proposedBy: [by("Algeria", ag)],
          enteredBy: "Secretariat",
          positions: { "Russian Federation": none("Russian Federation", "accept") },
        }),
        b7: entry({
          kind: "text",
          positions: { "United States of America": none("United States of America", "reserve") },
        }),
        b8: entry({
          kind: "alternative",
          proposedBy: [by("Algeria", ag)],
          alternativeTo: "p3",
          positions: { "Russian Federation": none("Russian Federation", "comment", w.comment) },
        }),
        b9: entry({
          proposedBy: [by("United States of America")],
          positions: { Pakistan: none("Pakistan", "oppose") },
        }),
        b10: entry({
          proposedBy: [by("Russian Federation")],
          positions: {
            "United States of America": none("United States of America", "replace", w.impact),
            Pakistan: none("Pakistan", "retain"),
          },
        }),
        b11: entry({ proposedBy: [by("Pakistan")] }),
      },
      attributions: {
        a1: { party: "Russian Federation", onBehalfOf: null, enteredBy: null },
        a2: { party: "Pakistan", onBehalfOf: null, enteredBy: null },
        a3: { party: "Algeria", onBehalfOf: ag, enteredBy: null },
        a4: { party: "Algeria", onBehalfOf: ag, enteredBy: "Secretariat" },
        a5: { party: "United States of America", onBehalfOf: null, enteredBy: null },
        a6: { party: "Russian Federation", onBehalfOf: null, enteredBy: null },
        a7: { party: "Pakistan", onBehalfOf: null, enteredBy: null },
      },
      chairAlternatives: {
        c1: { replaces: ["p2", "p3"], status: "proposed" },
        c2: { replaces: ["p-gone"], status: "adopted" },
      },
      paragraphs: { p1: { agreement: "adRef" }, p10: { agreement: "agreed" } },
      comments: {},
    },
  };
}
