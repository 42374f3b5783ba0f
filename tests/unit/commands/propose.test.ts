import { beforeEach, describe, expect, it } from "vitest";
import {
  proposeDeletion,
  proposeInsertion,
  proposeReplacement,
} from "../../../schema/commands/index.ts";
import { draftFromYDoc, draftToYDoc } from "../../../schema/draft.ts";
import { listBrackets } from "../../../schema/queries.ts";
import { emptyRegistry } from "../../../schema/registry.ts";
import { draftOf, getRegistry } from "../../../schema/state.ts";
import { at, br, doc, np, registry, resetIds } from "../../builder.ts";
import {
  algeria,
  chair,
  marksOn,
  observer,
  open,
  pakistan,
  run,
  runMirrored,
  secretariatForPakistan,
  stateOf,
  texts,
  uae,
} from "./fixtures.ts";

beforeEach(resetIds);

const ids = { id: "b1", attributionId: "a1" };

describe("proposeInsertion", () => {
  it("brackets a delegation's new words and attributes them to it", () => {
    const { state } = run(
      stateOf(doc(np("The Office <a>shall")), emptyRegistry),
      proposeInsertion(pakistan, "and purpose ", ids),
    );
    expect(texts(state.doc)).toEqual(["The Office and purpose shall"]);
    expect(marksOn(state.doc, "and purpose ", "bracket")).toEqual(["b1"]);
    expect(marksOn(state.doc, "and purpose ", "attribution")).toEqual(["a1"]);
  });

  it("records an open insertion proposed by the delegation in its own name", () => {
    const { state } = run(
      stateOf(doc(np("x<a>")), emptyRegistry),
      proposeInsertion(pakistan, "y", ids),
    );
    expect(getRegistry(state).brackets.b1).toEqual(open({ kind: "insertion" }));
    expect(getRegistry(state).attributions.a1).toEqual({
      party: "Pakistan",
      onBehalfOf: null,
      enteredBy: null,
    });
  });

  it("records the secretariat's insertion as the delegation's, entered by the secretariat", () => {
    const { state } = run(
      stateOf(doc(np("x<a>")), emptyRegistry),
      proposeInsertion(secretariatForPakistan, "y", ids),
    );
    expect(getRegistry(state).brackets.b1?.proposedBy).toEqual([
      { party: "Pakistan", onBehalfOf: null },
    ]);
    expect(getRegistry(state).brackets.b1?.enteredBy).toBe("Secretariat");
  });

  it("records a delegation speaking for its group with the group", () => {
    const { state } = run(
      stateOf(doc(np("x<a>")), emptyRegistry),
      proposeInsertion(algeria, "y", ids),
    );
    expect(getRegistry(state).brackets.b1?.proposedBy).toEqual([
      { party: "Algeria", onBehalfOf: "African Group" },
    ]);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(
      stateOf(doc(np("x<a>")), emptyRegistry),
      proposeInsertion(pakistan, "y", ids),
    );
    expect(ydoc).toEqual(json);
  });

  it("nests words proposed inside an open bracket in that bracket", () => {
    const d = doc(np("A ", br("b0", at("a0", "big <a>office"))));
    const { state } = run(
      stateOf(d, registry({ brackets: { b0: open() } })),
      proposeInsertion(uae, "regional ", ids),
    );
    const nested = listBrackets(draftOf(state)).find((b) => b.id === "b1");
    expect(nested).toMatchObject({ depth: 2, parent: "b0", text: "regional " });
  });

  it("gives nested words the enclosing bracket's mark, so that bracket is not split", () => {
    const d = doc(np("A ", br("b0", at("a0", "big <a>office"))));
    const { state } = run(
      stateOf(d, registry({ brackets: { b0: open() } })),
      proposeInsertion(uae, "regional ", ids),
    );
    expect(marksOn(state.doc, "regional ", "bracket").sort()).toEqual(["b0", "b1"]);
  });

  it("does not give nested words the enclosing proposer's attribution", () => {
    const d = doc(np("A ", br("b0", at("a0", "big <a>office"))));
    const { state } = run(
      stateOf(d, registry({ brackets: { b0: open() } })),
      proposeInsertion(uae, "regional ", ids),
    );
    expect(marksOn(state.doc, "regional ", "attribution")).toEqual(["a1"]);
  });

  it("refuses words inside a bracket that is no longer open", () => {
    const d = doc(np(br("b0", "big <a>office")));
    const state = stateOf(d, registry({ brackets: { b0: open({ status: "lifted" }) } }));
    expect(run(state, proposeInsertion(pakistan, "y", ids)).ok).toBe(false);
  });

  it("refuses when words are selected", () => {
    const state = stateOf(doc(np("<a>big<b> office")), emptyRegistry);
    expect(run(state, proposeInsertion(pakistan, "y", ids)).ok).toBe(false);
  });

  it("refuses empty words", () => {
    const state = stateOf(doc(np("x<a>")), emptyRegistry);
    expect(run(state, proposeInsertion(pakistan, "", ids)).ok).toBe(false);
  });

  it("refuses an observer", () => {
    const outcome = run(stateOf(doc(np("x<a>")), emptyRegistry), proposeInsertion(observer, "y"));
    expect([outcome.ok, outcome.dispatched]).toEqual([false, 0]);
  });

  it("answers a probe without dispatching", () => {
    const state = stateOf(doc(np("x<a>")), emptyRegistry);
    expect(proposeInsertion(pakistan, "y")(state)).toBe(true);
  });

  it("lets the chair propose in its own name", () => {
    const { state } = run(
      stateOf(doc(np("x<a>")), emptyRegistry),
      proposeInsertion(chair, "y", ids),
    );
    expect(getRegistry(state).brackets.b1?.proposedBy).toEqual([
      { party: "Chair", onBehalfOf: null },
    ]);
  });
});

describe("proposeDeletion", () => {
  it("brackets the selected words and keeps them", () => {
    const { state } = run(
      stateOf(doc(np("The <a>Office<b> shall")), emptyRegistry),
      proposeDeletion(pakistan, { id: "b1" }),
    );
    expect(texts(state.doc)).toEqual(["The Office shall"]);
    expect(marksOn(state.doc, "Office", "bracket")).toEqual(["b1"]);
  });

  it("gives the deleted words no attribution", () => {
    const { state } = run(
      stateOf(doc(np("The <a>Office<b> shall")), emptyRegistry),
      proposeDeletion(pakistan, { id: "b1" }),
    );
    expect(marksOn(state.doc, "Office", "attribution")).toEqual([]);
  });

  it("records a deletion with the proposer's delete position", () => {
    const { state } = run(
      stateOf(doc(np("The <a>Office<b> shall")), emptyRegistry),
      proposeDeletion(uae, { id: "b1" }),
    );
    expect(getRegistry(state).brackets.b1).toMatchObject({
      kind: "deletion",
      status: "open",
      proposedBy: [{ party: "United Arab Emirates", onBehalfOf: null }],
      positions: {
        "United Arab Emirates": {
          party: "United Arab Emirates",
          stance: "delete",
          onBehalfOf: null,
          text: null,
          enteredBy: null,
        },
      },
    });
  });

  it("brackets words across two paragraphs as one bracket", () => {
    const { state } = run(
      stateOf(doc(np("one <a>two"), np("three<b> four")), emptyRegistry),
      proposeDeletion(pakistan, { id: "b1" }),
    );
    expect(listBrackets(draftOf(state)).map((b) => [b.id, b.text, b.paragraph])).toEqual([
      ["b1", "two\nthree", "1"],
    ]);
  });

  it("refuses a selection that would partly overlap another bracket", () => {
    const d = doc(np("a <a>b ", br("b0", "c<b> d")));
    const state = stateOf(d, registry({ brackets: { b0: open() } }));
    expect(run(state, proposeDeletion(pakistan, { id: "b1" })).ok).toBe(false);
  });

  it("nests a deletion of words inside another's proposal", () => {
    const d = doc(np("a ", br("b0", "b <a>c<b> d")));
    const { state } = run(
      stateOf(d, registry({ brackets: { b0: open() } })),
      proposeDeletion(uae, { id: "b1" }),
    );
    expect(listBrackets(draftOf(state)).find((b) => b.id === "b1")?.parent).toBe("b0");
  });

  it("refuses an empty selection", () => {
    const state = stateOf(doc(np("a<a>b")), emptyRegistry);
    expect(run(state, proposeDeletion(pakistan)).ok).toBe(false);
  });

  it("refuses an observer", () => {
    const state = stateOf(doc(np("<a>ab<b>")), emptyRegistry);
    expect(run(state, proposeDeletion(observer)).ok).toBe(false);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(
      stateOf(doc(np("<a>ab<b>")), emptyRegistry),
      proposeDeletion(pakistan, { id: "b1" }),
    );
    expect(ydoc).toEqual(json);
  });
});

describe("proposeReplacement", () => {
  const replacementIds = { deletionId: "d1", insertionId: "i1", attributionId: "a1" };

  it("brackets the old words for deletion, followed by the new words", () => {
    const { state } = run(
      stateOf(doc(np("a <a>network<b> of offices")), emptyRegistry),
      proposeReplacement(uae, "set", replacementIds),
    );
    expect(texts(state.doc)).toEqual(["a networkset of offices"]);
    expect([
      marksOn(state.doc, "network", "bracket"),
      marksOn(state.doc, "set", "bracket"),
    ]).toEqual([["d1"], ["i1"]]);
  });

  it("attributes only the new words", () => {
    const { state } = run(
      stateOf(doc(np("a <a>network<b> of offices")), emptyRegistry),
      proposeReplacement(uae, "set", replacementIds),
    );
    expect([
      marksOn(state.doc, "network", "attribution"),
      marksOn(state.doc, "set", "attribution"),
    ]).toEqual([[], ["a1"]]);
  });

  it("pairs the two halves with each other", () => {
    const { state } = run(
      stateOf(doc(np("a <a>network<b> of offices")), emptyRegistry),
      proposeReplacement(uae, "set", replacementIds),
    );
    const { brackets } = getRegistry(state);
    expect([
      brackets.d1?.kind,
      brackets.d1?.pairedWith,
      brackets.i1?.kind,
      brackets.i1?.pairedWith,
    ]).toEqual(["deletion", "i1", "insertion", "d1"]);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(
      stateOf(doc(np("a <a>network<b> of offices")), emptyRegistry),
      proposeReplacement(uae, "set", replacementIds),
    );
    expect(ydoc).toEqual(json);
  });

  it("survives a trip through a Y.Doc with both halves and the attribution intact", () => {
    const { state } = run(
      stateOf(doc(np("a <a>network<b> of offices")), emptyRegistry),
      proposeReplacement(uae, "set", replacementIds),
    );
    const back = draftFromYDoc(draftToYDoc(draftOf(state)));
    expect([back.doc.eq(state.doc), back.registry]).toEqual([true, getRegistry(state)]);
  });

  it("refuses an observer", () => {
    const state = stateOf(doc(np("<a>ab<b>")), emptyRegistry);
    expect(run(state, proposeReplacement(observer, "c")).ok).toBe(false);
  });

  it("refuses empty new words", () => {
    const state = stateOf(doc(np("<a>ab<b>")), emptyRegistry);
    expect(run(state, proposeReplacement(pakistan, "")).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    const state = stateOf(doc(np("<a>ab<b>")), emptyRegistry);
    expect(proposeReplacement(pakistan, "c")(state)).toBe(true);
  });
});
