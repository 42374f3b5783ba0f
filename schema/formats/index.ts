// The public API of the export and import formats: DOCX, HTML and Markdown writers built
// from the shared rendering, the DOCX reader, and one dispatcher for the CLI and the server.
export { type CommentMeaning, type CommentPosition, readCommentText } from "./docx-comments.ts";
export {
  type DocxContent,
  type DocxParagraph,
  type DocxRevision,
  type DocxSegment,
  readDocxParts,
} from "./docx-parts.ts";
export {
  type DocxImport,
  type DocxProblem,
  readDocx,
  type TextImport,
  type TextReader,
  type TextReaders,
} from "./docx-read.ts";
export { writeDocx } from "./docx-write.ts";
export {
  type DraftImport,
  type Format,
  formatContentType,
  formatExtension,
  formats,
  isFormat,
  type ReadFormat,
  readDraft,
  readExportedText,
  type WriteOptions,
  writeDraft,
} from "./formats.ts";
export { escapeHtml, writeHtml } from "./html.ts";
export { escapeMarkdown, writeMarkdown } from "./markdown.ts";
