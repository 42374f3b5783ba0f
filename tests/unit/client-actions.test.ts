import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import {
  actions,
  blocksInSelection,
  bracketAtSelection,
  isEnabled,
  visibleActions,
} from "../../client/actions.ts";
import type { Actor } from "../../schema/registry.ts";
import { registryPlugin } from "../../schema/state.ts";
import { sampleDraft } from "../e2e/sample.ts";
import { chair, pakistan } from "./commands/fixtures.ts";

const observer: Actor = { party: "Observer", role: "observer" };

/** The sample draft with the cursor inside the words of bracket `id`. */
function insideBracket(id: string) {
  const draft = sampleDraft();
  const s = EditorState.create({ doc: draft.doc, plugins: [registryPlugin(draft.registry)] });
  let pos = -1;
  s.doc.descendants((node, at) => {
    if (pos < 0 && node.isText && node.marks.some((m) => m.attrs.id === id)) pos = at + 2;
  });
  return s.apply(s.tr.setSelection(TextSelection.create(s.doc, pos)));
}

const action = (id: string) => {
  const found = actions.find((a) => a.id === id);
  if (!found) throw new RangeError(id);
  return found;
};

describe("actions", () => {
  it("find the innermost bracket at the cursor", () => {
    expect(bracketAtSelection(insideBracket("b2"))).toBe("b2");
  });

  it("offer a delegation no lift at all", () => {
    expect(visibleActions(pakistan).some((a) => a.id === "liftBracket")).toBe(false);
  });

  it("offer an observer nothing", () => {
    expect(visibleActions(observer)).toEqual([]);
  });

  it("enable lifting a bracket for the chair inside a bracket", () => {
    expect(isEnabled(action("liftBracket"), chair, insideBracket("b1"))).toBe(true);
  });

  it("enable opposing for a delegation inside another's bracket", () => {
    expect(isEnabled(action("oppose"), pakistan, insideBracket("b3"))).toBe(true);
  });

  it("enable withdrawing only for the proposer", () => {
    const state = insideBracket("b1");
    expect(isEnabled(action("withdrawProposal"), pakistan, state)).toBe(true);
    expect(
      isEnabled(action("withdrawProposal"), { party: "Algeria", role: "delegation" }, state),
    ).toBe(false);
  });

  it("offer the chair an alternative text replacing the paragraphs the selection touches", () => {
    const draft = sampleDraft();
    const s = EditorState.create({ doc: draft.doc, plugins: [registryPlugin(draft.registry)] });
    const ranges: number[] = [];
    s.doc.forEach((node, offset) => {
      if (node.attrs.id === "p3" || node.attrs.id === "p4") ranges.push(offset + 2);
    });
    const selected = s.apply(
      s.tr.setSelection(TextSelection.create(s.doc, ranges[0]!, ranges[1]!)),
    );
    expect(blocksInSelection(selected)).toEqual(["p3", "p4"]);
    expect(isEnabled(action("proposeChairAlternative"), chair, selected)).toBe(true);
    expect(isEnabled(action("proposeChairAlternative"), pakistan, selected)).toBe(false);
  });

  it("disable positions outside any bracket", () => {
    const draft = sampleDraft();
    const s = EditorState.create({ doc: draft.doc, plugins: [registryPlugin(draft.registry)] });
    expect(isEnabled(action("support"), pakistan, s)).toBe(false);
  });
});
