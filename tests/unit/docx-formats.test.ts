import { beforeEach, describe, expect, it } from "vitest";
import {
  formatContentType,
  formatExtension,
  formats,
  isFormat,
  type ReadFormat,
  readDraft,
  writeDraft,
} from "../../schema/formats/formats.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import { writeText } from "../../schema/render/text.ts";
import { resetIds } from "../builder.ts";
import { sampleDraft } from "../fixtures/docx/sample-draft.ts";

beforeEach(resetIds);

describe("the format dispatcher", () => {
  it("names the four formats a download menu offers", () => {
    expect(formats).toEqual(["docx", "html", "md", "text"]);
    expect(isFormat("md")).toBe(true);
    expect(isFormat("pdf")).toBe(false);
  });

  it("serves DOCX as a Word document and text as UTF-8", () => {
    expect(formatContentType("docx")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(formatContentType("text")).toBe("text/plain; charset=utf-8");
    expect(formatExtension("text")).toBe("txt");
  });

  it("writes text exactly as the plain-text writer does", async () => {
    const draft = sampleDraft("zh");
    const options = { mode: "unattributed", lang: "zh" } as const;
    expect(await writeDraft(draft, { format: "text", ...options })).toBe(writeText(draft, options));
  });

  it("writes DOCX as bytes that start like a zip file", async () => {
    const bytes = await writeDraft(sampleDraft("en"), {
      format: "docx",
      mode: "clean",
      lang: "en",
    });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array).slice(0, 2)]).toEqual([0x50, 0x4b]);
  });

  it("reads Parley's annotated text back exactly", async () => {
    const draft = sampleDraft("en");
    const text = writeText(draft, { mode: "annotated", lang: "en" });
    const read = await readDraft(text, "text");
    expect(read.problems).toEqual([]);
    expect(canonicalDraft(read.draft)).toEqual(canonicalDraft(draft));
  });

  it("reads text written elsewhere with the tolerant importer and reports its problems", async () => {
    const read = await readDraft("1. The offices [shall be evaluated.\n", "text");
    expect(read.draft.doc.textContent).toContain("The offices");
    expect(read.problems.length).toBeGreaterThan(0);
    expect(read.problems.every((p) => p.kind === "text" && p.line === 1)).toBe(true);
  });

  it("refuses a format it does not read", async () => {
    await expect(readDraft("<p>x</p>", "html" as ReadFormat)).rejects.toThrow(RangeError);
  });
});
