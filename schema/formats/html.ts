// The HTML writer: a rendering as a standalone page that prints on A4 the way the DOCX
// export looks — symbol, original language and date at the top right, title, numbered
// paragraphs with hanging labels, literal brackets with the names and positions set off in
// italics, chair's texts in a ruled box under their label, page numbers in the margin.

import type { Rendering, Run } from "../render/rendering.ts";
import { blockLines, type Line, modeTitle } from "./layout.ts";

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

const style = `
@page { size: A4; margin: 2.5cm 2.5cm 2.5cm 2.5cm;
  @bottom-left { content: var(--symbol); font-size: 9pt; color: #595959; }
  @bottom-center { content: counter(page); font-size: 9pt; color: #595959; }
  @bottom-right { content: var(--date); font-size: 9pt; color: #595959; } }
html { font-family: Arial, "Liberation Sans", "Noto Sans CJK SC", sans-serif; font-size: 11pt; line-height: 1.4; }
html:lang(zh) { font-family: Arial, SimSun, "Noto Serif CJK SC", serif; }
body { max-width: 16cm; margin: 2cm auto; color: #000; }
header.doc { text-align: right; border-bottom: 1px solid #000; padding-bottom: 0.4em; margin-bottom: 2em; }
header.doc .symbol { font-weight: bold; font-size: 14pt; }
h1.title { text-align: center; font-size: 14pt; margin: 0 0 0.6em; }
p.mode { text-align: center; font-style: italic; color: #595959; margin-bottom: 2em; }
h2 { font-size: 11pt; font-weight: bold; margin: 1.2em 0 0.8em; page-break-after: avoid; }
html:lang(zh) h2 { font-family: SimHei, "Noto Sans CJK SC", sans-serif; }
p { margin: 0 0 0.8em; text-align: justify; }
.label { display: inline-block; min-width: 1cm; }
p.item { padding-left: 2cm; text-indent: -1cm; }
p.item .label { text-indent: 0; }
p.option { font-weight: bold; page-break-after: avoid; }
.glyph { font-weight: bold; }
.annotation { font-style: italic; color: #1f4e79; }
html:lang(zh) .annotation { font-style: normal; }
.agreement { font-style: italic; color: #1f4e79; }
.chair-label { font-weight: bold; }
div.chair { border: 1px solid #404040; padding: 0.4em 0.6em; margin: 0 0 0.8em; page-break-inside: avoid; }
div.chair > p:last-child { margin-bottom: 0; }
@media print { body { margin: 0; max-width: none; } }
`;

/**
 * Write a rendering as a complete HTML page (UTF-8, with print styles for A4). It cannot
 * fail; all draft text is escaped.
 */
export function writeHtml(rendering: Rendering): string {
  const { meta, lang } = rendering;
  const symbol = [meta.symbol, meta.revision].filter(Boolean).join(" ");
  const head = [
    `<header class="doc">`,
    symbol ? `<div class="symbol">${escapeHtml(symbol)}</div>` : "",
    `<div>${escapeHtml(meta.originalLine)}</div>`,
    meta.dateLine ? `<div>${escapeHtml(meta.dateLine)}</div>` : "",
    `</header>`,
    meta.title ? `<h1 class="title">${escapeHtml(meta.title)}</h1>` : "",
    `<p class="mode">${escapeHtml(modeTitle(rendering.mode, lang))}</p>`,
  ].filter(Boolean);
  const pageVars = `--symbol: "${cssString(symbol)}"; --date: "${cssString(meta.date)}";`;
  return [
    "<!DOCTYPE html>",
    `<html lang="${lang === "zh" ? "zh-CN" : "en"}">`,
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(symbol || meta.title || "Draft")}</title>`,
    `<style>:root { ${pageVars} }${style}</style>`,
    "</head>",
    `<body data-mode="${rendering.mode}">`,
    ...head,
    ...bodyHtml(blockLines(rendering.blocks, lang)),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function cssString(text: string): string {
  return text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, " ");
}

function bodyHtml(lines: readonly Line[]): string[] {
  const out: string[] = [];
  let frame: string | null = null;
  for (const line of lines) {
    if (line.kind === "frameLabel" && frame === null) {
      frame = line.id;
      out.push(`<div class="chair" data-chair="${escapeHtml(line.id)}">`);
    }
    out.push(lineHtml(line));
    if (line.kind === "frameClose" && frame === line.id) {
      out.push("</div>");
      frame = null;
    }
  }
  return out;
}

function indentStyle(indent: number, item: boolean): string {
  if (indent === 0) return "";
  const left = indent + (item ? 2 : 0);
  return ` style="margin-left: ${indent}cm${item ? `; padding-left: ${left - indent}cm` : ""}"`;
}

function lineHtml(line: Line): string {
  switch (line.kind) {
    case "heading":
    case "paragraph":
    case "item": {
      const label = line.label ? `<span class="label">${escapeHtml(line.label)}</span> ` : "";
      const runs = line.runs.map(runHtml).join("");
      const note = line.suffix
        ? `${runs ? " " : ""}<span class="agreement">${escapeHtml(line.suffix)}</span>`
        : "";
      const id = ` id="${escapeHtml(line.id)}"`;
      const tag = line.kind === "heading" ? "h2" : "p";
      const cls = line.kind === "item" ? ' class="item"' : "";
      return `<${tag}${id}${cls}${indentStyle(line.indent, line.kind === "item")}>${label}${runs}${note}</${tag}>`;
    }
    case "option":
      return `<p class="option"${indentStyle(line.indent, false)}>${escapeHtml(line.text)}</p>`;
    case "frameLabel":
      return `<p class="chair-label">${escapeHtml(line.text)}</p>`;
    case "frameClose":
      return `<p class="chair-close"><span class="glyph">${escapeHtml(line.text)}</span></p>`;
    default: {
      const never: never = line;
      throw new RangeError(`Unknown line ${JSON.stringify(never)}`);
    }
  }
}

function runHtml(run: Run): string {
  switch (run.type) {
    case "text":
      return escapeHtml(run.text);
    case "open":
      return `<span class="glyph" data-depth="${run.depth}">${escapeHtml(run.glyph)}</span>${escapeHtml(run.quote)}`;
    case "close": {
      const annotation = run.annotation
        ? `<span class="annotation">${escapeHtml(run.annotation.separator + run.annotation.text)}</span>`
        : "";
      return `${escapeHtml(run.quote)}${annotation}<span class="glyph" data-depth="${run.depth}">${escapeHtml(run.glyph)}</span>`;
    }
    case "chairOpen":
      return `<span class="glyph">${escapeHtml(run.glyph)}</span><span class="chair-label">${escapeHtml(run.label)}</span> `;
    case "chairClose":
      return `<span class="glyph">${escapeHtml(run.glyph)}</span>`;
    default: {
      const never: never = run;
      throw new RangeError(`Unknown run ${JSON.stringify(never)}`);
    }
  }
}
