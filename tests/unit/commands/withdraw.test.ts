import { beforeEach, describe, expect, it } from "vitest";
import { withdrawProposal } from "../../../schema/commands/index.ts";
import { markRanges } from "../../../schema/ranges.ts";
import { getRegistry } from "../../../schema/state.ts";
import { at, br, doc, np, p, registry, resetIds } from "../../builder.ts";
import {
  algeria,
  chair,
  observer,
  open,
  pakistan,
  run,
  runMirrored,
  secretariat,
  stateOf,
  texts,
  uae,
} from "./fixtures.ts";

beforeEach(resetIds);

const insertion = () =>
  stateOf(
    doc(np("The Office", br("b1", at("a1", " and purpose")), " shall")),
    registry({ brackets: { b1: open() } }),
  );

const deletion = () =>
  stateOf(
    doc(np("The ", br("b1", "main"), " Office")),
    registry({ brackets: { b1: open({ kind: "deletion" }) } }),
  );

const replacement = () =>
  stateOf(
    doc(np("a ", br("d1", "network"), br("i1", at("a1", "set")), " of offices")),
    registry({
      brackets: {
        d1: open({ kind: "deletion", pairedWith: "i1" }),
        i1: open({ kind: "insertion", pairedWith: "d1" }),
      },
    }),
  );

const statusOf = (outcome: ReturnType<typeof run>, id: string) =>
  getRegistry(outcome.state).brackets[id]?.status;

describe("withdrawProposal", () => {
  it("removes the words of a withdrawn insertion", () => {
    expect(texts(run(insertion(), withdrawProposal(pakistan, "b1")).state.doc)).toEqual([
      "The Office shall",
    ]);
  });

  it("marks a withdrawn insertion withdrawn", () => {
    expect(statusOf(run(insertion(), withdrawProposal(pakistan, "b1")), "b1")).toBe("withdrawn");
  });

  it("keeps the words of a withdrawn deletion and removes its bracket", () => {
    const { state } = run(deletion(), withdrawProposal(pakistan, "b1"));
    expect([texts(state.doc), markRanges(state.doc, "bracket").size]).toEqual([
      ["The main Office"],
      0,
    ]);
  });

  it("withdraws both halves of a replacement when one is withdrawn", () => {
    const outcome = run(replacement(), withdrawProposal(pakistan, "d1"));
    expect([statusOf(outcome, "d1"), statusOf(outcome, "i1")]).toEqual(["withdrawn", "withdrawn"]);
  });

  it("restores the old words when a replacement is withdrawn", () => {
    const { state } = run(replacement(), withdrawProposal(pakistan, "i1"));
    expect([texts(state.doc), markRanges(state.doc, "bracket").size]).toEqual([
      ["a network of offices"],
      0,
    ]);
  });

  it("removes the block of a withdrawn alternative wording", () => {
    const state = stateOf(
      doc(np("old"), p(br("b1", at("a1", "new"))), np("next")),
      registry({ brackets: { b1: open({ kind: "alternative", alternativeTo: "p1" }) } }),
    );
    expect(texts(run(state, withdrawProposal(pakistan, "b1")).state.doc)).toEqual(["old", "next"]);
  });

  it("withdraws proposals nested in the withdrawn words with them", () => {
    const state = stateOf(
      doc(np("A", br("b1", " big ", br("b2", "new"), " office"))),
      registry({
        brackets: { b1: open(), b2: open({ proposedBy: [{ party: "Chile", onBehalfOf: null }] }) },
      }),
    );
    expect(statusOf(run(state, withdrawProposal(pakistan, "b1")), "b2")).toBe("withdrawn");
  });

  it("refuses a delegation withdrawing another delegation's proposal", () => {
    expect(run(insertion(), withdrawProposal(uae, "b1")).ok).toBe(false);
  });

  it("lets a delegation withdraw what it proposed for its group", () => {
    const state = stateOf(
      doc(np(br("b1", "x"), "y")),
      registry({
        brackets: { b1: open({ proposedBy: [{ party: "African Group", onBehalfOf: null }] }) },
      }),
    );
    expect(run(state, withdrawProposal(algeria, "b1")).ok).toBe(true);
  });

  it("lets the chair withdraw any proposal", () => {
    expect(run(insertion(), withdrawProposal(chair, "b1")).ok).toBe(true);
  });

  it("lets the secretariat withdraw any proposal", () => {
    expect(run(insertion(), withdrawProposal(secretariat, "b1")).ok).toBe(true);
  });

  it("refuses an observer", () => {
    expect(run(insertion(), withdrawProposal(observer, "b1")).ok).toBe(false);
  });

  it("refuses a proposal that is no longer open", () => {
    const state = stateOf(
      doc(np(br("b1", "x"), "y")),
      registry({ brackets: { b1: open({ status: "lifted" }) } }),
    );
    expect(run(state, withdrawProposal(pakistan, "b1")).ok).toBe(false);
  });

  it("refuses a bracket of unknown origin, which has no proposer to withdraw it", () => {
    const state = stateOf(
      doc(np(br("b1", "x"), "y")),
      registry({ brackets: { b1: open({ kind: "text", proposedBy: [] }) } }),
    );
    expect(run(state, withdrawProposal(chair, "b1")).ok).toBe(false);
  });

  it("answers a probe without dispatching", () => {
    expect(withdrawProposal(pakistan, "b1")(insertion())).toBe(true);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(replacement(), withdrawProposal(pakistan, "i1"));
    expect(ydoc).toEqual(json);
  });
});
