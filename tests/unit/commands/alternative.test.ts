import { beforeEach, describe, expect, it } from "vitest";
import { proposeAlternativeWording } from "../../../schema/commands/index.ts";
import { blockLabels } from "../../../schema/numbering.ts";
import { emptyRegistry } from "../../../schema/registry.ts";
import { getRegistry } from "../../../schema/state.ts";
import { doc, h, item, list, np, resetIds } from "../../builder.ts";
import { marksOn, observer, pakistan, run, runMirrored, secretariat, stateOf } from "./fixtures.ts";

beforeEach(resetIds);

const ids = { id: "b1", attributionId: "a1", blockId: "alt" };

describe("proposeAlternativeWording", () => {
  it("puts an alternative to a paragraph in an unnumbered paragraph right after it", () => {
    const { state } = run(
      stateOf(doc(np("old one"), np("two")), emptyRegistry),
      proposeAlternativeWording(pakistan, "p1", "new one", ids),
    );
    expect(
      state.doc.toJSON().content.map((n: { attrs: Record<string, unknown> }) => n.attrs),
    ).toEqual([
      { id: "p1", numbering: "numbered" },
      { id: "alt", numbering: "none" },
      { id: "p2", numbering: "numbered" },
    ]);
  });

  it("makes the whole alternative one attributed bracket", () => {
    const { state } = run(
      stateOf(doc(np("old one")), emptyRegistry),
      proposeAlternativeWording(pakistan, "p1", "new one", ids),
    );
    expect([
      marksOn(state.doc, "new one", "bracket"),
      marksOn(state.doc, "new one", "attribution"),
    ]).toEqual([["b1"], ["a1"]]);
  });

  it("records an open alternative bracket naming the block it replaces", () => {
    const { state } = run(
      stateOf(doc(np("old one")), emptyRegistry),
      proposeAlternativeWording(pakistan, "p1", "new one", ids),
    );
    expect(getRegistry(state).brackets.b1).toMatchObject({
      kind: "alternative",
      status: "open",
      alternativeTo: "p1",
      proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
    });
  });

  it("does not shift the numbers of the paragraphs after it", () => {
    const { state } = run(
      stateOf(doc(np("old one"), np("two")), emptyRegistry),
      proposeAlternativeWording(pakistan, "p1", "new one", ids),
    );
    expect(Object.fromEntries(blockLabels(state.doc, getRegistry(state)))).toEqual({
      p1: "1",
      p2: "2",
    });
  });

  it("puts an alternative to a list item in the same list, right after the item", () => {
    const { state } = run(
      stateOf(doc(list("alpha", item("x"), item("y"))), emptyRegistry),
      proposeAlternativeWording(pakistan, "i1", "x2", ids),
    );
    const listNode = state.doc.child(0);
    expect([
      listNode.childCount,
      listNode.child(1).attrs.id,
      listNode.child(1).textContent,
    ]).toEqual([3, "alt", "x2"]);
  });

  it("refuses a block that is not a paragraph or item", () => {
    const state = stateOf(doc(h({ label: "A." }, "Background"), np("x")), emptyRegistry);
    expect(run(state, proposeAlternativeWording(pakistan, "h1", "Context", ids)).ok).toBe(false);
  });

  it("refuses a block that is not in the document", () => {
    const state = stateOf(doc(np("x")), emptyRegistry);
    expect(run(state, proposeAlternativeWording(pakistan, "p9", "y", ids)).ok).toBe(false);
  });

  it("refuses an observer", () => {
    const state = stateOf(doc(np("x")), emptyRegistry);
    expect(run(state, proposeAlternativeWording(observer, "p1", "y", ids)).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    const state = stateOf(doc(np("x")), emptyRegistry);
    expect(proposeAlternativeWording(pakistan, "p1", "y")(state)).toBe(true);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(
      stateOf(doc(np("x")), emptyRegistry),
      proposeAlternativeWording(secretariat, "p1", "y", ids),
    );
    expect(ydoc).toEqual(json);
  });
});
