import { beforeEach, describe, expect, it } from "vitest";
import { clearPosition, statePosition } from "../../../schema/commands/index.ts";
import type { Position, Stance } from "../../../schema/registry.ts";
import { getRegistry } from "../../../schema/state.ts";
import { br, doc, np, registry, resetIds } from "../../builder.ts";
import {
  algeria,
  chair,
  observer,
  open,
  pakistan,
  run,
  runMirrored,
  secretariat,
  secretariatForPakistan,
  stateOf,
  uae,
} from "./fixtures.ts";

beforeEach(resetIds);

const uaeOpposes: Position = {
  party: "United Arab Emirates",
  stance: "oppose",
  onBehalfOf: null,
  text: null,
  enteredBy: null,
};

const withBracket = (over = {}) =>
  stateOf(doc(np("A ", br("b1", "purpose"))), registry({ brackets: { b1: open(over) } }));

const positionsAfter = (outcome: ReturnType<typeof run>) =>
  getRegistry(outcome.state).brackets.b1?.positions;

describe("statePosition", () => {
  it("records a delegation's own position", () => {
    expect(positionsAfter(run(withBracket(), statePosition(uae, "b1", "oppose")))).toEqual({
      "United Arab Emirates": uaeOpposes,
    });
  });

  it("replaces the party's earlier position when it speaks again", () => {
    const first = run(withBracket(), statePosition(uae, "b1", "oppose"));
    const second = run(first.state, statePosition(uae, "b1", "accept"));
    expect(positionsAfter(second)?.["United Arab Emirates"]?.stance).toBe("accept");
  });

  it("keeps other parties' positions when one party speaks", () => {
    const first = run(withBracket(), statePosition(uae, "b1", "oppose"));
    const second = run(first.state, statePosition(pakistan, "b1", "retain"));
    expect(Object.keys(positionsAfter(second) ?? {}).sort()).toEqual([
      "Pakistan",
      "United Arab Emirates",
    ]);
  });

  it("refuses a delegation speaking for another delegation", () => {
    expect(run(withBracket(), statePosition(uae, "b1", "support", { party: "Pakistan" })).ok).toBe(
      false,
    );
  });

  it("records a delegation's position with the group it speaks for", () => {
    const outcome = run(withBracket(), statePosition(algeria, "b1", "support"));
    expect(positionsAfter(outcome)?.Algeria?.onBehalfOf).toBe("African Group");
  });

  it("lets a delegation state the position of the group it speaks for", () => {
    const outcome = run(
      withBracket(),
      statePosition(algeria, "b1", "support", { party: "African Group" }),
    );
    expect(positionsAfter(outcome)?.["African Group"]?.stance).toBe("support");
  });

  it("lets the chair record a delegation's position, entered by the chair", () => {
    const outcome = run(
      withBracket(),
      statePosition(chair, "b1", "reserve", { party: "Russian Federation" }),
    );
    expect(positionsAfter(outcome)?.["Russian Federation"]).toEqual({
      party: "Russian Federation",
      stance: "reserve",
      onBehalfOf: null,
      text: null,
      enteredBy: "Chair",
    });
  });

  it("lets the secretariat record the position of the delegation it types for", () => {
    const outcome = run(withBracket(), statePosition(secretariatForPakistan, "b1", "delete"));
    expect(positionsAfter(outcome)?.Pakistan?.enteredBy).toBe("Secretariat");
  });

  it("refuses the secretariat a position in its own name", () => {
    expect(run(withBracket(), statePosition(secretariat, "b1", "support")).ok).toBe(false);
  });

  it("refuses an observer", () => {
    expect(run(withBracket(), statePosition(observer, "b1", "support")).ok).toBe(false);
  });

  it("refuses a bracket that is no longer open", () => {
    expect(run(withBracket({ status: "lifted" }), statePosition(uae, "b1", "support")).ok).toBe(
      false,
    );
  });

  it("refuses a bracket that does not exist", () => {
    expect(run(withBracket(), statePosition(uae, "b9", "support")).ok).toBe(false);
  });

  it("records the replacement words of a replace position", () => {
    const outcome = run(withBracket(), statePosition(uae, "b1", "replace", { text: "network" }));
    expect(positionsAfter(outcome)?.["United Arab Emirates"]?.text).toBe("network");
  });

  it("refuses a replace position without words", () => {
    expect(run(withBracket(), statePosition(uae, "b1", "replace")).ok).toBe(false);
  });

  it("throws for a stance that does not exist", () => {
    expect(() => statePosition(uae, "b1", "maybe" as Stance)).toThrow(RangeError);
  });

  it("changes nothing in the text", () => {
    const before = withBracket();
    expect(run(before, statePosition(uae, "b1", "oppose")).state.doc.eq(before.doc)).toBe(true);
  });

  it("answers a probe without dispatching", () => {
    expect(statePosition(uae, "b1", "oppose")(withBracket())).toBe(true);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(
      withBracket(),
      statePosition(chair, "b1", "accept", { party: "United States of America" }),
    );
    expect(ydoc).toEqual(json);
  });
});

describe("clearPosition", () => {
  const withPosition = () => withBracket({ positions: { "United Arab Emirates": uaeOpposes } });

  it("removes a delegation's own position", () => {
    expect(positionsAfter(run(withPosition(), clearPosition(uae, "b1")))).toEqual({});
  });

  it("refuses a delegation removing another's position", () => {
    expect(
      run(withPosition(), clearPosition(pakistan, "b1", { party: "United Arab Emirates" })).ok,
    ).toBe(false);
  });

  it("lets the chair remove a delegation's position", () => {
    expect(
      run(withPosition(), clearPosition(chair, "b1", { party: "United Arab Emirates" })).ok,
    ).toBe(true);
  });

  it("refuses when the party holds no position", () => {
    expect(run(withPosition(), clearPosition(pakistan, "b1")).ok).toBe(false);
  });

  it("mirrors its registry ops into a Y.Doc identically", () => {
    const { json, ydoc } = runMirrored(withPosition(), clearPosition(uae, "b1"));
    expect(ydoc).toEqual(json);
  });
});
