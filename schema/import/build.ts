// Turning paired brackets and classified blocks into a Draft: the annotations inside
// brackets become registry facts (proposers, positions), statements from the floor become
// unnumbered paragraphs attributed to their speakers, a delegation's "new wording" becomes
// an alternative bracket, chair's texts find the paragraphs they replace, and blocks are
// grouped into lists and options.

import type { Draft } from "../draft.ts";
import type {
  AttributionEntry,
  BracketEntry,
  BracketKind,
  ChairAlternativeEntry,
  CommentEntry,
  DraftMeta,
  Position,
  Registry,
} from "../registry.ts";
import {
  type AnnotationItem,
  readBracket,
  readParentheticalPositions,
  readParties,
  readSpeakerPrefix,
  readStance,
  readTrailingAnnotations,
  type Speaker,
} from "./annotations.ts";
import { assemble } from "./assemble.ts";
import { type Atom, type Bracketed, isStatement } from "./brackets.ts";
import type { ImportProblem, SourceComment } from "./source.ts";
import type { Block, BlockShape } from "./structure.ts";

interface BracketFacts {
  kind: BracketKind;
  /** A bracketed statement ("[巴基斯坦、伊朗不支持…]"): its parties are named, not proposers of words. */
  statement: boolean;
  proposedBy: Speaker[];
  positions: Map<string, Position>;
  alternativeTo: string | null;
}

/** Everything buildDraft needs. */
export interface BuildInput {
  readonly blocks: readonly Block[];
  readonly bracketed: Bracketed;
  readonly comments: readonly SourceComment[];
  readonly meta: DraftMeta;
  /** Blocks whose only content moved into `meta`. */
  readonly consumed: ReadonlySet<number>;
  readonly nextId: (prefix: string) => string;
}

const blank = (a: Atom) => a.removed || a.ch.trim() === "";
const referential = /^[^主]{0,20}$/;

/**
 * Build the draft from paired brackets and blocks, adding what could not be placed to
 * `problems`. Never throws on text; the draft it returns passes `checkDraft` with at most
 * overlap warnings.
 */
export function buildDraft(input: BuildInput, problems: ImportProblem[]): Draft {
  const { blocks, bracketed, nextId } = input;
  const { atoms } = bracketed;
  const facts = new Map<string, BracketFacts>();
  const blockIds = blocks.map((block) => nextId(prefixOf(block)));

  // Where each bracket's atoms are, in document order.
  const where = new Map<string, { b: number; i: number }[]>();
  atoms.forEach((row, b) => {
    row.forEach((a, i) => {
      for (const id of a.brackets) {
        const list = where.get(id) ?? [];
        list.push({ b, i });
        where.set(id, list);
      }
    });
  });
  const live = (id: string) => (where.get(id) ?? []).filter(({ b, i }) => !atoms[b]![i]!.removed);
  const depth = (id: string) =>
    Math.max(0, ...(where.get(id) ?? []).map(({ b, i }) => atoms[b]![i]!.brackets.indexOf(id)));
  const depths = new Map([...where.keys()].map((id) => [id, depth(id)]));
  const order = [...where.keys()].sort((x, y) => depths.get(y)! - depths.get(x)!);

  const postfix = new Map<string, AnnotationItem[]>();
  // Positions in parentheses after a bracket ("[…]（美国——同意）"), taken once it is known
  // whether the bracket holds words: after a bracket that is itself only annotation they
  // are about something else, and stay text.
  const parenthetical: { id: string; atoms: Atom[]; items: AnnotationItem[] }[] = [];
  const factsOf = (id: string): BracketFacts => {
    const known = facts.get(id);
    if (known) return known;
    const f: BracketFacts = {
      kind: "text",
      statement: false,
      proposedBy: [],
      positions: new Map(),
      alternativeTo: null,
    };
    facts.set(id, f);
    return f;
  };
  const apply = (id: string, items: readonly AnnotationItem[]) => {
    const f = factsOf(id);
    for (const item of items) {
      for (const speaker of item.parties) {
        if (item.kind === "position") {
          f.positions.set(speaker.party, {
            party: speaker.party,
            stance: item.stance,
            onBehalfOf: speaker.onBehalfOf,
            text: item.text,
            enteredBy: null,
          });
        } else if (!f.proposedBy.some((p) => p.party === speaker.party)) {
          f.proposedBy.push(speaker);
        }
      }
    }
  };
  const dropBracket = (id: string) => {
    for (const { b, i } of where.get(id) ?? []) {
      const a = atoms[b]![i]!;
      a.removed = true;
      a.brackets = a.brackets.filter((x) => x !== id);
    }
    where.delete(id);
  };

  // Annotations after a closing bracket: "[text]——Pakistan", "[…]——俄罗斯：删除；阿联酋不同意".
  // Only party lists and stances are taken, so the sentence after them stays text.
  atoms.forEach((row) => {
    for (let i = 1; i < row.length; i++) {
      const ended = row[i - 1]!.brackets.at(-1);
      if (!ended || row[i]!.brackets.includes(ended) || row[i]!.brackets.length > 0) continue;
      let end = i;
      while (end < row.length && row[end]!.brackets.length === 0) end++;
      const tail = row
        .slice(i, end)
        .map((a) => a.ch)
        .join("");
      const inParentheses = readParentheticalPositions(tail);
      if (inParentheses) {
        parenthetical.push({
          id: ended,
          atoms: row.slice(i, i + inParentheses.length),
          items: inParentheses.items,
        });
        continue;
      }
      const trailing = readTrailingAnnotations(tail);
      if (!trailing) continue;
      for (let k = i; k < i + trailing.length; k++) row[k]!.removed = true;
      postfix.set(ended, [...(postfix.get(ended) ?? []), ...trailing.items]);
    }
  });

  for (const id of order) {
    const spots = live(id);
    if (spots.length === 0) {
      where.delete(id);
      continue;
    }
    const content = spots.map(({ b, i }) => atoms[b]![i]!.ch).join("");
    const reading = readBracket(content);
    if (reading.items.length === 0) {
      factsOf(id);
      continue;
    }
    if (reading.to > reading.from) {
      spots.forEach(({ b, i }, k) => {
        if (k < reading.from || k >= reading.to) atoms[b]![i]!.removed = true;
      });
      apply(id, reading.items);
      continue;
    }
    // All annotation: attach it to the words it is about.
    const first = spots[0]!;
    const lastSpot = spots[spots.length - 1]!;
    const row = atoms[first.b]!;
    const target = attachTarget(id, first, lastSpot, content);
    if (target) {
      dropBracket(id);
      apply(target, reading.items);
      continue;
    }
    // A quoted phrase right before: "各"[俄罗斯——删除] brackets those words.
    let p = first.i - 1;
    while (p >= 0 && (row[p]!.ch === " " || row[p]!.removed)) p--;
    if (p > 0 && /[”"]/.test(row[p]!.ch)) {
      let q = p - 1;
      while (q >= 0 && !/[“"]/.test(row[q]!.ch)) q--;
      if (q >= 0 && p - q > 1) {
        const quoteId = nextId("b");
        const spotsQ: { b: number; i: number }[] = [];
        for (let k = q + 1; k < p; k++) {
          row[k]!.brackets = [...row[k]!.brackets, quoteId];
          spotsQ.push({ b: first.b, i: k });
        }
        row[q]!.removed = true;
        row[p]!.removed = true;
        where.set(quoteId, spotsQ);
        dropBracket(id);
        apply(quoteId, reading.items);
        const f = factsOf(quoteId);
        const deleter = reading.items.find(
          (it) => it.kind === "position" && it.stance === "delete",
        );
        if (deleter && f.proposedBy.length === 0) {
          f.kind = "deletion";
          f.proposedBy.push(...deleter.parties);
        }
        continue;
      }
    }
    // Nothing to attach to: a bracketed statement, kept as words of the parties it names.
    const f = factsOf(id);
    f.statement = true;
    for (const item of reading.items) {
      for (const s of item.parties)
        if (!f.proposedBy.some((x) => x.party === s.party)) f.proposedBy.push(s);
    }
  }

  for (const [id, items] of postfix) if (where.has(id)) apply(id, items);
  for (const { id, atoms: spots, items } of parenthetical) {
    if (!where.has(id) || facts.get(id)?.statement) continue;
    for (const a of spots) a.removed = true;
    apply(id, items);
  }

  function attachTarget(
    id: string,
    first: { b: number; i: number },
    last: { b: number; i: number },
    content: string,
  ): string | null {
    const row = atoms[first.b]!;
    const a = row[first.i]!;
    const parents = a.brackets.slice(0, a.brackets.indexOf(id));
    // A sibling bracket closed right before: [每个][俄罗斯——替换“网络”].
    let p = first.i - 1;
    while (p >= 0 && (row[p]!.ch === " " || row[p]!.removed)) p--;
    const prev = p >= 0 ? row[p] : undefined;
    if (prev && !prev.removed) {
      const sibling = [...prev.brackets].reverse().find((x) => !parents.includes(x) && x !== id);
      if (sibling && facts.has(sibling)) return sibling;
    }
    // At the start or end of the enclosing bracket: [[巴基斯坦]提高…[阿尔及利亚]].
    const parent = parents[parents.length - 1];
    if (parent) {
      const spots = live(parent).filter(({ b, i }) => !atoms[b]![i]!.brackets.includes(id));
      const firstOwn = spots.find(({ b, i }) => !blank(atoms[b]![i]!));
      const lastOwn = [...spots].reverse().find(({ b, i }) => !blank(atoms[b]![i]!));
      const before = (x: { b: number; i: number }, y: { b: number; i: number }) =>
        x.b < y.b || (x.b === y.b && x.i < y.i);
      if (!firstOwn || before(last, firstOwn) || (lastOwn && before(lastOwn, first))) return parent;
    }
    // A whole block of annotation after a wholly bracketed block: [俄罗斯——删除第三项].
    const wholeBlock = row.every((x) => blank(x) || x.brackets.includes(id));
    if (wholeBlock && parents.length === 0 && referential.test(content) && first.b > 0) {
      const prevRow = atoms[first.b - 1]!.filter((x) => !blank(x));
      const outer = prevRow[0]?.brackets[0];
      if (outer && prevRow.every((x) => x.brackets[0] === outer) && facts.has(outer)) return outer;
    }
    return null;
  }

  // Statements from the floor, and the alternative wordings some of them carry.
  const statementOf = new Map<number, Speaker[]>();
  // Blocks read as another kind than their label said: alternative wordings of items.
  const reshaped = new Map<number, BlockShape>();
  const attributionEntries: Record<string, AttributionEntry> = {};
  const attribute = (spots: Atom[], speakers: readonly Speaker[]) => {
    for (const s of speakers) {
      const attrId = nextId("a");
      attributionEntries[attrId] = { party: s.party, onBehalfOf: s.onBehalfOf, enteredBy: null };
      for (const a of spots) a.attributions.push(attrId);
    }
  };
  blocks.forEach((block, b) => {
    const row = atoms[b]!.filter((a) => !a.removed);
    const text = row.map((a) => a.ch).join("");
    if (!isStatement(block) || /^\s*[[［]/.test(text) || row[0]?.brackets.length || row[0]?.note) {
      return;
    }
    // A speaker followed directly by a bracket of annotations ("阿尔及利亚代表非洲集团[…]提出…")
    // is still the speaker: the bracket is what others said about the statement.
    const list = readParties(text, 0);
    const speaker =
      readSpeakerPrefix(text) ??
      (list && row[list.end]?.brackets.length ? { speakers: list.speakers, end: list.end } : null);
    if (!speaker) return;
    statementOf.set(b, speaker.speakers);
    const words = row.slice(speaker.end);
    attribute(words, speaker.speakers);
    statePositionOnBlocksAbove(b, words.map((a) => a.ch).join(""), speaker.speakers);
    const wording =
      /(新措辞|替代措辞|建议措辞|的措辞[：:]|new wording|alternative wording|proposed wording)/i.exec(
        text,
      );
    if (!wording || wording.index > 60) return;
    let start = text.slice(wording.index).search(/[：:]/);
    start = start < 0 ? wording.index + wording[0].length : wording.index + start + 1;
    const alt = row.slice(start).filter((a) => a.ch.trim() !== "");
    if (alt.length === 0) return;
    const targetBlock = alternativeTarget(b, text);
    const target = targetBlock === null ? null : blockIds[targetBlock]!;
    // The new wording of a list item right below it is an item of the same list (MODEL.md):
    // its text is the wording alone, as the speaker and the item it stands for are in the
    // registry. Below anything else (a paragraph, or other statements after the item) it
    // stays a statement, since an item there would start a list of its own.
    const targetShape = targetBlock === null ? null : blocks[targetBlock]!.shape;
    const prefixNotes =
      targetShape?.type === "item" && nextKeptBlock(targetBlock!) === b
        ? annotationsOnly(row.slice(0, start), row.slice(start))
        : null;
    const outer = alt[0]!.brackets[0];
    let altId: string;
    if (outer && alt.every((a) => a.brackets[0] === outer || /[。.]/.test(a.ch))) {
      altId = outer;
    } else {
      altId = nextId("b");
      for (const a of row.slice(start)) a.brackets = [altId, ...a.brackets];
      where.set(altId, []);
    }
    const f = factsOf(altId);
    f.kind = "alternative";
    f.alternativeTo = target;
    for (const s of speaker.speakers)
      if (!f.proposedBy.some((x) => x.party === s.party)) f.proposedBy.push(s);
    if (prefixNotes && targetShape?.type === "item") {
      // What others said about the statement ("[阿尔及利亚同意；…]") is said about the wording.
      for (const [id, items] of prefixNotes) {
        dropBracket(id);
        facts.delete(id);
        apply(altId, items);
      }
      for (const a of row.slice(0, start)) a.removed = true;
      reshaped.set(b, { type: "item", style: targetShape.style });
    }
  });

  /**
   * The annotations of the brackets in a statement's lead-in (`prefix`), by bracket id, when
   * every one of them is annotation only and lies within the lead-in; null otherwise, as
   * words of the statement itself cannot be dropped with its lead-in.
   */
  function annotationsOnly(
    prefix: readonly Atom[],
    rest: readonly Atom[],
  ): Map<string, readonly AnnotationItem[]> | null {
    const notes = new Map<string, readonly AnnotationItem[]>();
    for (const id of new Set(prefix.flatMap((a) => a.brackets))) {
      if (rest.some((a) => a.brackets.includes(id)) || !facts.has(id)) return null;
      const content = live(id)
        .map(({ b, i }) => atoms[b]![i]!.ch)
        .join("");
      const reading = readBracket(content);
      if (reading.to > reading.from || reading.items.length === 0) return null;
      notes.set(id, reading.items);
    }
    return notes;
  }

  // "非洲集团建议删除上面一项", "阿联酋：删除上面两项", "巴基斯坦：希望保留上面两项": a stance
  // on the wholly bracketed blocks just above the statement.
  function statePositionOnBlocksAbove(
    b: number,
    words: string,
    speakers: readonly Speaker[],
  ): void {
    const lead = /^\s*(?:希望|要求|建议)?/.exec(words)![0];
    const stance = readStance(words.slice(lead.length));
    if (!stance || stance.stance === "replace") return;
    const rest = words.slice(lead.length + stance.length);
    const ref = /^\s*(上面一项|上一项|上面一段|上段|上面两项|最后两项|上面两段)[。.]?\s*$/.exec(
      rest,
    );
    if (!ref) return;
    let wanted = /两/.test(ref[1]!) ? 2 : 1;
    for (let k = b - 1; k >= 0 && wanted > 0; k--) {
      if (statementOf.has(k) || atoms[k]!.every(blank)) continue;
      const kept = atoms[k]!.filter((a) => !blank(a));
      const outer = kept[0]?.brackets[0];
      if (!outer || !kept.every((a) => a.brackets[0] === outer) || !facts.has(outer)) return;
      const item: AnnotationItem = {
        kind: "position",
        parties: speakers,
        stance: stance.stance,
        text: null,
      };
      apply(outer, [item]);
      wanted--;
    }
  }

  /** The index of the block an alternative wording in block `b` stands for, or null. */
  function alternativeTarget(b: number, text: string): number | null {
    const para = /第\s*(\d+)\s*段/.exec(text);
    if (para) {
      const found = blocks.findIndex(
        (x) =>
          x.shape.type === "paragraph" &&
          x.shape.source === para[1] &&
          !atoms[blocks.indexOf(x)]?.[0]?.chair,
      );
      if (found >= 0) return found;
    }
    for (let k = b - 1; k >= 0; k--) {
      if (statementOf.has(k) || input.consumed.has(k)) continue;
      if (atoms[k]!.every(blank)) continue;
      return k;
    }
    return null;
  }

  /** The index of the first block after `k` that keeps any text in the document. */
  function nextKeptBlock(k: number): number {
    let next = k + 1;
    while (next < blocks.length && (input.consumed.has(next) || atoms[next]!.every(blank))) next++;
    return next;
  }

  // Chair's notes: the chair's words, without brackets.
  const noteAtoms = new Map<string, Atom[]>();
  for (const row of atoms) {
    for (const a of row) {
      if (a.note && !a.header && !a.removed)
        noteAtoms.set(a.note, [...(noteAtoms.get(a.note) ?? []), a]);
    }
  }
  for (const spots of noteAtoms.values()) attribute(spots, [{ party: "Chair", onBehalfOf: null }]);

  // Chair's alternatives and the paragraphs they replace.
  const chairEntries: Record<string, ChairAlternativeEntry> = {};
  const numberedBlock = new Map<string, number>();
  blocks.forEach((block, b) => {
    if (block.shape.type !== "paragraph" || !block.shape.source) return;
    if (atoms[b]!.some((a) => a.chair)) return;
    if (!numberedBlock.has(block.shape.source)) numberedBlock.set(block.shape.source, b);
  });
  for (const found of bracketed.brackets.values()) {
    if (found.kind !== "chair") continue;
    const replaces: string[] = [];
    if (found.replaces.length > 0) {
      for (const n of found.replaces) {
        const b = numberedBlock.get(n);
        if (b === undefined) {
          problems.push({
            kind: "unknownParagraph",
            line: found.line,
            column: found.column,
            message: `The chair's alternative text replaces paragraph ${n}, which the text does not have.`,
          });
        } else replaces.push(blockIds[b]!);
      }
    } else {
      let b = found.block;
      while (b >= 0) {
        const shape = blocks[b]!.shape;
        if (shape.type === "paragraph" && shape.source && numberedBlock.get(shape.source) === b)
          break;
        b--;
      }
      if (b < 0) {
        problems.push({
          kind: "unknownParagraph",
          line: found.line,
          column: found.column,
          message:
            "The chair's alternative text names no paragraph and follows none; it replaces nothing.",
        });
      } else {
        replaces.push(blockIds[b]!);
        const own = blocks
          .slice(found.block, found.lastBlock + 1)
          .find((x) => x.shape.type === "paragraph" && x.shape.source);
        const replaced = (blocks[b]!.shape as { source: string }).source;
        if (own && own.shape.type === "paragraph" && own.shape.source !== replaced) {
          problems.push({
            kind: "chairNumberMismatch",
            line: found.line,
            column: found.column,
            message: `The chair's alternative text is numbered ${own.shape.source} but follows paragraph ${replaced}; it is taken to replace paragraph ${replaced}.`,
          });
        }
      }
    }
    chairEntries[found.id] = { replaces, status: "proposed" };
  }

  // Comments, anchored to the whole block they follow.
  const commentEntries: Record<string, CommentEntry> = {};
  for (const c of input.comments) {
    const row = atoms[c.afterBlock];
    if (!row || row.every(blank)) continue;
    const id = nextId("m");
    commentEntries[id] = { author: c.author, text: c.text };
    for (const a of row) if (!a.removed) a.comment = id;
  }

  // Proposers' attributions on the words of their brackets.
  const bracketEntries: Record<string, BracketEntry> = {};
  const ownAtoms = new Map<string, Atom[]>();
  for (const row of atoms) {
    for (const a of row) {
      if (a.removed) continue;
      for (const id of a.brackets) {
        const list = ownAtoms.get(id) ?? [];
        list.push(a);
        ownAtoms.set(id, list);
      }
    }
  }
  for (const [id, f] of facts) {
    const own = ownAtoms.get(id) ?? [];
    if (own.length === 0) continue;
    if (f.kind === "text" && f.proposedBy.length > 0 && !f.statement) f.kind = "insertion";
    // A deletion's words are not its proposer's (MODEL.md), so they get no attribution.
    const attributed =
      f.kind !== "deletion" &&
      (f.kind !== "alternative" || !own.some((a) => a.attributions.length > 0));
    if (attributed) attribute(own, f.proposedBy);
    bracketEntries[id] = {
      kind: f.kind,
      status: "open",
      proposedBy: f.proposedBy.map((s) => ({ party: s.party, onBehalfOf: s.onBehalfOf })),
      enteredBy: null,
      pairedWith: null,
      alternativeTo: f.alternativeTo,
      positions: Object.fromEntries(f.positions),
    };
  }

  const shaped = blocks.map((block, b) => {
    const shape = reshaped.get(b);
    return shape ? { ...block, shape } : block;
  });
  const doc = assemble(shaped, atoms, blockIds, input.consumed, nextId);
  const registry: Registry = {
    meta: input.meta,
    brackets: bracketEntries,
    attributions: attributionEntries,
    chairAlternatives: Object.fromEntries(
      Object.entries(chairEntries).filter(([id]) =>
        atoms.some((row) => row.some((a) => a.chair === id && !a.removed)),
      ),
    ),
    paragraphs: {},
    comments: commentEntries,
  };
  return { doc, registry };
}

function prefixOf(block: Block): string {
  switch (block.shape.type) {
    case "heading":
      return "h";
    case "item":
      return "i";
    case "option":
      return "op";
    default:
      return "p";
  }
}
