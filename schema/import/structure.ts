// What kind of block each logical block of an imported draft is: a section heading, a
// numbered paragraph, a list item, the start of an option, or plain text; and the facts
// about the document (symbol, title, language) found in its front matter.

import type { DraftMeta } from "../registry.ts";
import type { ListStyle } from "../schema.ts";
import { type LocChar, type RawBlock, textOf } from "./source.ts";

/** The shape of a block, read from its label. */
export type BlockShape =
  | { readonly type: "heading"; readonly label: string }
  | {
      readonly type: "paragraph";
      readonly numbering: "numbered" | "inserted" | "none";
      /** The number as the source wrote it ("12", "3bis"), or null. */
      readonly source: string | null;
    }
  | { readonly type: "item"; readonly style: ListStyle }
  | {
      readonly type: "option";
      /** "Option 1", "Option (a)". */
      readonly label: string;
      /** Options of one series ("1, 2, 3" or "(a), (b)") compete for the same slot. */
      readonly series: "number" | "letter";
      /** Whether the option stands for a numbered paragraph ("3. Option 1:"). */
      readonly numbered: boolean;
    };

/** A classified block: its shape and its text without the label. */
export interface Block {
  readonly shape: BlockShape;
  /** The block's text after its label (number, bullet, "Option 1:"). */
  readonly chars: LocChar[];
  readonly line: number;
  readonly indent: number;
}

const numbered = /^([[［]\s*)?(\d+)(bis|ter|quater|quinquies)?\.(?!\d)\s*/;
const bullet = /^[•·●▪\uf0b7\uf0a7\uf076\uf0d8]\s*/;
const dash = /^[−–-]\s+/;
const listLabel = /^\((?:([a-z]{1,3})|(\d{1,2}))\)\s*/;
const heading = /^((?:[A-Z]|[IVX]{1,5})\.)\s+(?=\S)/;
const markdownHeading = /^#{1,6}\s+/;
const option =
  /^(?:(\d+)\.\s*)?(?:\d+\.\d+\s+)?(?:\*\*)?Option\s+(\(?(?:\d{1,2}|[a-z]{1,2})\)?)\s*:?(?:\*\*)?(?:\s+|$)/;
const romanItem = /^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)$/;

// Between two Chinese characters a space is an artefact of the PDF's letter spacing
// ("对 象"); in headings, where it is most common, it is taken out.
function closeCjkGaps(chars: LocChar[]): LocChar[] {
  const isCjk = (c: LocChar | undefined) => !!c && /[\u4e00-\u9fff]/.test(c.ch);
  return chars.filter((c, i) => !(c.ch === " " && isCjk(chars[i - 1]) && isCjk(chars[i + 1])));
}

function headingLike(text: string): boolean {
  return text.length <= 120 && !/[。；;]$/.test(text);
}

/**
 * Classify one block by its label and return it with the label taken off. A bracket
 * written before a paragraph number ("[1. …") stays in the text, in front of it. Markdown
 * emphasis asterisks are dropped everywhere: drafts pasted from Markdown carry them around
 * words and brackets alike ("*[Taking* account").
 */
export function classifyBlock(raw: RawBlock, previous: BlockShape | null): Block {
  let chars = raw.chars.filter((c) => c.ch !== "*");
  const text = textOf(chars);
  const cut = (from: number, to: number) => chars.slice(0, from).concat(chars.slice(to));
  const base = { line: raw.line, indent: raw.indent };

  const opt = option.exec(text);
  if (opt) {
    const label = opt[2]!;
    const series = /\d/.test(label) ? "number" : "letter";
    const bare = label.replace(/[()]/g, "");
    return {
      ...base,
      shape: {
        type: "option",
        label: series === "letter" ? `Option (${bare})` : `Option ${bare}`,
        series,
        numbered: opt[1] !== undefined,
      },
      chars: chars.slice(opt[0].length),
    };
  }
  const num = numbered.exec(text);
  if (num) {
    const bracket = num[1] ? num[1].length : 0;
    return {
      ...base,
      shape: {
        type: "paragraph",
        numbering: num[3] ? "inserted" : "numbered",
        source: `${num[2]}${num[3] ?? ""}`,
      },
      chars: cut(bracket, num[0].length),
    };
  }
  const md = markdownHeading.exec(text);
  if (md) {
    return { ...base, shape: { type: "heading", label: "" }, chars: chars.slice(md[0].length) };
  }
  const head = heading.exec(text);
  if (head && headingLike(text)) {
    chars = closeCjkGaps(chars.slice(head[0].length));
    return { ...base, shape: { type: "heading", label: head[1]! }, chars };
  }
  for (const [pattern, style] of [
    [bullet, "bullet"],
    [dash, "dash"],
  ] as const) {
    const m = pattern.exec(text);
    if (m) return { ...base, shape: { type: "item", style }, chars: chars.slice(m[0].length) };
  }
  const item = listLabel.exec(text);
  if (item) {
    let style: ListStyle = item[2] ? "decimal" : "alpha";
    // "(i)" is roman when it starts a list or continues a roman one, alphabetic after (h).
    const letters = item[1] ?? "";
    const prevRoman = previous?.type === "item" && previous.style === "roman";
    if (
      romanItem.test(letters) &&
      (prevRoman || letters === "i") &&
      !(letters === "i" && previous?.type === "item" && previous.style === "alpha")
    ) {
      style = "roman";
    }
    return { ...base, shape: { type: "item", style }, chars: chars.slice(item[0].length) };
  }
  return { ...base, shape: { type: "paragraph", numbering: "none", source: null }, chars };
}

const symbolPattern = /(?:^|\s)((?:[A-Z]{1,8}|-)\/[A-Z0-9./-]*[A-Z0-9])(?=\s|$)/;
const datePattern = /^(?:日期|Date)\s*[:：]\s*(.+)$/;
// "原文：英文", "Original: English": the language the document was written in. DraftMeta has
// no field for it, and the writers print the draft's own "原文" line from its language.
const originalPattern = /^(?:原文|Original)\s*[:：]\s*\S.{0,30}$/i;
const titlePattern =
  /(职权范围|初稿|草案|案文|^Draft\b|^Elements\b|^Matters\b|^Terms of reference)/i;

/** The document facts found in the front matter, and the blocks they came from. */
export interface FrontMatter {
  readonly meta: DraftMeta;
  /**
   * Indices of blocks taken out of the body: those that only carried a fact now in `meta`
   * (symbol, title, date) and the front-matter lines in `lines`.
   */
  readonly consumed: ReadonlySet<number>;
  /** Front-matter lines with no field in `meta` ("原文：英文"), as the source gave them. */
  readonly lines: readonly string[];
}

/**
 * Read the symbol ("WO/PBC/34/15", "-/CMA.6"), title and date from the blocks before the
 * first heading or numbered paragraph, and guess the language from the share of Chinese
 * characters. Missing facts stay empty strings. The line naming the original language
 * ("原文：英文", "Original: English") is taken out of the body into `lines`.
 */
export function readFrontMatter(blocks: readonly Block[], fullText: string): FrontMatter {
  const consumed = new Set<number>();
  let symbol = "";
  let title = "";
  let date = "";
  const lines: string[] = [];
  for (let i = 0; i < blocks.length && i < 12; i++) {
    const block = blocks[i]!;
    if (block.shape.type !== "paragraph" || block.shape.numbering !== "none") break;
    const text = textOf(block.chars).trim();
    if (/^[[［]/.test(text) && !/^[[［](?:English|French|Spanish) only[\]］]$/i.test(text)) break;
    const sym = symbolPattern.exec(text);
    if (!symbol && sym && text.length <= 40) {
      symbol = sym[1]!;
      consumed.add(i);
      continue;
    }
    if (lines.length === 0 && originalPattern.test(text)) {
      lines.push(text);
      consumed.add(i);
      continue;
    }
    const d = datePattern.exec(text);
    if (!date && d) {
      date = d[1]!.trim();
      consumed.add(i);
      continue;
    }
    if (!title && titlePattern.test(text) && text.length <= 200) {
      title = text;
      consumed.add(i);
    }
  }
  const han = (fullText.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const lang = han > fullText.length * 0.2 ? "zh" : "en";
  return { meta: { symbol, title, lang, revision: "", date }, consumed, lines };
}
