import { beforeEach, describe, expect, it } from "vitest";
import {
  adoptChairAlternative,
  proposeChairAlternative,
  proposeDeletion,
  withdrawChairAlternative,
} from "../../../schema/commands/index.ts";
import { blockLabels } from "../../../schema/numbering.ts";
import { emptyRegistry, type Registry } from "../../../schema/registry.ts";
import { getRegistry } from "../../../schema/state.ts";
import { br, ca, doc, ip, item, list, np, registry, resetIds } from "../../builder.ts";
import {
  chair,
  marksOn,
  observer,
  open,
  pakistan,
  run,
  runMirrored,
  secretariat,
  stateOf,
  texts,
} from "./fixtures.ts";

beforeEach(resetIds);

const ids = { id: "c1", blockIds: ["n1", "n2"] };

const labels = (state: ReturnType<typeof stateOf>) =>
  Object.fromEntries(blockLabels(state.doc, getRegistry(state)));

const fourParagraphs = () =>
  stateOf(doc(np("one"), np("two"), np("three"), np("four")), emptyRegistry);

// The chair's text replacing paras 2 and 3, as proposeChairAlternative writes it.
const proposed = (reg: Partial<Registry> = {}) =>
  stateOf(
    doc(np("one"), np("two"), np("three"), np(ca("c1", "compromise")), np("four")),
    registry({
      chairAlternatives: { c1: { replaces: ["p2", "p3"], status: "proposed" } },
      ...reg,
    }),
  );

describe("proposeChairAlternative", () => {
  it("puts the chair's paragraphs right after the last paragraph they replace", () => {
    const { state } = run(
      fourParagraphs(),
      proposeChairAlternative(chair, ["p2", "p3"], ["new two", "new three"], ids),
    );
    expect(texts(state.doc)).toEqual(["one", "two", "three", "new two", "new three", "four"]);
  });

  it("marks the chair's words with the chair's alternative", () => {
    const { state } = run(
      fourParagraphs(),
      proposeChairAlternative(chair, ["p2"], ["new two"], ids),
    );
    expect(marksOn(state.doc, "new two", "chairAlternative")).toEqual(["c1"]);
  });

  it("records a proposed chair's alternative with the paragraphs it replaces, the same in a Y.Doc", () => {
    const { json, ydoc } = runMirrored(
      fourParagraphs(),
      proposeChairAlternative(chair, ["p2", "p3"], ["new"], ids),
    );
    expect([json.chairAlternatives.c1, ydoc]).toEqual([
      { replaces: ["p2", "p3"], status: "proposed" },
      json,
    ]);
  });

  it("labels the chair's paragraphs with the numbers they replace, leaving the rest alone", () => {
    const { state } = run(
      fourParagraphs(),
      proposeChairAlternative(chair, ["p2", "p3"], ["new two", "new three"], ids),
    );
    expect(labels(state)).toEqual({ p1: "1", p2: "2", p3: "3", n1: "2", n2: "3", p4: "4" });
  });

  it("gives a chair's paragraph that replaces an inserted one the inserted numbering", () => {
    const state = stateOf(doc(np("one"), ip("one bis")), emptyRegistry);
    const after = run(state, proposeChairAlternative(chair, ["p2"], ["new"], ids)).state;
    expect(after.doc.child(2).attrs.numbering).toBe("inserted");
  });

  it("puts the chair's text after the list when it replaces a list item", () => {
    const state = stateOf(
      doc(np("one"), list("alpha", item("x"), item("y")), np("two")),
      emptyRegistry,
    );
    const after = run(state, proposeChairAlternative(chair, ["i1"], ["new x"], ids)).state;
    expect(after.doc.child(2).textContent).toBe("new x");
  });

  it("refuses a paragraph that is not in the document", () => {
    expect(run(fourParagraphs(), proposeChairAlternative(chair, ["p9"], ["x"], ids)).ok).toBe(
      false,
    );
  });

  it("throws when it replaces nothing", () => {
    expect(() => proposeChairAlternative(chair, [], ["x"])).toThrow(RangeError);
  });

  it("refuses a delegation", () => {
    expect(run(fourParagraphs(), proposeChairAlternative(pakistan, ["p2"], ["x"], ids)).ok).toBe(
      false,
    );
  });

  it("refuses the secretariat", () => {
    expect(run(fourParagraphs(), proposeChairAlternative(secretariat, ["p2"], ["x"], ids)).ok).toBe(
      false,
    );
  });

  it("refuses an observer", () => {
    expect(run(fourParagraphs(), proposeChairAlternative(observer, ["p2"], ["x"], ids)).ok).toBe(
      false,
    );
  });

  it("answers a probe without dispatching", () => {
    expect(proposeChairAlternative(chair, ["p2"], ["x"])(fourParagraphs())).toBe(true);
  });

  it("lets a delegation bracket words inside the chair's text", () => {
    const state = stateOf(
      doc(np("one"), np(ca("c1", "com<a>prom<b>ise"))),
      registry({ chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } } }),
    );
    expect(run(state, proposeDeletion(pakistan, { id: "b1" })).ok).toBe(true);
  });
});

describe("adoptChairAlternative", () => {
  it("removes the paragraphs it replaces", () => {
    expect(texts(run(proposed(), adoptChairAlternative(chair, "c1")).state.doc)).toEqual([
      "one",
      "compromise",
      "four",
    ]);
  });

  it("marks it adopted, the same in a Y.Doc", () => {
    const { json, ydoc } = runMirrored(proposed(), adoptChairAlternative(chair, "c1"));
    expect([json.chairAlternatives.c1?.status, ydoc]).toEqual(["adopted", json]);
  });

  it("numbers the adopted text like ordinary text", () => {
    const { state } = run(proposed(), adoptChairAlternative(chair, "c1"));
    expect(labels(state)).toEqual({ p1: "1", p4: "2", p5: "3" });
  });

  it("drops the open brackets of the paragraphs it replaced", () => {
    const state = stateOf(
      doc(np("one ", br("b1", "two")), np(ca("c1", "compromise"))),
      registry({
        brackets: { b1: open() },
        chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } },
      }),
    );
    expect(
      getRegistry(run(state, adoptChairAlternative(chair, "c1")).state).brackets.b1?.status,
    ).toBe("dropped");
  });

  it("refuses a chair's alternative that is no longer proposed", () => {
    const state = proposed({
      chairAlternatives: { c1: { replaces: ["p2"], status: "withdrawn" } },
    });
    expect(run(state, adoptChairAlternative(chair, "c1")).ok).toBe(false);
  });

  it("refuses a chair's alternative whose text is gone", () => {
    const state = stateOf(
      doc(np("one")),
      registry({ chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } } }),
    );
    expect(run(state, adoptChairAlternative(chair, "c1")).ok).toBe(false);
  });

  it("refuses a delegation", () => {
    expect(run(proposed(), adoptChairAlternative(pakistan, "c1")).ok).toBe(false);
  });

  it("refuses the secretariat", () => {
    expect(run(proposed(), adoptChairAlternative(secretariat, "c1")).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    expect(adoptChairAlternative(chair, "c1")(proposed())).toBe(true);
  });
});

describe("withdrawChairAlternative", () => {
  it("removes the chair's paragraphs and keeps the ones it would have replaced", () => {
    expect(texts(run(proposed(), withdrawChairAlternative(chair, "c1")).state.doc)).toEqual([
      "one",
      "two",
      "three",
      "four",
    ]);
  });

  it("marks it withdrawn, the same in a Y.Doc", () => {
    const { json, ydoc } = runMirrored(proposed(), withdrawChairAlternative(chair, "c1"));
    expect([json.chairAlternatives.c1?.status, ydoc]).toEqual(["withdrawn", json]);
  });

  it("withdraws the brackets delegations put in the chair's text", () => {
    const state = stateOf(
      doc(np("one"), np(ca("c1", "com", br("b1", "prom"), "ise"))),
      registry({
        brackets: { b1: open({ kind: "deletion" }) },
        chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } },
      }),
    );
    expect(
      getRegistry(run(state, withdrawChairAlternative(chair, "c1")).state).brackets.b1?.status,
    ).toBe("withdrawn");
  });

  it("refuses a delegation", () => {
    expect(run(proposed(), withdrawChairAlternative(pakistan, "c1")).ok).toBe(false);
  });

  it("refuses a chair's alternative that was adopted", () => {
    const state = proposed({ chairAlternatives: { c1: { replaces: ["p2"], status: "adopted" } } });
    expect(run(state, withdrawChairAlternative(chair, "c1")).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    expect(withdrawChairAlternative(chair, "c1")(proposed())).toBe(true);
  });
});
