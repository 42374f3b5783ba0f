import type { Command, EditorState } from "prosemirror-state";
import { beforeEach, describe, expect, it } from "vitest";
import {
  adoptChairAlternative,
  clearPosition,
  dropProposal,
  liftBracket,
  proposeAlternativeWording,
  proposeChairAlternative,
  proposeDeletion,
  proposeInsertion,
  proposeReplacement,
  setAgreement,
  statePosition,
  withdrawChairAlternative,
  withdrawProposal,
} from "../../../schema/commands/index.ts";
import type { Actor } from "../../../schema/registry.ts";
import { at, br, ca, doc, np, registry, resetIds } from "../../builder.ts";
import {
  chair,
  observer,
  open,
  pakistan,
  run,
  secretariat,
  secretariatForPakistan,
  stateOf,
  uae,
} from "./fixtures.ts";

// DESIGN §5 as a table: every command against every kind of actor, on a draft where the
// command is possible for someone. Pakistan proposed b1 and holds a position on it; the
// UAE is another delegation.

beforeEach(resetIds);

function draftState(withSelection: boolean): EditorState {
  const text = withSelection ? "The <a>Office<b> shall " : "The Office<a> shall ";
  return stateOf(
    doc(np(text, br("b1", at("a1", "and purpose"))), np("agreed text"), np(ca("c1", "compromise"))),
    registry({
      brackets: {
        b1: open({
          positions: {
            Pakistan: {
              party: "Pakistan",
              stance: "retain",
              onBehalfOf: null,
              text: null,
              enteredBy: null,
            },
          },
        }),
      },
      chairAlternatives: { c1: { replaces: ["p2"], status: "proposed" } },
    }),
  );
}

const actors: Record<string, Actor> = {
  "the proposing delegation": pakistan,
  "another delegation": uae,
  "the chair": chair,
  "the secretariat": secretariatForPakistan,
  "the secretariat in its own name": secretariat,
  "an observer": observer,
};

type Row = readonly [action: string, command: (actor: Actor) => Command, selection: boolean];

const rows: readonly Row[] = [
  ["propose an insertion", (a) => proposeInsertion(a, "new "), false],
  ["propose a deletion", (a) => proposeDeletion(a), true],
  ["propose a replacement", (a) => proposeReplacement(a, "Unit"), true],
  ["propose an alternative wording", (a) => proposeAlternativeWording(a, "p1", "Other"), false],
  ["state its own position", (a) => statePosition(a, "b1", "oppose"), false],
  [
    "state Pakistan's position",
    (a) => statePosition(a, "b1", "support", { party: "Pakistan" }),
    false,
  ],
  ["clear Pakistan's position", (a) => clearPosition(a, "b1", { party: "Pakistan" }), false],
  ["withdraw Pakistan's proposal", (a) => withdrawProposal(a, "b1"), false],
  ["lift a bracket", (a) => liftBracket(a, "b1"), false],
  ["drop a proposal", (a) => dropProposal(a, "b1"), false],
  ["mark a paragraph agreed", (a) => setAgreement(a, "p2", "agreed"), false],
  ["propose a chair's alternative", (a) => proposeChairAlternative(a, ["p1"], ["x"]), false],
  ["adopt a chair's alternative", (a) => adoptChairAlternative(a, "c1"), false],
  ["withdraw a chair's alternative", (a) => withdrawChairAlternative(a, "c1"), false],
];

// Who may, per row, in the order of `actors`.
const allowed: Record<string, readonly boolean[]> = {
  "propose an insertion": [true, true, true, true, true, false],
  "propose a deletion": [true, true, true, true, true, false],
  "propose a replacement": [true, true, true, true, true, false],
  "propose an alternative wording": [true, true, true, true, true, false],
  // The chair and the secretariat record positions for delegations, never their own.
  "state its own position": [true, true, false, true, false, false],
  "state Pakistan's position": [true, false, true, true, true, false],
  "clear Pakistan's position": [true, false, true, true, true, false],
  "withdraw Pakistan's proposal": [true, false, true, true, true, false],
  "lift a bracket": [false, false, true, true, true, false],
  "drop a proposal": [false, false, true, true, true, false],
  "mark a paragraph agreed": [false, false, true, true, true, false],
  "propose a chair's alternative": [false, false, true, false, false, false],
  "adopt a chair's alternative": [false, false, true, false, false, false],
  "withdraw a chair's alternative": [false, false, true, false, false, false],
};

const cases = rows.flatMap(([action, command, selection]) =>
  Object.entries(actors).map(([who, actor], i) => {
    const may = allowed[action]?.[i];
    if (may === undefined) throw new RangeError(`No permission row for ${action}`);
    return { name: `${who} ${may ? "may" : "may not"} ${action}`, command, selection, actor, may };
  }),
);

describe("the permission table", () => {
  it.each(cases)("$name", ({ command, selection, actor, may }) => {
    const state = draftState(selection);
    const probe = command(actor)(state);
    const outcome = run(state, command(actor));
    expect([probe, outcome.ok, outcome.dispatched]).toEqual([may, may, may ? 1 : 0]);
  });
});
