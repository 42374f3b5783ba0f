import type { Command, EditorState } from "prosemirror-state";
import { TextSelection } from "prosemirror-state";
import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  adoptChairAlternative,
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
import { checkDraft, draftFromYDoc, draftToYDoc } from "../../../schema/draft.ts";
import { markRanges } from "../../../schema/ranges.ts";
import { type Actor, emptyRegistry, stances } from "../../../schema/registry.ts";
import { draftOf, getRegistry, registryOpsOf } from "../../../schema/state.ts";
import { applyOpsToYDoc, registryFromYDoc } from "../../../schema/yregistry.ts";
import { doc, item, list, np, p, resetIds } from "../../builder.ts";
import {
  algeria,
  chair,
  observer,
  pakistan,
  run,
  secretariatForPakistan,
  stateOf,
  uae,
} from "./fixtures.ts";

// Random sessions: actors of every role run random commands on random selections; after
// every step the draft must still hold together. Replay a failure with PARLEY_SEED=<seed>.

beforeEach(resetIds);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const actors: readonly Actor[] = [pakistan, uae, algeria, chair, secretariatForPakistan, observer];
const words = ["network", "offices ", "and purpose", " regional", "shall "];

interface Session {
  readonly rand: () => number;
  next: number;
}

function pick<T>(s: Session, items: readonly T[]): T | undefined {
  return items[Math.floor(s.rand() * items.length)];
}

function textPositions(state: EditorState): number[] {
  const out: number[] = [];
  state.doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    for (let i = 0; i <= node.content.size; i++) out.push(pos + 1 + i);
    return false;
  });
  return out;
}

function blockIds(state: EditorState, types: readonly string[]): string[] {
  const out: string[] = [];
  state.doc.descendants((node) => {
    if (types.includes(node.type.name)) out.push(String(node.attrs.id));
    return !node.isTextblock;
  });
  return out;
}

/** A random selection and a random command by a random actor. */
function randomStep(
  s: Session,
  state: EditorState,
): { state: EditorState; command: Command; label: string } {
  const actor = pick(s, actors)!;
  const positions = textPositions(state);
  const a = pick(s, positions) ?? 1;
  const b = pick(s, positions) ?? 1;
  const cursor = s.rand() < 0.5;
  const [from, to] = cursor ? [a, a] : [Math.min(a, b), Math.max(a, b)];
  const selected = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
  const registry = getRegistry(state);
  const bracket = pick(s, Object.keys(registry.brackets)) ?? "none";
  const chairText = pick(s, Object.keys(registry.chairAlternatives)) ?? "none";
  const n = s.next++;
  const text = pick(s, words)!;
  const choices: [string, () => Command][] = [
    ["insert", () => proposeInsertion(actor, text, { id: `b${n}`, attributionId: `a${n}` })],
    ["delete", () => proposeDeletion(actor, { id: `b${n}` })],
    [
      "replace",
      () =>
        proposeReplacement(actor, text, {
          deletionId: `b${n}`,
          insertionId: `b${n}i`,
          attributionId: `a${n}`,
        }),
    ],
    [
      "alternative",
      () =>
        proposeAlternativeWording(
          actor,
          pick(s, blockIds(state, ["paragraph", "item"])) ?? "none",
          text,
          {
            id: `b${n}`,
            attributionId: `a${n}`,
            blockId: `x${n}`,
          },
        ),
    ],
    [
      "position",
      () =>
        statePosition(actor, bracket, pick(s, stances)!, {
          text: "w",
          party: pick(s, ["Pakistan", "Chile"]),
        }),
    ],
    ["withdraw", () => withdrawProposal(actor, bracket)],
    ["lift", () => liftBracket(actor, bracket)],
    ["drop", () => dropProposal(actor, bracket)],
    [
      "agree",
      () =>
        setAgreement(
          actor,
          pick(s, blockIds(state, ["paragraph"])) ?? "none",
          pick(s, ["agreed", "adRef", null])!,
        ),
    ],
    [
      "chair",
      () =>
        proposeChairAlternative(
          actor,
          [pick(s, blockIds(state, ["paragraph", "item"])) ?? "none"],
          [text],
          {
            id: `c${n}`,
            blockIds: [`y${n}`],
          },
        ),
    ],
    ["adopt", () => adoptChairAlternative(actor, chairText)],
    ["withdrawChair", () => withdrawChairAlternative(actor, chairText)],
  ];
  const [name, make] = pick(s, choices)!;
  return {
    state: selected,
    command: make(),
    label: `${actor.party} ${name} ${from}-${to} ${bracket}`,
  };
}

function openInvariant(state: EditorState): string[] {
  const registry = getRegistry(state);
  const inDoc = markRanges(state.doc, "bracket");
  const problems: string[] = [];
  for (const [id, entry] of Object.entries(registry.brackets)) {
    if ((entry.status === "open") !== inDoc.has(id)) {
      problems.push(
        `bracket ${id} is ${entry.status} but ${inDoc.has(id) ? "has" : "lacks"} words`,
      );
    }
  }
  return problems;
}

const seeds = process.env.PARLEY_SEED
  ? [Number(process.env.PARLEY_SEED)]
  : Array.from({ length: 20 }, (_, i) => 1000 + i * 7919);

describe("random negotiation sessions", () => {
  it.each(seeds)("keep the draft consistent after every step (PARLEY_SEED=%i)", (seed) => {
    const s: Session = { rand: mulberry32(seed), next: 1 };
    let state = stateOf(
      doc(
        np("The Office shall promote the mandate of the Organization."),
        np("It shall report to the Director General."),
        list("alpha", item("coordinate with national offices;"), item("assist member states.")),
        p("Statement from the floor."),
        np("Final provisions apply."),
      ),
      emptyRegistry,
    );
    const ydoc = new Y.Doc();
    const log: string[] = [];
    for (let step = 0; step < 100; step++) {
      const { state: selected, command, label } = randomStep(s, state);
      const outcome = run(selected, command);
      if (!outcome.ok) continue;
      log.push(label);
      state = outcome.state;
      if (outcome.tr) applyOpsToYDoc(ydoc, registryOpsOf(outcome.tr));
      const problems = [
        ...checkDraft(draftOf(state))
          .filter((problem) => problem.kind !== "unknownReference")
          .map((problem) => problem.message),
        ...openInvariant(state),
      ];
      const context = `seed ${seed}, after: ${log.join(" | ")}`;
      expect(problems, context).toEqual([]);
      expect(registryFromYDoc(ydoc), context).toEqual(getRegistry(state));
    }
    const back = draftFromYDoc(draftToYDoc(draftOf(state)));
    expect(back.doc.eq(state.doc), `seed ${seed}`).toBe(true);
  });
});
