import JSZip from "jszip";
import { beforeEach, describe, expect, it } from "vitest";
import { readDraft, writeDraft } from "../../schema/formats/formats.ts";
import { markRanges } from "../../schema/ranges.ts";
import { resetIds } from "../builder.ts";
import { sampleDraft } from "../fixtures/docx/sample-draft.ts";

// A delegate opens the annotated export in Word with track changes on, edits it and sends
// it back: the export's own brackets are read exactly, Word's markup is laid over them.

beforeEach(resetIds);

const paragraph4 =
  '<w:r><w:t xml:space="preserve">Member States shall be consulted on the draft report.</w:t></w:r>';

async function editedExport(replacement: string): Promise<Uint8Array> {
  const bytes = await writeDraft(sampleDraft("en"), {
    format: "docx",
    mode: "annotated",
    lang: "en",
  });
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")!.async("string");
  if (!xml.includes(paragraph4)) throw new Error("The export no longer has paragraph 4 as one run");
  zip.file("word/document.xml", xml.replace(paragraph4, replacement));
  return zip.generateAsync({ type: "uint8array" });
}

const run = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;

describe("an annotated export edited in Word", () => {
  it("keeps every bracket of the export and adds a tracked insertion by a party", async () => {
    const bytes = await editedExport(
      run("Member States shall be consulted on the ") +
        '<w:ins w:id="1" w:author="Pakistan" w:date="2026-06-27T10:00:00Z">' +
        run("revised ") +
        "</w:ins>" +
        run("draft report."),
    );
    const read = await readDraft(bytes, "docx");
    expect(read.problems).toEqual([]);
    const { doc, registry } = read.draft;
    const words = [...markRanges(doc, "bracket").values()].map((r) => [
      doc.textBetween(r.from, r.to),
      registry.brackets[r.id]!.kind,
    ]);
    expect(words).toEqual([
      ["and purpose", "deletion"],
      ["shall be conducted independently by the Committee", "text"],
      ["independently", "insertion"],
      ["the benefits", "insertion"],
      ["Assemblies", "deletion"],
      ["Program and Budget Committee", "insertion"],
      ["revised", "insertion"],
    ]);
  });

  it("turns a comment with a party's stance into a position on the commented words", async () => {
    const bytes = await editedExport(
      run("Member States shall be consulted on the ") +
        '<w:commentRangeStart w:id="0"/>' +
        run("draft report") +
        '<w:commentRangeEnd w:id="0"/>' +
        run("."),
    );
    const zip = await JSZip.loadAsync(bytes);
    zip.file(
      "word/comments.xml",
      '<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Secretariat"><w:p><w:r><w:t>Russia: support</w:t></w:r></w:p></w:comment></w:comments>',
    );
    const read = await readDraft(await zip.generateAsync({ type: "uint8array" }), "docx");
    const { doc, registry } = read.draft;
    const last = [...markRanges(doc, "bracket").values()].pop()!;
    expect(doc.textBetween(last.from, last.to)).toBe("draft report");
    expect(registry.brackets[last.id]!.positions).toEqual({
      "Russian Federation": {
        party: "Russian Federation",
        stance: "support",
        onBehalfOf: null,
        text: null,
        enteredBy: null,
      },
    });
  });
});
