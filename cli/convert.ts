// `parley convert`: write a draft in one export mode and language. Writers are looked up
// by format so that DOCX, HTML and Markdown can join "text" with one entry each.

import type { Draft } from "../schema/draft.ts";
import { writeText } from "../schema/render/text.ts";
import type { ConvertFormat, ConvertMode } from "./args.ts";

/** A writer: the draft in one format, as text or bytes. */
export type Writer = (
  draft: Draft,
  options: { mode: ConvertMode; lang: "zh" | "en" },
) => Promise<string | Uint8Array>;

/** The writer of each format `convert` knows. */
export const writers: Record<ConvertFormat, Writer> = {
  text: async (draft, options) => writeText(draft, options),
};
