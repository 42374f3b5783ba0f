import type { AttributionEntry, BracketEntry, PartyRef, Position } from "../../schema/registry.ts";
import type { Verdict } from "../guard.ts";
import type { EntryTouch } from "./changes.ts";
import { runsOf } from "./mark-index.ts";
import { metaFault, paragraphFault } from "./shapes.ts";
import type { Judgement } from "./view.ts";

// DESIGN §5 for the registry: who may create, change and remove bracket, attribution,
// chair's alternative, paragraph, comment and meta entries. Every written value is first
// checked for shape (all roles, the chair included: a malformed entry breaks every reader).

type Refusal = Extract<Verdict, { ok: false }>;

function refuse(rule: string, reason: string): Refusal {
  return { ok: false, rule, reason };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Check the shape of every registry value the update wrote; null when all are well formed. */
export function registryShape(j: Judgement): Refusal | null {
  for (const touch of j.changes.entries.values()) {
    const fault = shapeFault(j, touch);
    if (fault) return refuse("registry-malformed", `${touch.collection} ${touch.id}: ${fault}`);
  }
  return null;
}

function shapeFault(j: Judgement, touch: EntryTouch): string | null {
  const { id } = touch;
  const parsedFault = (parsed: { fault: string } | { value: unknown } | undefined) =>
    parsed && "fault" in parsed ? parsed.fault : null;
  switch (touch.collection) {
    case "brackets":
      return parsedFault(j.bracketEntry(id, "after"));
    case "attributions":
      return parsedFault(j.attributionEntry(id, "after"));
    case "chairAlternatives":
      return parsedFault(j.chairAlternativeEntry(id, "after"));
    case "comments":
      return parsedFault(j.commentEntry(id, "after"));
    case "paragraphs": {
      const value = j.era.mapGet(j.types.paragraphs, id, "after");
      return value === undefined ? null : paragraphFault(value);
    }
    case "meta": {
      const value = j.era.mapGet(j.types.meta, id, "after");
      return value === undefined ? null : metaFault(id, value);
    }
    default: {
      const never: never = touch.collection;
      throw new RangeError(`Unknown registry collection ${String(never)}`);
    }
  }
}

/**
 * Judge the registry writes of a delegation or the secretariat (the chair may write any
 * well-formed value). Returns the first refusal, or null when every write is allowed.
 */
export function registryRules(j: Judgement): Refusal | null {
  for (const touch of j.changes.entries.values()) {
    const refusal = judgeTouch(j, touch);
    if (refusal) return refusal;
  }
  return null;
}

function judgeTouch(j: Judgement, touch: EntryTouch): Refusal | null {
  const delegation = j.identity.role === "delegation";
  switch (touch.collection) {
    case "brackets":
      return judgeBracket(j, touch);
    case "attributions": {
      const before = j.attribution(touch.id, "before");
      const after = j.attribution(touch.id, "after");
      if (same(before, after)) return null;
      if (before !== null) {
        return refuse("registry-immutable", `Attribution ${touch.id} cannot be changed`);
      }
      return after && !inOwnName(j, after)
        ? refuse("proposal-in-other-name", `Attribution ${touch.id} is not in the sender's name`)
        : null;
    }
    case "chairAlternatives": {
      const before = j.chairAlternativeEntry(touch.id, "before");
      const after = j.chairAlternativeEntry(touch.id, "after");
      if (same(before, after)) return null;
      return refuse(
        "chair-alternative-chair-only",
        "Only the chair writes chair's alternative texts",
      );
    }
    case "paragraphs": {
      if (!delegation) return null;
      const before = j.era.mapGet(j.types.paragraphs, touch.id, "before");
      const after = j.era.mapGet(j.types.paragraphs, touch.id, "after");
      if (same(before, after)) return null;
      return refuse("agreement-forbidden", "A delegation cannot mark paragraphs agreed");
    }
    case "comments": {
      if (!delegation) return null;
      const before = j.comment(touch.id, "before");
      const after = j.comment(touch.id, "after");
      if (same(before, after)) return null;
      const mine = (c: { author: string } | null) => c === null || c.author === j.identity.party;
      return mine(before) && mine(after)
        ? null
        : refuse("comment-in-other-name", `Comment ${touch.id} is not the sender's`);
    }
    case "meta": {
      if (!delegation) return null;
      const before = j.era.mapGet(j.types.meta, touch.id, "before");
      const after = j.era.mapGet(j.types.meta, touch.id, "after");
      return same(before, after)
        ? null
        : refuse("meta-forbidden", "A delegation cannot change the draft's meta data");
    }
    default: {
      const never: never = touch.collection;
      throw new RangeError(`Unknown registry collection ${String(never)}`);
    }
  }
}

/**
 * Whether a proposal, attribution or position names the sender correctly: a delegation only
 * in its own name (or its group's), never as entered by someone else; the secretariat for any
 * delegation but recorded as entered by itself, or in its own name.
 */
function inOwnName(
  j: Judgement,
  entry: { readonly enteredBy: string | null; readonly onBehalfOf?: string | null },
  parties: readonly PartyRef[] = [entry as AttributionEntry],
): boolean {
  const { identity } = j;
  if (identity.role === "delegation") {
    const own = j.ownParties;
    return (
      entry.enteredBy === null &&
      parties.length > 0 &&
      parties.every(
        (p) => own.has(p.party) && (p.onBehalfOf === null || p.onBehalfOf === identity.onBehalfOf),
      )
    );
  }
  if (entry.enteredBy === identity.party) return true;
  return entry.enteredBy === null && parties.every((p) => p.party === identity.party);
}

function positionInOwnName(j: Judgement, party: string, position: Position): boolean {
  if (j.identity.role === "delegation" && !j.ownParties.has(party)) return false;
  return inOwnName(j, position, [{ party, onBehalfOf: position.onBehalfOf }]);
}

function judgeBracket(j: Judgement, touch: EntryTouch): Refusal | null {
  const { id } = touch;
  const before = j.bracket(id, "before");
  const after = j.bracket(id, "after");
  const delegation = j.identity.role === "delegation";
  if (before === null && after !== null) {
    if (!inOwnName(j, after, after.proposedBy) || (delegation && after.kind === "text")) {
      return refuse("proposal-in-other-name", `Bracket ${id} is not proposed in the sender's name`);
    }
    if (after.status !== "open") {
      return refuse("bracket-status", `A new bracket ${id} must be open`);
    }
    if (delegation && !linksHold(j, after)) {
      return refuse(
        "proposal-in-other-name",
        `Bracket ${id} links to a proposal or block that is not the sender's to link`,
      );
    }
    for (const [party, position] of Object.entries(after.positions)) {
      if (!positionInOwnName(j, party, position)) {
        return refuse(
          "position-in-other-name",
          `The position of ${party} on ${id} is not the sender's`,
        );
      }
    }
    return null;
  }
  if (before === null || after === null || (touch.top && !same(before, after))) {
    return refuse("registry-immutable", `Bracket ${id} cannot be replaced or removed`);
  }
  const fixed: (keyof BracketEntry)[] = [
    "kind",
    "proposedBy",
    "enteredBy",
    "pairedWith",
    "alternativeTo",
  ];
  for (const field of fixed) {
    if (!same(before[field], after[field])) {
      return refuse("registry-immutable", `The ${field} of bracket ${id} cannot be changed`);
    }
  }
  if (touch.fields.has("positions") && !same(before.positions, after.positions)) {
    return refuse("registry-immutable", `The positions of bracket ${id} cannot be replaced whole`);
  }
  if (before.status !== after.status && delegation) {
    const withdraws = before.status === "open" && after.status === "withdrawn";
    if (!withdraws || !(j.ownsBracket(before) || nestedInOwnWithdrawn(j, id))) {
      return refuse(
        "bracket-status",
        `A delegation cannot set bracket ${id} from ${before.status} to ${after.status}`,
      );
    }
  }
  for (const party of touch.positions) {
    const was = before.positions[party];
    const is = after.positions[party];
    if (same(was, is)) continue;
    if (delegation && !j.ownParties.has(party)) {
      return refuse(
        "position-in-other-name",
        `The position of ${party} on ${id} is not the sender's`,
      );
    }
    if (is && !positionInOwnName(j, party, is)) {
      return refuse(
        "position-in-other-name",
        `The position of ${party} on ${id} is not the sender's`,
      );
    }
    if (is && delegation && after.status !== "open") {
      return refuse("bracket-status", `Bracket ${id} is ${after.status}; positions are closed`);
    }
  }
  return null;
}

/**
 * Whether every word of bracket `id` lies in the words of a proposal of the sender's that
 * this update withdraws: `withdrawProposal` withdraws the proposals nested in the words it
 * removes, and a client may send that registry change before the document change.
 */
function nestedInOwnWithdrawn(j: Judgement, id: string): boolean {
  const withdrawnNow = (other: string) => {
    const before = j.bracket(other, "before");
    return (
      before !== null &&
      before.status === "open" &&
      (before.kind === "insertion" || before.kind === "alternative") &&
      j.ownsBracket(before) &&
      j.bracket(other, "after")?.status === "withdrawn"
    );
  };
  let found = false;
  for (const text of j.index.textsOf(id)) {
    for (const run of runsOf(j.era, text, "before")) {
      if (!run.marks.some((m) => m.type === "bracket" && m.id === id)) continue;
      found = true;
      if (!run.marks.some((m) => m.type === "bracket" && m.id !== id && withdrawnNow(m.id))) {
        return false;
      }
    }
  }
  return found;
}

/**
 * Whether a delegation's new bracket links only where MODEL.md says: `alternativeTo` on an
 * alternative wording alone, `pairedWith` to another bracket of its own (the other half of
 * its replacement), never to someone else's proposal.
 */
function linksHold(j: Judgement, entry: BracketEntry): boolean {
  if ((entry.kind === "alternative") !== (entry.alternativeTo !== null)) return false;
  if (entry.pairedWith === null) return true;
  const other = j.bracket(entry.pairedWith, "after");
  return other !== null && j.ownsBracket(other);
}
