import type { EditorState } from "prosemirror-state";
import { mayEditAgreedText, speaksFor } from "../permissions.ts";
import { nestedRanges } from "../queries.ts";
import type { Actor, Registry } from "../registry.ts";
import { getRegistry } from "../state.ts";

// Plain typing is not a negotiation command, but who may type where is a negotiation rule:
// the chair and the secretariat edit any text (editorially), a delegation only the words of
// its own open proposal. The client asks this before letting a keystroke through and turns
// a delegation's typing elsewhere into a bracketed insertion; the server asks the same.

function ownsOpenProposal(actor: Actor, registry: Registry, id: string): boolean {
  const entry = registry.brackets[id];
  if (entry?.status !== "open") return false;
  if (entry.kind !== "insertion" && entry.kind !== "alternative") return false;
  return entry.proposedBy.some((p) => speaksFor(actor, p.party));
}

/**
 * Whether `actor` may change the text between `from` and `to` directly (`from === to` for
 * typing at a point). The chair and the secretariat may anywhere. A delegation may only
 * strictly inside an open insertion or alternative wording it proposed: typing needs the
 * proposal's words on both sides, and a deletion must leave at least one of its words
 * (removing all of them is withdrawing it). Any other bracket the range touches must be
 * the delegation's own open proposal too, so it never edits words others proposed inside
 * its own. An observer may not. Throws a `RangeError` for a range outside the document.
 */
export function mayEditAt(actor: Actor, state: EditorState, from: number, to: number): boolean {
  const size = state.doc.content.size;
  if (from < 0 || to > size || from > to) {
    throw new RangeError(`Bad range ${from}–${to} in a document of size ${size}`);
  }
  if (mayEditAgreedText(actor)) return true;
  if (actor.role !== "delegation") return false;
  const registry = getRegistry(state);
  const ranges = nestedRanges(state.doc);
  let inOwn = false;
  for (const range of ranges) {
    const contains =
      from === to
        ? range.from < from && to < range.to
        : range.from <= from && to <= range.to && (range.from < from || to < range.to);
    const touches = from === to ? contains : range.from < to && from < range.to;
    if (!touches) continue;
    if (!ownsOpenProposal(actor, registry, range.id)) {
      // A bracket of someone else that encloses the range does not stop it; one inside the
      // range, or nested in the delegation's own proposal around the range, does.
      const enclosesOwn = ranges.some(
        (own) =>
          own.id !== range.id &&
          ownsOpenProposal(actor, registry, own.id) &&
          range.from <= own.from &&
          own.to <= range.to,
      );
      if (!(contains && enclosesOwn)) return false;
      continue;
    }
    if (contains) inOwn = true;
    else return false;
  }
  return inOwn;
}
