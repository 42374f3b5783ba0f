import type { Actor, BracketEntry, PartyRef } from "./registry.ts";

// DESIGN §5 as code. The commands consult these predicates so that a client's menus mirror
// the rules, and the server consults the same predicates when it checks incoming updates.

/** The name under which the chair acts when it acts for itself. */
export const chairParty = "Chair";
/** The name under which the secretariat acts when it acts for itself (editorial work). */
export const secretariatParty = "Secretariat";

/** The party a proposal or position is recorded under, and who typed it in for them. */
export interface Voice {
  readonly ref: PartyRef;
  /** "Secretariat" or "Chair" when they recorded it for a delegation, otherwise null. */
  readonly enteredBy: string | null;
}

/**
 * The voice in which `actor` proposes and states positions, or null for an observer.
 * A delegation speaks in its own name (possibly for its group); the secretariat and the
 * chair speak for the delegation named in `onBehalfOf`, or for themselves without it.
 */
export function voiceOf(actor: Actor): Voice | null {
  switch (actor.role) {
    case "delegation":
      return { ref: { party: actor.party, onBehalfOf: actor.onBehalfOf ?? null }, enteredBy: null };
    case "secretariat":
    case "chair":
      return actor.onBehalfOf
        ? { ref: { party: actor.onBehalfOf, onBehalfOf: null }, enteredBy: actor.party }
        : { ref: { party: actor.party, onBehalfOf: null }, enteredBy: null };
    case "observer":
      return null;
    default: {
      const never: never = actor.role;
      throw new RangeError(`Unknown role ${String(never)}`);
    }
  }
}

/** Whether `actor` may write anything at all. */
export function mayWrite(actor: Actor): boolean {
  return actor.role !== "observer";
}

/** Whether `actor` speaks for `party`: its own name or the group it speaks for. */
export function speaksFor(actor: Actor, party: string): boolean {
  if (actor.role === "chair" || actor.role === "secretariat") return true;
  if (actor.role !== "delegation") return false;
  return party === actor.party || (actor.onBehalfOf != null && party === actor.onBehalfOf);
}

/**
 * Whether `actor` may change or withdraw the open proposal `entry`: a delegation only its
 * own, the chair and the secretariat any.
 */
export function mayChangeProposal(actor: Actor, entry: BracketEntry): boolean {
  if (entry.status !== "open") return false;
  if (actor.role === "chair" || actor.role === "secretariat") return true;
  if (actor.role !== "delegation") return false;
  return entry.proposedBy.some((p) => speaksFor(actor, p.party));
}

/** Whether `actor` may edit agreed (unbracketed) text and others' proposals. */
export function mayEditAgreedText(actor: Actor): boolean {
  return actor.role === "chair" || actor.role === "secretariat";
}

/**
 * Whether `actor` may lift brackets, drop proposals and mark paragraphs agreed: the chair,
 * and the secretariat at the chair's direction.
 */
export function mayDecide(actor: Actor): boolean {
  return actor.role === "chair" || actor.role === "secretariat";
}

/** Whether `actor` may write, adopt or withdraw a chair's alternative text. */
export function mayWriteChairAlternative(actor: Actor): boolean {
  return actor.role === "chair";
}
