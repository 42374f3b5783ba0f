// The tolerant reader for drafts written outside Parley (extracted from a PDF, typed as
// plain text or Markdown): `importText` turns such a text into a Draft and says where it
// could not make sense of it, rather than guessing silently.

import type { Draft } from "../draft.ts";
import { pairBrackets } from "./brackets.ts";
import { buildDraft } from "./build.ts";
import { type ImportProblem, readSource } from "./source.ts";
import { type Block, classifyBlock, readFrontMatter } from "./structure.ts";

export type { ImportProblem } from "./source.ts";

/** A draft read from text, and what the reader could not make sense of. */
export interface ImportResult {
  readonly draft: Draft;
  readonly problems: ImportProblem[];
  /**
   * Front-matter lines kept out of the body that the draft's meta has no field for, as the
   * source wrote them (the original-language line "原文：英文"); empty when there are none.
   */
  readonly frontMatter: string[];
}

/**
 * Read a draft written elsewhere. Recognises the document's symbol and title, section
 * headings, numbered paragraphs, list items, options, brackets with their nesting,
 * proposers and positions (in Chinese and English conventions), statements from the floor,
 * alternative wordings, chair's alternative texts with the paragraphs they replace, and
 * chair's notes.
 *
 * Decisions a reader of the result should know:
 * - Brackets pair locally (see brackets.ts): a bracket opened mid-paragraph closes in its
 *   paragraph; one opened before a paragraph's number may enclose whole paragraphs up to
 *   the next heading or statement from the floor. Anything left over is a problem.
 * - A chair's alternative that names paragraphs ("代替第 12、13段") replaces those, looked
 *   up by the numbers the source gave them; one that names none replaces the numbered
 *   paragraph it follows, and a different number on its own text is reported.
 * - Statements from the floor keep their words, speaker included, as unnumbered
 *   paragraphs; the words after the speaker carry the speaker's attribution. A chair's
 *   note keeps its words, without brackets, attributed to the Chair.
 * - A bracket holding only annotation ("[俄罗斯——删除]") goes to the bracket or quoted
 *   words just before it, to the bracket it sits at the edge of, or to the wholly
 *   bracketed block above; failing all, it stays a bracket of its own (kind "text") naming
 *   its parties as proposers.
 * - Footnote numbers and texts and page numbers are dropped; the symbol, title and date
 *   lines move into the meta; the original-language line ("原文：英文") moves into
 *   `frontMatter`, since the meta has no field for it.
 *
 * Block ids are "p1", "h1", "i1" …, bracket ids "b1" …, in reading order, so
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
  return { draft, problems, frontMatter: [...front.lines] };
}
