import { EditorState } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { bracketAnnotation, bracketDecorations, drawnBrackets } from "../../client/brackets.ts";
import { schema } from "../../schema/schema.ts";
import { registryPlugin } from "../../schema/state.ts";
import { br, doc, np, registry, resetIds } from "../builder.ts";
import { sampleDraft } from "../e2e/sample.ts";

function sampleState() {
  const draft = sampleDraft();
  return EditorState.create({ doc: draft.doc, plugins: [registryPlugin(draft.registry)] });
}

describe("bracket decorations", () => {
  it("derive nesting from ranges, not from the order of marks on the text", () => {
    resetIds();
    const inner = schema.marks.bracket!.create({ id: "inner" });
    const outer = schema.marks.bracket!.create({ id: "outer" });
    // The inner mark comes first on the shared text, as it may on another peer.
    const d = schema.node("doc", null, [
      schema.node("paragraph", { id: "p1", numbering: "numbered" }, [
        schema.text("a ", [outer]),
        schema.text("b", [inner, outer]),
        schema.text(" c", [outer]),
      ]),
    ]);
    const depths = drawnBrackets(d, registry({})).map((b) => [b.id, b.depth]);
    expect(depths).toEqual([
      ["outer", 0],
      ["inner", 1],
    ]);
  });

  it("join a bracket's runs across paragraphs into one range", () => {
    resetIds();
    const d = doc(np("x ", br("b1", "one")), np(br("b1", "two"), " y"));
    const [only] = drawnBrackets(d, registry({}));
    expect(only?.from).toBe(3);
    expect(only?.to).toBe(d.child(0).nodeSize + 4);
  });

  it("put an opening and a closing glyph at each open bracket's true ends", () => {
    const state = sampleState();
    const set = bracketDecorations(state, { mode: "annotated", lang: "en", highlight: null });
    const widgets = set
      .find()
      .filter((d) => d.from === d.to)
      .map((d) => `${(d.spec as { key: string }).key.slice(0, 3)}@${d.from}`);
    const expected = drawnBrackets(state.doc, sampleDraft().registry).flatMap((b) => [
      `o${b.id}@${b.from}`,
      `c${b.id}@${b.to}`,
    ]);
    expect(widgets.sort()).toEqual(expected.sort());
  });

  it("hide open brackets' words in the clean view and draw no glyphs", () => {
    const state = sampleState();
    const set = bracketDecorations(state, { mode: "clean", lang: "en", highlight: null });
    const found = set.find();
    expect(found.every((d) => d.from < d.to)).toBe(true);
    expect(found.length).toBe(3);
  });

  it("annotate a bracket with its proposer and the positions on it", () => {
    const entry = sampleDraft().registry.brackets.b1!;
    expect(bracketAnnotation(entry, "en")).toBe("Pakistan; United Arab Emirates: oppose");
  });

  it("leave out the proposer when its own position says it already", () => {
    const entry = sampleDraft().registry.brackets.b3!;
    expect(bracketAnnotation(entry, "en")).toBe("United States of America: delete");
  });

  it("annotate in Chinese with Chinese party names", () => {
    const entry = sampleDraft().registry.brackets.b1!;
    expect(bracketAnnotation(entry, "zh")).toBe("巴基斯坦；阿拉伯联合酋长国：不同意");
  });
});
