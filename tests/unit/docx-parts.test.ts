import { readFileSync } from "node:fs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { formatCounter } from "../../schema/formats/docx-numbering.ts";
import { readDocxParts } from "../../schema/formats/docx-parts.ts";
import { parseXml, textContent } from "../../schema/formats/xml.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/docx/${name}`, import.meta.url));

const english = await readDocxParts(fixture("comments-and-changes.en.docx"));
const paragraphText = (index: number) =>
  english.paragraphs[index - 1]!.segments.map((s) => s.text).join("");

describe("the XML reader", () => {
  it("decodes entities and numeric references in text and attributes", () => {
    const root = parseXml(`<a t="x &amp; &#x4E2D;"><b>&lt;1&gt; &#25991;</b></a>`);
    expect(root.attrs.t).toBe("x & 中");
    expect(textContent(root)).toBe("<1> 文");
  });

  it("closes an element left open at the end of its parent instead of failing", () => {
    const root = parseXml("<a><b><c>x</b>y</a>");
    expect(textContent(root)).toBe("xy");
  });

  it("refuses a text with no element at all", () => {
    expect(() => parseXml("just words")).toThrow(RangeError);
  });
});

describe("reading the parts of a Word file", () => {
  it("labels Word-numbered paragraphs the way Word counts them", () => {
    expect(english.paragraphs.map((p) => p.numbering?.label ?? null)).toEqual([
      null,
      "1.",
      "2.",
      "3.",
      "4.",
      "(a)",
      "(b)",
      null,
      "5.",
      "(a)",
    ]);
  });

  it("reads heading styles as heading levels", () => {
    expect(english.paragraphs.filter((p) => p.headingLevel === 1).map((p) => p.index)).toEqual([
      1, 8,
    ]);
  });

  it("joins runs split by proofing marks into one piece of text", () => {
    expect(english.paragraphs[0]!.segments).toEqual([
      { text: "Objectives", ins: null, del: null, comments: [] },
    ]);
  });

  it("reads deleted text from w:delText and tags it with its author", () => {
    const deleted = english.paragraphs[4]!.segments.filter((s) => s.del);
    expect(deleted.map((s) => [s.text, s.del!.author])).toEqual([
      ["all ", "United States"],
      ["offices", "EU"],
    ]);
  });

  it("tags the text inside a comment range with the comment's id", () => {
    const commented = english.paragraphs[1]!.segments.find((s) => s.comments.length > 0);
    expect(commented).toMatchObject({ text: "whole network of", comments: ["1"] });
    expect(english.comments.get("1")).toEqual({
      id: "1",
      author: "Secretariat",
      text: "US: delete",
    });
  });

  it("keeps both the deleted and the inserted words of a paragraph in reading order", () => {
    expect(paragraphText(5)).toBe("It shall cover all Member States and their officesmissions.");
  });

  it("reports a footnote whose text it does not import", async () => {
    const zip = await JSZip.loadAsync(fixture("comments-and-changes.en.docx"));
    const xml = await zip.file("word/document.xml")!.async("string");
    zip.file(
      "word/document.xml",
      xml.replace(
        '<w:pStyle w:val="Heading1"/></w:pPr>',
        '<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:footnoteReference w:id="7"/></w:r>',
      ),
    );
    const parts = await readDocxParts(await zip.generateAsync({ type: "uint8array" }));
    expect(parts.problems).toEqual([
      {
        kind: "note",
        paragraph: 1,
        message: "Paragraph 1 has a footnote (7) whose text is not imported",
      },
    ]);
  });

  it("refuses bytes that are not a zip file", async () => {
    await expect(readDocxParts(new TextEncoder().encode("plain text"))).rejects.toThrow(RangeError);
  });

  it("formats counters as letters and roman numerals past the simple cases", () => {
    expect(
      [27, 4, 14].map((n, i) => formatCounter(n, ["lowerLetter", "upperRoman", "lowerRoman"][i]!)),
    ).toEqual(["aa", "IV", "xiv"]);
  });
});
