import type { Node } from "prosemirror-model";
import type { Registry } from "./registry.ts";
import type { ListStyle } from "./schema.ts";

// Paragraph numbers are how everyone in the room refers to text ("paragraph 3bis, second
// line"), so they are derived from document order on every peer and never stored: a number
// typed into the text would go stale the moment someone inserted a paragraph above it, and
// two peers inserting concurrently would each renumber differently.

/** The Latin multiplicative suffixes used for inserted paragraphs: 3bis, 3ter, 3quater … */
export const insertedSuffixes: readonly string[] = [
  "bis",
  "ter",
  "quater",
  "quinquies",
  "sexies",
  "septies",
  "octies",
  "novies",
  "decies",
];

/**
 * The suffix of the `n`th paragraph inserted after a numbered one (1 → "bis", 2 → "ter").
 * Past "decies" drafts run out of Latin; the suffix then falls back to "-10", "-11" … so the
 * label stays unique. Throws a `RangeError` for `n` below 1.
 */
export function insertedSuffix(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`No inserted suffix for ${n}`);
  return insertedSuffixes[n - 1] ?? `-${n}`;
}

const romanDigits: readonly [number, string][] = [
  [1000, "m"],
  [900, "cm"],
  [500, "d"],
  [400, "cd"],
  [100, "c"],
  [90, "xc"],
  [50, "l"],
  [40, "xl"],
  [10, "x"],
  [9, "ix"],
  [5, "v"],
  [4, "iv"],
  [1, "i"],
];

/** `n` (1 or more) in lower-case Roman numerals: 1 → "i", 14 → "xiv". */
export function roman(n: number): string {
  let out = "";
  let rest = n;
  for (const [value, digits] of romanDigits) {
    while (rest >= value) {
      out += digits;
      rest -= value;
    }
  }
  return out;
}

/** `n` (1 or more) as a letter: a … z, then aa, bb …, the way UN drafts and Word continue. */
export function alpha(n: number): string {
  const letter = String.fromCharCode(97 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

/**
 * The label of the `index`th item (1-based) of a list in `style`: "(a)", "(1)", "(i)", "•"
 * or "–". An unknown style (from a newer peer or a careless import) is labelled like a
 * bullet list rather than refused, since a label is only a reading aid.
 */
export function itemLabel(style: ListStyle | string, index: number): string {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`Bad item index ${index}`);
  switch (style) {
    case "alpha":
      return `(${alpha(index)})`;
    case "decimal":
      return `(${index})`;
    case "roman":
      return `(${roman(index)})`;
    case "dash":
      return "–";
    default:
      return "•";
  }
}

/** The paragraph counter while walking the document. */
interface Counter {
  /** The last number given to a `numbered` paragraph. */
  number: number;
  /** How many `inserted` paragraphs followed it. */
  inserted: number;
}

/**
 * The chair's alternative (not adopted) that covers all of `node`'s text, or null. Such a
 * block is a proposal to replace other paragraphs, not a paragraph of its own, so it must
 * not shift the numbers of the paragraphs below it. Bracketed words count as covered: a
 * delegation's insertion at the edge of the chair's words does not carry the chair's mark
 * (marks are not inclusive), and it must not turn the chair's paragraph into an ordinary one.
 */
function pendingChairAlternative(node: Node, registry: Registry): string | null {
  if (!node.isTextblock || node.content.size === 0) return null;
  const candidates = new Set<string>();
  node.forEach((child) => {
    for (const mark of child.marks) {
      if (mark.type.name === "chairAlternative") candidates.add(String(mark.attrs.id));
    }
  });
  for (const id of candidates) {
    const entry = registry.chairAlternatives[id];
    if (!entry || entry.status === "adopted") continue;
    let covered = true;
    node.forEach((child) => {
      const marks = child.marks;
      const own = marks.some((m) => m.type.name === "chairAlternative" && m.attrs.id === id);
      if (!own && !marks.some((m) => m.type.name === "bracket")) covered = false;
    });
    if (covered) return id;
  }
  return null;
}

/**
 * Every block's derived label, keyed by block id: numbered paragraphs "1", "2" …; an
 * `inserted` paragraph after 3 gets "3bis", the next "3ter"; headings their `label` attr;
 * list items "(a)", "(1)", "(i)", "•" or "–" by the list's style; options their `label`.
 * Paragraphs numbered `none`, and blocks with an empty label, have no entry.
 *
 * Competing options are versions of the same slot, so each option starts from the number
 * reached before the options block, and numbering continues after it from the highest
 * number any option reached.
 *
 * Paragraphs wholly inside a chair's alternative that is not adopted take no number; the
 * i-th of them is labelled with the label of the i-th block it replaces (any further ones
 * with the last of those plus "bis", "ter" …). When the replaced block is gone the
 * paragraph has no entry.
 */
export function blockLabels(doc: Node, registry: Registry): Map<string, string> {
  const labels = new Map<string, string>();
  // Chair's alternative id → ids of its paragraphs, labelled once every number is known.
  const pending = new Map<string, string[]>();

  const walk = (parent: Node, counter: Counter): void => {
    parent.forEach((node) => {
      const id = String(node.attrs.id ?? "");
      switch (node.type.name) {
        case "heading":
          if (id && node.attrs.label) labels.set(id, String(node.attrs.label));
          return;
        case "paragraph": {
          const numbering = node.attrs.numbering;
          if (numbering !== "numbered" && numbering !== "inserted") return;
          const chair = pendingChairAlternative(node, registry);
          if (chair) {
            pending.set(chair, [...(pending.get(chair) ?? []), id]);
            return;
          }
          if (numbering === "numbered") {
            counter.number += 1;
            counter.inserted = 0;
            if (id) labels.set(id, String(counter.number));
          } else {
            counter.inserted += 1;
            if (id) labels.set(id, `${counter.number}${insertedSuffix(counter.inserted)}`);
          }
          return;
        }
        case "list": {
          let index = 0;
          node.forEach((item) => {
            index += 1;
            const itemId = String(item.attrs.id ?? "");
            if (itemId) labels.set(itemId, itemLabel(String(node.attrs.style), index));
          });
          return;
        }
        case "options": {
          const start = { ...counter };
          let reached = { ...counter };
          node.forEach((option) => {
            const optionId = String(option.attrs.id ?? "");
            if (optionId && option.attrs.label) labels.set(optionId, String(option.attrs.label));
            const inner = { ...start };
            walk(option, inner);
            if (
              inner.number > reached.number ||
              (inner.number === reached.number && inner.inserted > reached.inserted)
            ) {
              reached = inner;
            }
          });
          counter.number = reached.number;
          counter.inserted = reached.inserted;
          return;
        }
        default:
          return;
      }
    });
  };
  walk(doc, { number: 0, inserted: 0 });

  for (const [chair, ids] of pending) {
    const replaces = registry.chairAlternatives[chair]?.replaces ?? [];
    const replacedLabels = replaces.map((ref) => labels.get(ref) ?? null);
    const last = replacedLabels[replacedLabels.length - 1] ?? null;
    ids.forEach((id, i) => {
      if (!id) return;
      if (i < replacedLabels.length) {
        const label = replacedLabels[i];
        if (label) labels.set(id, label);
      } else if (last) {
        // Continue the suffixes of the last replaced label: after "2bis" comes "2ter",
        // not "2bisbis".
        const { base, inserted } = splitInserted(last);
        labels.set(id, `${base}${insertedSuffix(inserted + i - replacedLabels.length + 1)}`);
      }
    });
  }
  return labels;
}

/** A paragraph label split into its number and how many paragraphs were inserted after it. */
function splitInserted(label: string): { base: string; inserted: number } {
  for (let n = insertedSuffixes.length; n >= 1; n--) {
    const suffix = insertedSuffix(n);
    if (label.endsWith(suffix)) return { base: label.slice(0, -suffix.length), inserted: n };
  }
  const dashed = /^(.*)-(\d+)$/.exec(label);
  if (dashed) return { base: dashed[1]!, inserted: Number(dashed[2]) };
  return { base: label, inserted: 0 };
}

/**
 * The label of the innermost labelled block that contains `pos` (a paragraph's number, an
 * item's "(a)", an option's "Option 1", a heading's "A."), or null when no block around
 * `pos` has a label. Throws a `RangeError` when `pos` lies outside the document.
 */
export function paragraphLabel(doc: Node, registry: Registry, pos: number): string | null {
  if (pos < 0 || pos > doc.content.size) {
    throw new RangeError(`Position ${pos} is outside the document (0–${doc.content.size})`);
  }
  return labelAt(doc, blockLabels(doc, registry), pos);
}

/**
 * Like `paragraphLabel`, with labels already computed by `blockLabels`, for callers that
 * label many positions of one document.
 */
export function labelAt(
  doc: Node,
  labels: ReadonlyMap<string, string>,
  pos: number,
): string | null {
  const $pos = doc.resolve(pos);
  for (let depth = $pos.depth; depth > 0; depth--) {
    const label = labels.get(String($pos.node(depth).attrs.id ?? ""));
    if (label !== undefined) return label;
  }
  // A position just before a block (between two blocks) belongs to no block; look at the
  // block that starts there so that a bracket's start position finds its paragraph.
  const after = $pos.nodeAfter;
  if (after && !after.isInline) {
    const label = labels.get(String(after.attrs.id ?? ""));
    if (label !== undefined) return label;
  }
  return null;
}
