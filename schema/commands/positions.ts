import type { Command, EditorState } from "prosemirror-state";
import type { Actor, Position, Stance } from "../registry.ts";
import { stances } from "../registry.ts";
import { addRegistryOps, getRegistry } from "../state.ts";

// A delegation's reaction to a bracket ("Pakistan: delete", "UAE: oppose", "USA — OK").
// Positions change nothing in the text: they are registry facts keyed by party, so two
// delegations stating positions at once merge instead of conflicting.

/** Whose position to record, when the actor records it for someone else. */
export interface PositionOptions {
  /** The replacement words for "replace", the words of a "comment". */
  readonly text?: string | null;
  /**
   * The party whose position it is. A delegation may name only itself or the group it
   * speaks for; the chair and the secretariat name the delegation that spoke (otherwise
   * the actor's `onBehalfOf`).
   */
  readonly party?: string;
  /** The group the party speaks for, when the chair or secretariat records it. */
  readonly onBehalfOf?: string | null;
}

/** The party and the position fields an actor records, or null when it may not. */
function recordedVoice(
  actor: Actor,
  options: PositionOptions,
): { party: string; onBehalfOf: string | null; enteredBy: string | null } | null {
  switch (actor.role) {
    case "delegation": {
      const party = options.party ?? actor.party;
      if (party === actor.party)
        return { party, onBehalfOf: actor.onBehalfOf ?? null, enteredBy: null };
      if (actor.onBehalfOf && party === actor.onBehalfOf) {
        return { party, onBehalfOf: null, enteredBy: null };
      }
      return null;
    }
    case "chair":
    case "secretariat": {
      // Positions belong to delegations: the chair and the secretariat only record them
      // for the delegation that spoke, never in their own name.
      const party = options.party ?? actor.onBehalfOf ?? null;
      if (!party || party === actor.party) return null;
      return { party, onBehalfOf: options.onBehalfOf ?? null, enteredBy: actor.party };
    }
    case "observer":
      return null;
    default: {
      const never: never = actor.role;
      throw new RangeError(`Unknown role ${String(never)}`);
    }
  }
}

function openEntry(state: EditorState, bracketId: string) {
  const entry = getRegistry(state).brackets[bracketId];
  return entry && entry.status === "open" ? entry : null;
}

/**
 * State `stance` on the open bracket `bracketId`, replacing the party's earlier position.
 * A delegation states its own (or its group's) position; the chair and the secretariat
 * record a delegation's position, marked as entered by them. Returns false for an
 * observer, for a party the actor may not speak for, for a bracket that is missing or not
 * open, and for "replace" or "comment" without text. Throws a `RangeError` for an unknown
 * stance.
 */
export function statePosition(
  actor: Actor,
  bracketId: string,
  stance: Stance,
  options: PositionOptions = {},
): Command {
  if (!stances.includes(stance)) throw new RangeError(`Unknown stance ${String(stance)}`);
  return (state, dispatch) => {
    const voice = recordedVoice(actor, options);
    if (!voice || !openEntry(state, bracketId)) return false;
    const text = options.text ?? null;
    if ((stance === "replace" || stance === "comment") && !text) return false;
    if (dispatch) {
      const position: Position = { ...voice, stance, text };
      dispatch(
        addRegistryOps(state.tr, [
          { op: "setPosition", bracket: bracketId, party: voice.party, position },
        ]),
      );
    }
    return true;
  };
}

/**
 * Take back a party's position on the open bracket `bracketId`, with the same rules for
 * who may speak for whom as `statePosition` (`options.party` names the party). Returns false
 * when the party holds no position there, or when `statePosition` would refuse.
 */
export function clearPosition(
  actor: Actor,
  bracketId: string,
  options: Pick<PositionOptions, "party"> = {},
): Command {
  return (state, dispatch) => {
    const voice = recordedVoice(actor, options);
    const entry = openEntry(state, bracketId);
    if (!voice || !entry?.positions[voice.party]) return false;
    if (dispatch) {
      dispatch(
        addRegistryOps(state.tr, [
          { op: "setPosition", bracket: bracketId, party: voice.party, position: null },
        ]),
      );
    }
    return true;
  };
}
