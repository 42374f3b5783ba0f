// The body of the DOCX export as WordprocessingML text: the heading lines, the section
// headings, paragraphs, items, options and chair's boxes, written straight into a string.
//
// The `docx` package builds an object per paragraph, run and property and then walks them
// twice to write XML; on a 200-page draft (some 50,000 runs) that took most of the export's
// time and memory. Every run here takes one of a handful of fixed formats, so the body is
// written as text, element for element and attribute for attribute as `docx` 9 writes the
// same paragraphs (the same `w:pPr` and `w:rPr` children in the same order, the same
// escaping), and the rest of the package (styles, footer, settings) is still built by
// `docx` (docx-write.ts). The document is byte for byte the one `docx` wrote before.

import type { Rendering, Run } from "../render/rendering.ts";
import { runText } from "../render/rendering.ts";
import { blockLines, modeTitle } from "./layout.ts";

/** Twentieths of a point per centimetre, the unit of Word's indents and tab stops. */
const twipsPerCm = 567;
/** The indent of one level of options, and the width of a label. */
export const labelIndent = twipsPerCm;
/** How far items are set in from their list's level. */
export const itemIndent = 2 * twipsPerCm;
/** The paragraph style the DOCX reader skips: lines of the layout, not of the draft. */
export const furnitureStyle = "ParleyFurniture";
/** The paragraph style of the header lines (symbol, original, date, title). */
export const headerStyle = "ParleyHeader";

/** The colours of the export, as Word's hex RGB. */
export const colours = {
  annotation: "1F4E79",
  glyph: "000000",
  chairBorder: "404040",
  furniture: "595959",
} as const;

/** The width of the text between the margins of an A4 page, in twips. */
export const textWidth = 11906 - 2 * 1418;

const escapes: Record<string, string> = {
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
  "<": "&lt;",
  ">": "&gt;",
};

// As `docx` escapes text: the five XML characters, and the control characters XML 1.0
// cannot hold dropped (everything below a space but tab, newline and carriage return).
const unsafe = /[&"'<>]|[^\t\n\r -\uFFFF]/g;
const anyUnsafe = /[&"'<>]|[^\t\n\r -\uFFFF]/;

function escapeXml(value: string): string {
  // Most runs need nothing escaped; testing first spares building a copy of each.
  return anyUnsafe.test(value) ? value.replace(unsafe, (c) => escapes[c] ?? "") : value;
}

/** How a run is set; every field left out is not written. */
interface RunFormat {
  readonly bold?: boolean;
  readonly italics?: boolean;
  readonly color?: string;
  readonly size?: number;
}

// An on/off property as `docx` writes it: bare when on, w:val="false" when off.
function onOff(name: string, value: boolean): string {
  return value ? `<${name}/>` : `<${name} w:val="false"/>`;
}

function runProperties(f: RunFormat): string {
  let x = "";
  if (f.bold !== undefined) x += onOff("w:b", f.bold) + onOff("w:bCs", f.bold);
  if (f.italics !== undefined) x += onOff("w:i", f.italics) + onOff("w:iCs", f.italics);
  if (f.color !== undefined) x += `<w:color w:val="${f.color}"/>`;
  if (f.size !== undefined) x += `<w:sz w:val="${f.size}"/><w:szCs w:val="${f.size}"/>`;
  return x ? `<w:rPr>${x}</w:rPr>` : "";
}

/** One run of text, with its formatting. */
function run(text: string, f: RunFormat = {}): string {
  return `<w:r>${runProperties(f)}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

/** How a paragraph is set; every field left out is not written. */
interface ParagraphFormat {
  readonly style?: string;
  readonly keepNext?: boolean;
  readonly borderBottom?: boolean;
  readonly tab?: number;
  readonly spacingAfter?: number;
  readonly indent?: { readonly left: number; readonly hanging?: number };
  readonly alignment?: "left" | "right" | "center" | "both";
}

// The children of w:pPr in the order `docx` writes them (and CT_PPr wants them).
function paragraph(f: ParagraphFormat, runs: string): string {
  let x = "";
  if (f.style !== undefined) x += `<w:pStyle w:val="${f.style}"/>`;
  if (f.keepNext !== undefined) x += onOff("w:keepNext", f.keepNext);
  if (f.borderBottom) {
    x += `<w:pBdr><w:bottom w:val="single" w:color="000000" w:sz="6" w:space="4"/></w:pBdr>`;
  }
  if (f.tab !== undefined) x += `<w:tabs><w:tab w:val="left" w:pos="${f.tab}"/></w:tabs>`;
  if (f.spacingAfter !== undefined) x += `<w:spacing w:after="${f.spacingAfter}"/>`;
  if (f.indent !== undefined) {
    const hanging = f.indent.hanging === undefined ? "" : ` w:hanging="${f.indent.hanging}"`;
    x += `<w:ind w:left="${f.indent.left}"${hanging}/>`;
  }
  if (f.alignment !== undefined) x += `<w:jc w:val="${f.alignment}"/>`;
  return `<w:p>${x ? `<w:pPr>${x}</w:pPr>` : ""}${runs}</w:p>`;
}

/** The top of the first page: symbol, original language, date, title, and the mode. */
function heading(rendering: Rendering): string {
  const { meta } = rendering;
  const right = (text: string, bold: boolean, size?: number) =>
    paragraph(
      { style: headerStyle, spacingAfter: 0, alignment: "right" },
      run(text, size === undefined ? { bold } : { bold, size }),
    );
  let x = "";
  const symbol = [meta.symbol, meta.revision].filter(Boolean).join(" ");
  if (symbol) x += right(symbol, true, 28);
  x += right(meta.originalLine, false);
  if (meta.dateLine) x += right(meta.dateLine, false);
  x += paragraph({ style: furnitureStyle, borderBottom: true, spacingAfter: 480 }, "");
  if (meta.title) {
    x += paragraph(
      { style: headerStyle, spacingAfter: 240, alignment: "center" },
      run(meta.title, { bold: true, size: 28 }),
    );
  }
  x += paragraph(
    { style: furnitureStyle, spacingAfter: 480, alignment: "center" },
    run(modeTitle(rendering.mode, rendering.lang), { italics: true }),
  );
  return x;
}

const edge = `w:val="single" w:color="${colours.chairBorder}" w:sz="8"`;
const noEdge = `w:val="none" w:color="FFFFFF" w:sz="0"`;

// A chair's text is boxed as a one-cell table: paragraph borders follow each paragraph's
// indent, so a box around indented items would come out ragged.
function chairBox(paragraphs: string): string {
  const w = `w:type="dxa" w:w="${textWidth}"`;
  const table =
    `<w:tbl><w:tblPr><w:tblW ${w}/><w:tblBorders><w:top ${edge}/><w:left ${edge}/>` +
    `<w:bottom ${edge}/><w:right ${edge}/><w:insideH ${noEdge}/><w:insideV ${noEdge}/>` +
    `</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="${textWidth}"/></w:tblGrid>` +
    `<w:tr><w:tc><w:tcPr><w:tcW ${w}/><w:tcMar><w:top w:type="dxa" w:w="113"/>` +
    `<w:left w:type="dxa" w:w="170"/><w:bottom w:type="dxa" w:w="0"/>` +
    `<w:right w:type="dxa" w:w="170"/></w:tcMar></w:tcPr>${paragraphs}</w:tc></w:tr></w:tbl>`;
  // Word wants a paragraph after a table; the reader skips it as furniture.
  return table + paragraph({ style: furnitureStyle, spacingAfter: 120 }, "");
}

/** The paragraphs of the body, block by block, in the order of `blockLines`. */
function body(rendering: Rendering): string {
  const parts: string[] = [];
  let frame: string[] | null = null;
  // Chinese documents are set justified; English ones ragged right, as WIPO does.
  const alignment = rendering.lang === "zh" ? "both" : "left";
  for (const line of blockLines(rendering.blocks, rendering.lang)) {
    if (line.kind === "frameLabel" && frame === null) frame = [];
    const out = frame ?? parts;
    const indent = line.indent > 0 ? { left: line.indent * labelIndent } : undefined;
    const keepNext =
      line.kind === "heading" || line.kind === "frameLabel" || line.kind === "option";
    switch (line.kind) {
      case "heading":
        out.push(
          paragraph(
            { style: "Heading1", keepNext, tab: labelIndent, indent },
            labelled(line.label, line.runs, rendering, line.suffix),
          ),
        );
        break;
      case "paragraph":
      case "item":
        out.push(
          paragraph(
            {
              keepNext,
              tab: line.label ? (line.indent + 1) * labelIndent : undefined,
              indent:
                line.kind === "item"
                  ? { left: line.indent * labelIndent + itemIndent, hanging: labelIndent }
                  : indent,
              alignment,
            },
            labelled(line.label, line.runs, rendering, line.suffix),
          ),
        );
        break;
      case "option":
      case "frameLabel":
        out.push(
          paragraph({ keepNext, spacingAfter: 120, indent }, run(line.text, { bold: true })),
        );
        break;
      case "frameClose":
        out.push(paragraph({ keepNext, spacingAfter: 120, indent }, glyphRun(line.text)));
        break;
      default: {
        const never: never = line;
        throw new RangeError(`Unknown line ${JSON.stringify(never)}`);
      }
    }
    if (frame !== null && line.kind === "frameClose") {
      parts.push(chairBox(frame.join("")));
      frame = null;
    }
  }
  if (frame) parts.push(chairBox(frame.join("")));
  return parts.join("");
}

function labelled(
  label: string | null,
  runs: readonly Run[],
  rendering: Rendering,
  suffix: string,
): string {
  // The same words and spaces as the text writer's `label runs note`, with a tab after the
  // label so that the text lines up.
  let x = "";
  const hasRuns = runs.some((r) => runText(r) !== "");
  if (label) x += run(hasRuns || suffix ? `${label}\t` : label);
  for (const r of runs) x += textRuns(r, rendering);
  if (suffix) {
    x += run(hasRuns ? ` ${suffix}` : suffix, { italics: true, color: colours.annotation });
  }
  return x;
}

function glyphRun(text: string): string {
  return run(text, { bold: true, color: colours.glyph });
}

/** The Word runs of one rendered run: glyphs bold, annotations italic in colour. */
function textRuns(r: Run, rendering: Rendering): string {
  switch (r.type) {
    case "text":
      return run(r.text);
    case "open":
      return glyphRun(r.glyph) + (r.quote ? run(r.quote) : "");
    case "close": {
      let x = r.quote ? run(r.quote) : "";
      if (r.annotation) {
        x += run(r.annotation.separator + r.annotation.text, {
          italics: rendering.lang === "en",
          color: colours.annotation,
        });
      }
      return x + glyphRun(r.glyph);
    }
    case "chairOpen":
      return glyphRun(r.glyph) + run(`${r.label} `, { bold: true });
    case "chairClose":
      return glyphRun(r.glyph);
    default: {
      const never: never = r;
      throw new RangeError(`Unknown run ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The children of `w:body` for a rendering, up to (not including) the section properties:
 * the heading lines, then every line of the draft, as `docx` 9 would write the same
 * paragraphs. Does not fail on any rendering; throws a `RangeError` only for a line or run
 * kind the layout does not know.
 */
export function docxBodyXml(rendering: Rendering): string {
  return heading(rendering) + body(rendering);
}
