import { Fragment, Slice } from "prosemirror-model";
import { describe, expect, it } from "vitest";
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { marksToAttributes, yTextAt } from "../../client/text-sync.ts";
import { schema } from "../../schema/schema.ts";
import { at, br, doc, np, resetIds } from "../builder.ts";

const bracket = schema.marks.bracket!.create({ id: "b9" });
const attribution = schema.marks.attribution!.create({ id: "a9" });

function seeded() {
  resetIds();
  const d = doc(np("Its findings", br("b1", at("a1", " go")), " to the<x> Committee."));
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment("prosemirror");
  prosemirrorToYXmlFragment(d, fragment);
  return { d, fragment };
}

describe("text insertions written before y-prosemirror diffs", () => {
  it("name overlapping marks' attributes as y-prosemirror does", () => {
    const { fragment } = seeded();
    const ytext = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const written = (ytext.toDelta() as { attributes?: Record<string, unknown> }[])[1]?.attributes;
    const marks = [
      schema.marks.bracket!.create({ id: "b1" }),
      schema.marks.attribution!.create({ id: "a1" }),
    ];
    expect(marksToAttributes(marks)).toEqual(written);
  });

  it("find the Y text and offset of a position inside a paragraph", () => {
    const { d, fragment } = seeded();
    const target = yTextAt(fragment, d, d.tag.x!);
    expect(target?.offset).toBe(d.tag.x! - 1);
  });

  it("put words that begin like the following text exactly at the cursor, marked", () => {
    const { d, fragment } = seeded();
    const target = yTextAt(fragment, d, d.tag.x!)!;
    target.text.insert(target.offset, " word", marksToAttributes([bracket, attribution]));
    const words = schema.text(" word", [bracket, attribution]);
    const expected = d.replace(d.tag.x!, d.tag.x!, new Slice(Fragment.from(words), 0, 0));
    expect(yXmlFragmentToProseMirrorRootNode(fragment, schema).eq(expected)).toBe(true);
    // The agreed space after the cursor keeps no mark: nothing agreed was re-marked.
    const delta = target.text.toDelta() as { insert: string; attributes?: object }[];
    expect(delta[delta.length - 1]).toEqual({ insert: " Committee." });
  });

  it("find nothing in a paragraph that has no text yet", () => {
    resetIds();
    const d = doc(np());
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment("prosemirror");
    prosemirrorToYXmlFragment(d, fragment);
    expect(yTextAt(fragment, d, 1)).toBeNull();
  });
});
