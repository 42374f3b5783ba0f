import { describe, expect, it } from "vitest";
import { checkDraft } from "../../schema/draft.ts";
import { readDraft, writeDraft } from "../../schema/formats/formats.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import { generateDraft } from "../gen.ts";

// Seeded: DOCX_SEED=<n> replays one failing draft; DOCX_RUNS sets how many per language.
const firstSeed = Number(process.env.DOCX_SEED ?? 1);
const runs = process.env.DOCX_SEED ? 1 : Number(process.env.DOCX_RUNS ?? 40);

describe("the annotated DOCX export", () => {
  for (const lang of ["en", "zh"] as const) {
    it(`reads back as the same draft for ${runs} generated ${lang} drafts`, async () => {
      for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
        const draft = generateDraft(seed, { lang, paragraphs: 8 });
        expect(checkDraft(draft), `generator made a bad draft, seed ${seed}`).toEqual([]);
        const bytes = await writeDraft(draft, { format: "docx", mode: "annotated", lang });
        if (typeof bytes === "string") throw new TypeError("A DOCX export must be bytes");
        const back = await readDraft(bytes, "docx");
        const replay = `replay with DOCX_SEED=${seed} (${lang})`;
        expect(back.problems, replay).toEqual([]);
        expect(canonicalDraft(back.draft), replay).toEqual(canonicalDraft(draft));
      }
    });
  }
});
