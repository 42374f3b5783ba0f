import * as Y from "yjs";
import type { Era, Side } from "./era.ts";
import { type MarkRef, readMarkAttribute } from "./shapes.ts";

// Where each mark id has ever been written: the Y.XmlTexts holding a format item that opens
// it. Some rules need the words of a mark the update did not touch (withdrawing a proposal
// also withdraws the proposals nested in its words, and a client may send that registry
// change before the document change); the index turns "find the words of bracket U" into a
// walk of the few paragraphs that hold it instead of the whole document. It is a superset
// (a text stays listed after the mark is removed), so readers check the marks they find.

/** The texts each mark id was written into. */
export class MarkIndex {
  private readonly texts = new Map<string, Set<Y.XmlText>>();

  /** Index every text of a document fragment (once, when the first change is judged). */
  static build(fragment: Y.XmlFragment): MarkIndex {
    const index = new MarkIndex();
    const visit = (type: Y.XmlFragment | Y.XmlElement) => {
      for (const child of type.toArray()) {
        if (child instanceof Y.XmlText) index.addText(child);
        else if (child instanceof Y.XmlElement) visit(child);
      }
    };
    visit(fragment);
    return index;
  }

  /** Index the format items of one text. */
  addText(text: Y.XmlText): void {
    for (let item = text._start; item !== null; item = item.right) this.addItem(item);
  }

  /** Index one item if it is a format item opening a mark. */
  addItem(item: Y.Item): void {
    if (!(item.content instanceof Y.ContentFormat) || !(item.parent instanceof Y.XmlText)) return;
    const mark = readMarkAttribute(item.content.key, item.content.value);
    if ("fault" in mark || mark.value === null) return;
    let set = this.texts.get(mark.value.id);
    if (!set) {
      set = new Set();
      this.texts.set(mark.value.id, set);
    }
    set.add(item.parent);
  }

  /** The texts mark `id` was written into. */
  textsOf(id: string): ReadonlySet<Y.XmlText> {
    return this.texts.get(id) ?? new Set();
  }
}

/** A run of words and the marks in force on it. */
export interface MarkedRun {
  readonly text: string;
  readonly marks: readonly MarkRef[];
}

/**
 * The runs of words of `ytext` visible on `side` of the transaction, with their marks,
 * computed as Yjs does: a format item sets its key for the words that follow.
 */
export function runsOf(era: Era, ytext: Y.XmlText, side: Side): MarkedRun[] {
  const attrs = new Map<string, MarkRef>();
  const runs: MarkedRun[] = [];
  for (let item = ytext._start; item !== null; item = item.right) {
    if (!era.alive(item, side)) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      const mark = readMarkAttribute(content.key, content.value);
      if ("fault" in mark || mark.value === null) attrs.delete(content.key);
      else attrs.set(content.key, mark.value);
    } else if (content instanceof Y.ContentString) {
      runs.push({ text: content.str, marks: [...attrs.values()] });
    }
  }
  return runs;
}
