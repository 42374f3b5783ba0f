import type { Mark } from "prosemirror-model";
import { type Command, type EditorState, TextSelection } from "prosemirror-state";
import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { mayEditAt } from "../../schema/commands/editing.ts";
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
  withdrawProposal,
} from "../../schema/commands/index.ts";
import { markRanges } from "../../schema/ranges.ts";
import type { Actor, BracketEntry } from "../../schema/registry.ts";
import { schema } from "../../schema/schema.ts";
import { getRegistry } from "../../schema/state.ts";
import { GuardedRoom } from "../../server/permissions/testing.ts";
import { at, br, bracketEntry, doc, item, list, np, registry, resetIds } from "../builder.ts";
import {
  algeria,
  chair,
  observer,
  pakistan,
  secretariat,
  secretariatForPakistan,
  uae,
} from "./commands/fixtures.ts";

// The same actions done honestly, through the model's commands, by the role allowed to do
// them: every one must pass the guard (DESIGN §5, MODEL.md).

beforeEach(resetIds);

const ok = { ok: true };

const uaeInsertion: BracketEntry = bracketEntry({
  proposedBy: [{ party: "United Arab Emirates", onBehalfOf: null }],
});

/** A room with one open insertion by the UAE ("promote") in paragraph 1. */
function room(): { room: GuardedRoom; tag: Record<string, number> } {
  const d = doc(
    np(
      "The Office shall <c>",
      br("b1", at("a1", "pro<p>mote")),
      " inno<a>vation in<b> the region.",
    ),
    np("It reports yearly."),
    list("alpha", item("first item"), item("second item")),
  );
  const r = registry({
    brackets: { b1: uaeInsertion },
    attributions: { a1: { party: "United Arab Emirates", onBehalfOf: null, enteredBy: null } },
  });
  return { room: new GuardedRoom({ doc: d, registry: r }), tag: d.tag };
}

const at_ =
  (from: number, to = from) =>
  (state: Parameters<Command>[0]) =>
    state.tr.setSelection(TextSelection.create(state.doc, from, to));

describe("the permission guard accepts honest actions", () => {
  it("accepts a delegation's insertion proposal", () => {
    const { room: r, tag } = room();
    expect(r.client(pakistan).run(proposeInsertion(pakistan, " and protect"), at_(tag.a!))).toEqual(
      ok,
    );
  });

  it("accepts a delegation's deletion proposal over agreed words", () => {
    const { room: r, tag } = room();
    expect(r.client(pakistan).run(proposeDeletion(pakistan), at_(tag.a!, tag.b!))).toEqual(ok);
  });

  it("accepts a delegation's replacement proposal", () => {
    const { room: r, tag } = room();
    expect(
      r.client(pakistan).run(proposeReplacement(pakistan, "growth"), at_(tag.a!, tag.b!)),
    ).toEqual(ok);
  });

  it("accepts a delegation's insertion nested inside another's open insertion", () => {
    const { room: r, tag } = room();
    expect(r.client(pakistan).run(proposeInsertion(pakistan, "-and-"), at_(tag.p!))).toEqual(ok);
  });

  it("accepts a delegation's alternative wording of a paragraph", () => {
    const { room: r } = room();
    expect(
      r.client(pakistan).run(proposeAlternativeWording(pakistan, "p2", "It reports monthly.")),
    ).toEqual(ok);
  });

  it("accepts a delegation's alternative wording of a list item", () => {
    const { room: r } = room();
    expect(
      r.client(pakistan).run(proposeAlternativeWording(pakistan, "i1", "a first item")),
    ).toEqual(ok);
  });

  it("accepts a delegation stating and then clearing its position on another's bracket", () => {
    const { room: r } = room();
    expect([
      r.client(pakistan).run(statePosition(pakistan, "b1", "oppose")),
      r.client(pakistan).run(clearPosition(pakistan, "b1")),
    ]).toEqual([ok, ok]);
  });

  it("accepts a position stated for the group a delegation speaks for", () => {
    const { room: r } = room();
    expect(
      r.client(algeria).run(statePosition(algeria, "b1", "support", { party: "African Group" })),
    ).toEqual(ok);
  });

  it("accepts a delegation withdrawing its own insertion", () => {
    const { room: r } = room();
    expect(r.client(uae).run(withdrawProposal(uae, "b1"))).toEqual(ok);
  });

  it("accepts a delegation withdrawing its own insertion with another's proposal nested in it", () => {
    const { room: r, tag } = room();
    const nested = r.client(pakistan).run(proposeInsertion(pakistan, "-and-"), at_(tag.p!));
    expect([nested, r.client(uae).run(withdrawProposal(uae, "b1"))]).toEqual([ok, ok]);
  });

  it("accepts a delegation withdrawing its own deletion and replacement proposals", () => {
    const { room: r, tag } = room();
    const client = r.client(pakistan);
    const steps = [
      client.run(proposeDeletion(pakistan, { id: "d1" }), at_(tag.a!, tag.b!)),
      r.client(pakistan).run(withdrawProposal(pakistan, "d1")),
      r
        .client(pakistan)
        .run(
          proposeReplacement(pakistan, "growth", { deletionId: "d2", insertionId: "i2" }),
          at_(tag.a!, tag.b!),
        ),
      r.client(pakistan).run(withdrawProposal(pakistan, "i2")),
    ];
    expect(steps).toEqual([ok, ok, ok, ok]);
  });

  it("accepts a delegation withdrawing its alternative wording", () => {
    const { room: r } = room();
    const steps = [
      r.client(pakistan).run(proposeAlternativeWording(pakistan, "p2", "Monthly.", { id: "alt" })),
      r.client(pakistan).run(withdrawProposal(pakistan, "alt")),
    ];
    expect(steps).toEqual([ok, ok]);
  });

  it("accepts a delegation typing inside its own open insertion", () => {
    const { room: r, tag } = room();
    const type: Command = (state, dispatch) => {
      dispatch?.(state.tr.insertText("x", tag.p!));
      return true;
    };
    expect(r.client(uae).run(type)).toEqual(ok);
  });

  it("accepts the secretariat entering a proposal and a position on behalf of a delegation", () => {
    const { room: r, tag } = room();
    expect([
      r
        .client(secretariatForPakistan)
        .run(proposeInsertion(secretariatForPakistan, " fully"), at_(tag.b!)),
      r.client(secretariatForPakistan).run(statePosition(secretariatForPakistan, "b1", "reserve")),
    ]).toEqual([ok, ok]);
  });

  it("accepts the secretariat's editorial fix of agreed words", () => {
    const { room: r, tag } = room();
    const fix: Command = (state, dispatch) => {
      dispatch?.(state.tr.insertText("I", tag.a!, tag.a! + 1));
      return true;
    };
    expect(r.client(secretariat).run(fix)).toEqual(ok);
  });

  it("accepts the secretariat lifting a bracket, dropping a proposal and marking agreement", () => {
    const { room: r, tag } = room();
    const steps = [
      r.client(pakistan).run(proposeDeletion(pakistan, { id: "d1" }), at_(tag.a!, tag.b!)),
      r.client(secretariat).run(liftBracket(secretariat, "b1")),
      r.client(secretariat).run(dropProposal(secretariat, "d1")),
      r.client(secretariat).run(setAgreement(secretariat, "p1", "adRef")),
    ];
    expect(steps).toEqual([ok, ok, ok, ok]);
  });

  it("accepts the chair proposing and adopting a chair's alternative", () => {
    const { room: r } = room();
    const steps = [
      r
        .client(chair)
        .run(proposeChairAlternative(chair, ["p2"], ["It reports twice a year."], { id: "c1" })),
      r.client(chair).run(adoptChairAlternative(chair, "c1")),
    ];
    expect(steps).toEqual([ok, ok]);
  });

  it("accepts a delegation bracketing words inside a chair's alternative", () => {
    const { room: r } = room();
    r.client(chair).run(
      proposeChairAlternative(chair, ["p2"], ["It reports twice a year."], { id: "c1" }),
    );
    const prepare = (state: Parameters<Command>[0]) => {
      let from = 0;
      state.doc.descendants((node, pos) => {
        if (node.isText && node.text?.startsWith("It reports twice")) from = pos;
      });
      return state.tr.setSelection(TextSelection.create(state.doc, from + 11, from + 16));
    };
    expect(r.client(pakistan).run(proposeDeletion(pakistan), prepare)).toEqual(ok);
  });

  it("accepts an observer's sync reply that carries nothing new", () => {
    const { room: r } = room();
    const watcher = r.client(observer);
    const reply = Y.encodeStateAsUpdate(watcher.doc, Y.encodeStateVector(r.live));
    expect(watcher.send(reply)).toEqual(ok);
  });

  it("leaves the live document equal to the honest client's replica", () => {
    const { room: r, tag } = room();
    const client = r.client(pakistan);
    client.run(proposeReplacement(pakistan, "growth"), at_(tag.a!, tag.b!));
    expect(Y.encodeStateVector(r.live)).toEqual(Y.encodeStateVector(client.doc));
  });
});

describe("the permission guard accepts a command's registry change sent before its document change", () => {
  it("accepts a delegation's insertion proposal", () => {
    const { room: r, tag } = room();
    expect(
      r.client(pakistan).runSplit(proposeInsertion(pakistan, " and protect"), at_(tag.a!)),
    ).toEqual([ok, ok]);
  });

  it("accepts a delegation's replacement proposal and its withdrawal", () => {
    const { room: r, tag } = room();
    const ids = { deletionId: "d2", insertionId: "i2" };
    expect([
      ...r
        .client(pakistan)
        .runSplit(proposeReplacement(pakistan, "growth", ids), at_(tag.a!, tag.b!)),
      ...r.client(pakistan).runSplit(withdrawProposal(pakistan, "d2")),
    ]).toEqual([ok, ok, ok, ok]);
  });

  it("accepts a delegation withdrawing its insertion with another's proposal nested in it", () => {
    const { room: r, tag } = room();
    r.client(pakistan).run(proposeInsertion(pakistan, "-and-", { id: "n1" }), at_(tag.p!));
    expect(r.client(uae).runSplit(withdrawProposal(uae, "b1"))).toEqual([ok, ok]);
  });

  it("accepts a delegation withdrawing its alternative wording", () => {
    const { room: r } = room();
    r.client(pakistan).run(proposeAlternativeWording(pakistan, "p2", "Monthly.", { id: "alt" }));
    expect(r.client(pakistan).runSplit(withdrawProposal(pakistan, "alt"))).toEqual([ok, ok]);
  });

  it("accepts the secretariat lifting a bracket", () => {
    const { room: r } = room();
    expect(r.client(secretariat).runSplit(liftBracket(secretariat, "b1"))).toEqual([ok, ok]);
  });
});

describe("the permission guard still refuses around honest nesting", () => {
  it("refuses a delegation deleting another's words nested in its open proposal", () => {
    const { room: r, tag } = room();
    r.client(pakistan).run(proposeInsertion(pakistan, "-and-", { id: "n1" }), at_(tag.p!));
    const cut: Command = (state, dispatch) => {
      const range = markRanges(state.doc, "bracket").get("n1")!;
      dispatch?.(state.tr.delete(range.from, range.to));
      return true;
    };
    const verdict = r.client(uae).run(cut);
    expect(verdict.ok ? "allowed" : verdict.rule).toBe("delete-outside-own-proposal");
  });

  it("refuses a delegation withdrawing another's proposal that is not nested in its own", () => {
    const { room: r, tag } = room();
    r.client(pakistan).run(proposeInsertion(pakistan, " fully", { id: "own" }), at_(tag.b!));
    const c = r.client(pakistan);
    const verdict = c.send(
      c.edit((d) => {
        const brackets = d.getMap("brackets") as Y.Map<Y.Map<unknown>>;
        brackets.get("own")!.set("status", "withdrawn");
        brackets.get("b1")!.set("status", "withdrawn");
      }),
    );
    expect(verdict.ok ? "allowed" : verdict.rule).toBe("bracket-status");
  });
});

/** A seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The marks of the words before `pos` when they are the actor's own open proposal (its
 * bracket and its attribution): typing there continues that proposal.
 */
function ownWordsBefore(actor: Actor, state: EditorState, pos: number): readonly Mark[] | null {
  const before = state.doc.resolve(pos).nodeBefore;
  if (!before?.isText) return null;
  const registry = getRegistry(state);
  const own = (party: string) => party === actor.party || party === actor.onBehalfOf;
  const bracket = before.marks.some((mark) => {
    const entry = mark.type.name === "bracket" ? registry.brackets[mark.attrs.id] : undefined;
    return (
      entry?.status === "open" &&
      (entry.kind === "insertion" || entry.kind === "alternative") &&
      entry.proposedBy.some((p) => own(p.party))
    );
  });
  const attributed = before.marks.some((mark) => {
    const entry =
      mark.type.name === "attribution" ? registry.attributions[mark.attrs.id] : undefined;
    return entry !== undefined && own(entry.party);
  });
  return bracket && attributed ? before.marks : null;
}

describe("the permission guard judges edits wherever y-prosemirror's diff puts them", () => {
  const seed = Number(process.env.PERMISSIONS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const words = [" ", "e", " the", "in ", "tion", " a", ".", "promote", "n"];

  // Proposals run through the command; keystrokes continue the delegation's own proposal as
  // the browser's typing plugin does (and must pass), or are typed raw where the model says
  // the delegation may not edit (and must be refused).
  it(`agrees with the model on 80 random proposals and keystrokes (PERMISSIONS_SEED=${seed})`, () => {
    const random = prng(seed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const { room: r } = room();
    const disagreements: unknown[] = [];
    for (let step = 0; step < 80; step++) {
      const actor = pick([pakistan, uae, algeria]);
      const client = r.client(actor);
      const state = client.state();
      const pos = 1 + Math.floor(random() * (state.doc.content.size - 1));
      if (!state.doc.resolve(pos).parent.inlineContent) continue;
      const word = pick(words);
      let command: Command;
      let expected: boolean;
      if (random() < 0.5) {
        command = proposeInsertion(actor, word);
        expected = true;
        if (!command(state.apply(at_(pos)(state)))) continue;
      } else {
        const own = ownWordsBefore(actor, state, pos);
        expected = own !== null;
        if (!expected && mayEditAt(actor, state, pos, pos)) continue;
        command = (s, dispatch) => {
          dispatch?.(own ? s.tr.insert(pos, schema.text(word, own)) : s.tr.insertText(word, pos));
          return true;
        };
      }
      const verdict = client.send(client.command(command, at_(pos)));
      if (verdict.ok !== expected) {
        disagreements.push({
          step,
          actor: actor.party,
          pos,
          word,
          expected,
          verdict,
          doc: process.env.PERMISSIONS_DEBUG
            ? `${state.doc.toString()} ${JSON.stringify(client.state().doc.toJSON())}`
            : undefined,
        });
      }
    }
    expect(disagreements).toEqual([]);
  });
});
