import { beforeEach, describe, expect, it } from "vitest";
import { writeDraft } from "../../schema/formats/formats.ts";
import { escapeHtml } from "../../schema/formats/html.ts";
import type { ExportMode } from "../../schema/render/rendering.ts";
import { br, doc, np, registry, resetIds } from "../builder.ts";
import { sampleDraft } from "../fixtures/docx/sample-draft.ts";
import { expectGolden } from "../golden.ts";

beforeEach(resetIds);

async function html(lang: "en" | "zh", mode: ExportMode): Promise<string> {
  return String(await writeDraft(sampleDraft(lang), { format: "html", mode, lang }));
}

describe("the HTML writer", () => {
  for (const lang of ["en", "zh"] as const) {
    for (const mode of ["annotated", "unattributed", "clean"] as const) {
      it(`writes the ${lang} ${mode} page as in the golden file`, async () => {
        expectGolden(`formats/sample.${lang}.${mode}.html`, await html(lang, mode));
      });
    }
  }

  it("prints on A4 with page numbers in the margin", async () => {
    const page = await html("en", "annotated");
    expect(page).toContain("@page { size: A4;");
    expect(page).toContain("counter(page)");
  });

  it("sets the names and positions of an annotation apart from the bracketed words", async () => {
    expect(await html("en", "annotated")).toContain(
      '&quot;independently&quot;<span class="annotation"> — Algeria on behalf of the African Group</span><span class="glyph" data-depth="2">]</span>',
    );
  });

  it("boxes the chair's alternative text with its label", async () => {
    const page = await html("zh", "annotated");
    expect(page).toMatch(
      /<div class="chair" data-chair="c1">\n<p class="chair-label">\[主席的替代案文，代替第 3、4段：<\/p>\n<p id="c1p">秘书处应征求成员国意见并向委员会报告。<\/p>/,
    );
  });

  it("escapes markup typed into the draft's text", async () => {
    const draft = { doc: doc(np("if a<b & c>d ", br("b1", "x"))), registry: registry({}) };
    const withBracket = {
      ...draft,
      registry: registry({
        brackets: {
          b1: {
            kind: "text",
            status: "open",
            proposedBy: [],
            enteredBy: null,
            pairedWith: null,
            alternativeTo: null,
            positions: {},
          },
        },
      }),
    };
    const page = String(
      await writeDraft(withBracket, { format: "html", mode: "annotated", lang: "en" }),
    );
    expect(page).toContain("if a&lt;b &amp; c&gt;d ");
    expect(escapeHtml(`"'`)).toBe("&quot;&#39;");
  });
});
