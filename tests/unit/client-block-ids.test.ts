import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { blockIdsPlugin, splitParagraph } from "../../client/block-ids.ts";
import { doc, np, resetIds } from "../builder.ts";

function split(at: "end" | "middle") {
  resetIds();
  const d = doc(np("First paragraph."), np("Second<m> para<e>"));
  const pos = at === "end" ? d.tag.e! : d.tag.m!;
  const state = EditorState.create({
    doc: d,
    plugins: [blockIdsPlugin()],
    selection: TextSelection.create(d, pos),
  });
  let next = state;
  splitParagraph(state, (tr) => {
    next = state.apply(tr);
  });
  const blocks: { type: string; id: string; numbering: string }[] = [];
  next.doc.forEach((node) => {
    blocks.push({ type: node.type.name, id: node.attrs.id, numbering: node.attrs.numbering });
  });
  return blocks;
}

describe("block ids", () => {
  it("give the second half of a split paragraph its own id", () => {
    const ids = split("middle").map((b) => b.id);
    expect(new Set(ids).size).toBe(3);
  });

  it("give a paragraph made by Enter at the end an id and the numbering it continues", () => {
    const [, , added] = split("end");
    expect(added?.type).toBe("paragraph");
    expect(added?.id).toMatch(/^p\w{10}$/);
    expect(added?.numbering).toBe("numbered");
  });
});
