import * as Y from "yjs";
import type { Era, Side } from "./era.ts";
import { runsOf } from "./mark-index.ts";
import { type MarkRef, readMarkAttribute } from "./shapes.ts";

// What an update did to the words of one block, judged on what a reader sees rather than
// on the Yjs items. y-prosemirror writes a change as a character diff of the plain string
// and then re-applies formatting, so honest typing of " fully" before " the" may arrive as
// an unmarked " " inserted after an existing space that gained the new marks. Comparing the
// visible (character, marks) sequences before and after, and aligning them, recovers the
// edit a person made, whatever the item layout.

/** One visible character and the negotiation marks on it. */
export interface Char {
  readonly ch: string;
  readonly marks: readonly MarkRef[];
}

/** The visible difference of one block's words. */
export interface TextDiff {
  /** Characters only after (in order). */
  readonly inserted: Char[];
  /** Characters only before (in order). */
  readonly deleted: Char[];
  /** Characters on both sides, as [before, after]; their marks may differ in ignored ways. */
  readonly matched: [Char, Char][];
}

/** Past this many cells the middle of a diff is not aligned but taken as replaced whole. */
const maxAlignCells = 250_000;

/** The visible characters of a block on one side of the transaction. */
export function blockChars(era: Era, block: Y.XmlElement, side: Side): Char[] {
  const chars: Char[] = [];
  for (let item = block._start; item !== null; item = item.right) {
    if (!era.alive(item, side) || !(item.content instanceof Y.ContentType)) continue;
    const text = item.content.type;
    if (!(text instanceof Y.XmlText)) continue;
    for (const run of runsOf(era, text, side)) {
      for (const ch of run.text) chars.push({ ch, marks: run.marks });
    }
  }
  return chars;
}

/**
 * The visible difference of a block whose only change is the string items `added` (new,
 * visible, unformatted items in texts that existed before; see `ChangeSet.stringsOnly`):
 * their characters, in document order, with the marks in force where they stand. No old
 * character's marks can have changed, since no formatting item came or went, so nothing is
 * matched or deleted, and nothing needs aligning: this is the alignment `diffChars` seeks,
 * found without reading the block's other words into characters. Costs one walk of the
 * touched texts' items (merged runs, not characters).
 */
export function localDiff(block: Y.XmlElement, added: readonly Y.Item[]): TextDiff {
  const diff: TextDiff = { inserted: [], deleted: [], matched: [] };
  const wanted = new Set(added);
  const texts = new Set(added.map((item) => item.parent));
  for (let child = block._start; child !== null && wanted.size > 0; child = child.right) {
    if (child.deleted || !(child.content instanceof Y.ContentType)) continue;
    const text = child.content.type;
    if (!(text instanceof Y.XmlText) || !texts.has(text)) continue;
    const attrs = new Map<string, MarkRef>();
    let marks: readonly MarkRef[] | null = null;
    for (let item = text._start; item !== null && wanted.size > 0; item = item.right) {
      if (item.deleted) continue;
      const content = item.content;
      if (content instanceof Y.ContentFormat) {
        const mark = readMarkAttribute(content.key, content.value);
        if ("fault" in mark || mark.value === null) attrs.delete(content.key);
        else attrs.set(content.key, mark.value);
        marks = null;
      } else if (content instanceof Y.ContentString && wanted.delete(item)) {
        marks ??= [...attrs.values()];
        for (const ch of content.str) diff.inserted.push({ ch, marks });
      }
    }
  }
  if (wanted.size > 0) throw new RangeError("An added string item is not in its block");
  return diff;
}

/**
 * Align `before` and `after`: characters whose `token` is equal may be matched (the token
 * leaves out the marks a caller allows to change). Common ends are matched first; the
 * middle is aligned by a longest common subsequence when small enough.
 */
export function diffChars(
  before: readonly Char[],
  after: readonly Char[],
  token: (char: Char, side: Side) => string,
): TextDiff {
  const a = before.map((c) => token(c, "before"));
  const b = after.map((c) => token(c, "after"));
  const diff: TextDiff = { inserted: [], deleted: [], matched: [] };
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    diff.matched.push([before[start]!, after[start]!]);
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  const tail: [Char, Char][] = [];
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
    tail.push([before[endA]!, after[endB]!]);
  }
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0 && n * m <= maxAlignCells) {
    alignMiddle(before, after, a, b, start, n, m, diff);
  } else {
    for (let i = start; i < endA; i++) diff.deleted.push(before[i]!);
    for (let j = start; j < endB; j++) diff.inserted.push(after[j]!);
  }
  diff.matched.push(...tail.reverse());
  return diff;
}

function alignMiddle(
  before: readonly Char[],
  after: readonly Char[],
  a: readonly string[],
  b: readonly string[],
  start: number,
  n: number,
  m: number,
  diff: TextDiff,
) {
  // lengths[i][j]: the longest common subsequence of a[start+i..] and b[start+j..].
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[start + i] === b[start + j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[start + i] === b[start + j]) {
      diff.matched.push([before[start + i]!, after[start + j]!]);
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      diff.deleted.push(before[start + i]!);
      i++;
    } else {
      diff.inserted.push(after[start + j]!);
      j++;
    }
  }
  for (; i < n; i++) diff.deleted.push(before[start + i]!);
  for (; j < m; j++) diff.inserted.push(after[start + j]!);
}

/** Characters as a short quoted string for messages. */
export function quoteChars(chars: readonly Char[]): string {
  const text = chars.map((c) => c.ch).join("");
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
