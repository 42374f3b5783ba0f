import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  checkDraft,
  draftFromJSON,
  draftFromYDoc,
  draftToJSON,
  draftToYDoc,
} from "../../schema/draft.ts";
import type { Registry } from "../../schema/registry.ts";
import { applyRegistryOps, emptyRegistry } from "../../schema/registry.ts";
import {
  applyOpsToYDoc,
  draftTypes,
  registryFromYDoc,
  registryToOps,
} from "../../schema/yregistry.ts";
import { br, bracketEntry, doc, np, registry, resetIds } from "../builder.ts";

beforeEach(resetIds);

const open = bracketEntry;

const sample: Registry = registry({
  meta: { symbol: "WO/PBC/34/15", title: "ToR", lang: "zh", revision: "", date: "" },
  brackets: {
    b1: open({
      positions: {
        "United Arab Emirates": {
          party: "United Arab Emirates",
          stance: "oppose",
          onBehalfOf: null,
          text: null,
          enteredBy: null,
        },
      },
    }),
  },
  chairAlternatives: { c1: { replaces: ["p1"], status: "proposed" } },
  paragraphs: { p1: { agreement: "adRef" } },
});

describe("registry", () => {
  it("survives a trip through a Y.Doc and back", () => {
    const ydoc = new Y.Doc();
    applyOpsToYDoc(ydoc, registryToOps(sample));
    expect(registryFromYDoc(ydoc)).toEqual(sample);
  });

  it("stores a bracket's null fields as absent keys and reads them back as null", () => {
    const ydoc = new Y.Doc();
    const paired = registry({
      brackets: { b1: open({ enteredBy: "Ghana" }), b2: open({ pairedWith: "b1" }) },
    });
    applyOpsToYDoc(ydoc, registryToOps(paired));
    const stored = (id: string) => [...(draftTypes(ydoc).brackets.get(id)?.keys() ?? [])].sort();
    expect([stored("b1"), stored("b2")]).toEqual([
      ["enteredBy", "kind", "positions", "proposedBy", "status"],
      ["kind", "pairedWith", "positions", "proposedBy", "status"],
    ]);
    expect(registryFromYDoc(ydoc)).toEqual(paired);
  });

  it("reads a bracket stored with its null fields, as written before 2026-11-22", () => {
    const ydoc = new Y.Doc();
    const old = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(open())) {
      if (key !== "positions") old.set(key, value);
    }
    old.set("positions", new Y.Map());
    draftTypes(ydoc).brackets.set("b1", old);
    expect(registryFromYDoc(ydoc).brackets).toEqual({ b1: open() });
  });

  it("merges positions of two parties stated concurrently on two replicas", () => {
    const a = new Y.Doc();
    applyOpsToYDoc(a, registryToOps(sample));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const position = (party: string) => ({
      party,
      stance: "support" as const,
      onBehalfOf: null,
      text: null,
      enteredBy: null,
    });
    applyOpsToYDoc(a, [
      { op: "setPosition", bracket: "b1", party: "Ghana", position: position("Ghana") },
    ]);
    applyOpsToYDoc(b, [
      { op: "setPosition", bracket: "b1", party: "Chile", position: position("Chile") },
    ]);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(Object.keys(registryFromYDoc(a).brackets.b1!.positions).sort()).toEqual([
      "Chile",
      "Ghana",
      "United Arab Emirates",
    ]);
    expect(registryFromYDoc(a)).toEqual(registryFromYDoc(b));
  });

  it("applies the same ops to JSON as to the Y.Doc", () => {
    const ops = [
      { op: "setBracketStatus", id: "b1", status: "lifted" },
      { op: "setPosition", bracket: "b1", party: "United Arab Emirates", position: null },
      { op: "setAgreement", id: "p1", agreement: null },
    ] as const;
    const ydoc = new Y.Doc();
    applyOpsToYDoc(ydoc, registryToOps(sample));
    applyOpsToYDoc(ydoc, ops);
    expect(registryFromYDoc(ydoc)).toEqual(applyRegistryOps(sample, ops));
  });

  it("refuses a status change for a bracket it does not have", () => {
    expect(() =>
      applyRegistryOps(emptyRegistry, [{ op: "setBracketStatus", id: "nope", status: "lifted" }]),
    ).toThrow(RangeError);
  });
});

describe("draft", () => {
  it("survives a trip through a Y.Doc with its overlapping marks intact", () => {
    const d = doc(np("A ", br("b1", "x ", br("b2", "y")), " z"));
    const draft = {
      doc: d,
      registry: registry({ brackets: { b1: open(), b2: open() } }),
    };
    const back = draftFromYDoc(draftToYDoc(draft));
    expect(back.doc.eq(d)).toBe(true);
    expect(back.registry).toEqual(draft.registry);
  });

  it("is read back from JSON unchanged", () => {
    const draft = {
      doc: doc(np("A ", br("b1", "x"))),
      registry: registry({ brackets: { b1: open() } }),
    };
    const back = draftFromJSON(JSON.parse(JSON.stringify(draftToJSON(draft))));
    expect(back.doc.eq(draft.doc)).toBe(true);
  });

  it("is refused from JSON when a mark has no registry entry", () => {
    const json = draftToJSON({ doc: doc(np(br("b9", "x"))), registry: emptyRegistry });
    expect(() => draftFromJSON(json)).toThrow(/b9/);
  });

  it("is refused from JSON when the document does not fit the schema", () => {
    expect(() =>
      draftFromJSON({ doc: { type: "doc", content: [{ type: "nope" }] }, registry: {} }),
    ).toThrow(RangeError);
  });

  it("reports brackets that partly overlap", () => {
    const d = doc(np(br("b1", "a ", br("b2", "b")), br("b2", " c")));
    const problems = checkDraft({
      doc: d,
      registry: registry({ brackets: { b1: open(), b2: open() } }),
    });
    expect(problems.map((p) => p.kind)).toEqual(["bracketOverlap"]);
  });
});
