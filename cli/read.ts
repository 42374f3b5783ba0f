// Reading a draft file for the CLI. A Word file (named .docx, or starting with a zip's
// "PK" signature) goes to the DOCX reader; text Parley wrote is read exactly by the
// annotated reader; anything else goes through the tolerant importer. Problems of every
// reader come out in one shape, with a line and a column.

import { readFile } from "node:fs/promises";
import type { Draft } from "../schema/draft.ts";
import { type ImportProblem, importText } from "../schema/import/index.ts";
import { readAnnotatedText } from "../schema/render/annotated-reader.ts";

/** A problem met reading a draft, as `parley inspect` reports it. */
export interface ReadProblem extends ImportProblem {
  /** For a Word file: the Word paragraph (1-based) it concerns, or null. */
  readonly paragraph?: number | null;
}

/** A draft read from a file, or why the file could not be read. */
export type ReadResult =
  | {
      readonly ok: true;
      readonly draft: Draft;
      readonly problems: readonly ReadProblem[];
      readonly format: "docx" | "text";
      /** Front-matter lines the reader kept out of the body ("原文：英文"). */
      readonly frontMatter: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/** Whether a file is to be read as a Word file: by its name, or by the zip signature. */
export function isDocx(file: string, bytes: Uint8Array): boolean {
  return /\.docx$/i.test(file) || (bytes[0] === 0x50 && bytes[1] === 0x4b);
}

/**
 * Read the draft in `file`. Returns `ok: false` with a message naming the file when it
 * cannot be read, is a Word file that cannot be opened (truncated, or not a zip at all),
 * or is neither a Word file nor UTF-8 text; the text itself never makes it fail.
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
  if (isDocx(file, bytes)) return readDocxFile(file, bytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: `Cannot read ${file}: it is not UTF-8 text` };
  }
  try {
    return {
      ok: true,
      draft: readAnnotatedText(text),
      problems: [],
      format: "text",
      frontMatter: [],
    };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const { draft, problems, frontMatter } = importText(text);
  return { ok: true, draft, problems, format: "text", frontMatter };
}

async function readDocxFile(file: string, bytes: Uint8Array): Promise<ReadResult> {
  // Loaded only for Word files: the DOCX reader brings jszip and the writers with it.
  const { readDraft } = await import("../schema/formats/formats.ts");
  let read: Awaited<ReturnType<typeof readDraft>>;
  try {
    read = await readDraft(bytes, "docx");
  } catch (error) {
    // A damaged file can fail anywhere in the unzipping or the XML parsing, not only
    // with the reader's own RangeError; either way the file, not parley, is at fault.
    const why = (error as Error).message.split("\n")[0];
    return { ok: false, message: `Cannot read ${file}: it is not a readable Word file (${why})` };
  }
  const problems = read.problems.map(
    (p): ReadProblem => ({
      kind: p.kind,
      line: p.line ?? p.paragraph ?? 0,
      column: p.column ?? 0,
      message: p.message,
      paragraph: p.paragraph,
    }),
  );
  return { ok: true, draft: read.draft, problems, format: "docx", frontMatter: [] };
}
