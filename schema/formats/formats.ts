// One entry point for every export and import format, for the CLI (`--format`) and the
// server's export endpoint (`format=`). Every writer starts from the same rendering
// (schema/render/rendering.ts), so the four formats never disagree about a draft.

import type { Draft } from "../draft.ts";
import { importText } from "../import/index.ts";
import { readAnnotatedText } from "../render/annotated-reader.ts";
import { type ExportMode, renderDraft } from "../render/rendering.ts";
import { renderingToText } from "../render/text.ts";
import type { Lang } from "../render/words.ts";
import { type DocxProblem, readDocx, type TextImport, type TextReader } from "./docx-read.ts";
import { writeDocx } from "./docx-write.ts";
import { writeHtml } from "./html.ts";
import { writeMarkdown } from "./markdown.ts";

/** The formats Parley writes. */
export type Format = "docx" | "html" | "md" | "text";

/** All formats, in the order a download menu offers them. */
export const formats: readonly Format[] = ["docx", "html", "md", "text"];

/** Whether `value` names a format ("docx", "html", "md", "text"). */
export function isFormat(value: string): value is Format {
  return (formats as readonly string[]).includes(value);
}

/** The MIME type to serve a format with. */
export function formatContentType(format: Format): string {
  switch (format) {
    case "docx":
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case "html":
      return "text/html; charset=utf-8";
    case "md":
      return "text/markdown; charset=utf-8";
    case "text":
      return "text/plain; charset=utf-8";
  }
}

/** The file name extension of a format, without the dot. */
export function formatExtension(format: Format): string {
  return format === "text" ? "txt" : format;
}

/** What to write: the format, the export mode and the output language. */
export interface WriteOptions {
  readonly format: Format;
  readonly mode: ExportMode;
  readonly lang: Lang;
}

/**
 * Write `draft` in `format`, `mode` and `lang`: the bytes of a .docx file for "docx", a
 * string for the text formats. Throws a `RangeError` for an unknown format, and from the
 * rendering when the draft's marks lack registry entries.
 */
export async function writeDraft(
  draft: Draft,
  options: WriteOptions,
): Promise<Uint8Array | string> {
  const rendering = renderDraft(draft, { mode: options.mode, lang: options.lang });
  switch (options.format) {
    case "docx":
      return writeDocx(rendering);
    case "html":
      return writeHtml(rendering);
    case "md":
      return writeMarkdown(rendering);
    case "text":
      return renderingToText(rendering);
    default: {
      const never: never = options.format;
      throw new RangeError(`Unknown format ${String(never)}`);
    }
  }
}

/** The formats Parley reads drafts from. */
export type ReadFormat = "docx" | "text";

/** A draft read from a file, with everything that could not be mapped. */
export interface DraftImport {
  readonly draft: Draft;
  readonly problems: readonly DocxProblem[];
}

/**
 * Read text Parley wrote: exactly, with the annotated reader; when that refuses the text
 * (a delegate edited the export by hand, or it was written elsewhere), with the tolerant
 * importer, which says where it could not make sense of it.
 */
export const readExportedText: TextReader = (text: string): TextImport => {
  try {
    return { draft: readAnnotatedText(text), problems: [] };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return importText(text);
  }
};

/**
 * Read a draft from a .docx file (bytes) or from text. Throws a `RangeError` when the
 * format is not one Parley reads or the bytes are not a Word file; otherwise it does not
 * fail, and lists what it could not map in `problems`.
 */
export async function readDraft(
  input: Uint8Array | string,
  format: ReadFormat,
): Promise<DraftImport> {
  switch (format) {
    case "docx": {
      const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
      const { draft, problems } = await readDocx(bytes, {
        exported: readExportedText,
        other: importText,
      });
      return { draft, problems };
    }
    case "text": {
      const text = typeof input === "string" ? input : new TextDecoder().decode(input);
      const { draft, problems } = readExportedText(text);
      return {
        draft,
        problems: problems.map((p) => ({
          kind: "text",
          paragraph: null,
          line: p.line,
          ...(p.column === undefined ? {} : { column: p.column }),
          message: p.message,
        })),
      };
    }
    default: {
      const never: never = format;
      throw new RangeError(`Parley does not read ${String(never)} files`);
    }
  }
}
