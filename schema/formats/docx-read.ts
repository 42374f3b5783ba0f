// The DOCX reader: a Word file in, a draft out, with a list of everything that could not be
// mapped. The text of the document (with Word's numbers written out as labels) goes through
// the same text readers as a plain-text draft, so literal brackets and annotations mean the
// same in both; Word's own markup (tracked changes, comments) is laid over the result by
// docx-overlay.ts; paragraphs Word styles as headings become headings.

import type { Node } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import type { Draft } from "../draft.ts";
import { findParty } from "../parties.ts";
import { indentUnit } from "../render/text.ts";
import { schema } from "../schema.ts";
import { codeParty } from "./docx-comments.ts";
import {
  applyOverlays,
  closeMarker,
  hasMarkerCharacter,
  maxOverlays,
  type Overlay,
  openMarker,
  stripMarkers,
} from "./docx-overlay.ts";
import { type DocxContent, type DocxParagraph, readDocxParts } from "./docx-parts.ts";
import {
  exportDescription,
  furnitureStyle,
  headerStyle,
  itemIndent,
  labelIndent,
} from "./docx-write.ts";

/** A problem found while reading, located by Word paragraph (1-based) when it has one. */
export interface DocxProblem {
  readonly kind: "structure" | "text" | "trackedChange" | "comment";
  /** The Word paragraph it concerns, counted from 1 over the body, or null. */
  readonly paragraph: number | null;
  /** For problems the text reader found: where, in the text it was given (`text`). */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** What a text reader makes of the document's text. */
export interface TextImport {
  readonly draft: Draft;
  readonly problems: readonly {
    readonly line: number;
    readonly column?: number;
    readonly message: string;
  }[];
}

/** A reader of a draft's text: the annotated-text reader, or the tolerant importer. */
export type TextReader = (text: string) => TextImport;

/** The text readers for Parley's own exports and for documents made elsewhere. */
export interface TextReaders {
  readonly exported: TextReader;
  readonly other: TextReader;
}

/** The result of reading a Word file. */
export interface DocxImport {
  readonly draft: Draft;
  readonly problems: readonly DocxProblem[];
  /** The text handed to the text reader, one line per Word paragraph, for diagnosis. */
  readonly text: string;
}

/** How Word paragraphs are joined for the text reader (a blank line between). */
const paragraphSeparator = "\n\n";

/**
 * Read a Word file into a draft. The document's text goes to `readers.exported` when the
 * file is one of Parley's exports (its description says so) and to `readers.other`
 * otherwise (formats.ts passes the annotated reader and the tolerant importer). Throws a
 * `RangeError` only when the bytes are not a Word file; everything inside that cannot be
 * mapped is kept as text or as a comment and listed in `problems` with its paragraph.
 */
export async function readDocx(bytes: Uint8Array, readers: TextReaders): Promise<DocxImport> {
  const content = await readDocxParts(bytes);
  const readText = isExport(content) ? readers.exported : readers.other;
  const { text, overlays, lineParagraph } = markedText(content);
  const problems: DocxProblem[] = [];
  for (const paragraph of content.paragraphs) {
    if (paragraph.segments.some((s) => hasMarkerCharacter(s.text))) {
      problems.push({
        kind: "text",
        paragraph: paragraph.index,
        message: `Paragraph ${paragraph.index} has private-use characters (symbol fonts), shown as �`,
      });
    }
  }
  problems.push(
    ...content.problems
      .filter((p) => !(isExport(content) && p.kind === "table"))
      .map((p) => ({ kind: "structure" as const, paragraph: p.paragraph, message: p.message })),
  );
  for (const [id, comment] of content.comments) {
    if (!overlays.some((o) => o.kind === "comment" && o.id === id)) {
      problems.push({
        kind: "comment",
        paragraph: null,
        message: `The comment "${comment.text}" by ${comment.author || "an unnamed author"} is anchored to no text and was not imported`,
      });
    }
  }
  const read = readText(text);
  for (const problem of read.problems) {
    problems.push({
      kind: "text",
      paragraph: lineParagraph[problem.line - 1] ?? null,
      line: problem.line,
      ...(problem.column === undefined ? {} : { column: problem.column }),
      message: stripMarkers(problem.message),
    });
  }
  const laid = applyOverlays(read.draft.doc, read.draft.registry, overlays);
  problems.push(...laid.problems);
  const doc = isExport(content) ? laid.doc : headingsFromStyles(laid.doc, content.paragraphs);
  return { draft: { doc, registry: laid.registry }, problems, text: stripMarkers(text) };
}

type KeyedOverlay = Overlay & { readonly key: string; readonly id: string };

/**
 * The document's text, one line per Word paragraph with its Word number written out, and
 * an open and a close marker around each tracked change and commented span.
 */
function markedText(content: DocxContent): {
  text: string;
  overlays: KeyedOverlay[];
  lineParagraph: (number | null)[];
} {
  const overlays: KeyedOverlay[] = [];
  const index = new Map<string, number>();
  const lineParagraph: (number | null)[] = [];
  // Overlays open at the end of the previous segment, closed as soon as a segment lacks them.
  let open: string[] = [];
  const flushClosing = (keep: Set<string>): string => {
    let out = "";
    for (const key of [...open].reverse()) {
      if (keep.has(key)) continue;
      out += closeMarker(index.get(key)!);
    }
    open = open.filter((key) => keep.has(key));
    return out;
  };
  const own = isExport(content);
  let text = "";
  let previousHeader = false;
  for (const paragraph of content.paragraphs) {
    if (own && paragraph.styleId === furnitureStyle) continue;
    const header = own && paragraph.styleId === headerStyle;
    let line = paragraph.numbering ? `${paragraph.numbering.label} ` : "";
    if (own && !header) line += indentUnit.repeat(level(paragraph));
    for (const segment of paragraph.segments) {
      const wanted: { key: string; make: () => KeyedOverlay }[] = [];
      for (const id of segment.comments) {
        const comment = content.comments.get(id);
        wanted.push({
          key: `c${id}`,
          make: () => ({
            kind: "comment",
            key: `c${id}`,
            id,
            author: comment?.author ?? "",
            text: comment?.text ?? "",
            paragraph: paragraph.index,
          }),
        });
      }
      for (const [kind, rev] of [
        ["deletion", segment.del],
        ["insertion", segment.ins],
      ] as const) {
        if (!rev) continue;
        // A change continued in the next paragraph is a new proposal there: brackets in
        // Parley may span paragraphs, but a tracked change per paragraph is how Word splits.
        const key = `${kind}${rev.id}@${paragraph.index}`;
        wanted.push({
          key,
          make: () => ({
            kind,
            key,
            id: rev.id,
            author: rev.author,
            party: authorParty(rev.author),
            paragraph: paragraph.index,
          }),
        });
      }
      const keys = new Set(wanted.map((w) => w.key));
      line += flushClosing(keys);
      for (const w of wanted) {
        if (open.includes(w.key)) continue;
        if (!index.has(w.key)) {
          if (overlays.length >= maxOverlays) continue;
          index.set(w.key, overlays.length);
          overlays.push(w.make());
        }
        open.push(w.key);
        line += openMarker(index.get(w.key)!);
      }
      line += segment.text.replace(/\t/g, " ").replace(/[\ue000-\uefff]/g, "\ufffd");
    }
    // Tracked changes end with their paragraph; comment ranges may run on.
    line += flushClosing(new Set(paragraph.openAtEnd.map((id) => `c${id}`)));
    // The header of an export is one block of lines, as the text writer prints it.
    const separator = text === "" ? "" : header && previousHeader ? "\n" : paragraphSeparator;
    for (let n = separator.split("\n").length - 1; n > 1; n--) lineParagraph.push(null);
    text += separator + line;
    lineParagraph.push(paragraph.index);
    previousHeader = header;
  }
  // The text writer ends its output with a newline.
  text += `${flushClosing(new Set())}\n`;
  return { text, overlays, lineParagraph };
}

// Parley's exports set options' contents in by one indent unit per level, and items by two
// more with a hanging label (see docx-write.ts).
function level(paragraph: DocxParagraph): number {
  const left = paragraph.hanging ? paragraph.indentLeft - itemIndent : paragraph.indentLeft;
  return Math.max(0, Math.round(left / labelIndent));
}

function isExport(content: DocxContent): boolean {
  return content.description.startsWith(exportDescription);
}

/** The English key of the party a revision author names ("Pakistan", "US"), or null. */
function authorParty(author: string): string | null {
  const name = author.trim();
  return findParty(name)?.en ?? codeParty(name);
}

/**
 * Turn into headings the paragraphs Word styled as headings that the text reader took for
 * ordinary paragraphs (a heading without a section letter reads like any other line).
 */
function headingsFromStyles(doc: Node, paragraphs: readonly DocxParagraph[]): Node {
  const headings = paragraphs
    .filter((p) => p.headingLevel > 0)
    .map((p) =>
      stripMarkers(p.segments.map((s) => s.text).join(""))
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((text) => text.length > 0);
  if (headings.length === 0) return doc;
  const tr = new Transform(doc);
  let next = 0;
  doc.forEach((node, offset) => {
    if (next >= headings.length) return;
    const text = node.textContent.replace(/\s+/g, " ").trim();
    if (text !== headings[next]) return;
    next++;
    if (node.type.name === "paragraph" && node.attrs.numbering === "none") {
      tr.setNodeMarkup(offset, schema.nodes.heading, { id: node.attrs.id, label: "" });
    }
  });
  return tr.doc;
}
