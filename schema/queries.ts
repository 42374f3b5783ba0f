import type { Node } from "prosemirror-model";
import type { Draft } from "./draft.ts";
import { blockLabels, labelAt } from "./numbering.ts";
import { type MarkRange, markRanges } from "./ranges.ts";
import {
  type BracketKind,
  type BracketStatus,
  type ChairAlternativeStatus,
  type Position,
  proposerNames,
} from "./registry.ts";

// Read-only questions about a draft, for the bracket panel, the CLI and the exports. Nesting
// is always derived from range containment: the order of marks on a text node differs
// between peers, so it cannot say which bracket is the outer one.

/** One bracket of a draft, as the bracket panel and `parley inspect` show it. */
export interface BracketInfo {
  readonly id: string;
  readonly kind: BracketKind;
  readonly status: BracketStatus;
  /** 1 for a top-level bracket, 2 for one inside it, and so on. */
  readonly depth: number;
  /** The id of the innermost bracket that contains this one, or null at top level. */
  readonly parent: string | null;
  /** The bracket's words, including those of brackets nested in it; blocks joined by "\n". */
  readonly text: string;
  /** The label of the block where the bracket starts ("3", "3bis", "(a)"), or null. */
  readonly paragraph: string | null;
  /** The id of the block where the bracket starts. */
  readonly blockId: string | null;
  /** The English names of its proposers (empty for a bracket of unknown origin). */
  readonly proposedBy: string[];
  readonly positions: Position[];
  /** The document range from its first to its last character. */
  readonly from: number;
  readonly to: number;
}

/** A bracket's range with its place in the nesting tree. */
export interface NestedRange extends MarkRange {
  readonly depth: number;
  readonly parent: string | null;
}

/**
 * Whether range `outer` contains range `inner`. Brackets on exactly the same words are
 * ordered by id, so every peer agrees which one is the outer one.
 */
export function rangeContains(outer: MarkRange, inner: MarkRange): boolean {
  if (outer.from > inner.from || inner.to > outer.to) return false;
  if (outer.from === inner.from && outer.to === inner.to) return outer.id < inner.id;
  return true;
}

/**
 * The ranges of all marks of `name` ("bracket" unless given) in document order (by start,
 * outer before inner), each with its depth and parent by range containment. In a draft
 * with partly overlapping brackets (which `checkDraft` reports) a bracket that is not
 * contained in the one before it is treated as its sibling.
 */
export function nestedRanges(
  doc: Node,
  name: "bracket" | "chairAlternative" = "bracket",
): NestedRange[] {
  const sorted = [...markRanges(doc, name).values()].sort(
    (a, b) => a.from - b.from || b.to - a.to || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const stack: MarkRange[] = [];
  const out: NestedRange[] = [];
  for (const range of sorted) {
    while (stack.length > 0 && !rangeContains(stack[stack.length - 1]!, range)) stack.pop();
    const parent = stack[stack.length - 1] ?? null;
    out.push({ ...range, depth: stack.length + 1, parent: parent ? parent.id : null });
    stack.push(range);
  }
  return out;
}

function blockIdAt(doc: Node, pos: number): string | null {
  const $pos = doc.resolve(pos);
  for (let depth = $pos.depth; depth > 0; depth--) {
    const id = $pos.node(depth).attrs.id;
    if (id) return String(id);
  }
  const after = $pos.nodeAfter;
  return after && !after.isInline && after.attrs.id ? String(after.attrs.id) : null;
}

/**
 * Every bracket in the document, in document order (outer before inner). A bracket mark
 * without a registry entry is left out: `checkDraft` reports it, and there is nothing to
 * say about its kind or status.
 */
export function listBrackets(draft: Draft): BracketInfo[] {
  const { doc, registry } = draft;
  const labels = blockLabels(doc, registry);
  const out: BracketInfo[] = [];
  for (const range of nestedRanges(doc)) {
    const entry = registry.brackets[range.id];
    if (!entry) continue;
    out.push({
      id: range.id,
      kind: entry.kind,
      status: entry.status,
      depth: range.depth,
      parent: range.parent,
      text: doc.textBetween(range.from, range.to, "\n"),
      paragraph: labelAt(doc, labels, range.from),
      blockId: blockIdAt(doc, range.from),
      proposedBy: proposerNames(entry),
      positions: Object.values(entry.positions),
      from: range.from,
      to: range.to,
    });
  }
  return out;
}

/** How many brackets are still open: the progress measure of a negotiation. */
export interface BracketCounts {
  /** Open brackets in the document. */
  readonly open: number;
  /** Open brackets by the label of the block they start in; unlabelled blocks are left out. */
  readonly byParagraph: Record<string, number>;
  /**
   * Open brackets by party: each bracket counts once for every party that proposed it or
   * holds a position on it (the `party` of each; a group a party speaks for is not counted).
   */
  readonly byParty: Record<string, number>;
}

/** Count the open brackets of a draft, in total, per paragraph and per party. */
export function bracketCounts(draft: Draft): BracketCounts {
  const byParagraph: Record<string, number> = {};
  const byParty: Record<string, number> = {};
  let open = 0;
  for (const bracket of listBrackets(draft)) {
    if (bracket.status !== "open") continue;
    open += 1;
    if (bracket.paragraph !== null) {
      byParagraph[bracket.paragraph] = (byParagraph[bracket.paragraph] ?? 0) + 1;
    }
    const parties = new Set([...bracket.proposedBy, ...bracket.positions.map((p) => p.party)]);
    for (const party of parties) byParty[party] = (byParty[party] ?? 0) + 1;
  }
  return { open, byParagraph, byParty };
}

/**
 * The ids of the brackets whose range includes `pos` (its edges included, so a cursor just
 * before a bracket's first word is "at" it), outermost first and innermost last. Throws a
 * `RangeError` when `pos` lies outside the document.
 */
export function bracketsAt(draft: Draft, pos: number): string[] {
  if (pos < 0 || pos > draft.doc.content.size) {
    throw new RangeError(`Position ${pos} is outside the document (0–${draft.doc.content.size})`);
  }
  return nestedRanges(draft.doc)
    .filter((range) => range.from <= pos && pos <= range.to)
    .sort((a, b) => a.depth - b.depth)
    .map((range) => range.id);
}

/**
 * The ids of the brackets whose range strictly contains `pos` (words of the bracket on
 * both sides), outermost first. Text typed at `pos` lands inside exactly these brackets.
 */
export function bracketsAround(doc: Node, pos: number): string[] {
  return nestedRanges(doc)
    .filter((range) => range.from < pos && pos < range.to)
    .sort((a, b) => a.depth - b.depth)
    .map((range) => range.id);
}

/** One chair's alternative text of a draft. */
export interface ChairAlternativeInfo {
  readonly id: string;
  readonly status: ChairAlternativeStatus;
  /** The ids of the blocks it replaces, as recorded. */
  readonly replaces: readonly string[];
  /**
   * The labels of the blocks it replaces ("12", "13"), in the same order; null for a block
   * that is no longer in the document (as after adoption) or has no label.
   */
  readonly replacesLabels: (string | null)[];
  /** Its words, paragraphs joined by "\n". */
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Every chair's alternative whose text is in the document, in document order. Labels of
 * the replaced blocks are those the blocks have now; a chair's alternative that is not
 * adopted takes them over for its own paragraphs (see `blockLabels`).
 */
export function listChairAlternatives(draft: Draft): ChairAlternativeInfo[] {
  const { doc, registry } = draft;
  const labels = blockLabels(doc, registry);
  const out: ChairAlternativeInfo[] = [];
  for (const range of markRanges(doc, "chairAlternative").values()) {
    const entry = registry.chairAlternatives[range.id];
    if (!entry) continue;
    out.push({
      id: range.id,
      status: entry.status,
      replaces: entry.replaces,
      replacesLabels: entry.replaces.map((ref) => labels.get(ref) ?? null),
      text: doc.textBetween(range.from, range.to, "\n"),
      from: range.from,
      to: range.to,
    });
  }
  return out.sort((a, b) => a.from - b.from);
}
