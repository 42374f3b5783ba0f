// The bridge from the DOCX reader to the tolerant text importer for drafts made elsewhere.
// Until schema/import/ offers `importText`, this keeps every line as an unnumbered
// paragraph and says so, so that nothing is dropped and nothing is guessed.

import type { Draft } from "../draft.ts";
import { newId } from "../ids.ts";
import { emptyRegistry } from "../registry.ts";
import { schema } from "../schema.ts";
import type { TextImport } from "./docx-read.ts";

/**
 * Read text written outside Parley into a draft: one unnumbered paragraph per block of
 * lines, brackets kept as literal characters, with one problem saying so. It never throws.
 */
export function importPlainText(text: string): TextImport {
  const blocks = text.split(/\n{2,}/).filter((b) => b.trim() !== "");
  const nodes = (blocks.length ? blocks : [""]).map((block) =>
    schema.nodes.paragraph!.create(
      { id: newId("p"), numbering: "none" },
      block.trim() ? schema.text(block.trim().replace(/\s*\n\s*/g, " ")) : [],
    ),
  );
  const draft: Draft = { doc: schema.nodes.doc!.create(null, nodes), registry: emptyRegistry };
  return {
    draft,
    problems: [
      { line: 1, message: "The text was read without the tolerant importer: brackets are literal" },
    ],
  };
}
