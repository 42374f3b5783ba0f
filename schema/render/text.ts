import type { Draft } from "../draft.ts";
import type { DraftMeta } from "../registry.ts";
import {
  type AgreementNote,
  type RenderedBlock,
  type Rendering,
  type RenderOptions,
  type Run,
  renderDraft,
  runText,
} from "./rendering.ts";
import { datePrefix, type Lang, readOriginal } from "./words.ts";

// The plain-text writer. Its layout is what `readAnnotatedText` reads back: a header
// paragraph, then one block per line with blank lines between, option contents indented by
// four spaces per level, and a chair's alternative framed by an opening line with its label
// and a closing line.
//
// Grammar (one block per line, blank lines between blocks):
//   text       := header "\n\n" block ("\n\n" block)* "\n"
//   header     := [symbol [" " revision]] "\n" original ["\n" date] ["\n" title]
//   original   := "原文：中文" | "原文：英文" | "Original: Chinese" | "Original: English"
//   block      := indent (frameOpen | frameClose | option | heading | paragraph | item)
//   indent     := "    " per level of options
//   heading    := "A." [" " inline] [" " agreement]
//   paragraph  := [number "."] " " inline [" " agreement]    number := "12" | "3bis" | …
//   item       := ("(a)" | "(1)" | "(i)" | "•" | "–") " " inline [" " agreement]
//   option     := label (":" | "：")   then its blocks one indent deeper
//   frameOpen  := ("[" | "〔" | "{") chairLabel     frameClose := "]" | "〕" | "}"
//   chairLabel := "主席的替代案文，代替第 12、13段：" | "Chair's alternative text, replacing
//                 paras 12, 13:" | "…, adopted:" (words.ts)
//   agreement  := "[Agreed]" | "[Agreed ad ref]" | "[已商定]" | "[已商定，待确认]"
//   inline     := (words | bracket | "[" chairLabel " " inline "]")*
//   bracket    := "[" inline "]" | "[" quote inline quote separator annotation "]"
//   annotation := [proposal ";"] position (";" position)*       (annotation.ts, words.ts)
//   proposal   := names | names ": delete" | names " proposes replacement" | names
//                 " proposes alternative wording" [" of para 9" | " of item (b)"] |
//                 "deletion proposed by " names | "proposed by " names | "proposer unknown"
//   position   := party [" on behalf of the " group] [" (entered by the Secretariat)"]
//                 ": " stance [" \"" words "\""]        (replace with "…", comment "…")
//   words      := any text; its own square brackets are shown full-width, ［ ］
// Chinese uses “ ”, "——", "；", "、", "：" and "代表" in place of the English punctuation.

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

const revisionPattern = /^Rev\.\S*$/;

/**
 * Read the header `renderingToText` writes: the draft's facts and the language the text is
 * in. Null when the lines hold no "原文：…" / "Original: …" line, which every header has.
 */
export function readHeader(lines: readonly string[]): { meta: DraftMeta; lang: Lang } | null {
  const at = lines.findIndex((line) => readOriginal(line) !== null);
  if (at < 0) return null;
  const { original, lang } = readOriginal(lines[at]!)!;
  let symbol = "";
  let revision = "";
  if (at > 0) {
    const words = lines[0]!.split(" ");
    const last = words[words.length - 1]!;
    if (revisionPattern.test(last)) {
      revision = last;
      symbol = words.slice(0, -1).join(" ");
    } else {
      symbol = lines[0]!;
    }
  }
  let date = "";
  let title = "";
  for (const line of lines.slice(at + 1)) {
    if (line.startsWith(datePrefix(lang)) && !date) date = line.slice(datePrefix(lang).length);
    else title = line;
  }
  return { meta: { symbol, revision, title, date, lang: original }, lang };
}
