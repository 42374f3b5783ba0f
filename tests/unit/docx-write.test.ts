import JSZip from "jszip";
import mammoth from "mammoth";
import { beforeEach, describe, expect, it } from "vitest";
import { readDraft, writeDraft } from "../../schema/formats/formats.ts";
import {
  childElement,
  childElements,
  findElement,
  parseXml,
  textContent,
} from "../../schema/formats/xml.ts";
import { emptyMeta } from "../../schema/registry.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import type { ExportMode } from "../../schema/render/rendering.ts";
import { doc, np, registry, resetIds } from "../builder.ts";
import { sampleDraft } from "../fixtures/docx/sample-draft.ts";
import { expectGolden } from "../golden.ts";

beforeEach(resetIds);

const modes: readonly ExportMode[] = ["annotated", "unattributed", "clean"];
const langs = ["en", "zh"] as const;

async function docx(lang: "en" | "zh", mode: ExportMode): Promise<Uint8Array> {
  const bytes = await writeDraft(sampleDraft(lang), { format: "docx", mode, lang });
  if (typeof bytes === "string") throw new TypeError("A DOCX export must be bytes");
  return bytes;
}

async function part(bytes: Uint8Array, path: string): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  return zip.file(path)!.async("string");
}

describe("the DOCX writer", () => {
  for (const lang of langs) {
    it(`writes an annotated ${lang} export that reads back as the same draft`, async () => {
      const back = await readDraft(await docx(lang, "annotated"), "docx");
      expect(back.problems).toEqual([]);
      expect(canonicalDraft(back.draft)).toEqual(canonicalDraft(sampleDraft(lang)));
    });

    for (const mode of modes) {
      it(`writes the ${lang} ${mode} text that mammoth reads as in the golden file`, async () => {
        const { value } = await mammoth.extractRawText({
          buffer: Buffer.from(await docx(lang, mode)),
        });
        expectGolden(`formats/sample.${lang}.${mode}.docx.txt`, value);
      });
    }
  }

  it("gives numbered paragraphs and items their labels, followed by a tab", async () => {
    const { value } = await mammoth.extractRawText({
      buffer: Buffer.from(await docx("en", "annotated")),
    });
    const labels = value
      .split("\n")
      .map((line) => /^(\S+)\t/.exec(line)?.[1])
      .filter(Boolean);
    expect(labels).toEqual(["A.", "1.", "2.", "(a)", "(b)", "3.", "4.", "5.", "5."]);
  });

  it("leaves brackets, names and the chair's proposed text out of the clean export", async () => {
    const { value } = await mammoth.extractRawText({
      buffer: Buffer.from(await docx("en", "clean")),
    });
    expect(value).not.toMatch(/[[\]]|Pakistan|Chair's alternative|Secretariat shall consult/);
    expect(value).toContain("1.\tThe evaluation of the External Offices.");
  });

  it("keeps brackets but no party names in the unattributed export", async () => {
    const { value } = await mammoth.extractRawText({
      buffer: Buffer.from(await docx("en", "unattributed")),
    });
    expect(value).toContain("[shall be conducted [independently] by the Committee]");
    expect(value).not.toMatch(/Pakistan|Algeria|European Union/);
  });

  it("draws the chair's alternative text in a box with its label", async () => {
    const xml = parseXml(await part(await docx("en", "annotated"), "word/document.xml"));
    const body = childElement(xml, "w:body")!;
    const tables = childElements(body, "w:tbl");
    expect(tables).toHaveLength(1);
    const borders = findElement(tables[0]!, "w:tblBorders")!;
    expect(childElements(borders).map((e) => [e.name, e.attrs["w:val"]])).toContainEqual([
      "w:left",
      "single",
    ]);
    const boxed = childElements(findElement(tables[0]!, "w:tc")!, "w:p");
    expect(boxed.map(textContent)).toEqual([
      "[Chair's alternative text, replacing paras 3, 4:",
      "The Secretariat shall consult Member States and report to the Committee.",
      "]",
    ]);
  });

  it("puts the symbol, a page number field and the date in the footer", async () => {
    const bytes = await docx("en", "annotated");
    const footer = await part(bytes, "word/footer1.xml");
    expect(footer).toContain("WO/PBC/34/15 Rev.1");
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*</);
    expect(footer).toContain("23 December 2021");
  });

  it("sets Chinese text in an East Asian font and marks the language", async () => {
    const styles = await part(await docx("zh", "annotated"), "word/styles.xml");
    expect(styles).toContain('w:eastAsia="SimSun"');
    expect(styles).toContain('w:val="zh-CN"');
  });

  it("escapes XML's special characters in the text and drops control characters", async () => {
    const text = `Fish & chips <"quoted"> 'single'\u0007 end`;
    const draft = {
      doc: doc(np({ id: "n1" }, text)),
      registry: registry({ meta: { ...emptyMeta, symbol: "A&B/<1>", title: "Q & A" } }),
    };
    const bytes = await writeDraft(draft, { format: "docx", mode: "annotated", lang: "en" });
    if (typeof bytes === "string") throw new TypeError("A DOCX export must be bytes");
    const body = childElement(parseXml(await part(bytes, "word/document.xml")), "w:body")!;
    const texts = childElements(body, "w:p").map(textContent);
    expect(texts).toContain("A&B/<1>");
    expect(texts).toContain("Q & A");
    expect(texts).toContain(`1.\tFish & chips <"quoted"> 'single' end`);
  });

  it("points every export's section at its own footer part, whichever was written first", async () => {
    for (const lang of langs) {
      for (const mode of modes) {
        const bytes = await docx(lang, mode);
        const main = parseXml(await part(bytes, "word/document.xml"));
        const id = findElement(main, "w:footerReference")?.attrs["r:id"];
        const rels = parseXml(await part(bytes, "word/_rels/document.xml.rels"));
        const target = childElements(rels, "Relationship").find((r) => r.attrs.Id === id);
        expect(target?.attrs.Target, `${lang} ${mode}`).toBe("footer1.xml");
      }
    }
  });
});
