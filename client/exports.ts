import type { Format } from "../schema/formats/formats.ts";
import type { Lang } from "./i18n.ts";
import type { Invitation } from "./invitation.ts";

// Downloads of the draft as the server renders it (DESIGN §6). The server is the one place
// that writes exports, so a downloaded text is exactly what the secretariat circulates; the
// client only asks for it with the invitation's token and saves the answer.

/** An export mode. */
export type ExportMode = "annotated" | "unattributed" | "clean";

/** An export format the server writes, with the file extension to save it under. */
export interface ExportFormat {
  readonly format: Format;
  readonly extension: string;
  readonly label: string;
}

// The formats of schema/formats/formats.ts, which the server's export endpoint writes. The
// client names them here rather than importing that module, which would pull the DOCX
// writer into the bundle; `satisfies` makes a new format a type error until it is listed.
const byFormat = {
  docx: { extension: "docx", label: "Word" },
  html: { extension: "html", label: "HTML" },
  md: { extension: "md", label: "Markdown" },
  text: { extension: "txt", label: "Text" },
} satisfies Record<Format, { extension: string; label: string }>;

/** The formats offered in the download menu, in the server's order. */
export const exportFormats: readonly ExportFormat[] = (["docx", "html", "md", "text"] as const).map(
  (format) => ({ format, ...byFormat[format] }),
);

/** The URL of an export on the server. */
export function exportUrl(
  invitation: Invitation,
  mode: ExportMode,
  format: string,
  lang: Lang,
): string {
  const query = new URLSearchParams({ mode, format, lang });
  return `${invitation.httpOrigin}/api/docs/${encodeURIComponent(invitation.docId)}/export?${query}`;
}

/** The file name an export is saved under: the document id, the mode and the extension. */
export function exportFileName(
  invitation: Invitation,
  mode: ExportMode,
  extension: string,
): string {
  const safe = invitation.docId.replace(/[^\w.-]+/g, "_");
  return `${safe}-${mode}.${extension}`;
}

/**
 * Fetch an export and hand it to the browser as a download. Rejects with an Error naming
 * the HTTP status when the server does not deliver it.
 */
export async function downloadExport(
  invitation: Invitation,
  mode: ExportMode,
  format: ExportFormat,
  lang: Lang,
): Promise<void> {
  const response = await fetch(exportUrl(invitation, mode, format.format, lang), {
    headers: { Authorization: `Bearer ${invitation.token}` },
  });
  if (!response.ok) {
    throw new Error(`${response.status} ${response.statusText}`.trim());
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = exportFileName(invitation, mode, format.extension);
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
