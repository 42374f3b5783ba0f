import type { Node } from "prosemirror-model";
import type { Draft } from "../draft.ts";
import { markRanges } from "../ranges.ts";
import type { Agreement, DraftMeta, PartyRef, Position } from "../registry.ts";
import { blockTypes } from "../schema.ts";

// Two drafts that say the same thing may use different ids: a draft read back from an
// export gets new ones. The canonical form replaces every id by its index in document
// order, so that round-trip tests compare what a delegate would see and nothing else.

/** A block with its attributes (ids replaced by indexes) and, for textblocks, its text. */
export interface CanonicalBlock {
  readonly type: string;
  readonly attrs: Record<string, unknown>;
  readonly text?: string;
  readonly content?: CanonicalBlock[];
}

/** A draft with ids replaced by document-order indexes; compare two with `toEqual`. */
export interface CanonicalDraft {
  readonly meta: DraftMeta;
  readonly blocks: CanonicalBlock[];
  readonly brackets: {
    readonly from: number;
    readonly to: number;
    readonly kind: string;
    readonly status: string;
    readonly proposedBy: readonly PartyRef[];
    readonly enteredBy: string | null;
    readonly pairedWith: number | null;
    readonly alternativeTo: number | null;
    readonly positions: readonly Position[];
  }[];
  readonly attributions: readonly {
    readonly from: number;
    readonly to: number;
    readonly party: string;
    readonly onBehalfOf: string | null;
    readonly enteredBy: string | null;
  }[];
  readonly chairAlternatives: readonly {
    readonly from: number;
    readonly to: number;
    readonly status: string;
    /** Indexes of the replaced blocks; null once adopted, when those blocks are gone. */
    readonly replaces: readonly (number | null)[] | null;
  }[];
  readonly agreements: readonly { readonly block: number; readonly agreement: Agreement }[];
}

const byJSON = <T>(a: T, b: T) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

// Document order first (outer before inner), then the facts, so that the order is the
// same for two drafts that differ only in ids.
const byRange = <T extends { from: number; to: number }>(a: T, b: T) =>
  a.from - b.from || b.to - a.to || byJSON(a, b);

/**
 * The canonical form of a draft: blocks, bracket and attribution ranges, registry facts,
 * with ids replaced by indexes. Registry entries whose mark is not in the document (lifted,
 * dropped or withdrawn brackets) and comments are left out; mark ranges are compared from
 * first to last character, as `markRanges` derives them.
 */
export function canonicalDraft(draft: Draft): CanonicalDraft {
  const { doc, registry } = draft;
  const blockIndex = new Map<string, number>();
  doc.descendants((node) => {
    if (blockTypes.includes(node.type.name)) blockIndex.set(String(node.attrs.id), blockIndex.size);
    return !node.isTextblock;
  });
  const block = (node: Node): CanonicalBlock => {
    const attrs: Record<string, unknown> = {
      ...node.attrs,
      id: blockIndex.get(String(node.attrs.id)),
    };
    if (node.isTextblock) return { type: node.type.name, attrs, text: node.textContent };
    const content: CanonicalBlock[] = [];
    node.forEach((child) => {
      content.push(block(child));
    });
    return { type: node.type.name, attrs, content };
  };
  const blocks: CanonicalBlock[] = [];
  doc.forEach((child) => {
    blocks.push(block(child));
  });

  const bracketRanges = [...markRanges(doc, "bracket").values()].filter(
    (range) => registry.brackets[range.id],
  );
  const described = bracketRanges.map((range) => {
    const entry = registry.brackets[range.id]!;
    return {
      range,
      key: { from: range.from, to: range.to, kind: entry.kind, by: entry.proposedBy },
    };
  });
  described.sort((a, b) => byRange(a.key, b.key));
  const bracketIndex = new Map(described.map((d, i) => [d.range.id, i]));
  const brackets = described.map(({ range }) => {
    const entry = registry.brackets[range.id]!;
    return {
      from: range.from,
      to: range.to,
      kind: entry.kind,
      status: entry.status,
      proposedBy: entry.proposedBy.map((ref) => ({ party: ref.party, onBehalfOf: ref.onBehalfOf })),
      enteredBy: entry.enteredBy,
      pairedWith: entry.pairedWith === null ? null : (bracketIndex.get(entry.pairedWith) ?? -1),
      alternativeTo:
        entry.alternativeTo === null ? null : (blockIndex.get(entry.alternativeTo) ?? -1),
      positions: Object.values(entry.positions)
        .map((p) => ({ ...p }))
        .sort(byJSON),
    };
  });

  const attributions = [...markRanges(doc, "attribution").values()]
    .flatMap((range) => {
      const entry = registry.attributions[range.id];
      if (!entry) return [];
      const { party, onBehalfOf, enteredBy } = entry;
      return [{ from: range.from, to: range.to, party, onBehalfOf, enteredBy }];
    })
    .sort(byRange);

  const chairAlternatives = [...markRanges(doc, "chairAlternative").values()]
    .flatMap((range) => {
      const entry = registry.chairAlternatives[range.id];
      if (!entry) return [];
      const replaces =
        entry.status === "adopted"
          ? null
          : entry.replaces.map((ref) => blockIndex.get(ref) ?? null);
      return [{ from: range.from, to: range.to, status: entry.status, replaces }];
    })
    .sort(byRange);

  const agreements = Object.entries(registry.paragraphs)
    .flatMap(([id, entry]) => {
      const index = blockIndex.get(id);
      return index === undefined ? [] : [{ block: index, agreement: entry.agreement }];
    })
    .sort((a, b) => a.block - b.block);

  const { symbol, title, lang, revision, date } = registry.meta;
  return {
    meta: { symbol, title, lang, revision, date },
    blocks,
    brackets,
    attributions,
    chairAlternatives,
    agreements,
  };
}
