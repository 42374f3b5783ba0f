import { EditorState } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { type PanelFilter, panelRows } from "../../client/panel.ts";
import { applyRegistryOps } from "../../schema/registry.ts";
import { registryPlugin } from "../../schema/state.ts";
import { sampleDraft } from "../e2e/sample.ts";

const any: PanelFilter = { party: "", status: "", paragraph: "" };

function state(lifted = false) {
  const draft = sampleDraft();
  const registry = lifted
    ? applyRegistryOps(draft.registry, [
        {
          op: "putBracket",
          id: "gone",
          entry: { ...draft.registry.brackets.b1!, status: "lifted", positions: {} },
        },
      ])
    : draft.registry;
  return EditorState.create({ doc: draft.doc, plugins: [registryPlugin(registry)] });
}

const ids = (filter: Partial<PanelFilter>, lifted = false) =>
  panelRows(state(lifted), { ...any, ...filter }).map((row) => row.id);

describe("bracket panel rows", () => {
  it("list every open bracket in document order, outer before inner", () => {
    expect(ids({})).toEqual(["b1", "b2", "b3"]);
  });

  it("filter by a party that proposed or took a position", () => {
    expect(ids({ party: "Russian Federation" })).toEqual(["b2"]);
    expect(ids({ party: "United Arab Emirates" })).toEqual(["b1"]);
  });

  it("filter by paragraph number", () => {
    expect(ids({ paragraph: "2" })).toEqual(["b3"]);
  });

  it("list closed brackets from the registry when their status is chosen", () => {
    expect(ids({ status: "lifted" }, true)).toEqual(["gone"]);
  });
});
