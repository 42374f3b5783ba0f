// The Markdown writer: a rendering as Markdown that reads well as plain text and renders
// as the same document in any CommonMark viewer. Brackets are escaped so that "[words]"
// never turns into a link; paragraph numbers are escaped so that "12." never turns into a
// list a viewer renumbers; chair's texts are block quotes under their label. Inside a line
// only annotations are emphasised: CommonMark does not open emphasis between a letter and
// punctuation (背景**\[**), so bold brackets would show their asterisks.

import type { Rendering, Run } from "../render/rendering.ts";
import { blockLines, type Line, modeTitle } from "./layout.ts";

/** Escape text so that CommonMark shows it literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

// A label such as "12." or "1)" at the start of a line would open an ordered list.
function escapeLabel(label: string): string {
  return escapeMarkdown(label).replace(/^(\d+)([.)])/, "$1\\$2");
}

// Emphasis must not start or end with a space in CommonMark, so keep spaces outside it.
function emphasis(text: string, marker: string): string {
  const match = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  if (!match[2]) return text;
  return `${match[1]}${marker}${escapeMarkdown(match[2])}${marker}${match[3]}`;
}

/**
 * Write a rendering as Markdown: a header block, the title as a level-1 heading, sections
 * as level-2 headings, one paragraph per block. It cannot fail; all draft text is escaped.
 */
export function writeMarkdown(rendering: Rendering): string {
  const { meta, lang } = rendering;
  const symbol = [meta.symbol, meta.revision].filter(Boolean).join(" ");
  const header = [symbol ? `**${escapeMarkdown(symbol)}**` : "", escapeMarkdown(meta.originalLine)];
  if (meta.dateLine) header.push(escapeMarkdown(meta.dateLine));
  const parts: string[] = [header.filter(Boolean).join("  \n")];
  if (meta.title) parts.push(`# ${escapeMarkdown(meta.title)}`);
  parts.push(emphasis(modeTitle(rendering.mode, lang), "*"));
  let text = parts.join("\n\n");
  let quoted = false;
  for (const line of blockLines(rendering.blocks, lang)) {
    // Lines of one chair's frame stay in one block quote: a blank line would end it.
    const sameQuote = quoted && line.inChairFrame && line.kind !== "frameLabel";
    text += (sameQuote ? "\n>\n" : "\n\n") + lineMarkdown(line);
    quoted = line.inChairFrame && line.kind !== "frameClose";
  }
  return `${text}\n`;
}

function lineMarkdown(line: Line): string {
  const quote = line.inChairFrame ? "> " : "";
  switch (line.kind) {
    case "heading":
    case "paragraph":
    case "item": {
      const runs = line.runs.map(runMarkdown).join("");
      const parts = [line.label ? escapeLabel(line.label) : "", runs];
      if (line.suffix) parts.push(emphasis(line.suffix, "*"));
      const text = parts.filter(Boolean).join(" ");
      return quote + (line.kind === "heading" ? `## ${text}` : text);
    }
    case "option":
      return `${quote}**${escapeMarkdown(line.text)}**`;
    case "frameLabel":
    case "frameClose":
      return `${quote}**${escapeMarkdown(line.text)}**`;
    default: {
      const never: never = line;
      throw new RangeError(`Unknown line ${JSON.stringify(never)}`);
    }
  }
}

function runMarkdown(run: Run): string {
  switch (run.type) {
    case "text":
      return escapeMarkdown(run.text);
    case "open":
      return escapeMarkdown(run.glyph + run.quote);
    case "close": {
      const annotation = run.annotation
        ? escapeMarkdown(run.annotation.separator) + emphasis(run.annotation.text, "*")
        : "";
      return `${escapeMarkdown(run.quote)}${annotation}${escapeMarkdown(run.glyph)}`;
    }
    case "chairOpen":
      return `${escapeMarkdown(run.glyph + run.label)} `;
    case "chairClose":
      return escapeMarkdown(run.glyph);
    default: {
      const never: never = run;
      throw new RangeError(`Unknown run ${JSON.stringify(never)}`);
    }
  }
}
