import { describe, expect, it } from "vitest";
import { checkDraft } from "../../schema/draft.ts";
import { readAnnotatedText } from "../../schema/render/annotated-reader.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import { writeText } from "../../schema/render/text.ts";
import { generateDraft, sampleDraft } from "../gen.ts";

// The annotated text is a working format: a draft written out and read back must say the
// same thing. Set PARLEY_SEED to replay one failing seed.

const runs = 300;
const fixedSeed = process.env.PARLEY_SEED ? Number(process.env.PARLEY_SEED) : null;
const seeds = fixedSeed === null ? Array.from({ length: runs }, (_, i) => i + 1) : [fixedSeed];

describe.each(["zh", "en"] as const)("the annotated text in %s", (lang) => {
  it(`reads back every one of ${seeds.length} generated drafts unchanged`, () => {
    for (const seed of seeds) {
      const draft = generateDraft(seed, { paragraphs: 12, lang });
      expect(checkDraft(draft), `seed ${seed}: the generator made an invalid draft`).toEqual([]);
      const text = writeText(draft, { mode: "annotated", lang });
      let back: ReturnType<typeof readAnnotatedText>;
      try {
        back = readAnnotatedText(text);
      } catch (error) {
        throw new Error(`seed ${seed} (PARLEY_SEED=${seed}): ${(error as Error).message}`);
      }
      const expected = canonicalDraft(draft);
      const actual = canonicalDraft(back);
      // Comparing JSON first keeps 600 drafts fast; toEqual then shows the difference.
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        expect(actual, `seed ${seed} (PARLEY_SEED=${seed})`).toEqual(expected);
      }
    }
  });

  it("reads back the hand-built sample draft unchanged", () => {
    const draft = sampleDraft(lang);
    const back = readAnnotatedText(writeText(draft, { mode: "annotated", lang }));
    expect(canonicalDraft(back)).toEqual(canonicalDraft(draft));
  });

  it("reads back a draft written in the other language unchanged", () => {
    const draft = sampleDraft(lang === "zh" ? "en" : "zh");
    const back = readAnnotatedText(writeText(draft, { mode: "annotated", lang }));
    expect(canonicalDraft(back)).toEqual(canonicalDraft(draft));
  });
});

describe("canonicalDraft", () => {
  it("tells apart drafts that differ only in one position's stance", () => {
    const draft = sampleDraft("en");
    const b1 = draft.registry.brackets.b1!;
    const changed = {
      ...draft,
      registry: {
        ...draft.registry,
        brackets: {
          ...draft.registry.brackets,
          b1: {
            ...b1,
            positions: {
              ...b1.positions,
              "United Arab Emirates": {
                ...b1.positions["United Arab Emirates"]!,
                stance: "support" as const,
              },
            },
          },
        },
      },
    };
    expect(canonicalDraft(changed)).not.toEqual(canonicalDraft(draft));
  });

  it("tells apart drafts whose brackets nest differently", () => {
    const flat = readAnnotatedText("Original: English\n\n1. a [b] [c] d\n");
    const nested = readAnnotatedText("Original: English\n\n1. a [b [c]] d\n");
    expect(canonicalDraft(flat).brackets).not.toEqual(canonicalDraft(nested).brackets);
  });
});
