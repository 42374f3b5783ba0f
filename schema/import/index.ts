// The tolerant reader for drafts written outside Parley (extracted from a PDF, typed as
// plain text or Markdown): `importText` turns such a text into a Draft and says where it
// could not make sense of it, rather than guessing silently.

import type { Draft } from "../draft.ts";
import { pairBrackets } from "./brackets.ts";
import { buildDraft } from "./build.ts";
import { type ImportProblem, readSource, textOf } from "./source.ts";
import { type Block, classifyBlock, readFrontMatter } from "./structure.ts";

export type { ImportProblem } from "./source.ts";

/** A draft read from text, and what the reader could not make sense of. */
export interface ImportResult {
  readonly draft: Draft;
  readonly problems: ImportProblem[];
}

/**
 * Read a draft written elsewhere. Recognises the document's symbol and title, section
 * headings, numbered paragraphs, list items, options, brackets with their nesting,
 * proposers and positions (in Chinese and English conventions), statements from the floor,
 * alternative wordings, chair's alternative texts with the paragraphs they replace, and
 * chair's notes. Block ids are "p1", "h1", "i1" …, bracket ids "b1" …, in reading order, so
 * the same text always gives the same draft. Never throws on text: brackets left
 * unmatched and references it cannot resolve are listed in `problems`, sorted by line and
 * column.
 */
export function importText(text: string): ImportResult {
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}${n}`;
  };
  const source = readSource(text);
  const blocks: Block[] = [];
  for (const raw of source.blocks) blocks.push(classifyBlock(raw, blocks.at(-1)?.shape ?? null));
  const front = readFrontMatter(blocks, text);
  const bracketed = pairBrackets(blocks, nextId);
  const problems = [...bracketed.problems];
  const draft = buildDraft(
    {
      blocks,
      bracketed,
      comments: source.comments,
      meta: front.meta,
      consumed: front.consumed,
      nextId,
    },
    problems,
  );
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { draft, problems };
}

/** The plain text of classified blocks, for debugging an import. */
export function blockTexts(text: string): string[] {
  return readSource(text).blocks.map((b) => textOf(b.chars));
}
