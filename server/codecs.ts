import type { Draft } from "../schema/draft.ts";
import { newId } from "../schema/ids.ts";
import { emptyRegistry } from "../schema/registry.ts";
import { schema } from "../schema/schema.ts";

// The server's door to the model's text codecs (schema/import, schema/render/text.ts). They
// are written in parallel with the server; until they land the server still starts: a text
// draft is read as plain paragraphs and a text export lists paragraphs without brackets.
// Once they exist the real ones are used, found by module path at first use.

/** One thing the reader could not make sense of, as the importer reports it. */
export interface ImportProblem {
  readonly message: string;
}

/** How an export treats brackets and names (DESIGN §6). */
export type ExportMode = "annotated" | "unattributed" | "clean";

/** The languages exports are written in. */
export type ExportLang = "zh" | "en";

type ImportText = (text: string) => { draft: Draft; problems: readonly ImportProblem[] };
type WriteText = (draft: Draft, options: { mode: ExportMode; lang: ExportLang }) => string;

async function importFirst<T>(specifiers: readonly string[], name: string): Promise<T | null> {
  for (const specifier of specifiers) {
    try {
      const module = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
      if (typeof module[name] === "function") return module[name] as T;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A codec that exists but fails to load is a bug to report, not a reason to fall back.
      if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    }
  }
  return null;
}

let importer: Promise<ImportText | null> | null = null;
let writer: Promise<WriteText | null> | null = null;

/**
 * Read a plain-text draft into a Draft, with the problems the reader found. Uses the model's
 * importer when present, otherwise one paragraph per non-empty line.
 */
export async function readTextDraft(
  text: string,
): Promise<{ draft: Draft; problems: readonly ImportProblem[] }> {
  importer ??= importFirst<ImportText>(
    ["../schema/import/index.ts", "../schema/import/text.ts", "../schema/import.ts"].map(
      (p) => new URL(p, import.meta.url).href,
    ),
    "importText",
  );
  const importText = await importer;
  if (importText) return importText(text);
  return { draft: plainDraft(text), problems: [] };
}

/**
 * Write a draft as plain text in `mode` and `lang`. Uses the model's text writer when
 * present, otherwise the paragraphs' text as it stands.
 */
export async function writeTextDraft(
  draft: Draft,
  options: { mode: ExportMode; lang: ExportLang },
): Promise<string> {
  writer ??= importFirst<WriteText>(
    ["../schema/render/text.ts", "../schema/render/index.ts"].map(
      (p) => new URL(p, import.meta.url).href,
    ),
    "writeText",
  );
  const writeText = await writer;
  if (writeText) return writeText(draft, options);
  const blocks: string[] = [];
  draft.doc.descendants((node) => {
    if (!node.isTextblock) return true;
    blocks.push(node.textContent);
    return false;
  });
  return `${blocks.join("\n\n")}\n`;
}

function plainDraft(text: string): Draft {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const paragraphs = (lines.length > 0 ? lines : [""]).map((line) =>
    schema.node(
      "paragraph",
      { id: newId("p"), numbering: "none" },
      line ? schema.text(line) : undefined,
    ),
  );
  return { doc: schema.node("doc", null, paragraphs), registry: emptyRegistry };
}
