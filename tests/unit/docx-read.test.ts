import { readFileSync } from "node:fs";
import JSZip from "jszip";
import type { Node } from "prosemirror-model";
import { describe, expect, it } from "vitest";
import type { Draft } from "../../schema/draft.ts";
import { readDraft } from "../../schema/formats/formats.ts";
import { markRanges } from "../../schema/ranges.ts";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/docx/${name}`, import.meta.url)));

/** Each bracket in document order: its words, kind, proposers and stances. */
function brackets(draft: Draft) {
  return [...markRanges(draft.doc, "bracket").values()].map((range) => {
    const entry = draft.registry.brackets[range.id]!;
    return {
      text: draft.doc.textBetween(range.from, range.to, " "),
      kind: entry.kind,
      proposedBy: entry.proposedBy.map((p) => p.party + (p.onBehalfOf ? `/${p.onBehalfOf}` : "")),
      positions: Object.values(entry.positions).map((p) => `${p.party}: ${p.stance}`),
    };
  });
}

/** The words under each attribution, with the party. */
function attributions(draft: Draft) {
  return [...markRanges(draft.doc, "attribution").values()].map((range) => {
    const entry = draft.registry.attributions[range.id]!;
    return [draft.doc.textBetween(range.from, range.to), entry.party];
  });
}

function outline(doc: Node): string[] {
  const out: string[] = [];
  doc.forEach((block) => {
    if (block.type.name === "list") {
      block.forEach((item) => {
        out.push(`item ${item.textContent}`);
      });
    } else {
      out.push(`${block.type.name}/${block.attrs.numbering ?? ""} ${block.textContent}`);
    }
  });
  return out;
}

const english = await readDraft(fixture("comments-and-changes.en.docx"), "docx");
const chinese = await readDraft(fixture("comments-and-changes.zh.docx"), "docx");
const find = (draft: Draft, text: string) => brackets(draft).find((b) => b.text === text);

describe("reading a Word file made in Word", () => {
  it("reads heading styles as headings and Word numbering as numbered paragraphs and items", () => {
    expect(outline(english.draft.doc)).toEqual([
      "heading/ Objectives",
      "paragraph/numbered The evaluation shall assess the whole network of External Offices.",
      "paragraph/numbered The evaluation shall be conducted by an independent evaluator.",
      "paragraph/numbered The report shall be published and submitted to the PBC.",
      "paragraph/numbered It shall cover all Member States and their officesmissions.",
      "item costs and savings;",
      "item benefits;",
      "heading/ Scope",
      "paragraph/numbered The evaluation covers the years 2016 to 2021.",
      "item first criterion;",
    ]);
  });

  it("turns a comment 'US: delete' on plain words into a deletion proposed by the US", () => {
    expect(find(english.draft, "whole network of")).toEqual({
      text: "whole network of",
      kind: "deletion",
      proposedBy: ["United States of America"],
      positions: ["United States of America: delete"],
    });
  });

  it("gives a literal bracket under the comment 'CAN, UK delete' two delete positions", () => {
    expect(find(english.draft, "an independent evaluator")).toEqual({
      text: "an independent evaluator",
      kind: "text",
      proposedBy: [],
      positions: ["Canada: delete", "United Kingdom of Great Britain and Northern Ireland: delete"],
    });
  });

  it("turns a tracked insertion by Pakistan into an insertion attributed to Pakistan", () => {
    expect(find(english.draft, "published and")).toMatchObject({
      kind: "insertion",
      proposedBy: ["Pakistan"],
    });
    expect(attributions(english.draft)).toContainEqual(["published and", "Pakistan"]);
  });

  it("turns a tracked deletion into a deletion with its author's delete position", () => {
    expect(find(english.draft, "all")).toEqual({
      text: "all",
      kind: "deletion",
      proposedBy: ["United States of America"],
      positions: ["United States of America: delete"],
    });
  });

  it("pairs a tracked deletion and the insertion typed over it into a replacement", () => {
    const ranges = [...markRanges(english.draft.doc, "bracket").values()];
    const text = (id: string) => {
      const r = ranges.find((range) => range.id === id)!;
      return english.draft.doc.textBetween(r.from, r.to);
    };
    const pairs = Object.entries(english.draft.registry.brackets)
      .filter(([, entry]) => entry.pairedWith)
      .map(([id, entry]) => [text(id), entry.kind, text(entry.pairedWith!)]);
    expect(pairs).toEqual([
      ["offices", "deletion", "missions"],
      ["missions", "insertion", "offices"],
    ]);
  });

  it("puts 'LMDC: Delete whole section' on the commented heading as the group's deletion", () => {
    expect(find(english.draft, "Scope")).toEqual({
      text: "Scope",
      kind: "deletion",
      proposedBy: ["LMDC"],
      positions: ["LMDC: delete"],
    });
  });

  it("reads a comment naming only a party as that party's proposal of the words", () => {
    expect(find(english.draft, "the years 2016 to 2021")).toMatchObject({
      kind: "insertion",
      proposedBy: ["Pakistan"],
    });
  });

  it("keeps an unknown author's insertion as text and reports it with its paragraph", () => {
    expect(brackets(english.draft).some((b) => b.text.includes("savings"))).toBe(false);
    expect(english.problems).toContainEqual({
      kind: "trackedChange",
      paragraph: 6,
      message:
        'A tracked insertion by "John Smith" in paragraph 6 is kept as plain text: the author is not a known party',
    });
  });

  it("keeps a comment that names no party as a comment and reports it", () => {
    expect(Object.values(english.draft.registry.comments)).toEqual([
      { author: "Editor", text: "Check the figures with the Secretariat" },
    ]);
    expect(english.problems.map((p) => p.paragraph)).toEqual([6, 7]);
  });

  it("reads Chinese comments with several clauses, groups and tracked changes", () => {
    expect(brackets(chinese.draft)).toEqual([
      {
        text: "和宗旨",
        kind: "deletion",
        proposedBy: ["Pakistan"],
        positions: ["Pakistan: delete", "United Arab Emirates: oppose"],
      },
      { text: "产权组织", kind: "insertion", proposedBy: ["Russian Federation"], positions: [] },
      {
        text: "驻外办事处网络的规模",
        kind: "insertion",
        proposedBy: ["Algeria/African Group"],
        positions: [],
      },
      {
        text: "外部",
        kind: "deletion",
        proposedBy: ["United States of America"],
        positions: ["United States of America: delete"],
      },
    ]);
    expect(chinese.draft.registry.meta.lang).toBe("zh");
    expect(chinese.problems).toEqual([]);
  });

  it("reports a comment anchored to no words instead of dropping it silently", async () => {
    const zip = await JSZip.loadAsync(fixture("comments-and-changes.zh.docx"));
    const comments = await zip.file("word/comments.xml")!.async("string");
    zip.file(
      "word/comments.xml",
      comments.replace(
        "</w:comments>",
        '<w:comment w:id="9" w:author="秘书处"><w:p><w:r><w:t>美国：保留</w:t></w:r></w:p></w:comment></w:comments>',
      ),
    );
    const read = await readDraft(await zip.generateAsync({ type: "uint8array" }), "docx");
    expect(read.problems).toEqual([
      {
        kind: "comment",
        paragraph: null,
        message: 'The comment "美国：保留" by 秘书处 is anchored to no text and was not imported',
      },
    ]);
  });

  it("refuses bytes that are not a Word file", async () => {
    await expect(readDraft(new TextEncoder().encode("not a zip"), "docx")).rejects.toThrow(
      RangeError,
    );
  });
});

const spanning = await readDraft(fixture("spanning.en.docx"), "docx");

describe("reading Word markup that crosses paragraphs", () => {
  it("turns a comment running into the next paragraph into one bracket spanning both", () => {
    expect(brackets(spanning.draft)[0]).toEqual({
      text: "annually. It shall",
      kind: "text",
      proposedBy: [],
      positions: ["European Union: support"],
    });
  });

  it("turns a paragraph typed whole with track changes into that party's insertion", () => {
    expect(brackets(spanning.draft)[1]).toMatchObject({
      text: "The Committee may invite observers.",
      kind: "insertion",
      proposedBy: ["Pakistan"],
    });
  });

  it("keeps the chair's procedural comment as the chair's comment on the words", () => {
    expect(
      spanning.draft.registry.brackets[[...markRanges(spanning.draft.doc, "bracket").keys()][2]!]!
        .positions,
    ).toEqual({
      Chair: {
        party: "Chair",
        stance: "comment",
        onBehalfOf: null,
        text: "move to section D",
        enteredBy: null,
      },
    });
  });

  it("keeps a reviewer's deletion as text and reports it", () => {
    expect(outline(spanning.draft.doc)[3]).toBe(
      "paragraph/numbered Decisions are taken by consensus as a rule.",
    );
    expect(spanning.problems).toEqual([
      {
        kind: "trackedChange",
        paragraph: 4,
        message:
          'A tracked deletion by "Reviewer" in paragraph 4 is kept as plain text: the author is not a known party',
      },
    ]);
  });
});

describe("reading the same Word files saved again by LibreOffice", () => {
  for (const lang of ["en", "zh"] as const) {
    it(`imports the ${lang} file with the same brackets, outline and problems`, async () => {
      const original = lang === "en" ? english : chinese;
      const resaved = await readDraft(
        fixture(`comments-and-changes.${lang}.libreoffice.docx`),
        "docx",
      );
      expect(brackets(resaved.draft)).toEqual(brackets(original.draft));
      expect(outline(resaved.draft.doc)).toEqual(outline(original.draft.doc));
      expect(resaved.problems).toEqual(original.problems);
    });
  }
});
