import type { Node } from "prosemirror-model";
import type { NegotiationMarkName } from "./schema.ts";

/** The document range a negotiation mark covers, from its first to its last character. */
export interface MarkRange {
  readonly id: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The range of every mark of type `name` in `doc`, keyed by mark id, in document order of
 * their start. A mark may be split into many runs (by other marks, or across paragraphs
 * when a bracket spans them); its range runs from the start of the first run to the end of
 * the last. Nesting is derived from these ranges, never from the order of marks on a text
 * node, which differs between peers.
 */
export function markRanges(doc: Node, name: NegotiationMarkName): Map<string, MarkRange> {
  const ranges = new Map<string, { id: string; from: number; to: number }>();
  const type = doc.type.schema.marks[name];
  if (!type) throw new RangeError(`The schema has no mark ${name}`);
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (mark.type !== type) continue;
      const id = String(mark.attrs.id);
      const end = pos + node.nodeSize;
      const range = ranges.get(id);
      if (range) range.to = Math.max(range.to, end);
      else ranges.set(id, { id, from: pos, to: end });
    }
    return false;
  });
  return ranges;
}
