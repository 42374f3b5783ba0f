// The DOCX writer: a Rendering laid out as a document a secretariat would issue — the
// symbol, original language and date at the top right, the title, section headings,
// numbered paragraphs and lettered items with their labels, brackets as literal [ ] with
// the names and positions set off in italics, chair's texts in a ruled box under their
// "replacing paras …" label, and a footer with the symbol, the date and the page number.
//
// Labels are written as text followed by a tab, not as Word numbering: Parley's numbers
// (3bis, numbers skipped by a chair's text) are not a Word list, and a delegate who copies
// a paragraph must copy its number with it. Every block's text is exactly the text the
// plain-text writer prints, so the DOCX reader reads an export back with the text readers.

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  type IParagraphOptions,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from "docx";
import { type RenderedBlock, type Rendering, type Run, runText } from "../render/rendering.ts";
import type { Lang } from "../render/words.ts";
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
/** The document description that tells the DOCX reader a file is Parley's own export. */
export const exportDescription = "Parley export";

const colours = {
  annotation: "1F4E79",
  glyph: "000000",
  chairBorder: "404040",
  furniture: "595959",
};

interface Fonts {
  readonly ascii: string;
  readonly eastAsia: string;
  readonly size: number;
}

// WIPO sets its documents in Arial 11 pt; UN Chinese documents set Chinese body text in
// SimSun (宋体) and headings in SimHei (黑体). Word substitutes its own fonts where these
// are missing, and LibreOffice falls back to the Noto CJK fonts.
const bodyFonts: Fonts = { ascii: "Arial", eastAsia: "SimSun", size: 22 };

function font(f: Fonts) {
  return { ascii: f.ascii, hAnsi: f.ascii, cs: f.ascii, eastAsia: f.eastAsia };
}

/**
 * Lay out a rendering as a .docx file. The bytes are a complete Word document (A4, 2.5 cm
 * margins) in the rendering's language; this does not fail on any rendering.
 */
export async function writeDocx(rendering: Rendering): Promise<Uint8Array> {
  const f = bodyFonts;
  const children: (Paragraph | Table)[] = [
    ...heading(rendering),
    ...body(rendering.blocks, rendering),
  ];
  const document = new Document({
    creator: "Parley",
    description: `${exportDescription}: ${rendering.mode}`,
    title: rendering.meta.title,
    subject: rendering.meta.symbol,
    styles: {
      default: {
        document: {
          run: {
            font: font(f),
            size: f.size,
            language: { value: langTag(rendering.lang), eastAsia: "zh-CN" },
          },
          paragraph: { spacing: { after: 200, line: 276 } },
        },
      },
      paragraphStyles: [
        {
          id: "Heading1",
          name: "heading 1",
          basedOn: "Normal",
          next: "Normal",
          run: {
            bold: true,
            font: {
              ...font(f),
              eastAsia: rendering.lang === "zh" ? "SimHei" : f.eastAsia,
            },
          },
          paragraph: { keepNext: true, spacing: { before: 240, after: 200 }, outlineLevel: 0 },
        },
        {
          id: headerStyle,
          name: "Parley header",
          basedOn: "Normal",
          paragraph: { spacing: { after: 0 } },
        },
        {
          id: furnitureStyle,
          name: "Parley furniture",
          basedOn: "Normal",
          run: { color: colours.furniture },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1418, bottom: 1418, left: 1418, right: 1418, footer: 567 },
          },
        },
        footers: { default: footer(rendering) },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

function langTag(lang: Lang): string {
  return lang === "zh" ? "zh-CN" : "en-GB";
}

/** The top of the first page: symbol, original language, date, title, and the mode. */
function heading(rendering: Rendering): Paragraph[] {
  const { meta } = rendering;
  const right = (text: string, bold = false, size?: number) =>
    new Paragraph({
      style: headerStyle,
      alignment: AlignmentType.RIGHT,
      spacing: { after: 0 },
      children: [new TextRun({ text, bold, size })],
    });
  const out: Paragraph[] = [];
  const symbol = [meta.symbol, meta.revision].filter(Boolean).join(" ");
  if (symbol) out.push(right(symbol, true, 28));
  out.push(right(meta.originalLine));
  if (meta.dateLine) out.push(right(meta.dateLine));
  out.push(
    new Paragraph({
      style: furnitureStyle,
      border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 4 } },
      spacing: { after: 480 },
      children: [],
    }),
  );
  if (meta.title) {
    out.push(
      new Paragraph({
        style: headerStyle,
        alignment: AlignmentType.CENTER,
        spacing: { after: 240 },
        children: [new TextRun({ text: meta.title, bold: true, size: 28 })],
      }),
    );
  }
  out.push(
    new Paragraph({
      style: furnitureStyle,
      alignment: AlignmentType.CENTER,
      spacing: { after: 480 },
      children: [new TextRun({ text: modeTitle(rendering.mode, rendering.lang), italics: true })],
    }),
  );
  return out;
}

function footer(rendering: Rendering): Footer {
  const { meta, lang } = rendering;
  const left = [meta.symbol, meta.revision].filter(Boolean).join(" ");
  const page = lang === "zh" ? ["第 ", PageNumber.CURRENT, " 页"] : ["page ", PageNumber.CURRENT];
  return new Footer({
    children: [
      new Paragraph({
        style: furnitureStyle,
        tabStops: [
          { type: TabStopType.CENTER, position: 4535 },
          { type: TabStopType.RIGHT, position: 9070 },
        ],
        children: [
          new TextRun({ text: left, size: 18 }),
          new TextRun({ text: "\t", size: 18 }),
          new TextRun({ children: page, size: 18 }),
          new TextRun({ text: `\t${meta.date}`, size: 18 }),
        ],
      }),
    ],
  });
}

/** The width of the text between the margins of an A4 page, in twips. */
const textWidth = 11906 - 2 * 1418;

const edge = { style: BorderStyle.SINGLE, size: 8, color: colours.chairBorder };
const noEdge = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };

// A chair's text is boxed as a one-cell table: paragraph borders follow each paragraph's
// indent, so a box around indented items would come out ragged.
function chairBox(paragraphs: Paragraph[]): (Paragraph | Table)[] {
  const table = new Table({
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: [textWidth],
    borders: {
      top: edge,
      bottom: edge,
      left: edge,
      right: edge,
      insideHorizontal: noEdge,
      insideVertical: noEdge,
    },
    rows: [
      new TableRow({
        children: [
          new TableCell({
            margins: { top: 113, bottom: 0, left: 170, right: 170 },
            children: paragraphs,
          }),
        ],
      }),
    ],
  });
  // Word wants a paragraph after a table; the reader skips it as furniture.
  const after = new Paragraph({ style: furnitureStyle, spacing: { after: 120 }, children: [] });
  return [table, after];
}

/** The paragraphs of the body, block by block, in the order of `blockLines`. */
function body(blocks: readonly RenderedBlock[], rendering: Rendering): (Paragraph | Table)[] {
  const result: (Paragraph | Table)[] = [];
  let frame: Paragraph[] | null = null;
  for (const line of blockLines(blocks, rendering.lang)) {
    if (line.kind === "frameLabel" && frame === null) frame = [];
    const out: Paragraph[] = frame ?? [];
    const base: IParagraphOptions = {
      indent: line.indent > 0 ? { left: line.indent * labelIndent } : undefined,
      keepNext: line.kind === "heading" || line.kind === "frameLabel" || line.kind === "option",
    };
    switch (line.kind) {
      case "heading":
        out.push(
          new Paragraph({
            ...base,
            style: "Heading1",
            tabStops: [{ type: TabStopType.LEFT, position: labelIndent }],
            children: labelled(line.label, line.runs, rendering, line.suffix),
          }),
        );
        break;
      case "paragraph":
      case "item":
        out.push(
          new Paragraph({
            ...base,
            // Chinese documents are set justified; English ones ragged right, as WIPO does.
            alignment: rendering.lang === "zh" ? AlignmentType.JUSTIFIED : AlignmentType.LEFT,
            tabStops: line.label
              ? [{ type: TabStopType.LEFT, position: (line.indent + 1) * labelIndent }]
              : undefined,
            indent:
              line.kind === "item"
                ? {
                    left: line.indent * labelIndent + itemIndent,
                    hanging: labelIndent,
                  }
                : base.indent,
            children: labelled(line.label, line.runs, rendering, line.suffix),
          }),
        );
        break;
      case "option":
      case "frameLabel":
        out.push(
          new Paragraph({
            ...base,
            spacing: { after: 120 },
            children: [new TextRun({ text: line.text, bold: true })],
          }),
        );
        break;
      case "frameClose":
        out.push(
          new Paragraph({ ...base, spacing: { after: 120 }, children: [glyphRun(line.text)] }),
        );
        break;
      default: {
        const never: never = line;
        throw new RangeError(`Unknown line ${JSON.stringify(never)}`);
      }
    }
    if (frame === null) result.push(...out);
    else if (line.kind === "frameClose") {
      result.push(...chairBox(frame));
      frame = null;
    }
  }
  if (frame) result.push(...chairBox(frame));
  return result;
}

function labelled(
  label: string | null,
  runs: readonly Run[],
  rendering: Rendering,
  suffix: string,
): ParagraphChild[] {
  // The same words and spaces as the text writer's `label runs note`, with a tab after the
  // label so that the text lines up.
  const children: ParagraphChild[] = [];
  const hasRuns = runs.some((run) => runText(run) !== "");
  if (label) children.push(new TextRun({ text: hasRuns || suffix ? `${label}\t` : label }));
  children.push(...runs.flatMap((run) => textRuns(run, rendering)));
  if (suffix) {
    const text = hasRuns ? ` ${suffix}` : suffix;
    children.push(new TextRun({ text, italics: true, color: colours.annotation }));
  }
  return children;
}

function glyphRun(text: string): TextRun {
  return new TextRun({ text, bold: true, color: colours.glyph });
}

/** The Word runs of one rendered run: glyphs bold, annotations italic in colour. */
function textRuns(run: Run, rendering: Rendering): TextRun[] {
  switch (run.type) {
    case "text":
      return [new TextRun({ text: run.text })];
    case "open":
      return [glyphRun(run.glyph), ...(run.quote ? [new TextRun({ text: run.quote })] : [])];
    case "close": {
      const out: TextRun[] = [];
      if (run.quote) out.push(new TextRun({ text: run.quote }));
      if (run.annotation) {
        out.push(
          new TextRun({
            text: run.annotation.separator + run.annotation.text,
            italics: rendering.lang === "en",
            color: colours.annotation,
          }),
        );
      }
      out.push(glyphRun(run.glyph));
      return out;
    }
    case "chairOpen":
      return [glyphRun(run.glyph), new TextRun({ text: `${run.label} `, bold: true })];
    case "chairClose":
      return [glyphRun(run.glyph)];
    default: {
      const never: never = run;
      throw new RangeError(`Unknown run ${JSON.stringify(never)}`);
    }
  }
}
