import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { draftTypes } from "../../schema/yregistry.ts";
import { createPermissionGuard } from "../../server/permissions/guard.ts";
import { GuardedRoom, identityOf } from "../../server/permissions/testing.ts";
import { resetIds } from "../builder.ts";
import { prng } from "../gen.ts";
import { algeria, chair, pakistan, secretariat, uae } from "./commands/fixtures.ts";
import { typingDraft as draft, endOf, text } from "./permissions-fixtures.ts";

// Typing is judged from the new string items alone (ChangeSet.stringsOnly, localDiff):
// these are the updates that take that path, honest and hostile, and a seeded comparison
// with the full alignment of the paragraph, which must reach the same verdict.

beforeEach(resetIds);

/** The formatting attributes in force on the words at `offset` - 1 of a text. */
function attributesBefore(t: Y.XmlText, offset: number): Record<string, unknown> {
  let seen = 0;
  for (const op of t.toDelta() as { insert: string; attributes?: Record<string, unknown> }[]) {
    seen += op.insert.length;
    if (seen >= offset) return op.attributes ?? {};
  }
  throw new RangeError(`No words before ${offset}`);
}

const plainText = (ydoc: Y.Doc, n: number) =>
  text(ydoc, n)
    .toString()
    .replace(/<[^>]*>/g, "");

describe("typing judged from the new string items", () => {
  it("accepts a delegation typing plain letters inside its own open bracket", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => text(d, 0).insert(endOf(d, 0, "prom"), "XY"));
    expect(client.send(update)).toEqual({ ok: true });
    expect(plainText(room.live, 0)).toContain("promXYote");
  });

  it("accepts a delegation typing at the end of its bracket with y-prosemirror's attributes", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => {
      const end = endOf(d, 0, "promote");
      text(d, 0).insert(end, "d", attributesBefore(text(d, 0), end));
    });
    expect(client.send(update)).toEqual({ ok: true });
    expect(plainText(room.live, 0)).toContain("promoted innovation");
  });

  it("accepts a delegation speaking for its group typing inside the group's bracket", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(algeria);
    const update = client.edit((d) => text(d, 4).insert(endOf(d, 4, "group"), "!"));
    expect(client.send(update)).toEqual({ ok: true });
  });

  it("refuses a delegation typing inside another delegation's bracket", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(pakistan);
    const update = client.edit((d) => text(d, 0).insert(endOf(d, 0, "prom"), "XY"));
    expect(client.send(update)).toMatchObject({ ok: false, rule: "text-outside-own-bracket" });
    expect(plainText(room.live, 0)).not.toContain("XY");
  });

  it("refuses a delegation typing into unbracketed words", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => text(d, 1).insert(endOf(d, 1, "reports"), " not"));
    expect(client.send(update)).toMatchObject({ ok: false, rule: "text-outside-own-bracket" });
  });

  it("refuses a delegation typing in its own bracket over words attributed to another", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => text(d, 2).insert(endOf(d, 2, "nested"), "X"));
    expect(client.send(update)).toMatchObject({ ok: false, rule: "text-without-own-attribution" });
  });

  it("refuses a delegation typing inside its own withdrawn bracket", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => text(d, 3).insert(endOf(d, 3, "withdrawn"), "X"));
    expect(client.send(update)).toMatchObject({ ok: false, rule: "text-outside-own-bracket" });
  });

  it("refuses a delegation typing inside its own bracket under a client id bound to another", () => {
    const room = new GuardedRoom(draft());
    const owner = room.client(uae);
    expect(owner.send(owner.edit((d) => text(d, 0).insert(endOf(d, 0, "prom"), "a")))).toEqual({
      ok: true,
    });
    const spoofer = room.client(pakistan);
    spoofer.doc.clientID = owner.doc.clientID;
    const update = spoofer.edit((d) => text(d, 0).insert(endOf(d, 0, "and gr"), "b"));
    expect(spoofer.send(update)).toMatchObject({ ok: false, rule: "client-id-bound" });
  });

  it("refuses typing in its own bracket together with removing the bracket's attribution", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => {
      const t = text(d, 0);
      const end = endOf(d, 0, "promote");
      const key = Object.keys(attributesBefore(t, end)).find((k) => k.startsWith("attribution"));
      t.format(end - 7, 2, { [key!]: null });
      t.insert(end - 1, "X");
    });
    // The words that lost their attribution read as retyped without it.
    expect(client.send(update)).toMatchObject({ ok: false, rule: "text-without-own-attribution" });
    expect(plainText(room.live, 0)).not.toContain("X");
  });

  it("refuses typing in its own bracket together with deleting agreed words elsewhere", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => {
      text(d, 0).insert(endOf(d, 0, "prom"), "X");
      text(d, 1).delete(0, 3);
    });
    expect(client.send(update)).toMatchObject({ ok: false, rule: "delete-outside-own-proposal" });
  });

  it("refuses typing in its own bracket together with deleting agreed words beside it", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => {
      text(d, 0).insert(endOf(d, 0, "prom"), "X");
      text(d, 0).delete(0, 4);
    });
    expect(client.send(update)).toMatchObject({ ok: false, rule: "delete-outside-own-proposal" });
  });

  it("refuses typing in its own bracket together with lifting the bracket", () => {
    const room = new GuardedRoom(draft());
    const client = room.client(uae);
    const update = client.edit((d) => {
      text(d, 0).insert(endOf(d, 0, "prom"), "X");
      (draftTypes(d).brackets.get("b1") as Y.Map<unknown>).set("status", "lifted");
    });
    expect(client.send(update)).toMatchObject({ ok: false, rule: "bracket-status" });
  });
});

describe("the quick reading of typing agrees with the full alignment", () => {
  const seed = Number(process.env.PERMISSIONS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const words = ["a", " ", "XY", "the ", "é", "中文"];

  it(`reaches the same verdict on 150 random insertions (PERMISSIONS_SEED=${seed})`, () => {
    const rng = prng(seed);
    const random = () => rng.next();
    const pick = <T>(list: readonly T[]) => rng.pick(list);
    // Two rooms with the same draft, one behind each reading; every update goes to both.
    const room = new GuardedRoom(draft(), createPermissionGuard());
    const twin = new GuardedRoom(
      Y.encodeStateAsUpdate(room.live),
      createPermissionGuard({ localDiffs: false }),
    );
    const disagreements: unknown[] = [];
    let allowed = 0;
    for (let step = 0; step < 150; step++) {
      const actor = pick([uae, pakistan, algeria, chair, secretariat]);
      const client = room.client(actor);
      const n = Math.floor(random() * 5);
      const update = client.edit((d) => {
        const t = text(d, n);
        const offset = Math.floor(random() * (t.length + 1));
        // Half the time with the attributes of the words before, as y-prosemirror sends.
        const attributes = random() < 0.5 && offset > 0 ? attributesBefore(t, offset) : undefined;
        t.insert(offset, pick(words), attributes);
        if (random() < 0.2) t.insert(Math.floor(random() * (t.length + 1)), pick(words));
      });
      const identity = identityOf(actor);
      const a = room.send(update, identity);
      const b = twin.send(update, identity);
      // Reasons may quote different but equal words: the alignment may pick an equivalent
      // match, the quick reading names the items themselves.
      if (a.ok !== b.ok || (!a.ok && !b.ok && a.rule !== b.rule)) {
        disagreements.push({ step, actor: actor.party, n, quick: a, full: b });
      }
      if (a.ok && b.ok) allowed++;
      else if (a.ok !== b.ok) break;
    }
    expect(disagreements).toEqual([]);
    // Both outcomes must have been exercised, or the comparison proves little.
    expect(allowed).toBeGreaterThan(10);
    expect(allowed).toBeLessThan(140);
  });
});
