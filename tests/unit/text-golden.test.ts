import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ExportMode } from "../../schema/render/rendering.ts";
import { writeText } from "../../schema/render/text.ts";
import { generateDraft } from "../gen.ts";
import { sampleDraft } from "../golden/text/sample-draft.ts";

// Golden files pin the exported text, so that a change of notation cannot silently break
// exported documents or the reader of annotated text. After a deliberate change, rewrite
// them with PARLEY_UPDATE_GOLDEN=1 and review the diff.

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), "../golden/text");
const update = process.env.PARLEY_UPDATE_GOLDEN === "1";
const modes: ExportMode[] = ["annotated", "unattributed", "clean"];
const langs = ["zh", "en"] as const;

const drafts = {
  sample: (lang: "zh" | "en") => sampleDraft(lang),
  generated: (lang: "zh" | "en") => generateDraft(2026, { paragraphs: 8, maxDepth: 3, lang }),
};

describe.each(Object.keys(drafts) as (keyof typeof drafts)[])("the %s draft", (name) => {
  describe.each(langs)("in %s", (lang) => {
    it.each(modes)("is written in %s mode as its golden file says", (mode) => {
      const file = join(goldenDir, `${name}.${mode}.${lang}.txt`);
      const text = writeText(drafts[name](lang), { mode, lang });
      if (update) writeFileSync(file, text);
      expect(existsSync(file), `${file} is missing; run with PARLEY_UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, "utf8"));
    });
  });
});
