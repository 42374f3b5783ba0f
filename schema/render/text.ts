import type { Draft } from "../draft.ts";
import {
  type AgreementNote,
  type RenderedBlock,
  type Rendering,
  type RenderOptions,
  type Run,
  renderDraft,
  runText,
} from "./rendering.ts";

// The plain-text writer. Its layout is what `readAnnotatedText` reads back, so it is a
// small grammar (see annotated-reader.ts): a header paragraph, then one block per line with
// blank lines between, option contents indented by four spaces per level, and a chair's
// alternative framed by an opening line with its label and a closing line.

/** The indentation of one level of options. */
export const indentUnit = "    ";

/**
 * Write `draft` as plain text in `options.mode` and `options.lang`. It cannot fail on a
 * valid draft; a draft whose marks lack registry entries throws a `RangeError` from the
 * rendering.
 */
export function writeText(draft: Draft, options: RenderOptions): string {
  return renderingToText(renderDraft(draft, options));
}

/** Write an already computed rendering as plain text. */
export function renderingToText(rendering: Rendering): string {
  const { meta, lang } = rendering;
  const header: string[] = [];
  const symbol = [meta.symbol, meta.revision].filter(Boolean).join(" ");
  if (symbol) header.push(symbol);
  header.push(meta.originalLine);
  if (meta.dateLine) header.push(meta.dateLine);
  if (meta.title) header.push(meta.title);
  const body: string[] = [];
  writeBlocks(rendering.blocks, 0, lang === "zh" ? "：" : ":", body);
  return `${[header.join("\n"), ...body].join("\n\n")}\n`;
}

function runsText(runs: readonly Run[]): string {
  return runs.map(runText).join("");
}

function line(...parts: (string | null)[]): string {
  return parts.filter((part): part is string => Boolean(part)).join(" ");
}

function note(agreement: AgreementNote | null): string | null {
  return agreement ? agreement.text : null;
}

function writeBlocks(
  blocks: readonly RenderedBlock[],
  level: number,
  colon: string,
  out: string[],
): void {
  const indent = indentUnit.repeat(level);
  for (const block of blocks) {
    switch (block.type) {
      case "heading":
        out.push(indent + line(block.label, runsText(block.runs), note(block.agreement)));
        break;
      case "paragraph":
        out.push(
          indent +
            line(
              block.label ? `${block.label}.` : null,
              runsText(block.runs),
              note(block.agreement),
            ),
        );
        break;
      case "list":
        for (const item of block.items) {
          out.push(indent + line(item.label, runsText(item.runs), note(item.agreement)));
        }
        break;
      case "options":
        for (const option of block.options) {
          out.push(indent + option.label + colon);
          writeBlocks(option.blocks, level + 1, colon, out);
        }
        break;
      case "chairFrame":
        out.push(indent + block.glyphs.open + block.label);
        writeBlocks(block.blocks, level, colon, out);
        out.push(indent + block.glyphs.close);
        break;
      default: {
        const never: never = block;
        throw new RangeError(`Unknown block ${JSON.stringify(never)}`);
      }
    }
  }
}
