import type { Mark, Node } from "prosemirror-model";
import type { Transaction } from "prosemirror-state";
import { bracketsAround, nestedRanges } from "../queries.ts";
import { markRanges } from "../ranges.ts";
import type { BracketStatus, Registry, RegistryOp } from "../registry.ts";
import { schema } from "../schema.ts";

// Helpers the negotiation commands share: finding blocks and words, the marks new words
// inherit, and removing a mark's words together with blocks that held nothing else.

/** A block found by id, with its position (before the node). */
export interface FoundBlock {
  readonly node: Node;
  readonly pos: number;
}

/** The block with id `id`, or null when the document has none. */
export function findBlock(doc: Node, id: string): FoundBlock | null {
  let found: FoundBlock | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (!node.isInline && node.attrs.id === id) {
      found = { node, pos };
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

/**
 * The part of [from, to) that is text: from the first selected character to the last. A
 * selection dragged across blocks starts and ends between nodes; a bracket's range is
 * measured on its characters, so the two must be compared on the same footing. Null when
 * the range holds no text.
 */
export function textExtent(
  doc: Node,
  from: number,
  to: number,
): { from: number; to: number } | null {
  let start = -1;
  let end = -1;
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const s = Math.max(pos, from);
    const e = Math.min(pos + node.nodeSize, to);
    if (s < e) {
      if (start < 0) start = s;
      end = e;
    }
    return false;
  });
  return start < 0 ? null : { from: start, to: end };
}

/** A bracket mark for `id`. */
export function bracketMark(id: string): Mark {
  return schema.marks.bracket!.create({ id });
}

/** An attribution mark for `id`. */
export function attributionMark(id: string): Mark {
  return schema.marks.attribution!.create({ id });
}

/** A chair's alternative mark for `id`. */
export function chairAlternativeMark(id: string): Mark {
  return schema.marks.chairAlternative!.create({ id });
}

/**
 * The marks that words typed at `pos` must carry to stay inside the brackets, chair's text
 * and comment anchors around them. The marks are not inclusive, so ProseMirror would not
 * carry them over, and new words lacking an enclosing bracket's mark would split it in two
 * on screen. Attributions are not inherited: the new words are not the enclosing
 * proposer's.
 */
export function enclosingMarks(doc: Node, pos: number): Mark[] {
  const marks: Mark[] = bracketsAround(doc, pos).map(bracketMark);
  for (const name of ["chairAlternative", "comment"] as const) {
    for (const range of markRanges(doc, name).values()) {
      if (range.from < pos && pos < range.to) {
        marks.push(schema.marks[name]!.create({ id: range.id }));
      }
    }
  }
  return marks;
}

/** Whether `id`'s bracket entry is missing or not open. */
export function isClosed(registry: Registry, id: string): boolean {
  return registry.brackets[id]?.status !== "open";
}

/**
 * Whether a new bracket on [from, to) would nest cleanly with every existing bracket (lie
 * inside, around or apart from each) and lie inside open brackets only. A bracket that
 * partly overlaps another breaks the nesting every view and export relies on.
 */
export function fitsBracketNesting(
  doc: Node,
  registry: Registry,
  from: number,
  to: number,
): boolean {
  for (const range of nestedRanges(doc)) {
    if (range.to <= from || to <= range.from) continue;
    const around = range.from <= from && to <= range.to;
    const inside = from <= range.from && range.to <= to;
    if (!around && !inside) return false;
    if (around && isClosed(registry, range.id)) return false;
  }
  return true;
}

function hasMark(node: Node, name: string, id: string): boolean {
  return node.marks.some((mark) => mark.type.name === name && mark.attrs.id === id);
}

// Whether all of `node` is the mark's words, so the node itself goes with them.
function covered(node: Node, name: string, id: string): boolean {
  if (node.isText) return hasMark(node, name, id);
  if (node.childCount === 0) return false;
  for (let i = 0; i < node.childCount; i++) {
    if (!covered(node.child(i), name, id)) return false;
  }
  return true;
}

/**
 * The ranges to delete so that the words under mark `name`/`id` are gone: whole blocks
 * (and lists, options) that held nothing else, otherwise the marked runs of text. Blocks
 * are removed with their words because an empty paragraph left behind would take a number.
 */
export function markedWordRanges(doc: Node, name: string, id: string): [number, number][] {
  const ranges: [number, number][] = [];
  const push = (from: number, to: number) => {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === from) last[1] = to;
    else ranges.push([from, to]);
  };
  const walk = (parent: Node, start: number, wholeAllowed: boolean) => {
    parent.forEach((child, offset) => {
      const pos = start + offset;
      if (child.isText) {
        if (hasMark(child, name, id)) push(pos, pos + child.nodeSize);
      } else if (wholeAllowed && covered(child, name, id)) {
        push(pos, pos + child.nodeSize);
      } else {
        walk(child, pos + 1, true);
      }
    });
  };
  // The document itself must keep a block, so when every block is the mark's words only
  // the words go.
  walk(doc, 0, !covered(doc, name, id));
  return ranges;
}

/**
 * Delete `ranges` (positions in the transaction's current document; they may overlap),
 * last first so that earlier positions stay valid.
 */
export function deleteRanges(tr: Transaction, ranges: readonly [number, number][]): void {
  const merged: [number, number][] = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  for (const [from, to] of merged.reverse()) tr.delete(from, to);
}

/**
 * Registry ops for brackets that were open in `before` and whose words are gone from
 * `after` because text around them was removed: they take `status` too (a proposal nested
 * in a dropped one is dropped with it), so no open entry is left pointing at nothing.
 * `except` names the brackets the command settles itself.
 */
export function settleVanished(
  before: Node,
  after: Node,
  registry: Registry,
  status: BracketStatus,
  except: readonly string[],
): RegistryOp[] {
  const remaining = markRanges(after, "bracket");
  const ops: RegistryOp[] = [];
  for (const id of markRanges(before, "bracket").keys()) {
    if (remaining.has(id) || except.includes(id) || isClosed(registry, id)) continue;
    ops.push({ op: "setBracketStatus", id, status });
  }
  return ops;
}

/** Ops that remove every position on bracket `id`. */
export function clearPositionsOps(registry: Registry, id: string): RegistryOp[] {
  const entry = registry.brackets[id];
  if (!entry) return [];
  return Object.keys(entry.positions).map((party) => ({
    op: "setPosition" as const,
    bracket: id,
    party,
    position: null,
  }));
}
