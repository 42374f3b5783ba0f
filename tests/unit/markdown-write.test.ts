import { beforeEach, describe, expect, it } from "vitest";
import { writeDraft } from "../../schema/formats/formats.ts";
import { escapeMarkdown } from "../../schema/formats/markdown.ts";
import type { ExportMode } from "../../schema/render/rendering.ts";
import { resetIds } from "../builder.ts";
import { sampleDraft } from "../fixtures/docx/sample-draft.ts";
import { expectGolden } from "../golden.ts";

beforeEach(resetIds);

async function md(lang: "en" | "zh", mode: ExportMode): Promise<string> {
  return String(await writeDraft(sampleDraft(lang), { format: "md", mode, lang }));
}

describe("the Markdown writer", () => {
  for (const lang of ["en", "zh"] as const) {
    for (const mode of ["annotated", "unattributed", "clean"] as const) {
      it(`writes the ${lang} ${mode} text as in the golden file`, async () => {
        expectGolden(`formats/sample.${lang}.${mode}.md`, await md(lang, mode));
      });
    }
  }

  it("escapes paragraph numbers so that a viewer does not renumber them as a list", async () => {
    expect(await md("en", "clean")).toContain("\n1\\. The evaluation of the External Offices.");
  });

  it("escapes brackets so that bracketed words never become links", async () => {
    expect(await md("en", "unattributed")).toContain(
      "\\[shall be conducted \\[independently\\] by the Committee\\]",
    );
  });

  it("sets the chair's alternative text in a block quote", async () => {
    expect(await md("en", "annotated")).toContain(
      "> **\\[Chair's alternative text, replacing paras 3, 4:**\n>\n> The Secretariat shall consult",
    );
  });

  it("keeps emphasis markers off the spaces around an annotation", async () => {
    expect(await md("en", "annotated")).toContain(
      '"independently" — *Algeria on behalf of the African Group*\\]',
    );
    expect(escapeMarkdown("a_b*c")).toBe("a\\_b\\*c");
  });
});
