// The rendering flattened into lines, the shape the DOCX, HTML and Markdown writers lay out:
// one line per heading, paragraph or item, plus the label lines of options and chair's
// frames. Writers differ only in how a line looks, never in which lines there are.

import type { ExportMode, RenderedBlock, Run } from "../render/rendering.ts";
import type { Lang } from "../render/words.ts";

/** One line of a laid-out rendering. */
export type Line =
  | {
      readonly kind: "heading" | "paragraph" | "item";
      readonly id: string;
      /** "A.", "12.", "(a)", or null for an unnumbered paragraph. */
      readonly label: string | null;
      readonly runs: readonly Run[];
      /** The agreement note ("[Agreed ad ref]") printed after the runs, or "". */
      readonly suffix: string;
      /** Nesting depth in options, 0 at the top. */
      readonly indent: number;
      readonly inChairFrame: boolean;
    }
  | {
      /** An option's label ("Option 1"), or a chair's frame's opening glyph and label. */
      readonly kind: "option" | "frameLabel";
      readonly id: string;
      readonly text: string;
      readonly indent: number;
      readonly inChairFrame: boolean;
    }
  | {
      /** The closing glyph of a chair's frame. */
      readonly kind: "frameClose";
      readonly id: string;
      readonly text: string;
      readonly indent: number;
      readonly inChairFrame: boolean;
    };

/** The label of a numbered paragraph as printed: "12." for the number "12". */
export function paragraphLabel(label: string | null): string | null {
  return label ? `${label}.` : null;
}

/** Flatten blocks into lines, in document order. */
export function blockLines(
  blocks: readonly RenderedBlock[],
  lang: Lang,
  indent = 0,
  inChairFrame = false,
): Line[] {
  const lines: Line[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "heading":
        lines.push({
          kind: "heading",
          id: block.id,
          label: block.label || null,
          runs: block.runs,
          suffix: block.agreement?.text ?? "",
          indent,
          inChairFrame,
        });
        break;
      case "paragraph":
        lines.push({
          kind: "paragraph",
          id: block.id,
          label: paragraphLabel(block.label),
          runs: block.runs,
          suffix: block.agreement?.text ?? "",
          indent,
          inChairFrame,
        });
        break;
      case "list":
        for (const item of block.items) {
          lines.push({
            kind: "item",
            id: item.id,
            label: item.label,
            runs: item.runs,
            suffix: item.agreement?.text ?? "",
            indent,
            inChairFrame,
          });
        }
        break;
      case "options":
        for (const option of block.options) {
          const text = option.label + (lang === "zh" ? "：" : ":");
          lines.push({ kind: "option", id: option.id, text, indent, inChairFrame });
          lines.push(...blockLines(option.blocks, lang, indent + 1, inChairFrame));
        }
        break;
      case "chairFrame":
        lines.push({
          kind: "frameLabel",
          id: block.id,
          text: block.glyphs.open + block.label,
          indent,
          inChairFrame: true,
        });
        lines.push(...blockLines(block.blocks, lang, indent, true));
        lines.push({
          kind: "frameClose",
          id: block.id,
          text: block.glyphs.close,
          indent,
          inChairFrame: true,
        });
        break;
      default: {
        const never: never = block;
        throw new RangeError(`Unknown block ${JSON.stringify(never)}`);
      }
    }
  }
  return lines;
}

const modeTitles: Record<Lang, Record<ExportMode, string>> = {
  en: {
    annotated: "Annotated text, with proposers and positions",
    unattributed: "Compilation text, without attributions",
    clean: "Clean text",
  },
  zh: {
    annotated: "附注释案文（含提案方和立场）",
    unattributed: "汇编案文（不注明提案方）",
    clean: "清洁案文",
  },
};

/** The line under the title saying which version this is. */
export function modeTitle(mode: ExportMode, lang: Lang): string {
  return modeTitles[lang][mode];
}
