import { type EditorState, TextSelection } from "prosemirror-state";
import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  liftBracket,
  proposeDeletion,
  proposeInsertion,
  statePosition,
  withdrawProposal,
} from "../../schema/commands/index.ts";
import type { Actor } from "../../schema/registry.ts";
import { draftTypes } from "../../schema/yregistry.ts";
import { resetIds } from "../builder.ts";
import { chair, observer, pakistan, secretariat, uae } from "./commands/fixtures.ts";
import { marks, uaeRoom as room, text } from "./permissions-fixtures.ts";

// The guard's own state across updates: client ids bound to identities and burnt by
// refusals, the document rebuilt after a refusal that reached it, refusal counts. A refusal
// must never leave anything of the refused update in the document, or later verdicts would
// judge a document nobody else has.

beforeEach(resetIds);

const atPos =
  (from: number, to = from) =>
  (state: EditorState) =>
    state.tr.setSelection(TextSelection.create(state.doc, from, to));

const position = (party: string) => ({
  party,
  stance: "oppose",
  onBehalfOf: null,
  text: null,
  enteredBy: null,
});

describe("the permission guard's bookkeeping", () => {
  it("refuses structs of a client id first used by another participant", () => {
    const r = room();
    const honest = r.client(uae);
    honest.send(
      honest.edit((d) =>
        (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
          "United Arab Emirates",
          position("United Arab Emirates"),
        ),
      ),
    );
    const spoof = new Y.Doc();
    Y.applyUpdate(spoof, Y.encodeStateAsUpdate(r.live));
    // Set after syncing: Yjs itself picks a new id when a remote update uses its own.
    spoof.clientID = honest.doc.clientID;
    const before = Y.encodeStateVector(spoof);
    (draftTypes(spoof).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
      "Pakistan",
      position("Pakistan"),
    );
    const verdict = r.send(Y.encodeStateAsUpdate(spoof, before), r.client(pakistan).identity);
    expect(verdict.ok ? "allowed" : verdict.rule).toBe("client-id-bound");
  });

  it("refuses an update whose dependencies the server does not have", () => {
    const r = room();
    const client = r.client(chair);
    client.edit((d) => text(d, 1).insert(0, "A"));
    const second = client.edit((d) => text(d, 1).insert(1, "B"));
    const verdict = client.send(second);
    expect(verdict.ok ? "allowed" : verdict.rule).toBe("update-incomplete");
  });

  it("refuses bytes that are no update", () => {
    const r = room();
    const verdict = r.client(chair).send(new Uint8Array([0, 255, 255, 255, 255, 255, 7]));
    expect(verdict.ok ? "allowed" : verdict.rule).toBe("update-malformed");
  });

  it("judges the next honest update correctly after a refusal", () => {
    const r = room();
    const attacker = r.client(pakistan);
    attacker.send(attacker.edit((d) => text(d, 0).insert(0, "Not ")));
    const honest = r.client(pakistan);
    const verdict = honest.send(
      honest.edit((d) =>
        (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
          "Pakistan",
          position("Pakistan"),
        ),
      ),
    );
    expect([verdict, text(r.live, 0).toString().startsWith("Not")]).toEqual([{ ok: true }, false]);
  });

  it("counts refusals by rule", () => {
    const r = room();
    for (const words of ["a", "b"]) {
      const client = r.client(pakistan);
      client.send(client.edit((d) => text(d, 0).insert(0, words)));
    }
    expect(r.guard.refusals.get("text-outside-own-bracket")).toBe(2);
  });

  it("leaves the room to rebuild the document after a refused update that added words", () => {
    const r = room();
    const before = Y.encodeStateAsUpdate(r.live);
    const attacker = r.client(pakistan);
    attacker.send(attacker.edit((d) => text(d, 0).insert(0, "Not ")));
    const rebuilt = [r.rebuilds, r.guard.touchedRefusals];
    // Byte for byte what it was: no tombstone, no client id of the refused update.
    const same = Buffer.from(Y.encodeStateAsUpdate(r.live)).equals(Buffer.from(before));
    const honest = r.client(pakistan);
    const verdict = honest.run(proposeInsertion(pakistan, "Indeed, "), atPos(1));
    expect([rebuilt, same, verdict, text(r.live, 0).toString().startsWith("Not")]).toEqual([
      [1, 1],
      true,
      { ok: true },
      false,
    ]);
  });

  it("leaves the room to rebuild the document after a refused update that deleted words", () => {
    const r = room();
    const attacker = r.client(pakistan);
    attacker.send(attacker.edit((d) => text(d, 1).delete(0, 3)));
    const kept = text(r.live, 1).toString();
    const honest = r.client(pakistan);
    const verdict = honest.run(proposeDeletion(pakistan), atPos(57, 64));
    expect([kept, verdict, r.rebuilds]).toEqual(["It reports yearly.", { ok: true }, 1]);
  });

  it("refuses a refused update offered again", () => {
    const r = room();
    const attacker = r.client(pakistan);
    const update = attacker.edit((d) => text(d, 0).insert(0, "Not "));
    attacker.send(update);
    const again = r.send(update, r.client(pakistan).identity);
    expect(again.ok ? "allowed" : again.rule).toBe("client-id-bound");
  });

  it("keeps judging correctly through interleaved attacks and honest actions", () => {
    const r = room();
    const verdicts: string[] = [];
    const note = (v: { ok: boolean; rule?: string }) => verdicts.push(v.ok ? "ok" : v.rule!);
    const attack = (actor: Actor, edit: (d: Y.Doc) => void) => {
      const c = r.client(actor);
      note(c.send(c.edit(edit)));
    };
    attack(pakistan, (d) => text(d, 0).insert(17, "not "));
    note(r.client(pakistan).run(proposeInsertion(pakistan, "not ", { id: "own" }), atPos(18)));
    attack(pakistan, (d) => text(d, 0).format(0, 3, marks(["bracket", "own"])));
    note(r.client(uae).run(statePosition(uae, "own", "oppose")));
    attack(uae, (d) => text(d, 0).delete(17, 4));
    note(r.client(pakistan).run(withdrawProposal(pakistan, "own")));
    attack(observer, (d) => text(d, 1).insert(0, "x"));
    note(r.client(secretariat).run(liftBracket(secretariat, "b1")));
    expect([verdicts, text(r.live, 0).toString()]).toEqual([
      [
        "text-outside-own-bracket",
        "ok",
        "mark-forbidden",
        "ok",
        "delete-outside-own-proposal",
        "ok",
        "observer-read-only",
        "ok",
      ],
      "The Office shall promote innovation in the region.",
    ]);
  });
});

describe("refusals decided before anything is applied", () => {
  it("let a reader's sync step 2, which changes nothing, through without touching the document", () => {
    const r = room();
    const reader = r.client(observer);
    const noop = Y.encodeStateAsUpdate(reader.doc, Y.encodeStateVector(r.live));
    const live = r.live;
    expect([reader.send(noop), r.rebuilds, r.live === live]).toEqual([{ ok: true }, 0, true]);
  });

  it("refuse an observer's write without touching the document", () => {
    const r = room();
    const client = r.client(observer);
    const verdict = client.send(client.edit((d) => text(d, 1).insert(0, "Not ")));
    expect([verdict.ok ? "allowed" : verdict.rule, r.rebuilds, r.guard.touchedRefusals]).toEqual([
      "observer-read-only",
      0,
      0,
    ]);
  });

  it("judge the first write after a rebuild like any other", () => {
    const r = room();
    const pk = r.client(pakistan);
    const refused = pk.send(pk.edit((d) => text(d, 1).insert(0, "Not ")));
    const typist = r.client(uae);
    const allowed = typist.send(typist.edit((d) => text(d, 0).insert(19, "d")));
    expect([refused.ok ? "allowed" : refused.rule, allowed, r.rebuilds]).toEqual([
      "text-outside-own-bracket",
      { ok: true },
      1,
    ]);
  });

  it("refuses another sender using a client id the first write bound", () => {
    const r = room();
    const typist = r.client(uae);
    expect(typist.send(typist.edit((d) => text(d, 0).insert(19, "d")))).toEqual({ ok: true });
    const spoofer = r.client(pakistan);
    spoofer.doc.clientID = typist.doc.clientID;
    const verdict = spoofer.send(spoofer.edit((d) => text(d, 0).insert(19, "e")));
    expect(verdict.ok ? "allowed" : verdict.rule).toBe("client-id-bound");
  });

  it("stops judging a document once its room is closed", () => {
    const r = room();
    const live = r.live;
    r.guard.close(r.name);
    const typist = r.client(uae);
    const update = typist.edit((d) => text(d, 0).insert(19, "d"));
    expect(() =>
      r.guard.apply(r.name, live, update, typist.identity, Y.parseUpdateMeta(update).to),
    ).toThrow(RangeError);
  });
});
