// The registry holds every mutable fact about the negotiation marks and blocks of a draft:
// bracket status, who proposed what, positions, which paragraphs a chair's text replaces,
// paragraph agreement. Marks carry only an id (see schema.ts); this is what the id points at.
//
// The registry has two representations: this plain, immutable JSON (for headless use, the
// ProseMirror plugin state, codecs and tests) and a set of Y.Maps in the Y.Doc (for sync;
// see yregistry.ts). Both change only through `RegistryOp`s, so that a command produces the
// same change in either.

/** Who a participant is in the room. */
export type Role = "delegation" | "chair" | "secretariat" | "observer";

/** All roles, in the order of the permission table. */
export const roles: readonly Role[] = ["delegation", "chair", "secretariat", "observer"];

/**
 * The participant on whose authority a command runs. `party` is the English UN short name
 * of a delegation ("Russian Federation"), or "Chair" / "Secretariat". A secretariat actor
 * entering words from the floor sets `onBehalfOf` to the delegation that spoke; a delegation
 * speaking for a group ("Algeria on behalf of the African Group") sets it to the group.
 */
export interface Actor {
  readonly party: string;
  readonly role: Role;
  readonly onBehalfOf?: string | null;
}

/** A delegation's reaction to a bracket. */
export type Stance =
  | "support"
  | "oppose"
  | "reserve"
  | "accept"
  | "delete"
  | "retain"
  | "replace"
  | "comment";

/** All stances. */
export const stances: readonly Stance[] = [
  "support",
  "oppose",
  "reserve",
  "accept",
  "delete",
  "retain",
  "replace",
  "comment",
];

/** One party's position on a bracket. */
export interface Position {
  readonly party: string;
  readonly stance: Stance;
  /** The group the party speaks for, if any. */
  readonly onBehalfOf: string | null;
  /** The replacement words for "replace", or the words of a comment. */
  readonly text: string | null;
  /** "Secretariat" or "Chair" when they recorded it for the party, otherwise null. */
  readonly enteredBy: string | null;
}

/** A party named as proposer, possibly speaking for a group. */
export interface PartyRef {
  readonly party: string;
  readonly onBehalfOf: string | null;
}

/**
 * What a bracket is: words proposed for insertion, existing words proposed for deletion,
 * a delegation's full alternative wording of a block, or text bracketed without a proposer
 * (as imported drafts have it).
 */
export type BracketKind = "insertion" | "deletion" | "alternative" | "text";

/**
 * Where a bracket stands. Lifted: the room agreed, the words stay without brackets.
 * Dropped: the chair removed the proposal. Withdrawn: its proposer took it back.
 */
export type BracketStatus = "open" | "lifted" | "dropped" | "withdrawn";

export interface BracketEntry {
  readonly kind: BracketKind;
  readonly status: BracketStatus;
  readonly proposedBy: readonly PartyRef[];
  /** "Secretariat" or "Chair" when they entered the proposal for a delegation. */
  readonly enteredBy: string | null;
  /** For a replacement: the id of the other half (insertion ↔ deletion). */
  readonly pairedWith: string | null;
  /** For an alternative wording: the id of the block it is an alternative to. */
  readonly alternativeTo: string | null;
  /** Positions keyed by party name. */
  readonly positions: Readonly<Record<string, Position>>;
}

/** Who wrote the words under an attribution mark. */
export interface AttributionEntry {
  readonly party: string;
  readonly onBehalfOf: string | null;
  readonly enteredBy: string | null;
}

export type ChairAlternativeStatus = "proposed" | "adopted" | "withdrawn";

export interface ChairAlternativeEntry {
  /** Ids of the paragraphs (or other blocks) the chair's text would replace. */
  readonly replaces: readonly string[];
  readonly status: ChairAlternativeStatus;
}

/** A paragraph's agreement state; absent from the registry means still under negotiation. */
export type Agreement = "agreed" | "adRef";

export interface ParagraphEntry {
  readonly agreement: Agreement;
}

export interface CommentEntry {
  readonly author: string;
  readonly text: string;
}

/** Facts about the document as a whole, shown in headings of exports. */
export interface DraftMeta {
  /** Document symbol, e.g. "WO/PBC/34/15". */
  readonly symbol: string;
  readonly title: string;
  /** The language the draft is written in. */
  readonly lang: "zh" | "en";
  /** "Rev.1", "Rev.2" … or "" for the original. */
  readonly revision: string;
  readonly date: string;
}

/** The plain JSON form of the registry. */
export interface Registry {
  readonly meta: DraftMeta;
  readonly brackets: Readonly<Record<string, BracketEntry>>;
  readonly attributions: Readonly<Record<string, AttributionEntry>>;
  readonly chairAlternatives: Readonly<Record<string, ChairAlternativeEntry>>;
  readonly paragraphs: Readonly<Record<string, ParagraphEntry>>;
  readonly comments: Readonly<Record<string, CommentEntry>>;
}

/** One change to the registry. Commands emit these; both representations apply them. */
export type RegistryOp =
  | { readonly op: "putBracket"; readonly id: string; readonly entry: BracketEntry }
  | { readonly op: "setBracketStatus"; readonly id: string; readonly status: BracketStatus }
  | {
      readonly op: "setPosition";
      readonly bracket: string;
      readonly party: string;
      /** null removes the party's position. */
      readonly position: Position | null;
    }
  | { readonly op: "putAttribution"; readonly id: string; readonly entry: AttributionEntry }
  | {
      readonly op: "putChairAlternative";
      readonly id: string;
      readonly entry: ChairAlternativeEntry;
    }
  | {
      readonly op: "setChairAlternativeStatus";
      readonly id: string;
      readonly status: ChairAlternativeStatus;
    }
  | { readonly op: "setAgreement"; readonly id: string; readonly agreement: Agreement | null }
  | { readonly op: "putComment"; readonly id: string; readonly entry: CommentEntry | null }
  | { readonly op: "setMeta"; readonly meta: Partial<DraftMeta> };

/** The meta of a draft that says nothing yet. */
export const emptyMeta: DraftMeta = { symbol: "", title: "", lang: "en", revision: "", date: "" };

/** A registry with no entries. */
export const emptyRegistry: Registry = {
  meta: emptyMeta,
  brackets: {},
  attributions: {},
  chairAlternatives: {},
  paragraphs: {},
  comments: {},
};

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/**
 * Apply one op to a registry and return the new registry; the input is not changed. Throws
 * a `RangeError` when the op refers to a bracket or chair's alternative that does not exist,
 * since commands only emit ops for entries they have checked.
 */
export function applyRegistryOp(registry: Registry, op: RegistryOp): Registry {
  switch (op.op) {
    case "putBracket":
      return { ...registry, brackets: { ...registry.brackets, [op.id]: op.entry } };
    case "setBracketStatus": {
      const entry = registry.brackets[op.id];
      if (!entry) throw new RangeError(`No bracket ${op.id} in the registry`);
      return {
        ...registry,
        brackets: { ...registry.brackets, [op.id]: { ...entry, status: op.status } },
      };
    }
    case "setPosition": {
      const entry = registry.brackets[op.bracket];
      if (!entry) throw new RangeError(`No bracket ${op.bracket} in the registry`);
      const positions = op.position
        ? { ...entry.positions, [op.party]: op.position }
        : without(entry.positions, op.party);
      return {
        ...registry,
        brackets: { ...registry.brackets, [op.bracket]: { ...entry, positions } },
      };
    }
    case "putAttribution":
      return { ...registry, attributions: { ...registry.attributions, [op.id]: op.entry } };
    case "putChairAlternative":
      return {
        ...registry,
        chairAlternatives: { ...registry.chairAlternatives, [op.id]: op.entry },
      };
    case "setChairAlternativeStatus": {
      const entry = registry.chairAlternatives[op.id];
      if (!entry) throw new RangeError(`No chair's alternative ${op.id} in the registry`);
      return {
        ...registry,
        chairAlternatives: {
          ...registry.chairAlternatives,
          [op.id]: { ...entry, status: op.status },
        },
      };
    }
    case "setAgreement":
      return {
        ...registry,
        paragraphs: op.agreement
          ? { ...registry.paragraphs, [op.id]: { agreement: op.agreement } }
          : without(registry.paragraphs, op.id),
      };
    case "putComment":
      return {
        ...registry,
        comments: op.entry
          ? { ...registry.comments, [op.id]: op.entry }
          : without(registry.comments, op.id),
      };
    case "setMeta":
      return { ...registry, meta: { ...registry.meta, ...op.meta } };
    default: {
      const never: never = op;
      throw new RangeError(`Unknown registry op ${JSON.stringify(never)}`);
    }
  }
}

/** Apply ops in order. */
export function applyRegistryOps(registry: Registry, ops: readonly RegistryOp[]): Registry {
  return ops.reduce(applyRegistryOp, registry);
}

/** The parties that proposed a bracket, as a list of names ("X" or "X on behalf of Y"). */
export function proposerNames(entry: BracketEntry): string[] {
  return entry.proposedBy.map((p) => p.party);
}
