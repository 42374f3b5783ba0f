import { beforeEach, describe, expect, it } from "vitest";
import type { Draft } from "../../schema/draft.ts";
import type { BracketEntry, Registry } from "../../schema/registry.ts";
import { type RenderedBlock, type Run, renderDraft } from "../../schema/render/rendering.ts";
import {
  at,
  br,
  ca,
  doc,
  ip,
  item,
  list,
  np,
  option,
  options,
  registry,
  resetIds,
} from "../builder.ts";

beforeEach(resetIds);

const insertion = (party: string): BracketEntry => ({
  kind: "insertion",
  status: "open",
  proposedBy: [{ party, onBehalfOf: null }],
  enteredBy: null,
  pairedWith: null,
  alternativeTo: null,
  positions: {},
});

const draftOf = (node: ReturnType<typeof doc>, parts: Partial<Registry> = {}): Draft => ({
  doc: node,
  registry: registry(parts),
});

const runsOf = (block: RenderedBlock | undefined): readonly Run[] =>
  block && "runs" in block ? block.runs : [];

describe("renderDraft", () => {
  it("gives paragraphs their derived numbers, inserted ones included", () => {
    const rendering = renderDraft(draftOf(doc(np("a"), np("b"), ip("c"))), {
      mode: "annotated",
      lang: "en",
    });
    expect(rendering.blocks.map((b) => (b.type === "paragraph" ? b.label : null))).toEqual([
      "1",
      "2",
      "2bis",
    ]);
  });

  it("gives list items and options their labels", () => {
    const rendering = renderDraft(
      draftOf(
        doc(
          list("roman", item("x"), item("y")),
          options(option({ label: "Option 1" }, np("a")), option({ label: "Option 2" }, np("b"))),
        ),
      ),
      { mode: "annotated", lang: "en" },
    );
    const [items, opts] = rendering.blocks;
    expect(items?.type === "list" && items.items.map((i) => i.label)).toEqual(["(i)", "(ii)"]);
    expect(opts?.type === "options" && opts.options.map((o) => o.label)).toEqual([
      "Option 1",
      "Option 2",
    ]);
  });

  it("frames the blocks of a chair's text with what they replace, worded in the output language", () => {
    const draft = draftOf(doc(np({ id: "p1" }, "a"), np(ca("c1", "x")), np(ca("c1", "y"))), {
      chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } },
    });
    const frame = renderDraft(draft, { mode: "annotated", lang: "zh" }).blocks[1];
    expect(frame).toMatchObject({
      type: "chairFrame",
      replaces: ["p1"],
      label: "主席的替代案文，代替第 1段：",
      status: "proposed",
    });
    expect(frame?.type === "chairFrame" && frame.blocks.length).toBe(2);
  });

  it("marks each bracket's opening and closing with its nesting depth", () => {
    const draft = draftOf(doc(np(br("b1", "a ", br("b2", "b")), " c")), {
      brackets: { b1: insertion("Pakistan"), b2: insertion("Algeria") },
    });
    const runs = runsOf(renderDraft(draft, { mode: "annotated", lang: "en" }).blocks[0]);
    expect(
      runs.filter((r) => r.type === "open" || r.type === "close").map((r) => [r.type, r.depth]),
    ).toEqual([
      ["open", 1],
      ["open", 2],
      ["close", 2],
      ["close", 1],
    ]);
  });

  it("tells whose words a run of text is", () => {
    const draft = draftOf(doc(np(br("b1", at("a1", "x")))), {
      brackets: { b1: insertion("Pakistan") },
      attributions: { a1: { party: "Pakistan", onBehalfOf: null, enteredBy: null } },
    });
    const runs = runsOf(renderDraft(draft, { mode: "annotated", lang: "en" }).blocks[0]);
    expect(runs.find((r) => r.type === "text")).toMatchObject({
      attributedTo: "Pakistan",
      depth: 1,
    });
  });

  it("words annotations as a proposal followed by positions", () => {
    const draft = draftOf(doc(np(br("b1", "x"))), {
      brackets: {
        b1: {
          ...insertion("Pakistan"),
          positions: {
            Algeria: {
              party: "Algeria",
              stance: "oppose",
              onBehalfOf: null,
              text: null,
              enteredBy: null,
            },
          },
        },
      },
    });
    const runs = runsOf(renderDraft(draft, { mode: "annotated", lang: "en" }).blocks[0]);
    const close = runs.find((r) => r.type === "close");
    expect(close?.type === "close" && close.annotation?.segments).toEqual([
      { kind: "proposal", party: "Pakistan", text: "Pakistan" },
      { kind: "position", party: "Algeria", text: "Algeria: oppose" },
    ]);
  });

  it("keeps brackets but no annotations in the unattributed mode", () => {
    const draft = draftOf(doc(np(br("b1", "x"))), { brackets: { b1: insertion("Pakistan") } });
    const runs = runsOf(renderDraft(draft, { mode: "unattributed", lang: "en" }).blocks[0]);
    expect(runs.map((r) => (r.type === "close" ? r.annotation : r.type))).toEqual([
      "open",
      "text",
      null,
    ]);
  });

  it("draws an adopted chair's text as ordinary text outside the annotated mode", () => {
    const draft = draftOf(doc(np(ca("c1", "x"))), {
      chairAlternatives: { c1: { replaces: [], status: "adopted" } },
    });
    expect(renderDraft(draft, { mode: "unattributed", lang: "en" }).blocks[0]?.type).toBe(
      "paragraph",
    );
    expect(renderDraft(draft, { mode: "annotated", lang: "en" }).blocks[0]?.type).toBe(
      "chairFrame",
    );
  });

  it("leaves no bracket runs in the clean mode", () => {
    const draft = draftOf(doc(np("a ", br("b1", "x"), " b")), {
      brackets: { b1: insertion("Pakistan") },
    });
    const runs = runsOf(renderDraft(draft, { mode: "clean", lang: "en" }).blocks[0]);
    expect(runs).toEqual([{ type: "text", text: "a b", depth: 0, attributedTo: null }]);
  });
});
