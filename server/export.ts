import type { Draft } from "../schema/draft.ts";
import {
  type Format,
  formatContentType,
  formatExtension,
  formats,
  writeDraft,
} from "../schema/formats/formats.ts";
import type { ExportMode } from "../schema/render/rendering.ts";
import type { Lang } from "../schema/render/words.ts";

// Exports by format name. The HTTP API looks a format up here, so a new one plugs in with
// `registerExportFormat` without touching the routes. The model's four writers (text, md,
// html, docx) are registered at start; they share one rendering, so they never disagree.

export type { ExportMode } from "../schema/render/rendering.ts";
/** The languages an export can be written in. */
export type ExportLang = Lang;

/** The export modes, in the order of DESIGN §6. */
export const exportModes: readonly ExportMode[] = ["annotated", "unattributed", "clean"];

/** The languages an export can be written in. */
export const exportLangs: readonly ExportLang[] = ["zh", "en"];

/** What an export is asked for. */
export interface ExportRequest {
  readonly draft: Draft;
  readonly mode: ExportMode;
  readonly lang: ExportLang;
  /** The document's title, for file names and headings. */
  readonly title: string;
}

/** A way to write a draft into a file. */
export interface ExportFormat {
  /** The Content-Type of the response, e.g. "text/plain; charset=utf-8". */
  readonly contentType: string;
  /** The file extension, without a dot. */
  readonly extension: string;
  /** Write the draft. Rejects when the draft cannot be written in this format. */
  write(request: ExportRequest): Promise<string | Uint8Array>;
}

const registered = new Map<string, ExportFormat>();

/** Make `format` available under `name` (replacing any format of that name). */
export function registerExportFormat(name: string, format: ExportFormat): void {
  registered.set(name, format);
}

/** The format registered under `name`, or null. */
export function exportFormat(name: string): ExportFormat | null {
  return registered.get(name) ?? null;
}

/** The names of every registered format. */
export function exportFormatNames(): string[] {
  return [...registered.keys()];
}

for (const format of formats) {
  registerExportFormat(format, modelFormat(format));
}

function modelFormat(format: Format): ExportFormat {
  return {
    contentType: formatContentType(format),
    extension: formatExtension(format),
    write: ({ draft, mode, lang }) => writeDraft(draft, { format, mode, lang }),
  };
}
