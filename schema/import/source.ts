// Reading the raw lines of a draft written elsewhere into logical blocks. Text extracted
// from a PDF breaks every sentence at the page margin, puts an empty line after each line,
// leaves footnote numbers on lines of their own and footnote texts at the foot of each
// page; a draft typed as plain text puts one block on a line. This module undoes the first
// and keeps the second, remembering for every character the line and column it came from
// so that problems can point into the file.

/** One character of a block, with the 1-based line and column it came from. */
export interface LocChar {
  readonly ch: string;
  readonly line: number;
  readonly column: number;
}

/** A logical block of the source: one paragraph, heading or item, joined across lines. */
export interface RawBlock {
  readonly chars: LocChar[];
  /** The line the block starts on. */
  readonly line: number;
  /** The leading whitespace of its first line, tabs counted as 4 columns. */
  readonly indent: number;
}

/** A Word comment found in the text ("批注 [作者1]: …"), attached to the block before it. */
export interface SourceComment {
  readonly author: string;
  readonly text: string;
  /** Index of the block it follows, or -1 when it comes first. */
  readonly afterBlock: number;
  readonly line: number;
}

/** The blocks of a source text and what was taken out of them. */
export interface Source {
  readonly blocks: RawBlock[];
  readonly comments: SourceComment[];
  /** Whether the text was hard-wrapped (extracted from a PDF) and lines were joined. */
  readonly wrapped: boolean;
}

interface Line {
  readonly text: string;
  readonly line: number;
}

import { readSpeakerPrefix } from "./annotations.ts";

const cjk = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]/;

/** Display width: CJK and full-width characters count two columns, as on the page. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += cjk.test(ch) ? 2 : 1;
  return width;
}

// A full line ending with one of these ends its sentence, so the next line starts a block.
// Closing brackets and parentheses are not among them: a wrapped line often ends with one.
const terminal = /[。：:；;！？!?”」]$/;

// A line that begins with one of these starts a new block whatever the line before it.
const blockStart = [
  /^[[［]?\s*\d+(?:bis|ter|quater)?\.(?!\d)\s*\S/, // 12. …  [1. …  3bis. …
  /^\d+\.\d+\s/, // 3.1 …
  /^[•·●▪\uf0b7\uf0a7\uf076\uf0d8]/, // bullets, also as Word's Symbol-font private-use glyphs
  /^[−–-]\s/, // dash items (the em dash "——" is the attribution dash, not an item)
  /^\((?:[a-z]{1,3}|\d{1,2})\)/, // (a) (1) (iv)
  /^(?:[A-Z]|[IVX]{1,5})\.\s/, // A. Background, IV. Scope
  /^#{1,6}\s/, // markdown heading
  /^(?:\*\*)?Option\s/, // Option 1
  /^[[［]\s*主席/, // [主席的替代案文 …
  /^批注\s*[[［]/, // a Word comment
  /^[[［](?:后接附件|English only|French only|Spanish only)/i, // an editorial note
];

const footnoteNumber = /^\d{1,3}$/;
const commentLine = /^批注\s*[[［]([^\]］]*)[\]］]\s*[:：]\s*(.*)$/;
const pageFurniture = [/^第\s*\d+\s*页$/, /^-?\s*\d+\s*-?$/, /^page\s+\d+(\s+of\s+\d+)?$/i];

function indentOf(text: string): number {
  let indent = 0;
  for (const ch of text) {
    if (ch === "\t") indent += 4;
    else if (ch === " " || ch === "\u3000") indent += 1;
    else break;
  }
  return indent;
}

function locate(line: Line): LocChar[] {
  const chars: LocChar[] = [];
  const text = line.text;
  let start = 0;
  while (start < text.length && /\s/.test(text[start]!)) start++;
  let end = text.length;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  for (let i = start; i < end; i++) {
    // A tab inside a line separates a label from its text ("3.2\tEnsuring"): one space.
    const ch = text[i] === "\t" ? " " : text[i]!;
    chars.push({ ch, line: line.line, column: i + 1 });
  }
  return chars;
}

/**
 * The width a full line of the page has, or null when the text is not hard-wrapped (lines
 * are blocks, as in a plain-text or Markdown draft). A PDF's full lines cluster just under
 * the page width; a plain-text draft's lines run as long as their paragraphs.
 */
function pageWidth(lines: readonly Line[]): number | null {
  const widths = lines
    .map((l) => displayWidth(l.text.trim()))
    .filter((w) => w > 0)
    .sort((a, b) => a - b);
  if (widths.length < 20) return null;
  const p90 = widths[Math.floor(widths.length * 0.9)]!;
  if (p90 > 130) return null;
  const nearFull = widths.filter((w) => w >= p90 * 0.85 && w <= p90 * 1.1).length;
  return nearFull >= widths.length * 0.3 ? p90 : null;
}

/**
 * Split a source text into logical blocks. Footnote numbers standing alone on a line, the
 * footnote texts under a page's separator line, and page numbers are dropped; Word
 * comments are taken out and returned on their own. In a hard-wrapped text a line joins
 * the one before it unless that one was short or ended a sentence, or the line itself
 * starts a block (a number, a bullet, a heading …). Never throws.
 */
export function readSource(text: string): Source {
  const all: Line[] = text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ text: t, line: i + 1 }));
  const lines: Line[] = [];
  const comments: { author: string; text: string; line: number; at: number }[] = [];
  const blankRun = (i: number) => !all[i] || all[i]!.text.trim() === "";
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    const trimmed = line.text.trim();
    if (trimmed === "") {
      // A long run of spaces is the rule above a page's footnotes; what follows until the
      // page resumes is "number, then indented text" pairs.
      if (line.text.length >= 20) {
        let j = i + 1;
        while (j < all.length) {
          while (blankRun(j) && j < all.length) j++;
          const mark = all[j]?.text.trim() ?? "";
          const body = all[j + 1]?.text ?? "";
          if (footnoteNumber.test(mark) && /^\s{2,}\S/.test(body)) j += 2;
          else break;
        }
        i = j - 1;
      }
      continue;
    }
    if (footnoteNumber.test(trimmed) || pageFurniture.some((p) => p.test(trimmed))) continue;
    const comment = commentLine.exec(trimmed);
    if (comment) {
      comments.push({
        author: comment[1]!.trim(),
        text: comment[2]!.trim(),
        line: line.line,
        at: lines.length,
      });
      continue;
    }
    lines.push(line);
  }

  const width = pageWidth(lines);
  const blocks: RawBlock[] = [];
  const commentsOut: SourceComment[] = [];
  let pendingComments = comments.slice();
  let previous: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    while (pendingComments[0] && pendingComments[0].at <= i) {
      const c = pendingComments[0];
      commentsOut.push({
        author: c.author,
        text: c.text,
        line: c.line,
        afterBlock: blocks.length - 1,
      });
      pendingComments = pendingComments.slice(1);
    }
    const trimmed = line.text.trim();
    const onlyPunctuation = /^[：:；;，,。.、）)]+$/.test(trimmed);
    // A speaker ("俄罗斯——…") after a line closing a bracket starts a statement.
    const speaks =
      previous !== null &&
      /[\]］)）]$/.test(previous.trim()) &&
      readSpeakerPrefix(trimmed) !== null;
    const continues =
      width !== null &&
      previous !== null &&
      (onlyPunctuation ||
        (!speaks &&
          !blockStart.some((p) => p.test(trimmed)) &&
          displayWidth(previous.trim()) >= width * 0.72 &&
          !terminal.test(previous.trim())));
    const chars = locate(line);
    const last = blocks[blocks.length - 1];
    if (continues && last) {
      // Latin words broken at a line end were separated by a space the PDF dropped.
      const before = last.chars[last.chars.length - 1]?.ch ?? "";
      if (/[A-Za-z0-9,;.]/.test(before) && /^[A-Za-z0-9(]/.test(trimmed)) {
        last.chars.push({ ch: " ", line: line.line, column: 0 });
      }
      last.chars.push(...chars);
    } else {
      blocks.push({ chars, line: line.line, indent: indentOf(line.text) });
    }
    previous = line.text;
  }
  for (const c of pendingComments) {
    commentsOut.push({
      author: c.author,
      text: c.text,
      line: c.line,
      afterBlock: blocks.length - 1,
    });
  }
  return { blocks, comments: commentsOut, wrapped: width !== null };
}

/** The text of located characters. */
export function textOf(chars: readonly LocChar[]): string {
  let text = "";
  for (const c of chars) text += c.ch;
  return text;
}

/** Something the reader could not make sense of, with where it is (1-based). */
export interface ImportProblem {
  readonly kind: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}
