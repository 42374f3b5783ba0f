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
  Document,
  Footer,
  type ISectionOptions,
  Packer,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
} from "docx";
import JSZip from "jszip";
import type { Rendering } from "../render/rendering.ts";
import type { Lang } from "../render/words.ts";
import { colours, docxBodyXml, furnitureStyle, headerStyle } from "./docx-body.ts";

export { furnitureStyle, headerStyle, itemIndent, labelIndent } from "./docx-body.ts";

/** The document description that tells the DOCX reader a file is Parley's own export. */
export const exportDescription = "Parley export";

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

/** The A4 page with 2.5 cm margins every export is set on. */
const a4: NonNullable<ISectionOptions["properties"]> = {
  page: {
    size: { width: 11906, height: 16838 },
    margin: { top: 1418, bottom: 1418, left: 1418, right: 1418, footer: 567 },
  },
};

/** The path of the main part in the package. */
const documentPart = "word/document.xml";

/**
 * Lay out a rendering as a .docx file. The bytes are a complete Word document (A4, 2.5 cm
 * margins) in the rendering's language; this does not fail on any rendering.
 */
export async function writeDocx(rendering: Rendering): Promise<Uint8Array> {
  // `docx` builds the package around the body (styles, footer, properties, relationships);
  // the body itself is written as text (docx-body.ts) into the main part docx writes for an
  // empty body, which is much faster than docx's object model for a long draft.
  const { before, after } = await bodyFrame(rendering);
  const xml = before + docxBodyXml(rendering) + after;
  const bytes = await Packer.toBuffer(documentFor(rendering, []), undefined, [
    { path: documentPart, data: xml },
  ]);
  return new Uint8Array(bytes);
}

const marker = "PARLEY-BODY";
let frame: Promise<{ before: string; after: string }> | null = null;

// The main part `docx` writes around a body (namespaces before, section properties after)
// is the same for every rendering: the page and the footer's relationship never change.
// It is read once, from the package of the first rendering with a marker for its body, and
// kept (docx-write.test.ts checks that every export's footer reference names its footer).
function bodyFrame(rendering: Rendering): Promise<{ before: string; after: string }> {
  frame ??= (async () => {
    const doc = documentFor(rendering, [new Paragraph({ children: [new TextRun(marker)] })]);
    const zip = await JSZip.loadAsync(await Packer.toBuffer(doc));
    const xml = await zip.file(documentPart)?.async("string");
    const p = `<w:p><w:r><w:t xml:space="preserve">${marker}</w:t></w:r></w:p>`;
    const at = xml?.indexOf(p) ?? -1;
    if (xml === undefined || at < 0) throw new Error("docx wrote no body to splice into");
    return { before: xml.slice(0, at), after: xml.slice(at + p.length) };
  })();
  // A failure is not kept: the next export tries again.
  frame.catch(() => {
    frame = null;
  });
  return frame;
}

function documentFor(rendering: Rendering, children: Paragraph[]): Document {
  const f = bodyFonts;
  return new Document({
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
    sections: [{ properties: a4, footers: { default: footer(rendering) }, children }],
  });
}

function langTag(lang: Lang): string {
  return lang === "zh" ? "zh-CN" : "en-GB";
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
