import mammoth from "mammoth";
import { describe, expect, it } from "vitest";
import { checkDraft } from "../../schema/draft.ts";
import { readDraft, writeDraft } from "../../schema/formats/formats.ts";
import { modeTitle } from "../../schema/formats/layout.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import { writeText } from "../../schema/render/text.ts";
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

// The lines a reader sees, without indentation or blank lines: what an independent reader
// (mammoth) and the plain-text writer must agree on.
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.replace(/\t/g, " ").trim())
    .filter(Boolean);

describe("the DOCX export read by mammoth, an independent reader", () => {
  for (const lang of ["en", "zh"] as const) {
    for (const mode of ["annotated", "unattributed", "clean"] as const) {
      it(`shows the text writer's words and labels for generated ${lang} drafts, ${mode}`, async () => {
        for (let seed = firstSeed; seed < firstSeed + Math.min(runs, 8); seed++) {
          const draft = generateDraft(seed, { lang, paragraphs: 8 });
          const bytes = await writeDraft(draft, { format: "docx", mode, lang });
          const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
          const seen = lines(value).filter((line) => line !== modeTitle(mode, lang));
          expect(seen, `replay with DOCX_SEED=${seed} (${lang})`).toEqual(
            lines(writeText(draft, { mode, lang })),
          );
        }
      });
    }
  }
});
