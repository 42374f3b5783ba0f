import * as Y from "yjs";
import type { Verdict } from "../guard.ts";
import type { Side } from "./era.ts";
import type { MarkRef } from "./shapes.ts";
import {
  blockChars,
  type Char,
  diffChars,
  localDiff,
  quoteChars,
  type TextDiff,
} from "./text-diff.ts";
import type { Judgement } from "./view.ts";

// DESIGN §5 for the words and blocks of a draft, following MODEL.md. Each touched block's
// visible words before and after are aligned (text-diff.ts), except when the update only
// added string items to it (typing): that difference is read from those items alone
// (`localDiff`, the same difference without reading the rest of the block). Then, for a
// delegation: words it added lie in its own open insertion or alternative wording under its
// own attribution; words it removed lay in its own proposal; on words that stay, only its
// own deletion brackets (and comments) came or went; a new block is its alternative wording
// of the block before. The secretariat edits freely but leaves chair's texts to the chair.
// For every role, a mark put on words must have a registry entry.

type Refusal = Extract<Verdict, { ok: false }>;

function refuse(rule: string, reason: string): Refusal {
  return { ok: false, rule, reason };
}

const markKey = (mark: MarkRef) => `${mark.type}:${mark.id}`;

/**
 * Judge the words and blocks the update changed for the sender's role; null when all is
 * allowed.
 */
export function documentRules(j: Judgement): Refusal | null {
  const role = j.identity.role;
  // Marks a role may add or remove on words that stay; left out of the alignment so that
  // such words still match, and judged on their own.
  const free = (mark: MarkRef, side: Side): boolean => {
    if (role === "secretariat") return mark.type === "chairAlternative";
    if (role !== "delegation") return false;
    if (mark.type === "comment") return j.comment(mark.id, side)?.author === j.identity.party;
    if (mark.type !== "bracket") return false;
    const entry = j.bracket(mark.id, "after") ?? j.bracket(mark.id, "before");
    return entry !== null && entry.kind === "deletion" && j.ownsBracket(entry);
  };
  const token = (char: Char, side: Side) =>
    `${char.ch}\u0000${char.marks
      .filter((m) => !free(m, side))
      .map(markKey)
      .sort()
      .join(",")}`;
  const newBlocks = new Set(j.changes.blocksInserted.map((b) => b.element));
  for (const block of j.changes.texts) {
    // Typing into a block only adds string items: its difference is those words, read
    // locally. Anything else (deletions, formatting, a new block) is aligned in full.
    const strings = newBlocks.has(block) ? null : (j.changes.stringsOnly.get(block) ?? null);
    const diff = strings
      ? localDiff(block, strings)
      : diffChars(blockChars(j.era, block, "before"), blockChars(j.era, block, "after"), token);
    // Typing adds words and nothing else, so each character stands or falls by its own
    // marks: mark sets already allowed for this sender need no second look (typing.ts).
    const typing = strings ? j.typing : null;
    if (typing && diff.inserted.every((char) => typing.allows(j.identity, char.marks))) continue;
    const refusal =
      marksHaveEntries(j, diff) ??
      (role === "delegation"
        ? delegationWords(j, diff, newBlocks.has(block) ? block : null)
        : role === "secretariat"
          ? secretariatWords(diff)
          : null);
    if (refusal) return refusal;
    if (typing) for (const char of diff.inserted) typing.allow(j.identity, char.marks);
  }
  return role === "delegation" ? delegationBlocks(j) : null;
}

/** Every mark put on words (new words, or marks added to old ones) has a registry entry. */
function marksHaveEntries(j: Judgement, diff: TextDiff): Refusal | null {
  const seen = new Set<string>();
  const check = (mark: MarkRef, chars: readonly Char[]): Refusal | null => {
    const key = markKey(mark);
    if (seen.has(key)) return null;
    seen.add(key);
    const present =
      mark.type === "bracket"
        ? j.bracketEntry(mark.id, "after")
        : mark.type === "attribution"
          ? j.attributionEntry(mark.id, "after")
          : mark.type === "chairAlternative"
            ? j.chairAlternativeEntry(mark.id, "after")
            : j.commentEntry(mark.id, "after");
    return present === undefined
      ? refuse(
          "mark-without-entry",
          `The ${mark.type} mark ${mark.id} on ${quoteChars(chars)} has no registry entry`,
        )
      : null;
  };
  for (const char of diff.inserted) {
    for (const mark of char.marks) {
      const refusal = check(mark, [char]);
      if (refusal) return refusal;
    }
  }
  for (const [was, is] of diff.matched) {
    const old = new Set(was.marks.map(markKey));
    for (const mark of is.marks) {
      if (old.has(markKey(mark))) continue;
      const refusal = check(mark, [is]);
      if (refusal) return refusal;
    }
  }
  return null;
}

/** The secretariat may not put chair's alternative marks on words or take them off. */
function secretariatWords(diff: TextDiff): Refusal | null {
  for (const [was, is] of diff.matched) {
    const a = was.marks
      .filter((m) => m.type === "chairAlternative")
      .map(markKey)
      .sort();
    const b = is.marks
      .filter((m) => m.type === "chairAlternative")
      .map(markKey)
      .sort();
    if (a.join() !== b.join()) {
      return refuse(
        "chair-alternative-chair-only",
        "Only the chair marks chair's alternative texts",
      );
    }
  }
  return null;
}

function delegationWords(j: Judgement, diff: TextDiff, newBlock: Y.XmlElement | null) {
  const ownOpen = (mark: MarkRef) => {
    if (mark.type !== "bracket") return false;
    const entry = j.bracket(mark.id, "after");
    return (
      entry !== null &&
      entry.status === "open" &&
      (entry.kind === "insertion" || entry.kind === "alternative") &&
      j.ownsBracket(entry)
    );
  };
  const text = (chars: readonly Char[]) => chars.map((c) => c.ch).join("");
  if (diff.inserted.length > 0 && text(diff.inserted) === text(diff.deleted)) {
    return refuse(
      "mark-forbidden",
      `A delegation cannot change the marks on ${quoteChars(diff.inserted)}`,
    );
  }
  const outside = diff.inserted.filter((char) => !char.marks.some(ownOpen));
  if (outside.length > 0) {
    return refuse(
      "text-outside-own-bracket",
      `A delegation can add words only inside its own open proposal, not ${quoteChars(outside)}`,
    );
  }
  const unattributed = diff.inserted.filter(
    (char) =>
      !char.marks.some((mark) => {
        if (mark.type !== "attribution") return false;
        const entry = j.attribution(mark.id, "after");
        return entry !== null && j.ownParties.has(entry.party);
      }),
  );
  if (unattributed.length > 0) {
    return refuse(
      "text-without-own-attribution",
      `The words ${quoteChars(unattributed)} do not carry the delegation's own attribution`,
    );
  }
  const undeletable = diff.deleted.filter((char) => !deletable(j, char));
  if (undeletable.length > 0) {
    return refuse(
      "delete-outside-own-proposal",
      `A delegation can delete only words of its own open proposals, not ${quoteChars(undeletable)}`,
    );
  }
  for (const [was, is] of diff.matched) {
    const before = new Map(was.marks.map((m) => [markKey(m), m]));
    const after = new Map(is.marks.map((m) => [markKey(m), m]));
    for (const [key, mark] of after) {
      if (!before.has(key) && !mayAddMark(j, mark)) {
        return refuse("mark-forbidden", `A delegation cannot add the ${mark.type} mark ${mark.id}`);
      }
    }
    for (const [key, mark] of before) {
      if (!after.has(key) && !mayRemoveMark(j, mark)) {
        return refuse(
          "mark-forbidden",
          `A delegation cannot remove the ${mark.type} mark ${mark.id}`,
        );
      }
    }
  }
  if (newBlock) return alternativeBlock(j, diff, newBlock);
  return null;
}

/**
 * Whether a delegation may delete a character: it lies in its own insertion or alternative
 * wording (the status may already be `withdrawn`: the browser sends the registry change
 * first), and it is its own word, or a word of a proposal nested in its own that is being
 * withdrawn with it (as `withdrawProposal` does); another's words nested in its proposal are
 * not its to delete while their proposal stays open.
 */
function deletable(j: Judgement, char: Char): boolean {
  const inOwn = char.marks.some((mark) => {
    if (mark.type !== "bracket") return false;
    const entry = j.bracket(mark.id, "before");
    return (
      entry !== null &&
      (entry.status === "open" || entry.status === "withdrawn") &&
      (entry.kind === "insertion" || entry.kind === "alternative") &&
      j.ownsBracket(entry)
    );
  });
  if (!inOwn) return false;
  const ownWords = char.marks.some(
    (mark) =>
      mark.type === "attribution" &&
      j.ownParties.has(j.attribution(mark.id, "before")?.party ?? ""),
  );
  return (
    ownWords ||
    char.marks.every((mark) => {
      if (mark.type !== "bracket") return true;
      const entry = j.bracket(mark.id, "before");
      return (
        entry === null || j.ownsBracket(entry) || j.bracket(mark.id, "after")?.status !== "open"
      );
    })
  );
}

function mayAddMark(j: Judgement, mark: MarkRef): boolean {
  if (mark.type === "comment") return j.comment(mark.id, "after")?.author === j.identity.party;
  if (mark.type !== "bracket") return false;
  const entry = j.bracket(mark.id, "after");
  return (
    entry !== null && entry.kind === "deletion" && entry.status === "open" && j.ownsBracket(entry)
  );
}

function mayRemoveMark(j: Judgement, mark: MarkRef): boolean {
  if (mark.type === "comment") return j.comment(mark.id, "before")?.author === j.identity.party;
  if (mark.type !== "bracket") return false;
  // Withdrawn in this update or (registry sent first) in the one before.
  const entry = j.bracket(mark.id, "after");
  return (
    entry !== null &&
    entry.kind === "deletion" &&
    entry.status === "withdrawn" &&
    j.ownsBracket(entry)
  );
}

/** A delegation's new block holds only its alternative wording of the block before it. */
function alternativeBlock(j: Judgement, diff: TextDiff, block: Y.XmlElement): Refusal | null {
  const expected = previousBlockId(block);
  const fits = (char: Char) =>
    char.marks.some((mark) => {
      if (mark.type !== "bracket") return false;
      const entry = j.bracket(mark.id, "after");
      return (
        entry !== null &&
        entry.kind === "alternative" &&
        entry.alternativeTo === expected &&
        j.ownsBracket(entry)
      );
    });
  if (diff.inserted.length > 0 && diff.inserted.every(fits)) return null;
  return refuse(
    "block-forbidden",
    "A delegation's new block must be its alternative wording of the block before it",
  );
}

/** Blocks a delegation added, removed or changed the attributes of. */
function delegationBlocks(j: Judgement): Refusal | null {
  const { changes } = j;
  for (const { element, item } of changes.blocksInserted) {
    const parent = item.parent;
    const allowed =
      (element.nodeName === "paragraph" && element.getAttribute("numbering") === "none") ||
      (element.nodeName === "item" &&
        parent instanceof Y.XmlElement &&
        parent._item !== null &&
        !j.era.isNew(parent._item));
    if (!allowed || !changes.texts.has(element)) {
      return refuse("block-forbidden", `A delegation cannot add a ${element.nodeName} here`);
    }
  }
  for (const { element } of changes.blocksDeleted) {
    const name = element.nodeName;
    if ((name !== "paragraph" && name !== "item") || !changes.texts.has(element)) {
      return refuse("block-forbidden", `A delegation cannot remove a ${name}`);
    }
  }
  const changed = changes.attrsChanged[0];
  if (changed) {
    return refuse(
      "block-forbidden",
      `A delegation cannot change the ${changed.key} of a ${changed.element.nodeName}`,
    );
  }
  return null;
}

/** The id of the visible block right before a block, or null at the start. */
function previousBlockId(element: Y.XmlElement): string | null {
  for (let left = element._item?.left ?? null; left !== null; left = left.left) {
    if (left.deleted) continue;
    const type = left.content instanceof Y.ContentType ? left.content.type : null;
    if (type instanceof Y.XmlElement) {
      const id = type.getAttribute("id");
      return typeof id === "string" ? id : null;
    }
    return null;
  }
  return null;
}
