import * as Y from "yjs";
import {
  type Agreement,
  type AttributionEntry,
  type BracketEntry,
  type ChairAlternativeEntry,
  type CommentEntry,
  type DraftMeta,
  emptyMeta,
  type ParagraphEntry,
  type PartyRef,
  type Position,
  type Registry,
  type RegistryOp,
} from "./registry.ts";

// Layout of the registry inside a Y.Doc. Each collection is a *top-level* Y.Map: two
// clients that each created a nested "brackets" map on first use would conflict and one
// map (with its entries) would lose. Entries whose fields change independently (a bracket's
// status and its positions; a chair's text's status) are nested Y.Maps created once by the
// client that creates the entry, so concurrent positions of different parties merge, and the
// permission checker can see exactly which key of which entry an update touched.
//
//   brackets:          id -> Y.Map { kind, status, proposedBy, positions: Y.Map<party,
//                                    Position>, and enteredBy, pairedWith, alternativeTo
//                                    when not null }
//   attributions:      id -> AttributionEntry          (immutable once written)
//   chairAlternatives: id -> Y.Map { replaces, status }
//   paragraphs:        block id -> ParagraphEntry
//   comments:          id -> CommentEntry
//   meta:              field -> string

/** The name of the Y.XmlFragment that holds the ProseMirror document. */
export const docFragmentName = "prosemirror";

/** Names of the top-level Y.Maps of the registry. */
export const registryMapNames = {
  brackets: "brackets",
  attributions: "attributions",
  chairAlternatives: "chairAlternatives",
  paragraphs: "paragraphs",
  comments: "comments",
  meta: "meta",
} as const;

/** The top-level Y types of a draft in a Y.Doc. */
export interface DraftTypes {
  readonly fragment: Y.XmlFragment;
  readonly brackets: Y.Map<Y.Map<unknown>>;
  readonly attributions: Y.Map<AttributionEntry>;
  readonly chairAlternatives: Y.Map<Y.Map<unknown>>;
  readonly paragraphs: Y.Map<ParagraphEntry>;
  readonly comments: Y.Map<CommentEntry>;
  readonly meta: Y.Map<string>;
}

/** The draft's top-level types in `ydoc` (created empty on first access, as Yjs does). */
export function draftTypes(ydoc: Y.Doc): DraftTypes {
  return {
    fragment: ydoc.getXmlFragment(docFragmentName),
    brackets: ydoc.getMap(registryMapNames.brackets),
    attributions: ydoc.getMap(registryMapNames.attributions),
    chairAlternatives: ydoc.getMap(registryMapNames.chairAlternatives),
    paragraphs: ydoc.getMap(registryMapNames.paragraphs),
    comments: ydoc.getMap(registryMapNames.comments),
    meta: ydoc.getMap(registryMapNames.meta),
  };
}

/**
 * The bracket fields that are null on most brackets. A null one is left out of the entry's
 * Y.Map and read back as null: each key stored is a struct every replica decodes, and on a
 * long draft these nulls were a seventh of all structs. Entries written before, with the
 * nulls stored, read the same.
 */
export const optionalBracketFields = ["enteredBy", "pairedWith", "alternativeTo"] as const;

function bracketToY(entry: BracketEntry): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set("kind", entry.kind);
  map.set("status", entry.status);
  map.set(
    "proposedBy",
    entry.proposedBy.map((p) => ({ ...p })),
  );
  for (const field of optionalBracketFields) {
    const value = entry[field];
    if (value !== null) map.set(field, value);
  }
  const positions = new Y.Map<Position>();
  for (const [party, position] of Object.entries(entry.positions)) {
    positions.set(party, { ...position });
  }
  map.set("positions", positions);
  return map;
}

function bracketFromY(map: Y.Map<unknown>): BracketEntry {
  const positions: Record<string, Position> = {};
  const ypositions = map.get("positions");
  if (ypositions instanceof Y.Map) {
    for (const [party, position] of ypositions.entries()) {
      positions[party] = position as Position;
    }
  }
  return {
    kind: map.get("kind") as BracketEntry["kind"],
    status: map.get("status") as BracketEntry["status"],
    proposedBy: (map.get("proposedBy") ?? []) as PartyRef[],
    enteredBy: (map.get("enteredBy") ?? null) as string | null,
    pairedWith: (map.get("pairedWith") ?? null) as string | null,
    alternativeTo: (map.get("alternativeTo") ?? null) as string | null,
    positions,
  };
}

function chairAlternativeToY(entry: ChairAlternativeEntry): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set("replaces", [...entry.replaces]);
  map.set("status", entry.status);
  return map;
}

function chairAlternativeFromY(map: Y.Map<unknown>): ChairAlternativeEntry {
  return {
    replaces: (map.get("replaces") ?? []) as string[],
    status: map.get("status") as ChairAlternativeEntry["status"],
  };
}

/** Read the whole registry out of a Y.Doc. */
export function registryFromYDoc(ydoc: Y.Doc): Registry {
  const types = draftTypes(ydoc);
  const brackets: Record<string, BracketEntry> = {};
  for (const [id, map] of types.brackets.entries()) brackets[id] = bracketFromY(map);
  const chairAlternatives: Record<string, ChairAlternativeEntry> = {};
  for (const [id, map] of types.chairAlternatives.entries()) {
    chairAlternatives[id] = chairAlternativeFromY(map);
  }
  return {
    meta: { ...emptyMeta, ...(types.meta.toJSON() as Partial<DraftMeta>) },
    brackets,
    attributions: types.attributions.toJSON() as Record<string, AttributionEntry>,
    chairAlternatives,
    paragraphs: types.paragraphs.toJSON() as Record<string, ParagraphEntry>,
    comments: types.comments.toJSON() as Record<string, CommentEntry>,
  };
}

/**
 * Apply registry ops to the Y.Doc, in one transaction with the given origin. An op that
 * refers to an entry the Y.Doc does not have (a remote peer dropped it meanwhile) is
 * skipped: the command that produced it checked against a state that is now stale, and
 * recreating a half entry would be worse than losing the op.
 */
export function applyOpsToYDoc(ydoc: Y.Doc, ops: readonly RegistryOp[], origin?: unknown): void {
  const types = draftTypes(ydoc);
  ydoc.transact(() => {
    for (const op of ops) applyOpToTypes(types, op);
  }, origin);
}

function applyOpToTypes(types: DraftTypes, op: RegistryOp): void {
  switch (op.op) {
    case "putBracket":
      types.brackets.set(op.id, bracketToY(op.entry));
      return;
    case "setBracketStatus":
      types.brackets.get(op.id)?.set("status", op.status);
      return;
    case "setPosition": {
      const positions = types.brackets.get(op.bracket)?.get("positions");
      if (!(positions instanceof Y.Map)) return;
      if (op.position) positions.set(op.party, { ...op.position });
      else positions.delete(op.party);
      return;
    }
    case "putAttribution":
      types.attributions.set(op.id, { ...op.entry });
      return;
    case "putChairAlternative":
      types.chairAlternatives.set(op.id, chairAlternativeToY(op.entry));
      return;
    case "setChairAlternativeStatus":
      types.chairAlternatives.get(op.id)?.set("status", op.status);
      return;
    case "setAgreement":
      if (op.agreement) types.paragraphs.set(op.id, { agreement: op.agreement as Agreement });
      else types.paragraphs.delete(op.id);
      return;
    case "putComment":
      if (op.entry) types.comments.set(op.id, { ...op.entry });
      else types.comments.delete(op.id);
      return;
    case "setMeta":
      for (const [key, value] of Object.entries(op.meta)) {
        if (typeof value === "string") types.meta.set(key, value);
      }
      return;
    default: {
      const never: never = op;
      throw new RangeError(`Unknown registry op ${JSON.stringify(never)}`);
    }
  }
}

/** The ops that build `registry` from nothing; used to seed a Y.Doc. */
export function registryToOps(registry: Registry): RegistryOp[] {
  const ops: RegistryOp[] = [{ op: "setMeta", meta: registry.meta }];
  for (const [id, entry] of Object.entries(registry.brackets)) {
    ops.push({ op: "putBracket", id, entry });
  }
  for (const [id, entry] of Object.entries(registry.attributions)) {
    ops.push({ op: "putAttribution", id, entry });
  }
  for (const [id, entry] of Object.entries(registry.chairAlternatives)) {
    ops.push({ op: "putChairAlternative", id, entry });
  }
  for (const [id, entry] of Object.entries(registry.paragraphs)) {
    ops.push({ op: "setAgreement", id, agreement: entry.agreement });
  }
  for (const [id, entry] of Object.entries(registry.comments)) {
    ops.push({ op: "putComment", id, entry });
  }
  return ops;
}
