import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Actor, BracketEntry } from "../../schema/registry.ts";
import { applyOpsToYDoc, draftTypes } from "../../schema/yregistry.ts";
import { resetIds } from "../builder.ts";
import { algeria, chair, observer, pakistan, secretariat, uae } from "./commands/fixtures.ts";
import { uaeBracket as bracket, marks, uaeRoom as room, text } from "./permissions-fixtures.ts";

// Hostile edits, each made directly on a client's Y.Doc replica as a modified client could,
// and the rule that must refuse it. A refused update must leave the live document as it
// was, and the guard must go on judging the next update correctly.

beforeEach(resetIds);

/** The formatting key the seeded document uses for mark `id`. */
function seededKey(t: Y.XmlText, id: string): string {
  for (const op of t.toDelta() as { attributes?: Record<string, { id: string }> }[]) {
    for (const [k, v] of Object.entries(op.attributes ?? {})) if (v.id === id) return k;
  }
  throw new RangeError(`No mark ${id}`);
}

function bracketMap(entry: BracketEntry): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(entry)) {
    if (k !== "positions") map.set(k, v);
  }
  const positions = new Y.Map<unknown>();
  for (const [party, position] of Object.entries(entry.positions)) positions.set(party, position);
  map.set("positions", positions);
  return map;
}

const position = (party: string, over: Record<string, unknown> = {}) => ({
  party,
  stance: "oppose",
  onBehalfOf: null,
  text: null,
  enteredBy: null,
  ...over,
});

const ownInsertion = (d: Y.Doc, attribution: Record<string, unknown>) => {
  const types = draftTypes(d);
  types.brackets.set(
    "bx",
    bracketMap(bracket({ proposedBy: [{ party: "Pakistan", onBehalfOf: null }] })),
  );
  types.attributions.set("ax", attribution as never);
  text(d, 0).insert(16, " not", marks(["bracket", "bx"], ["attribution", "ax"]));
};

interface Attack {
  readonly name: string;
  readonly actor: Actor;
  readonly edit: (d: Y.Doc) => void;
  readonly rule: string;
}

const attacks: Attack[] = [
  {
    name: "an observer typing words",
    actor: observer,
    edit: (d) => text(d, 0).insert(0, "Hello "),
    rule: "observer-read-only",
  },
  {
    name: "an observer stating a position",
    actor: observer,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Press",
        position("Press"),
      ),
    rule: "observer-read-only",
  },
  {
    name: "a delegation typing unbracketed words",
    actor: pakistan,
    edit: (d) => text(d, 0).insert(0, "Not "),
    rule: "text-outside-own-bracket",
  },
  {
    name: "a delegation typing words inside another's proposal",
    actor: pakistan,
    edit: (d) => text(d, 0).insert(19, "x", marks(["bracket", "b1"], ["attribution", "a1"])),
    rule: "text-outside-own-bracket",
  },
  {
    name: "a delegation deleting agreed words",
    actor: pakistan,
    edit: (d) => text(d, 1).delete(0, 3),
    rule: "delete-outside-own-proposal",
  },
  {
    name: "a delegation deleting another's proposal",
    actor: pakistan,
    edit: (d) => text(d, 0).delete(17, 7),
    rule: "delete-outside-own-proposal",
  },
  {
    name: "a delegation's words under a forged attribution to another delegation",
    actor: pakistan,
    edit: (d) =>
      ownInsertion(d, { party: "United Arab Emirates", onBehalfOf: null, enteredBy: null }),
    rule: "proposal-in-other-name",
  },
  {
    name: "a delegation's words under an existing attribution of another delegation",
    actor: pakistan,
    edit: (d) => {
      draftTypes(d).brackets.set(
        "bx",
        bracketMap(bracket({ proposedBy: [{ party: "Pakistan", onBehalfOf: null }] })),
      );
      text(d, 0).insert(16, " not", marks(["bracket", "bx"], ["attribution", "a1"]));
    },
    rule: "text-without-own-attribution",
  },
  {
    name: "a delegation claiming to be entered by the secretariat",
    actor: pakistan,
    edit: (d) => ownInsertion(d, { party: "Pakistan", onBehalfOf: null, enteredBy: "Secretariat" }),
    rule: "proposal-in-other-name",
  },
  {
    name: "a delegation proposing in another delegation's name",
    actor: pakistan,
    edit: (d) => {
      draftTypes(d).brackets.set("bx", bracketMap(bracket({ kind: "deletion" })));
      text(d, 1).format(0, 2, marks(["bracket", "bx"]));
    },
    rule: "proposal-in-other-name",
  },
  {
    name: "a delegation forging another delegation's position",
    actor: pakistan,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Chile",
        position("Chile"),
      ),
    rule: "position-in-other-name",
  },
  {
    name: "a delegation's position claiming to be entered by the secretariat",
    actor: pakistan,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Pakistan",
        position("Pakistan", { enteredBy: "Secretariat" }),
      ),
    rule: "position-in-other-name",
  },
  {
    name: "the secretariat entering a position not recorded as entered by it",
    actor: secretariat,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Chile",
        position("Chile"),
      ),
    rule: "position-in-other-name",
  },
  {
    name: "the secretariat entering a proposal recorded as entered by the chair",
    actor: secretariat,
    edit: (d) =>
      draftTypes(d).brackets.set(
        "bx",
        bracketMap(
          bracket({ proposedBy: [{ party: "Chile", onBehalfOf: null }], enteredBy: "Chair" }),
        ),
      ),
    rule: "proposal-in-other-name",
  },
  {
    name: "a delegation speaking for a group stating another delegation's position",
    actor: algeria,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Pakistan",
        position("Pakistan"),
      ),
    rule: "position-in-other-name",
  },
  {
    name: "a delegation creating an unattributed text bracket",
    actor: pakistan,
    edit: (d) => {
      draftTypes(d).brackets.set(
        "bx",
        bracketMap(
          bracket({ kind: "text", proposedBy: [{ party: "Pakistan", onBehalfOf: null }] }),
        ),
      );
    },
    rule: "proposal-in-other-name",
  },
  {
    name: "a delegation pairing its bracket with another's proposal",
    actor: pakistan,
    edit: (d) =>
      draftTypes(d).brackets.set(
        "bx",
        bracketMap(
          bracket({ pairedWith: "b1", proposedBy: [{ party: "Pakistan", onBehalfOf: null }] }),
        ),
      ),
    rule: "proposal-in-other-name",
  },
  {
    name: "a delegation's new bracket that is not open",
    actor: pakistan,
    edit: (d) =>
      draftTypes(d).brackets.set(
        "bx",
        bracketMap(
          bracket({ status: "lifted", proposedBy: [{ party: "Pakistan", onBehalfOf: null }] }),
        ),
      ),
    rule: "bracket-status",
  },
  {
    name: "a delegation writing a comment in another's name",
    actor: pakistan,
    edit: (d) => draftTypes(d).comments.set("m1", { author: "Chile", text: "We object." }),
    rule: "comment-in-other-name",
  },
  {
    name: "a delegation lifting a bracket",
    actor: pakistan,
    edit: (d) => {
      const t = text(d, 0);
      t.format(17, 7, { [seededKey(t, "b1")]: null });
      draftTypes(d).brackets.get("b1")!.set("status", "lifted");
    },
    rule: "bracket-status",
  },
  {
    name: "a delegation lifting its own bracket",
    actor: uae,
    edit: (d) => draftTypes(d).brackets.get("b1")!.set("status", "lifted"),
    rule: "bracket-status",
  },
  {
    name: "a delegation dropping another's proposal",
    actor: pakistan,
    edit: (d) => {
      text(d, 0).delete(17, 7);
      draftTypes(d).brackets.get("b1")!.set("status", "dropped");
    },
    rule: "bracket-status",
  },
  {
    name: "a delegation withdrawing another's proposal",
    actor: pakistan,
    edit: (d) => {
      text(d, 0).delete(17, 7);
      draftTypes(d).brackets.get("b1")!.set("status", "withdrawn");
    },
    rule: "bracket-status",
  },
  {
    name: "a delegation silently removing another's bracket mark",
    actor: pakistan,
    edit: (d) => {
      const t = text(d, 0);
      t.format(17, 7, { [seededKey(t, "b1")]: null });
    },
    rule: "mark-forbidden",
  },
  {
    name: "a delegation putting its attribution on another's words",
    actor: pakistan,
    edit: (d) => {
      draftTypes(d).attributions.set("ax", {
        party: "Pakistan",
        onBehalfOf: null,
        enteredBy: null,
      });
      text(d, 0).format(17, 7, marks(["attribution", "ax"]));
    },
    rule: "mark-forbidden",
  },
  {
    name: "a delegation marking a paragraph agreed",
    actor: pakistan,
    edit: (d) => draftTypes(d).paragraphs.set("p1", { agreement: "agreed" }),
    rule: "agreement-forbidden",
  },
  {
    name: "a delegation reopening an agreed paragraph",
    actor: pakistan,
    edit: (d) => draftTypes(d).paragraphs.delete("p2"),
    rule: "agreement-forbidden",
  },
  {
    name: "a delegation writing a chair's alternative",
    actor: pakistan,
    edit: (d) => {
      const map = new Y.Map<unknown>();
      map.set("replaces", ["p1"]);
      map.set("status", "proposed");
      draftTypes(d).chairAlternatives.set("c2", map);
    },
    rule: "chair-alternative-chair-only",
  },
  {
    name: "the secretariat adopting a chair's alternative",
    actor: secretariat,
    edit: (d) => draftTypes(d).chairAlternatives.get("c1")!.set("status", "adopted"),
    rule: "chair-alternative-chair-only",
  },
  {
    name: "the secretariat putting a chair's alternative mark on words",
    actor: secretariat,
    edit: (d) => text(d, 1).format(0, 2, marks(["chairAlternative", "c1"])),
    rule: "chair-alternative-chair-only",
  },
  {
    name: "a delegation changing the draft's meta data",
    actor: pakistan,
    edit: (d) => draftTypes(d).meta.set("revision", "Rev.9"),
    rule: "meta-forbidden",
  },
  {
    name: "a delegation changing a paragraph's numbering",
    actor: pakistan,
    edit: (d) => (draftTypes(d).fragment.get(0) as Y.XmlElement).setAttribute("numbering", "none"),
    rule: "block-forbidden",
  },
  {
    name: "a delegation adding a numbered paragraph of its own words",
    actor: pakistan,
    edit: (d) => {
      const types = draftTypes(d);
      types.brackets.set(
        "bx",
        bracketMap(bracket({ proposedBy: [{ party: "Pakistan", onBehalfOf: null }] })),
      );
      types.attributions.set("ax", { party: "Pakistan", onBehalfOf: null, enteredBy: null });
      const p = new Y.XmlElement("paragraph");
      p.setAttribute("id", "px");
      p.setAttribute("numbering", "numbered");
      const t = new Y.XmlText();
      p.insert(0, [t]);
      types.fragment.insert(1, [p]);
      t.insert(0, "Mine.", marks(["bracket", "bx"], ["attribution", "ax"]));
    },
    rule: "block-forbidden",
  },
  {
    name: "a delegation adding itself to another's proposers",
    actor: pakistan,
    edit: (d) =>
      draftTypes(d)
        .brackets.get("b1")!
        .set("proposedBy", [
          { party: "United Arab Emirates", onBehalfOf: null },
          { party: "Pakistan", onBehalfOf: null },
        ]),
    rule: "registry-immutable",
  },
  {
    name: "a delegation replacing another's bracket entry whole",
    actor: pakistan,
    edit: (d) => draftTypes(d).brackets.set("b1", bracketMap(bracket({ status: "withdrawn" }))),
    rule: "registry-immutable",
  },
  {
    name: "the secretariat removing an attribution entry",
    actor: secretariat,
    edit: (d) => draftTypes(d).attributions.delete("a1"),
    rule: "registry-immutable",
  },
  {
    name: "an oversized position text",
    actor: pakistan,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Pakistan",
        position("Pakistan", { stance: "comment", text: "x".repeat(5000) }),
      ),
    rule: "registry-malformed",
  },
  {
    name: "a bracket entry with an unknown field",
    actor: chair,
    edit: (d) => draftTypes(d).brackets.get("b1")!.set("script", "alert(1)"),
    rule: "registry-malformed",
  },
  {
    name: "a delegation pairing its bracket entry stored without pairedWith",
    actor: uae,
    edit: (d) => draftTypes(d).brackets.get("b1")!.set("pairedWith", "b1"),
    rule: "registry-immutable",
  },
  {
    name: "a bracket entry stored without enteredBy given one that is not a string",
    actor: chair,
    edit: (d) => draftTypes(d).brackets.get("b1")!.set("enteredBy", 5),
    rule: "registry-malformed",
  },
  {
    name: "a bracket entry with proposers of the wrong type",
    actor: chair,
    edit: (d) => draftTypes(d).brackets.get("b1")!.set("proposedBy", "everyone"),
    rule: "registry-malformed",
  },
  {
    name: "a position with an unknown stance",
    actor: pakistan,
    edit: (d) =>
      (draftTypes(d).brackets.get("b1")!.get("positions") as Y.Map<unknown>).set(
        "Pakistan",
        position("Pakistan", { stance: "veto" }),
      ),
    rule: "registry-malformed",
  },
  {
    name: "a write to a type outside the draft",
    actor: chair,
    edit: (d) => d.getMap("backdoor").set("x", 1),
    rule: "unknown-type",
  },
  {
    name: "a mark with no registry entry behind it",
    actor: chair,
    edit: (d) => text(d, 1).format(0, 2, marks(["bracket", "ghost"])),
    rule: "mark-without-entry",
  },
  {
    name: "a formatting attribute that is no negotiation mark",
    actor: chair,
    edit: (d) => text(d, 1).format(0, 2, { bold: true }),
    rule: "content-malformed",
  },
  {
    name: "an embed in the text",
    actor: chair,
    edit: (d) => text(d, 1).insertEmbed(0, { image: "x" }),
    rule: "content-malformed",
  },
  {
    name: "a block without an id",
    actor: chair,
    edit: (d) => draftTypes(d).fragment.insert(0, [new Y.XmlElement("paragraph")]),
    rule: "content-malformed",
  },
  {
    name: "a block the schema does not have",
    actor: chair,
    edit: (d) => draftTypes(d).fragment.insert(0, [new Y.XmlElement("script")]),
    rule: "content-malformed",
  },
];

describe("the permission guard refuses", () => {
  it.each(attacks)("$name", ({ actor, edit, rule }) => {
    const r = room();
    const before = Y.encodeStateAsUpdate(r.live);
    const verdict = r.client(actor).send(r.client(actor).edit(edit));
    expect([verdict.ok ? "allowed" : verdict.rule, Y.encodeStateAsUpdate(r.live)]).toEqual([
      rule,
      before,
    ]);
  });
});

describe("the permission guard reads a bracket entry", () => {
  const entry = bracket({ proposedBy: [{ party: "Pakistan", onBehalfOf: null }] });
  /** Pakistan's insertion " not" under bracket bx, whose entry `writeEntry` stores. */
  const insertion = (writeEntry: (d: Y.Doc) => void) => (d: Y.Doc) => {
    writeEntry(d);
    draftTypes(d).attributions.set("ax", { party: "Pakistan", onBehalfOf: null, enteredBy: null });
    text(d, 0).insert(16, " not", marks(["bracket", "bx"], ["attribution", "ax"]));
  };
  const storedFields = (r: ReturnType<typeof room>) =>
    [...(draftTypes(r.live).brackets.get("bx")?.keys() ?? [])].sort();

  it("written with its null fields stored, as clients did before 2026-11-22", () => {
    const r = room();
    const edit = insertion((d) => draftTypes(d).brackets.set("bx", bracketMap(entry)));
    expect(r.client(pakistan).send(r.client(pakistan).edit(edit))).toEqual({ ok: true });
    expect(storedFields(r)).toEqual([
      "alternativeTo",
      "enteredBy",
      "kind",
      "pairedWith",
      "positions",
      "proposedBy",
      "status",
    ]);
  });

  it("written without its null fields, as the model writes it now", () => {
    const r = room();
    const edit = insertion((d) => applyOpsToYDoc(d, [{ op: "putBracket", id: "bx", entry }]));
    expect(r.client(pakistan).send(r.client(pakistan).edit(edit))).toEqual({ ok: true });
    expect(storedFields(r)).toEqual(["kind", "positions", "proposedBy", "status"]);
  });
});
