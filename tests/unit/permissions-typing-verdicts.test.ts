import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { BracketStatus } from "../../schema/registry.ts";
import { draftTypes } from "../../schema/yregistry.ts";
import { createPermissionGuard } from "../../server/permissions/guard.ts";
import type { MarkRef } from "../../server/permissions/shapes.ts";
import { GuardedRoom, identityOf } from "../../server/permissions/testing.ts";
import { TypingVerdicts } from "../../server/permissions/typing.ts";
import { resetIds } from "../builder.ts";
import { prng } from "../gen.ts";
import { chair, pakistan, secretariat, uae } from "./commands/fixtures.ts";
import { typingDraft as draft, endOf, text } from "./permissions-fixtures.ts";

// The guard remembers the mark sets a sender was allowed to type under (typing.ts) and
// forgets them at any change to the registry. These tests show that what it remembers never
// lets through a keystroke that judging in full would refuse.

beforeEach(resetIds);

const setStatus = (id: string, status: BracketStatus) => (d: Y.Doc) =>
  (draftTypes(d).brackets.get(id) as Y.Map<unknown>).set("status", status);

describe("TypingVerdicts", () => {
  const bracket = (id: string): MarkRef => ({ type: "bracket", id });
  const attribution = (id: string): MarkRef => ({ type: "attribution", id });

  it("allows a mark set it was told of, in any order, for the same sender only", () => {
    const verdicts = new TypingVerdicts();
    const sender = identityOf(uae);
    verdicts.allow(sender, [bracket("b1"), attribution("a1")]);
    expect([
      verdicts.allows(sender, [attribution("a1"), bracket("b1")]),
      verdicts.allows(identityOf(uae), [bracket("b1"), attribution("a1")]),
      verdicts.allows(sender, [bracket("b1")]),
      verdicts.allows(sender, [bracket("b1"), attribution("a1"), attribution("a2")]),
    ]).toEqual([true, false, false, false]);
  });

  it("tells sets apart whatever characters their ids hold", () => {
    const verdicts = new TypingVerdicts();
    const sender = identityOf(uae);
    verdicts.allow(sender, [bracket("a"), attribution("b")]);
    // Ids spelling what the two marks' key would be, joined.
    expect([
      verdicts.allows(sender, [attribution("b1:bracket:a")]),
      verdicts.allows(sender, [bracket("a1:attribution:b")]),
      verdicts.allows(sender, [attribution("b"), bracket("a"), bracket("")]),
    ]).toEqual([false, false, false]);
  });

  it("forgets everything when cleared", () => {
    const verdicts = new TypingVerdicts();
    const sender = identityOf(uae);
    verdicts.allow(sender, [bracket("b1")]);
    verdicts.clear();
    expect(verdicts.allows(sender, [bracket("b1")])).toBe(false);
  });
});

describe("the guard forgets what typing it allowed when the registry changes", () => {
  it("refuses typing in a bracket the chair lifted after the delegation typed in it", () => {
    const room = new GuardedRoom(draft());
    const delegation = room.client(uae);
    const type = () => delegation.edit((d) => text(d, 0).insert(endOf(d, 0, "prom"), "x"));
    expect([delegation.send(type()), delegation.send(type())]).toEqual([
      { ok: true },
      { ok: true },
    ]);
    const presiding = room.client(chair);
    expect(presiding.send(presiding.edit(setStatus("b1", "lifted")))).toEqual({ ok: true });
    expect(delegation.send(type())).toMatchObject({
      ok: false,
      rule: "text-outside-own-bracket",
    });
  });

  it("refuses typing in a proposal the delegation withdrew after typing in it", () => {
    const room = new GuardedRoom(draft());
    const delegation = room.client(uae);
    const type = () => delegation.edit((d) => text(d, 0).insert(endOf(d, 0, "prom"), "x"));
    expect(delegation.send(type())).toEqual({ ok: true });
    expect(delegation.send(delegation.edit(setStatus("b1", "withdrawn")))).toEqual({ ok: true });
    expect(delegation.send(type())).toMatchObject({
      ok: false,
      rule: "text-outside-own-bracket",
    });
  });

  it("reaches the verdicts of judging every keystroke in full, over random typing and status changes", () => {
    const seed = Number(process.env.PERMISSIONS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rng = prng(seed);
    const room = new GuardedRoom(draft(), createPermissionGuard());
    const twin = new GuardedRoom(
      Y.encodeStateAsUpdate(room.live),
      createPermissionGuard({ typingVerdicts: false }),
    );
    // One identity per sender for the whole run, as a connection has: what the guard
    // remembers is per sender. Each step edits in a fresh client, since a refusal burns the
    // client id it was sent under.
    const actors = [uae, pakistan, chair, secretariat];
    const identities = actors.map((actor) => identityOf(actor));
    const statuses: BracketStatus[] = ["open", "lifted", "dropped"];
    const outcomes: string[] = [];
    const disagreements: unknown[] = [];
    for (let step = 0; step < 200; step++) {
      const registryStep = rng.next() < 0.15;
      const who = registryStep ? 2 : Math.floor(rng.next() * actors.length);
      const identity = identities[who]!;
      const update = room.client(actors[who]!).edit((d) => {
        if (registryStep) {
          setStatus(rng.pick(["b1", "b2"]), rng.pick(statuses))(d);
          return;
        }
        // Each delegation types in its own bracket, so that a refusal (which rebuilds the
        // room's document, and so empties what the guard remembers) mostly follows a change
        // of status; the chair and the secretariat type anywhere.
        const where = who === 0 ? "prom" : who === 1 ? "grow" : rng.pick(["prom", "grow", "shall"]);
        text(d, 0).insert(endOf(d, 0, where), rng.pick(["a", "bc", " "]));
      });
      const a = room.send(update, identity);
      const b = twin.send(update, identity);
      outcomes.push(a.ok ? "ok" : a.rule);
      if (a.ok !== b.ok || (!a.ok && !b.ok && a.rule !== b.rule)) {
        disagreements.push({ step, sender: identity.party, remembered: a, full: b });
        break;
      }
    }
    expect({ seed, disagreements }).toEqual({ seed, disagreements: [] });
    // Typing must have been both allowed and refused, or the comparison proves little.
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThan(40);
    expect(outcomes).toContain("text-outside-own-bracket");
  });
});
