// Reading a draft file for the CLI: text Parley wrote is read exactly by the annotated
// reader; anything else goes through the tolerant importer, whose problems carry lines
// and columns.

import { readFile } from "node:fs/promises";
import type { Draft } from "../schema/draft.ts";
import { type ImportProblem, importText } from "../schema/import/index.ts";
import { readAnnotatedText } from "../schema/render/annotated-reader.ts";

/** A draft read from a file, or why the file could not be read. */
export type ReadResult =
  | { readonly ok: true; readonly draft: Draft; readonly problems: readonly ImportProblem[] }
  | { readonly ok: false; readonly message: string };

/**
 * Read the draft in `file`. Returns `ok: false` with a message naming the file when it
 * cannot be read or is not UTF-8 text; the text itself never makes it fail.
 */
export async function readDraftFile(file: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    return { ok: false, message: `Cannot read ${file}: ${why}` };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: `Cannot read ${file}: it is not UTF-8 text` };
  }
  try {
    return { ok: true, draft: readAnnotatedText(text), problems: [] };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const { draft, problems } = importText(text);
  return { ok: true, draft, problems };
}
