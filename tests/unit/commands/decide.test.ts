import { beforeEach, describe, expect, it } from "vitest";
import { dropProposal, liftBracket, setAgreement } from "../../../schema/commands/index.ts";
import { markRanges } from "../../../schema/ranges.ts";
import type { Position } from "../../../schema/registry.ts";
import { getRegistry } from "../../../schema/state.ts";
import { at, br, doc, np, registry, resetIds } from "../../builder.ts";
import {
  chair,
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

const oppose: Position = {
  party: "United Arab Emirates",
  stance: "oppose",
  onBehalfOf: null,
  text: null,
  enteredBy: null,
};

const proposal = () =>
  stateOf(
    doc(np("The Office", br("b1", at("a1", " and purpose")), " shall")),
    registry({ brackets: { b1: open({ positions: { "United Arab Emirates": oppose } }) } }),
  );

// Pakistan's words with Chile's proposal nested in them.
const nested = () =>
  stateOf(
    doc(np("A", br("b1", at("a1", " big "), br("b2", at("a2", "new")), at("a1", " office")))),
    registry({
      brackets: {
        b1: open(),
        b2: open({ proposedBy: [{ party: "Chile", onBehalfOf: null }] }),
      },
    }),
  );

describe("liftBracket", () => {
  it("lifting a bracket keeps its text and drops its positions", () => {
    const { outcome, json, ydoc } = runMirrored(proposal(), liftBracket(chair, "b1"));
    expect([texts(outcome.state.doc), json.brackets.b1?.positions, ydoc]).toEqual([
      ["The Office and purpose shall"],
      {},
      json,
    ]);
  });

  it("marks a lifted bracket lifted", () => {
    expect(getRegistry(run(proposal(), liftBracket(chair, "b1")).state).brackets.b1?.status).toBe(
      "lifted",
    );
  });

  it("removes the bracket mark and the attribution inside it", () => {
    const { state } = run(proposal(), liftBracket(chair, "b1"));
    expect([
      markRanges(state.doc, "bracket").size,
      markRanges(state.doc, "attribution").size,
    ]).toEqual([0, 0]);
  });

  it("keeps a nested open proposal and its attribution", () => {
    const { state } = run(nested(), liftBracket(chair, "b1"));
    expect([
      [...markRanges(state.doc, "bracket").keys()],
      [...markRanges(state.doc, "attribution").keys()],
    ]).toEqual([["b2"], ["a2"]]);
  });

  it("lets the secretariat lift a bracket", () => {
    expect(run(proposal(), liftBracket(secretariat, "b1")).ok).toBe(true);
  });

  it("refuses a delegation, even on its own proposal", () => {
    expect(run(proposal(), liftBracket(pakistan, "b1")).ok).toBe(false);
  });

  it("refuses an observer", () => {
    expect(run(proposal(), liftBracket(observer, "b1")).ok).toBe(false);
  });

  it("refuses a bracket that is no longer open", () => {
    const state = stateOf(
      doc(np(br("b1", "x"))),
      registry({ brackets: { b1: open({ status: "dropped" }) } }),
    );
    expect(run(state, liftBracket(chair, "b1")).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    expect(liftBracket(chair, "b1")(proposal())).toBe(true);
  });
});

describe("dropProposal", () => {
  it("removes the dropped proposal's words", () => {
    expect(texts(run(proposal(), dropProposal(chair, "b1")).state.doc)).toEqual([
      "The Office shall",
    ]);
  });

  it("clears the positions and marks the proposal dropped, the same in a Y.Doc", () => {
    const { json, ydoc } = runMirrored(proposal(), dropProposal(chair, "b1"));
    expect([json.brackets.b1?.status, json.brackets.b1?.positions, ydoc]).toEqual([
      "dropped",
      {},
      json,
    ]);
  });

  it("drops the proposals nested in the dropped words", () => {
    const { state } = run(nested(), dropProposal(chair, "b1"));
    expect(getRegistry(state).brackets.b2?.status).toBe("dropped");
  });

  it("removes a paragraph that held only the dropped words", () => {
    const state = stateOf(
      doc(np("one"), np(br("b1", at("a1", "new paragraph"))), np("two")),
      registry({ brackets: { b1: open() } }),
    );
    expect(texts(run(state, dropProposal(chair, "b1")).state.doc)).toEqual(["one", "two"]);
  });

  it("lets the secretariat drop a proposal", () => {
    expect(run(proposal(), dropProposal(secretariat, "b1")).ok).toBe(true);
  });

  it("refuses a delegation", () => {
    expect(run(proposal(), dropProposal(pakistan, "b1")).ok).toBe(false);
  });

  it("refuses a bracket that is not in the registry", () => {
    expect(run(proposal(), dropProposal(chair, "b9")).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    expect(dropProposal(chair, "b1")(proposal())).toBe(true);
  });
});

describe("setAgreement", () => {
  const settled = () => stateOf(doc(np("agreed words"), np("x")), registry({}));

  it("marks a paragraph agreed", () => {
    const { state } = run(settled(), setAgreement(chair, "p1", "agreed"));
    expect(getRegistry(state).paragraphs).toEqual({ p1: { agreement: "agreed" } });
  });

  it("lets the secretariat mark a paragraph agreed ad ref", () => {
    const { json, ydoc } = runMirrored(settled(), setAgreement(secretariat, "p1", "adRef"));
    expect([json.paragraphs.p1, ydoc]).toEqual([{ agreement: "adRef" }, json]);
  });

  it("puts an agreed paragraph back under negotiation", () => {
    const agreed = run(settled(), setAgreement(chair, "p1", "agreed")).state;
    expect(getRegistry(run(agreed, setAgreement(chair, "p1", null)).state).paragraphs).toEqual({});
  });

  it("refuses while the paragraph still contains an open bracket", () => {
    expect(run(proposal(), setAgreement(chair, "p1", "agreed")).ok).toBe(false);
  });

  it("does not mind open brackets in other paragraphs", () => {
    const state = stateOf(doc(np("x"), np(br("b1", "y"))), registry({ brackets: { b1: open() } }));
    expect(run(state, setAgreement(chair, "p1", "agreed")).ok).toBe(true);
  });

  it("refuses a paragraph that already has that state", () => {
    const agreed = run(settled(), setAgreement(chair, "p1", "agreed")).state;
    expect(run(agreed, setAgreement(chair, "p1", "agreed")).ok).toBe(false);
  });

  it("refuses a delegation", () => {
    expect(run(settled(), setAgreement(pakistan, "p1", "agreed")).ok).toBe(false);
  });

  it("refuses an observer", () => {
    expect(run(settled(), setAgreement(observer, "p1", "agreed")).ok).toBe(false);
  });

  it("refuses a block that is not in the document", () => {
    expect(run(settled(), setAgreement(chair, "p9", "agreed")).ok).toBe(false);
  });
});
