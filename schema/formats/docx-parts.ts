export type { DocxNumbering } from "./docx-numbering.ts";

// The parts of a WordprocessingML package, read into plain records: paragraphs in document
// order with their style, Word numbering (its label worked out the way Word counts), and
// runs of text tagged with the tracked change and the comments they lie in; the comments
// with their author and text. What a draft makes of them is docx-read.ts's business.

import JSZip from "jszip";
import {
  type DocxNumbering,
  type Numbering,
  NumberingCounter,
  readNumbering,
} from "./docx-numbering.ts";
import {
  childElement,
  childElements,
  childVal,
  parseXml,
  textContent,
  type XmlElement,
} from "./xml.ts";

/** A tracked change (`w:ins` / `w:del`) as Word records it. */
export interface DocxRevision {
  readonly id: string;
  readonly author: string;
  readonly date: string | null;
}

/** A run of text with the tracked change and the comment ranges it lies in. */
export interface DocxSegment {
  readonly text: string;
  readonly ins: DocxRevision | null;
  readonly del: DocxRevision | null;
  /** Ids of the comments whose range covers this text. */
  readonly comments: readonly string[];
}

/** One paragraph of the body (table cells are read as paragraphs in reading order). */
export interface DocxParagraph {
  /** 1-based position among the body's paragraphs, for problem locations. */
  readonly index: number;
  readonly styleId: string;
  readonly styleName: string;
  /** Heading level 1–9 from the style or outline level, or 0 for body text. */
  readonly headingLevel: number;
  readonly numbering: DocxNumbering | null;
  readonly inTable: boolean;
  /** The left indent in twips (`w:ind w:left` or `w:start`), 0 when not set. */
  readonly indentLeft: number;
  /** Whether the first line hangs out to the left (`w:ind w:hanging`), as labelled items do. */
  readonly hanging: boolean;
  readonly segments: readonly DocxSegment[];
  /** Ids of the comments whose range runs on past the end of this paragraph. */
  readonly openAtEnd: readonly string[];
}

/** A comment from comments.xml. */
export interface DocxComment {
  readonly id: string;
  readonly author: string;
  readonly text: string;
}

/** Something in the package that was read only in part. */
export interface DocxPartProblem {
  readonly kind: "numbering" | "note" | "object" | "table";
  readonly paragraph: number;
  readonly message: string;
}

/** The readable content of a .docx package. */
export interface DocxContent {
  /** The document's description (`dc:description` in docProps/core.xml), or "". */
  readonly description: string;
  readonly paragraphs: readonly DocxParagraph[];
  readonly comments: ReadonlyMap<string, DocxComment>;
  readonly problems: readonly DocxPartProblem[];
}

interface Style {
  readonly name: string;
  readonly basedOn: string | null;
  readonly outlineLevel: number | null;
  readonly numId: string | null;
  readonly numLevel: number | null;
}

/**
 * Unzip a .docx and read its body, comments, numbering and styles. Throws a `RangeError`
 * when the bytes are not a zip or hold no `word/document.xml`: such a file is not a Word
 * document at all. Anything inside that is skipped is listed in `problems`.
 */
export async function readDocxParts(bytes: Uint8Array): Promise<DocxContent> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new RangeError(`Not a .docx (zip) file: ${(error as Error).message}`);
  }
  const part = async (path: string): Promise<XmlElement | null> => {
    const file = zip.file(path);
    return file ? parseXml(await file.async("string")) : null;
  };
  const document = await part("word/document.xml");
  if (!document) throw new RangeError("The file has no word/document.xml");
  const styles = readStyles(await part("word/styles.xml"));
  const numbering = readNumbering(await part("word/numbering.xml"));
  const comments = readComments(await part("word/comments.xml"));
  const core = await part("docProps/core.xml");
  const descriptionElement = core ? childElement(core, "dc:description") : null;
  const description = descriptionElement ? textContent(descriptionElement) : "";
  const body = childElement(document, "w:body");
  const walker = new BodyWalker(styles, numbering);
  if (body) walker.blocks(body, false);
  return { description, paragraphs: walker.paragraphs, comments, problems: walker.problems };
}

function readStyles(root: XmlElement | null): Map<string, Style> {
  const styles = new Map<string, Style>();
  if (!root) return styles;
  for (const style of childElements(root, "w:style")) {
    const id = style.attrs["w:styleId"];
    if (!id) continue;
    const pPr = childElement(style, "w:pPr");
    const numPr = pPr ? childElement(pPr, "w:numPr") : null;
    const outline = pPr ? childVal(pPr, "w:outlineLvl") : null;
    const ilvl = numPr ? childVal(numPr, "w:ilvl") : null;
    styles.set(id, {
      name: childVal(style, "w:name") ?? id,
      basedOn: childVal(style, "w:basedOn"),
      outlineLevel: outline === null ? null : Number(outline),
      numId: numPr ? childVal(numPr, "w:numId") : null,
      numLevel: ilvl === null ? null : Number(ilvl),
    });
  }
  return styles;
}

function readComments(root: XmlElement | null): Map<string, DocxComment> {
  const comments = new Map<string, DocxComment>();
  if (!root) return comments;
  for (const comment of childElements(root, "w:comment")) {
    const id = comment.attrs["w:id"] ?? "";
    const text = childElements(comment, "w:p")
      .map((p) => textContent(stripInstructions(p)))
      .join("\n")
      .trim();
    comments.set(id, { id, author: comment.attrs["w:author"] ?? "", text });
  }
  return comments;
}

// Field instructions (`w:instrText`) are codes such as "PAGE", not text a reader sees.
function stripInstructions(element: XmlElement): XmlElement {
  return {
    ...element,
    children: element.children
      .filter((c) => typeof c === "string" || c.name !== "w:instrText")
      .map((c) => (typeof c === "string" ? c : stripInstructions(c))),
  };
}

/** Walks the body in reading order, carrying open comment ranges across paragraphs. */
class BodyWalker {
  readonly paragraphs: DocxParagraph[] = [];
  readonly problems: DocxPartProblem[] = [];
  private readonly openComments = new Set<string>();
  private readonly counter: NumberingCounter;
  private segments: DocxSegment[] = [];
  private inField = false;

  constructor(
    private readonly styles: ReadonlyMap<string, Style>,
    numbering: Numbering,
  ) {
    this.counter = new NumberingCounter(numbering);
  }

  blocks(container: XmlElement, inTable: boolean): void {
    for (const child of childElements(container)) {
      switch (child.name) {
        case "w:p":
          this.paragraph(child, inTable);
          break;
        case "w:tbl": {
          const first = this.paragraphs.length + 1;
          this.problems.push({
            kind: "table",
            paragraph: first,
            message: `A table starting at paragraph ${first} is read cell by cell, row by row, as paragraphs`,
          });
          for (const row of childElements(child, "w:tr")) {
            for (const cell of childElements(row, "w:tc")) this.blocks(cell, true);
          }
          break;
        }
        case "w:sdt": {
          const content = childElement(child, "w:sdtContent");
          if (content) this.blocks(content, inTable);
          break;
        }
        case "w:commentRangeStart":
        case "w:commentRangeEnd":
          this.commentBoundary(child);
          break;
        default:
          break;
      }
    }
  }

  private paragraph(p: XmlElement, inTable: boolean): void {
    const index = this.paragraphs.length + 1;
    const pPr = childElement(p, "w:pPr");
    const styleId = (pPr && childVal(pPr, "w:pStyle")) ?? "Normal";
    const style = this.styles.get(styleId);
    const styleName = style?.name ?? styleId;
    const outline = (pPr && childVal(pPr, "w:outlineLvl")) ?? null;
    const headingLevel = this.headingLevel(styleId, outline === null ? null : Number(outline));
    const numPr = pPr ? childElement(pPr, "w:numPr") : null;
    let numId = numPr ? childVal(numPr, "w:numId") : null;
    let level = numPr ? Number(childVal(numPr, "w:ilvl") ?? 0) : 0;
    if (numId === null) {
      const inherited = this.styleNumbering(styleId);
      if (inherited) ({ numId, level } = inherited);
    }
    let numbering: DocxNumbering | null = null;
    if (numId && numId !== "0") {
      numbering = this.counter.next(numId, level);
      if (!numbering) {
        this.problems.push({
          kind: "numbering",
          paragraph: index,
          message: `Paragraph ${index} uses Word numbering ${numId} (level ${level}), which numbering.xml does not define; its label is lost`,
        });
      }
    }
    const ind = pPr ? childElement(pPr, "w:ind") : null;
    const indentLeft = Number(ind?.attrs["w:left"] ?? ind?.attrs["w:start"] ?? 0) || 0;
    const hanging = Number(ind?.attrs["w:hanging"] ?? 0) > 0;
    this.segments = [];
    this.inline(p, null, null, index);
    this.paragraphs.push({
      index,
      styleId,
      styleName,
      headingLevel,
      numbering,
      inTable,
      indentLeft,
      hanging,
      segments: mergeSegments(this.segments),
      openAtEnd: [...this.openComments],
    });
  }

  private headingLevel(styleId: string, outline: number | null): number {
    if (outline !== null && outline < 9) return outline + 1;
    let id: string | null = styleId;
    for (let depth = 0; id && depth < 10; depth++) {
      const style = this.styles.get(id);
      const name = style?.name ?? id;
      const match = /^(?:heading|标题)\s*(\d)$/i.exec(name) ?? /^Heading(\d)$/.exec(id);
      if (match) return Number(match[1]);
      if (/^title$/i.test(name)) return 1;
      if (style?.outlineLevel !== null && style?.outlineLevel !== undefined) {
        if (style.outlineLevel < 9) return style.outlineLevel + 1;
      }
      id = style?.basedOn ?? null;
    }
    return 0;
  }

  private styleNumbering(styleId: string): { numId: string; level: number } | null {
    let id: string | null = styleId;
    for (let depth = 0; id && depth < 10; depth++) {
      const style = this.styles.get(id);
      if (style?.numId) return { numId: style.numId, level: style.numLevel ?? 0 };
      id = style?.basedOn ?? null;
    }
    return null;
  }

  private commentBoundary(element: XmlElement): void {
    const id = element.attrs["w:id"] ?? "";
    if (element.name === "w:commentRangeStart") this.openComments.add(id);
    else this.openComments.delete(id);
  }

  private inline(
    element: XmlElement,
    ins: DocxRevision | null,
    del: DocxRevision | null,
    index: number,
  ): void {
    for (const child of childElements(element)) {
      switch (child.name) {
        case "w:pPr":
          break;
        case "w:r":
          this.run(child, ins, del, index);
          break;
        case "w:ins":
        case "w:moveTo":
          this.inline(child, revision(child), del, index);
          break;
        case "w:del":
        case "w:moveFrom":
          this.inline(child, ins, revision(child), index);
          break;
        case "w:commentRangeStart":
        case "w:commentRangeEnd":
          this.commentBoundary(child);
          break;
        case "w:hyperlink":
        case "w:smartTag":
        case "w:fldSimple":
        case "w:customXml":
        case "w:dir":
        case "w:bdo":
          this.inline(child, ins, del, index);
          break;
        case "w:sdt": {
          const content = childElement(child, "w:sdtContent");
          if (content) this.inline(content, ins, del, index);
          break;
        }
        case "m:oMath":
        case "m:oMathPara":
          this.problems.push({
            kind: "object",
            paragraph: index,
            message: `Paragraph ${index} holds an equation, read as its plain text`,
          });
          this.push(textContent(child), ins, del);
          break;
        default:
          break;
      }
    }
  }

  private run(r: XmlElement, ins: DocxRevision | null, del: DocxRevision | null, index: number) {
    for (const child of childElements(r)) {
      switch (child.name) {
        case "w:t":
        case "w:delText":
          if (!this.inField) this.push(textContent(child), ins, del);
          break;
        case "w:tab":
          this.push("\t", ins, del);
          break;
        case "w:br":
        case "w:cr":
          this.push(" ", ins, del);
          break;
        case "w:noBreakHyphen":
          this.push("-", ins, del);
          break;
        case "w:fldChar": {
          // Between "begin" and "separate" lies the field code; the result follows it.
          const type = child.attrs["w:fldCharType"];
          if (type === "begin") this.inField = true;
          else this.inField = false;
          break;
        }
        case "w:footnoteReference":
        case "w:endnoteReference":
          this.problems.push({
            kind: "note",
            paragraph: index,
            message: `Paragraph ${index} has a ${child.name === "w:footnoteReference" ? "footnote" : "endnote"} (${child.attrs["w:id"] ?? "?"}) whose text is not imported`,
          });
          break;
        case "w:drawing":
        case "w:pict":
        case "w:object":
          this.problems.push({
            kind: "object",
            paragraph: index,
            message: `Paragraph ${index} has a picture or object, which is not imported`,
          });
          break;
        default:
          break;
      }
    }
  }

  private push(text: string, ins: DocxRevision | null, del: DocxRevision | null): void {
    if (!text) return;
    this.segments.push({ text, ins, del, comments: [...this.openComments] });
  }
}

function revision(element: XmlElement): DocxRevision {
  return {
    id: element.attrs["w:id"] ?? "",
    author: element.attrs["w:author"] ?? "",
    date: element.attrs["w:date"] ?? null,
  };
}

function sameTags(a: DocxSegment, b: DocxSegment): boolean {
  return (
    a.ins?.id === b.ins?.id &&
    a.del?.id === b.del?.id &&
    a.comments.length === b.comments.length &&
    a.comments.every((c, i) => c === b.comments[i])
  );
}

// Word splits text into many runs for spelling marks and rsids; join runs that carry the
// same change and comments so that each proposal is one piece.
function mergeSegments(segments: readonly DocxSegment[]): DocxSegment[] {
  const merged: DocxSegment[] = [];
  for (const segment of segments) {
    const last = merged[merged.length - 1];
    if (last && sameTags(last, segment)) {
      merged[merged.length - 1] = { ...last, text: last.text + segment.text };
    } else {
      merged.push(segment);
    }
  }
  return merged;
}
