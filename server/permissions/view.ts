import type * as Y from "yjs";
import type {
  AttributionEntry,
  BracketEntry,
  ChairAlternativeEntry,
  CommentEntry,
} from "../../schema/registry.ts";
import type { DraftTypes } from "../../schema/yregistry.ts";
import type { Identity } from "../guard.ts";
import type { ChangeSet } from "./changes.ts";
import type { Era, Side } from "./era.ts";
import type { MarkIndex } from "./mark-index.ts";
import {
  type Parsed,
  readAttribution,
  readBracket,
  readChairAlternative,
  readComment,
} from "./shapes.ts";
import type { TypingVerdicts } from "./typing.ts";

// What the rules see of one update: who sent it, what it changed, and the registry entries
// it needs on either side of the transaction, read lazily (only the entries the changed
// words and marks point at) and cached for the duration of one check.

/** Everything a rule needs to judge one update. */
export class Judgement {
  private readonly cache = new Map<string, Parsed<unknown> | undefined>();
  private readonly names: Map<unknown, string>;

  constructor(
    readonly era: Era,
    readonly changes: ChangeSet,
    readonly identity: Identity,
    readonly types: DraftTypes,
    readonly index: MarkIndex,
    /** Mark sets the sender was already allowed to type under; null to judge all in full. */
    readonly typing: TypingVerdicts | null = null,
  ) {
    this.names = new Map<unknown, string>([
      [types.attributions, "a"],
      [types.chairAlternatives, "c"],
      [types.comments, "m"],
    ]);
  }

  private read<T>(
    map: Y.Map<unknown>,
    key: string,
    side: Side,
    parse: (raw: unknown) => Parsed<T>,
  ): Parsed<T> | undefined {
    const cacheKey = `${side}\u0000${map === this.brackets ? "b" : (this.names.get(map) ?? "?")}\u0000${key}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey) as Parsed<T> | undefined;
    const raw = this.era.mapGet(map, key, side);
    const parsed = raw === undefined ? undefined : parse(raw);
    this.cache.set(cacheKey, parsed);
    return parsed;
  }

  /** A bracket entry on one side: undefined when absent, a fault when malformed. */
  bracketEntry(id: string, side: Side): Parsed<BracketEntry> | undefined {
    return this.read(this.brackets, id, side, (raw) => readBracket(this.era, raw, side));
  }

  /** A well-formed bracket entry on one side, or null. */
  bracket(id: string, side: Side): BracketEntry | null {
    const parsed = this.bracketEntry(id, side);
    return parsed && "value" in parsed ? parsed.value : null;
  }

  /** An attribution entry on one side: undefined when absent, a fault when malformed. */
  attributionEntry(id: string, side: Side): Parsed<AttributionEntry> | undefined {
    return this.read(this.types.attributions as Y.Map<unknown>, id, side, readAttribution);
  }

  /** A well-formed attribution entry on one side, or null. */
  attribution(id: string, side: Side): AttributionEntry | null {
    const parsed = this.attributionEntry(id, side);
    return parsed && "value" in parsed ? parsed.value : null;
  }

  /** A chair's alternative entry on one side. */
  chairAlternativeEntry(id: string, side: Side): Parsed<ChairAlternativeEntry> | undefined {
    return this.read(this.types.chairAlternatives as Y.Map<unknown>, id, side, (raw) =>
      readChairAlternative(this.era, raw, side),
    );
  }

  /** A comment entry on one side. */
  commentEntry(id: string, side: Side): Parsed<CommentEntry> | undefined {
    return this.read(this.types.comments as Y.Map<unknown>, id, side, readComment);
  }

  /** A well-formed comment entry on one side, or null. */
  comment(id: string, side: Side): CommentEntry | null {
    const parsed = this.commentEntry(id, side);
    return parsed && "value" in parsed ? parsed.value : null;
  }

  private get brackets(): Y.Map<unknown> {
    return this.types.brackets as Y.Map<unknown>;
  }

  private own: ReadonlySet<string> | null = null;

  /** The parties the sender speaks for: its own name and the group it speaks for. */
  get ownParties(): ReadonlySet<string> {
    // Asked for every typed character and every bracket on it: built once per check.
    if (!this.own) {
      const { party, onBehalfOf } = this.identity;
      this.own = new Set(onBehalfOf ? [party, onBehalfOf] : [party]);
    }
    return this.own;
  }

  /** Whether the sender (a delegation) proposed the bracket, alone or with others. */
  ownsBracket(entry: BracketEntry): boolean {
    const own = this.ownParties;
    return entry.proposedBy.some((p) => own.has(p.party));
  }
}
