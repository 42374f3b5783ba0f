import { beforeEach, describe, expect, it } from "vitest";
import { mayEditAt } from "../../../schema/commands/index.ts";
import { at, br, doc, np, registry, resetIds } from "../../builder.ts";
import { chair, observer, open, pakistan, secretariat, stateOf, uae } from "./fixtures.ts";

beforeEach(resetIds);

// Pakistan's insertion "big new office" with the UAE's deletion of "new" nested in it,
// and an agreed word before it. Tags: <u> in agreed text, <s>/<e> at the edges of b1,
// <i> inside b1, <n> inside the UAE's nested b2.
const draft = doc(
  np(
    "agr<u>eed <s>",
    br("b1", at("a1", "bi<i>g "), br("b2", at("a1", "n<n>ew")), at("a1", " office")),
    "<e> end",
  ),
);
const reg = registry({
  brackets: {
    b1: open(),
    b2: open({
      kind: "deletion",
      proposedBy: [{ party: "United Arab Emirates", onBehalfOf: null }],
    }),
  },
});
const state = stateOf(draft, reg);
const { u, s, e, i, n } = draft.tag as Record<string, number>;

describe("mayEditAt", () => {
  it("lets the chair edit agreed text", () => {
    expect(mayEditAt(chair, state, u!, u!)).toBe(true);
  });

  it("lets the secretariat edit another delegation's proposal", () => {
    expect(mayEditAt(secretariat, state, i!, i! + 1)).toBe(true);
  });

  it("refuses a delegation typing in agreed text", () => {
    expect(mayEditAt(pakistan, state, u!, u!)).toBe(false);
  });

  it("lets a delegation type inside its own open insertion", () => {
    expect(mayEditAt(pakistan, state, i!, i!)).toBe(true);
  });

  it("lets a delegation delete some words of its own open insertion", () => {
    expect(mayEditAt(pakistan, state, i!, i! + 1)).toBe(true);
  });

  it("refuses a delegation deleting all words of its proposal, which is withdrawing it", () => {
    expect(mayEditAt(pakistan, state, s!, e!)).toBe(false);
  });

  it("refuses a delegation typing at the edge of its own insertion", () => {
    expect(mayEditAt(pakistan, state, s!, s!)).toBe(false);
  });

  it("refuses a delegation typing in another delegation's proposal", () => {
    expect(mayEditAt(uae, state, i!, i!)).toBe(false);
  });

  it("refuses a delegation typing in words another delegation bracketed inside its own", () => {
    expect(mayEditAt(pakistan, state, n!, n!)).toBe(false);
  });

  it("refuses a delegation typing in its own deletion bracket", () => {
    expect(mayEditAt(uae, state, n!, n!)).toBe(false);
  });

  it("lets a delegation type in its own insertion nested in another's bracket", () => {
    const nested = doc(np(br("b1", "x ", br("b2", at("a2", "o<p>wn")), " y")));
    const nestedState = stateOf(
      nested,
      registry({
        brackets: {
          b1: open({ proposedBy: [{ party: "Chile", onBehalfOf: null }] }),
          b2: open(),
        },
      }),
    );
    expect(mayEditAt(pakistan, nestedState, nested.tag.p!, nested.tag.p!)).toBe(true);
  });

  it("refuses an observer", () => {
    expect(mayEditAt(observer, state, i!, i!)).toBe(false);
  });

  it("throws for a range outside the document", () => {
    expect(() => mayEditAt(chair, state, 0, 10_000)).toThrow(RangeError);
  });
});
