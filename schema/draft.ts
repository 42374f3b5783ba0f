import { Node } from "prosemirror-model";
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import * as Y from "yjs";
import { markRanges } from "./ranges.ts";
import { emptyMeta, type Registry } from "./registry.ts";
import { blockTypes, schema } from "./schema.ts";
import { applyOpsToYDoc, draftTypes, registryFromYDoc, registryToOps } from "./yregistry.ts";

/** A negotiated draft: the document and the registry its marks point into. */
export interface Draft {
  readonly doc: Node;
  readonly registry: Registry;
}

/** The JSON form of a draft, as stored in files and sent over HTTP. */
export interface DraftJSON {
  readonly doc: unknown;
  readonly registry: Registry;
}

/** Something in a draft that does not hold together. */
export interface DraftProblem {
  readonly kind:
    | "missingEntry"
    | "duplicateBlockId"
    | "emptyBlockId"
    | "bracketOverlap"
    | "unknownReference";
  readonly message: string;
}

const registryKeys = {
  bracket: "brackets",
  attribution: "attributions",
  chairAlternative: "chairAlternatives",
  comment: "comments",
} as const;

/**
 * Everything that does not hold together in a draft: marks whose id has no registry entry,
 * blocks with a missing or repeated id, brackets that partly overlap instead of nesting,
 * chair's alternatives that replace blocks not in the document. An empty list means the
 * draft is consistent.
 */
export function checkDraft(draft: Draft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const { doc, registry } = draft;
  for (const [markName, key] of Object.entries(registryKeys)) {
    for (const id of markRanges(doc, markName as keyof typeof registryKeys).keys()) {
      if (!registry[key][id]) {
        problems.push({
          kind: "missingEntry",
          message: `The ${markName} mark ${id} has no entry in registry.${key}`,
        });
      }
    }
  }
  const blockIds = new Set<string>();
  doc.descendants((node) => {
    if (!blockTypes.includes(node.type.name)) return !node.isTextblock;
    const id = String(node.attrs.id);
    if (!id) {
      problems.push({ kind: "emptyBlockId", message: `A ${node.type.name} has no id` });
    } else if (blockIds.has(id)) {
      problems.push({ kind: "duplicateBlockId", message: `The block id ${id} is used twice` });
    }
    blockIds.add(id);
    return !node.isTextblock;
  });
  const ranges = [...markRanges(doc, "bracket").values()];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i]!;
      const b = ranges[j]!;
      const disjoint = a.to <= b.from || b.to <= a.from;
      const nested = (a.from <= b.from && b.to <= a.to) || (b.from <= a.from && a.to <= b.to);
      if (!disjoint && !nested) {
        problems.push({
          kind: "bracketOverlap",
          message: `Brackets ${a.id} and ${b.id} overlap without one lying inside the other`,
        });
      }
    }
  }
  for (const [id, entry] of Object.entries(registry.chairAlternatives)) {
    for (const ref of entry.replaces) {
      if (!blockIds.has(ref) && entry.status === "proposed") {
        problems.push({
          kind: "unknownReference",
          message: `Chair's alternative ${id} replaces ${ref}, which is not in the document`,
        });
      }
    }
  }
  return problems;
}

/**
 * Read a draft from its JSON form. Throws a `RangeError` naming the first fault when the
 * document does not fit the schema or the registry does not cover its marks: this is the
 * boundary, and past it a draft is trusted.
 */
export function draftFromJSON(json: unknown): Draft {
  if (typeof json !== "object" || json === null || !("doc" in json) || !("registry" in json)) {
    throw new RangeError("A draft must be an object with `doc` and `registry`");
  }
  let doc: Node;
  try {
    doc = Node.fromJSON(schema, (json as DraftJSON).doc);
    doc.check();
  } catch (error) {
    throw new RangeError(`The draft's document is invalid: ${(error as Error).message}`);
  }
  const raw = (json as DraftJSON).registry as Partial<Registry> | null;
  if (typeof raw !== "object" || raw === null) {
    throw new RangeError("The draft's registry must be an object");
  }
  const registry: Registry = {
    meta: { ...emptyMeta, ...(raw.meta ?? {}) },
    brackets: raw.brackets ?? {},
    attributions: raw.attributions ?? {},
    chairAlternatives: raw.chairAlternatives ?? {},
    paragraphs: raw.paragraphs ?? {},
    comments: raw.comments ?? {},
  };
  const draft = { doc, registry };
  const fatal = checkDraft(draft).find(
    (p) => p.kind === "missingEntry" || p.kind === "emptyBlockId" || p.kind === "duplicateBlockId",
  );
  if (fatal) throw new RangeError(fatal.message);
  return draft;
}

/** The JSON form of a draft. */
export function draftToJSON(draft: Draft): DraftJSON {
  return { doc: draft.doc.toJSON(), registry: draft.registry };
}

/**
 * Write a draft into a Y.Doc (a new one unless given). This is how a negotiation is seeded:
 * once, on the server. A client that seeded its own copy would duplicate the content.
 */
export function draftToYDoc(draft: Draft, ydoc: Y.Doc = new Y.Doc()): Y.Doc {
  const types = draftTypes(ydoc);
  ydoc.transact(() => {
    prosemirrorToYXmlFragment(draft.doc, types.fragment);
    applyOpsToYDoc(ydoc, registryToOps(draft.registry));
  });
  return ydoc;
}

/** Read the draft held in a Y.Doc. */
export function draftFromYDoc(ydoc: Y.Doc): Draft {
  const types = draftTypes(ydoc);
  const doc = yXmlFragmentToProseMirrorRootNode(types.fragment, schema);
  return { doc, registry: registryFromYDoc(ydoc) };
}

/** Whether a Y.Doc holds no draft yet (nothing in its document fragment). */
export function isEmptyYDoc(ydoc: Y.Doc): boolean {
  return draftTypes(ydoc).fragment.length === 0;
}

/** Encode a draft as a Yjs update, the form the server stores. */
export function draftToUpdate(draft: Draft): Uint8Array {
  return Y.encodeStateAsUpdate(draftToYDoc(draft));
}
