import { describe, it } from "vitest";
import type { ExportMode } from "../../schema/render/rendering.ts";
import { writeText } from "../../schema/render/text.ts";
import { generateDraft } from "../gen.ts";
import { sampleDraft } from "../golden/text/sample-draft.ts";
import { expectGolden } from "../golden.ts";

// Golden files pin the exported text, so that a change of notation cannot silently break
// exported documents or the reader of annotated text. After a deliberate change, rewrite
// them with PARLEY_UPDATE_GOLDEN=1 and review the diff.

const modes: ExportMode[] = ["annotated", "unattributed", "clean"];
const langs = ["zh", "en"] as const;

const drafts = {
  sample: (lang: "zh" | "en") => sampleDraft(lang),
  generated: (lang: "zh" | "en") => generateDraft(2026, { paragraphs: 8, maxDepth: 3, lang }),
};

describe.each(Object.keys(drafts) as (keyof typeof drafts)[])("the %s draft", (name) => {
  describe.each(langs)("in %s", (lang) => {
    it.each(modes)("is written in %s mode as its golden file says", (mode) => {
      const text = writeText(drafts[name](lang), { mode, lang });
      expectGolden(`text/${name}.${mode}.${lang}.txt`, text);
    });
  });
});
