import * as Y from "yjs";
import {
  type AttributionEntry,
  type BracketEntry,
  type ChairAlternativeEntry,
  type CommentEntry,
  type PartyRef,
  type Position,
  stances,
} from "../../schema/registry.ts";
import { optionalBracketFields } from "../../schema/yregistry.ts";
import type { Era, Side } from "./era.ts";

// Well-formedness of everything a client may write into a draft's Y.Doc: registry values,
// block attributes and mark attributes. Values arrive from untrusted clients as arbitrary
// JSON, so every field is checked for type, allowed value and size, and unknown keys are
// refused: a key nobody reads today is a place to smuggle data that some reader tomorrow
// trusts. Each reader returns the typed value or a fault that says what is wrong.

/** A value read from the document, or why it is not well formed. */
export type Parsed<T> = { readonly value: T } | { readonly fault: string };

/** Longest id of a mark, block or registry entry. */
export const maxIdLength = 64;
/** Longest party name. */
export const maxNameLength = 200;
/** Longest free text in a registry value (a position's words, a comment). */
export const maxTextLength = 4000;
/** Most proposers of one bracket, or blocks one chair's text replaces. */
export const maxListLength = 64;

const bracketKinds = new Set(["insertion", "deletion", "alternative", "text"]);
const bracketStatuses = new Set(["open", "lifted", "dropped", "withdrawn"]);
const stanceSet = new Set<string>(stances);
const chairStatuses = new Set(["proposed", "adopted", "withdrawn"]);
const agreements = new Set(["agreed", "adRef"]);
const metaKeys: Record<string, number> = {
  symbol: maxNameLength,
  title: maxTextLength,
  lang: 2,
  revision: maxNameLength,
  date: maxNameLength,
};

const bracketFields: readonly string[] = [
  "kind",
  "status",
  "proposedBy",
  ...optionalBracketFields,
  "positions",
];

function isString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length <= max;
}

function isNullableString(value: unknown, max: number): value is string | null {
  return value === null || isString(value, max);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && own.every((k) => keys.includes(k));
}

function fault<T>(message: string): Parsed<T> {
  return { fault: message };
}

/** Check a party reference ({party, onBehalfOf}). */
function isPartyRef(value: unknown): value is PartyRef {
  return (
    isRecord(value) &&
    hasExactly(value, ["party", "onBehalfOf"]) &&
    isString(value.party, maxNameLength) &&
    value.party.length > 0 &&
    isNullableString(value.onBehalfOf, maxNameLength)
  );
}

/** Read a position stored under `key`; its `party` must be the key. */
export function readPosition(value: unknown, key: string): Parsed<Position> {
  if (
    !isRecord(value) ||
    !hasExactly(value, ["party", "stance", "onBehalfOf", "text", "enteredBy"])
  )
    return fault(
      `The position of ${key} must have exactly party, stance, onBehalfOf, text, enteredBy`,
    );
  if (value.party !== key) return fault(`The position under ${key} names ${String(value.party)}`);
  if (typeof value.stance !== "string" || !stanceSet.has(value.stance))
    return fault(`The position of ${key} has an unknown stance`);
  if (!isNullableString(value.onBehalfOf, maxNameLength))
    return fault(`The position of ${key} has a bad onBehalfOf`);
  if (!isNullableString(value.text, maxTextLength))
    return fault(`The position of ${key} has a bad or oversized text`);
  if (!isNullableString(value.enteredBy, maxNameLength))
    return fault(`The position of ${key} has a bad enteredBy`);
  return { value: value as unknown as Position };
}

/**
 * Read a bracket's nested Y.Map as it stood on `side`, with its positions. The map may hold
 * only the fields of a `BracketEntry`, `positions` being a Y.Map; of the nullable fields,
 * one left out reads as null (entries are written without their nulls since 2026-11-22,
 * older ones with them) and the others are required.
 */
export function readBracket(era: Era, map: unknown, side: Side): Parsed<BracketEntry> {
  if (!(map instanceof Y.Map)) return fault("A bracket entry must be a Y.Map");
  const keys = era.mapKeys(map, side);
  const unknown = keys.find((k) => !bracketFields.includes(k));
  if (unknown !== undefined) return fault(`A bracket entry has an unknown field ${unknown}`);
  const get = (key: string) => era.mapGet(map, key, side);
  const getNullable = (key: (typeof optionalBracketFields)[number]) => get(key) ?? null;
  const kind = get("kind");
  const status = get("status");
  const proposedBy = get("proposedBy");
  const enteredBy = getNullable("enteredBy");
  const pairedWith = getNullable("pairedWith");
  const alternativeTo = getNullable("alternativeTo");
  const ypositions = get("positions");
  if (typeof kind !== "string" || !bracketKinds.has(kind)) return fault("Bad bracket kind");
  if (typeof status !== "string" || !bracketStatuses.has(status))
    return fault("Bad bracket status");
  if (
    !Array.isArray(proposedBy) ||
    proposedBy.length > maxListLength ||
    !proposedBy.every(isPartyRef)
  )
    return fault("A bracket's proposedBy must be a short list of {party, onBehalfOf}");
  if (!isNullableString(enteredBy, maxNameLength)) return fault("Bad bracket enteredBy");
  if (!isNullableString(pairedWith, maxIdLength)) return fault("Bad bracket pairedWith");
  if (!isNullableString(alternativeTo, maxIdLength)) return fault("Bad bracket alternativeTo");
  if (!(ypositions instanceof Y.Map)) return fault("A bracket's positions must be a Y.Map");
  const positions: Record<string, Position> = {};
  for (const party of era.mapKeys(ypositions, side)) {
    const position = readPosition(era.mapGet(ypositions, party, side), party);
    if ("fault" in position) return position;
    positions[party] = position.value;
  }
  return {
    value: {
      kind: kind as BracketEntry["kind"],
      status: status as BracketEntry["status"],
      proposedBy: proposedBy as PartyRef[],
      enteredBy,
      pairedWith,
      alternativeTo,
      positions,
    },
  };
}

/** Read an attribution entry (a plain JSON value). */
export function readAttribution(value: unknown): Parsed<AttributionEntry> {
  if (!isRecord(value) || !hasExactly(value, ["party", "onBehalfOf", "enteredBy"]))
    return fault("An attribution must have exactly party, onBehalfOf, enteredBy");
  if (!isString(value.party, maxNameLength) || value.party.length === 0)
    return fault("An attribution's party must be a short non-empty string");
  if (!isNullableString(value.onBehalfOf, maxNameLength))
    return fault("Bad attribution onBehalfOf");
  if (!isNullableString(value.enteredBy, maxNameLength)) return fault("Bad attribution enteredBy");
  return { value: value as unknown as AttributionEntry };
}

/** Read a chair's alternative's nested Y.Map as it stood on `side`. */
export function readChairAlternative(
  era: Era,
  map: unknown,
  side: Side,
): Parsed<ChairAlternativeEntry> {
  if (!(map instanceof Y.Map)) return fault("A chair's alternative entry must be a Y.Map");
  const keys = era.mapKeys(map, side);
  if (keys.some((k) => k !== "replaces" && k !== "status"))
    return fault("A chair's alternative has an unknown field");
  const replaces = era.mapGet(map, "replaces", side);
  const status = era.mapGet(map, "status", side);
  if (
    !Array.isArray(replaces) ||
    replaces.length > maxListLength ||
    !replaces.every((id) => isString(id, maxIdLength))
  )
    return fault("A chair's alternative's replaces must be a short list of block ids");
  if (typeof status !== "string" || !chairStatuses.has(status))
    return fault("Bad chair's alternative status");
  return {
    value: { replaces: replaces as string[], status: status as ChairAlternativeEntry["status"] },
  };
}

/** Check a paragraph agreement entry. */
export function paragraphFault(value: unknown): string | null {
  if (
    !isRecord(value) ||
    !hasExactly(value, ["agreement"]) ||
    !agreements.has(String(value.agreement))
  )
    return 'A paragraph entry must be exactly {agreement: "agreed" | "adRef"}';
  return null;
}

/** Read a comment entry. */
export function readComment(value: unknown): Parsed<CommentEntry> {
  if (!isRecord(value) || !hasExactly(value, ["author", "text"]))
    return fault("A comment must have exactly author and text");
  if (!isString(value.author, maxNameLength) || !isString(value.text, maxTextLength))
    return fault("A comment's author or text is not a string or is oversized");
  return { value: value as unknown as CommentEntry };
}

/** Check one meta field. */
export function metaFault(key: string, value: unknown): string | null {
  const max = metaKeys[key];
  if (max === undefined) return `Unknown meta field ${key}`;
  if (!isString(value, max)) return `The meta field ${key} must be a string of at most ${max}`;
  if (key === "lang" && value !== "zh" && value !== "en")
    return 'The meta lang must be "zh" or "en"';
  return null;
}

// y-prosemirror keys a mark of a type with `excludes: ""` as `<name>--<8-char hash>`.
const markKeyPattern = /^(bracket|attribution|chairAlternative|comment)(--[a-zA-Z0-9+/=]{8})?$/;

/** The mark a formatting attribute stands for. */
export interface MarkRef {
  readonly type: "bracket" | "attribution" | "chairAlternative" | "comment";
  readonly id: string;
}

/**
 * The negotiation mark a Y.XmlText formatting attribute encodes, null for the end of a
 * formatted run (value null), or a fault for any other key or value.
 */
export function readMarkAttribute(key: string, value: unknown): Parsed<MarkRef | null> {
  const match = markKeyPattern.exec(key);
  if (!match) return fault(`Unknown formatting attribute ${key.slice(0, 80)}`);
  if (value === null) return { value: null };
  if (!isRecord(value) || !hasExactly(value, ["id"]) || !isString(value.id, maxIdLength))
    return fault(`The ${match[1]} mark's attributes must be exactly {id} with a short id`);
  if (value.id.length === 0) return fault(`The ${match[1]} mark has an empty id`);
  return { value: { type: match[1] as MarkRef["type"], id: value.id } };
}

const blockAttrs: Record<string, Record<string, ReadonlySet<string> | null>> = {
  heading: { id: null, label: null },
  paragraph: { id: null, numbering: new Set(["numbered", "inserted", "none"]) },
  list: { id: null, style: new Set(["alpha", "decimal", "roman", "bullet", "dash"]) },
  item: { id: null },
  options: { id: null },
  option: { id: null, label: null },
};

/** Whether a node name is one of the schema's blocks. */
export function isBlockName(name: string): boolean {
  return Object.hasOwn(blockAttrs, name);
}

/** Whether a block of type `parent` may hold a block of type `child` (null parent: the doc). */
export function mayContain(parent: string | null, child: string): boolean {
  switch (parent) {
    case null:
    case "option":
      return (
        child === "heading" || child === "paragraph" || child === "list" || child === "options"
      );
    case "list":
      return child === "item";
    case "options":
      return child === "option";
    default:
      return false;
  }
}

/** Whether a block of this type holds text. */
export function isTextBlock(name: string): boolean {
  return name === "heading" || name === "paragraph" || name === "item";
}

/** Check one attribute of a block node; null when it is well formed. */
export function blockAttrFault(nodeName: string, key: string, value: unknown): string | null {
  const spec = blockAttrs[nodeName];
  if (!spec || !Object.hasOwn(spec, key))
    return `A ${nodeName} has no attribute ${key.slice(0, 80)}`;
  if (value === undefined) return null;
  if (!isString(value, key === "id" ? maxIdLength : maxNameLength))
    return `The ${key} of a ${nodeName} must be a short string`;
  const allowed = spec[key];
  if (allowed && !allowed.has(value)) return `The ${key} of a ${nodeName} cannot be ${value}`;
  return null;
}
