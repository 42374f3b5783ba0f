import * as Y from "yjs";
import type { Verdict } from "../guard.ts";
import type { TextRun } from "./changes.ts";
import type { MarkRef } from "./shapes.ts";
import type { Judgement } from "./view.ts";

// DESIGN §5 for the words and blocks of a draft, following MODEL.md: a delegation's words
// stand inside its own open bracket under its own attribution; it brackets existing words
// only with its own deletion bracket; it removes only its own open proposals' words (or its
// own deletion bracket's mark, when withdrawing); it adds a block only as an alternative
// wording. The secretariat edits freely but leaves chair's texts to the chair.

type Refusal = Extract<Verdict, { ok: false }>;

function refuse(rule: string, reason: string): Refusal {
  return { ok: false, rule, reason };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Every mark an update put on words must point at a registry entry. */
export function marksHaveEntries(j: Judgement): Refusal | null {
  const check = (mark: MarkRef, text: string): Refusal | null => {
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
          `The ${mark.type} mark ${mark.id} on ${quote(text)} has no registry entry`,
        )
      : null;
  };
  for (const run of j.changes.inserted) {
    for (const mark of run.marks) {
      const refusal = check(mark, run.text);
      if (refusal) return refusal;
    }
  }
  for (const change of j.changes.reformatted) {
    for (const mark of change.added) {
      const refusal = check(mark, change.text);
      if (refusal) return refusal;
    }
  }
  return null;
}

/** The secretariat may edit anything but the chair's alternative marks. */
export function secretariatDocumentRules(j: Judgement): Refusal | null {
  for (const change of j.changes.reformatted) {
    if ([...change.added, ...change.removed].some((m) => m.type === "chairAlternative")) {
      return refuse(
        "chair-alternative-chair-only",
        "Only the chair marks chair's alternative texts",
      );
    }
  }
  return null;
}

/** Judge the words, marks and blocks a delegation changed; null when all are allowed. */
export function delegationDocumentRules(j: Judgement): Refusal | null {
  const { changes } = j;
  const newBlocks = new Set(changes.blocksInserted.map((b) => b.element));
  for (const run of changes.inserted) {
    const refusal = judgeInsertedRun(j, run, newBlocks);
    if (refusal) return refusal;
  }
  for (const run of changes.deleted) {
    if (!deletableByDelegation(j, run)) {
      return refuse(
        "delete-outside-own-proposal",
        `A delegation can delete only words of its own open proposals, not ${quote(run.text)}`,
      );
    }
  }
  for (const change of changes.reformatted) {
    for (const mark of change.added) {
      if (!mayAddMark(j, mark)) {
        return refuse(
          "mark-forbidden",
          `A delegation cannot add the ${mark.type} mark ${mark.id} to ${quote(change.text)}`,
        );
      }
    }
    for (const mark of change.removed) {
      if (!mayRemoveMark(j, mark)) {
        return refuse(
          "mark-forbidden",
          `A delegation cannot remove the ${mark.type} mark ${mark.id} from ${quote(change.text)}`,
        );
      }
    }
  }
  for (const block of changes.blocksInserted) {
    const refusal = judgeNewBlock(j, block.element, block.item);
    if (refusal) return refusal;
  }
  const emptied = new Set(changes.deleted.map((run) => run.block));
  for (const block of changes.blocksDeleted) {
    const name = block.element.nodeName;
    if ((name !== "paragraph" && name !== "item") || !emptied.has(block.element)) {
      return refuse("block-forbidden", `A delegation cannot remove a ${name}`);
    }
  }
  if (changes.attrsChanged.length > 0) {
    const { element, key } = changes.attrsChanged[0]!;
    return refuse(
      "block-forbidden",
      `A delegation cannot change the ${key} of a ${element.nodeName}`,
    );
  }
  return null;
}

function judgeInsertedRun(
  j: Judgement,
  run: TextRun,
  newBlocks: Set<Y.XmlElement>,
): Refusal | null {
  const own = run.marks.some((mark) => {
    if (mark.type !== "bracket") return false;
    const entry = j.bracket(mark.id, "after");
    return (
      entry !== null &&
      entry.status === "open" &&
      (entry.kind === "insertion" || entry.kind === "alternative") &&
      j.ownsBracket(entry)
    );
  });
  if (!own) {
    return refuse(
      "text-outside-own-bracket",
      `A delegation can add words only inside its own open proposal, not ${quote(run.text)}`,
    );
  }
  const attributed = run.marks.some((mark) => {
    if (mark.type !== "attribution") return false;
    const entry = j.attribution(mark.id, "after");
    return entry !== null && j.ownParties.has(entry.party);
  });
  if (!attributed) {
    return refuse(
      "text-without-own-attribution",
      `The words ${quote(run.text)} do not carry the delegation's own attribution`,
    );
  }
  if (run.block && newBlocks.has(run.block)) {
    const expected = previousBlockId(run.block);
    const fits = run.marks.some((mark) => {
      if (mark.type !== "bracket") return false;
      const entry = j.bracket(mark.id, "after");
      return (
        entry !== null &&
        entry.kind === "alternative" &&
        entry.alternativeTo === expected &&
        j.ownsBracket(entry)
      );
    });
    if (!fits) {
      return refuse(
        "block-forbidden",
        "A delegation's new block must be its alternative wording of the block before it",
      );
    }
  }
  return null;
}

function deletableByDelegation(j: Judgement, run: TextRun): boolean {
  // Words carrying the delegation's own open insertion lie inside its proposal; withdrawing
  // it takes any proposal nested there with it (MODEL.md, as `withdrawProposal` does).
  return run.marks.some((mark) => {
    if (mark.type !== "bracket") return false;
    const entry = j.bracket(mark.id, "before");
    return (
      entry !== null &&
      entry.status === "open" &&
      (entry.kind === "insertion" || entry.kind === "alternative") &&
      j.ownsBracket(entry)
    );
  });
}

function mayAddMark(j: Judgement, mark: MarkRef): boolean {
  switch (mark.type) {
    case "bracket": {
      const entry = j.bracket(mark.id, "after");
      return (
        entry !== null &&
        entry.kind === "deletion" &&
        entry.status === "open" &&
        j.ownsBracket(entry)
      );
    }
    case "comment":
      return j.comment(mark.id, "after")?.author === j.identity.party;
    default:
      return false;
  }
}

function mayRemoveMark(j: Judgement, mark: MarkRef): boolean {
  switch (mark.type) {
    case "bracket": {
      const before = j.bracket(mark.id, "before");
      const after = j.bracket(mark.id, "after");
      return (
        before !== null &&
        before.kind === "deletion" &&
        before.status === "open" &&
        after?.status === "withdrawn" &&
        j.ownsBracket(before)
      );
    }
    case "comment":
      return j.comment(mark.id, "before")?.author === j.identity.party;
    default:
      return false;
  }
}

/** A new block may be a paragraph without number or an item of an existing list. */
function judgeNewBlock(j: Judgement, element: Y.XmlElement, item: Y.Item): Refusal | null {
  const parent = item.parent;
  const allowed =
    (element.nodeName === "paragraph" && element.getAttribute("numbering") === "none") ||
    (element.nodeName === "item" &&
      parent instanceof Y.XmlElement &&
      parent._item !== null &&
      !j.era.isNew(parent._item));
  const hasWords = j.changes.inserted.some((run) => run.block === element);
  return allowed && hasWords
    ? null
    : refuse("block-forbidden", `A delegation cannot add a ${element.nodeName} here`);
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
