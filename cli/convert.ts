// `parley convert`: write a draft in one export mode, language and format. Every format
// comes from schema/formats (one rendering behind all four), so the CLI, the server's
// export endpoint and the client's downloads never disagree.

import type { Draft } from "../schema/draft.ts";
import type { ConvertFormat, ConvertMode } from "./args.ts";

/**
 * The draft written in `format`: the bytes of a .docx file, or a string for the text
 * formats. Throws only for a draft whose marks lack registry entries, which a draft the
 * readers made never has.
 */
export async function convertDraft(
  draft: Draft,
  options: { format: ConvertFormat; mode: ConvertMode; lang: "zh" | "en" },
): Promise<string | Uint8Array> {
  // Loaded here, not at the top: the DOCX writer pulls in the `docx` package, which
  // `parley inspect` has no use for and should not wait for.
  const { writeDraft } = await import("../schema/formats/formats.ts");
  return writeDraft(draft, options);
}
