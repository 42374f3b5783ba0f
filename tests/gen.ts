// A seeded generator of random but valid drafts, for property tests, benchmarks and codec
// round trips. Every draft it makes passes `checkDraft` and follows schema/MODEL.md: an
// insertion carries its proposer's attribution, a deletion its proposer's "delete"
// position, a replacement is a deletion directly followed by its paired insertion, an
// alternative wording is a block right after the block it rewords, a chair's text is made
// of whole blocks after the paragraphs it replaces.
//
//   const draft = generateDraft(42, { paragraphs: 30, lang: "zh" });

import type { Mark, Node } from "prosemirror-model";
import type { Draft } from "../schema/draft.ts";
import { findParty } from "../schema/parties.ts";
import type {
  AttributionEntry,
  BracketEntry,
  ChairAlternativeEntry,
  ParagraphEntry,
  PartyRef,
  Position,
  Stance,
} from "../schema/registry.ts";
import { stances } from "../schema/registry.ts";
import { type ListStyle, schema } from "../schema/schema.ts";

/** A small seeded pseudo-random source (mulberry32): the same seed gives the same sequence. */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Whether an event of probability `p` happens. */
  chance(p: number): boolean;
  /** A random element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** A PRNG seeded with `seed` (any 32-bit integer). */
export function prng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("Cannot pick from an empty list");
      return items[int(items.length)]!;
    },
  };
}

/** What to generate. */
export interface GenerateOptions {
  /** How many top-level paragraphs (numbered, inserted or not); default 20. */
  readonly paragraphs?: number;
  /** The deepest bracket nesting; default 4. */
  readonly maxDepth?: number;
  /** English names of the parties that propose and take positions. */
  readonly parties?: readonly string[];
  /** The language of the words; default "en". */
  readonly lang?: "zh" | "en";
  /**
   * Whether some brackets run from the end of one paragraph into the next, as in drafts
   * extracted from PDF; default false.
   */
  readonly spanning?: boolean;
}

/** The parties drafts are generated with unless told otherwise. */
export const defaultParties: readonly string[] = [
  "Pakistan",
  "United Arab Emirates",
  "Russian Federation",
  "United States of America",
  "Algeria",
  "African Group",
];

// Words split from one string each, so that the list stays readable.
const vocabulary = {
  en: (
    "field office network evaluation mandate assess relevance efficiency member states host " +
    "country strategy report review period data impact budget programme capacity guiding " +
    "principles development agenda cooperation shall should consider ensure"
  ).split(" "),
  zh: (
    "评价 驻外办事处 网络 成员国 战略 效率 影响 预算 计划 指导原则 东道国 审查 报告 期间 数据 " +
    "发展议程 合作 职权范围 相关性 可持续性"
  ).split(" "),
} as const;

// Who may speak for a group in a generated draft: a delegation speaks only for a group it
// belongs to.
const groupSpeakers: Record<string, readonly string[]> = {
  "African Group": ["Algeria", "Nigeria", "Ghana", "Egypt", "South Africa", "Kenya"],
  "Group of 77 and China": ["Pakistan", "Algeria", "India", "Brazil", "China"],
  "European Union": ["France", "Germany", "Italy", "Spain", "Slovakia"],
};

type Inline = { text: string } | { marks: Mark[]; content: Inline[] };

/**
 * A random valid draft. The same seed and options give the same draft, ids included, so a
 * failing seed can be replayed. Throws a `RangeError` when `parties` is empty.
 */
export function generateDraft(seed: number, options: GenerateOptions = {}): Draft {
  return new Generator(seed, options).draft();
}

class Generator {
  readonly random: Prng;
  readonly lang: "zh" | "en";
  readonly maxDepth: number;
  readonly states: readonly string[];
  readonly groups: readonly string[];
  readonly parties: readonly string[];
  readonly brackets: Record<string, BracketEntry> = {};
  readonly attributions: Record<string, AttributionEntry> = {};
  readonly chairs: Record<string, ChairAlternativeEntry> = {};
  readonly agreements: Record<string, ParagraphEntry> = {};
  counters: Record<string, number> = {};
  /** The numbering kind of every numbered or inserted paragraph, by id. */
  readonly numbering = new Map<string, "numbered" | "inserted">();

  constructor(
    readonly seed: number,
    readonly settings: GenerateOptions,
  ) {
    this.random = prng(seed);
    this.lang = settings.lang ?? "en";
    this.maxDepth = settings.maxDepth ?? 4;
    this.parties = settings.parties ?? defaultParties;
    if (this.parties.length === 0) throw new RangeError("generateDraft needs at least one party");
    this.groups = this.parties.filter((p) => findParty(p)?.kind === "group");
    this.states = this.parties.filter((p) => findParty(p)?.kind !== "group");
  }

  id(prefix: string): string {
    this.counters[prefix] = (this.counters[prefix] ?? 0) + 1;
    return `${prefix}${this.counters[prefix]}`;
  }

  words(min = 1, max = 4): string {
    const count = min + this.random.int(max - min + 1);
    const list = Array.from({ length: count }, () => this.random.pick(vocabulary[this.lang]));
    return list.join(this.lang === "en" ? " " : "");
  }

  ref(): PartyRef {
    const party = this.random.pick(this.parties);
    const groups = this.groups.filter((group) => groupSpeakers[group]?.includes(party));
    const speaksForGroup = groups.length > 0 && this.random.chance(0.4);
    return { party, onBehalfOf: speaksForGroup ? this.random.pick(groups) : null };
  }

  enteredBy(): string | null {
    if (!this.random.chance(0.15)) return null;
    return this.random.chance(0.8) ? "Secretariat" : "Chair";
  }

  position(ref: PartyRef): Position {
    const stance: Stance = this.random.pick(stances);
    const text = stance === "replace" || stance === "comment" ? this.words(1, 3) : null;
    return { ...ref, stance, text, enteredBy: this.enteredBy() };
  }

  /** Positions of parties other than `taken`, keyed by party. */
  positions(
    taken: readonly string[],
    into: Record<string, Position> = {},
  ): Record<string, Position> {
    const count = this.random.int(3);
    for (let i = 0; i < count; i++) {
      const ref = this.ref();
      if (taken.includes(ref.party) || into[ref.party]) continue;
      into[ref.party] = this.position(ref);
    }
    return into;
  }

  bracketMark(entry: BracketEntry): { id: string; marks: Mark[] } {
    const id = this.id("b");
    this.brackets[id] = entry;
    const marks = [schema.marks.bracket!.create({ id })];
    if (entry.kind === "insertion" || entry.kind === "alternative") {
      for (const ref of entry.proposedBy) {
        const attribution = this.id("a");
        this.attributions[attribution] = { ...ref, enteredBy: entry.enteredBy };
        marks.push(schema.marks.attribution!.create({ id: attribution }));
      }
    }
    return { id, marks };
  }

  /** Words with brackets between them: text (bracket text)*. */
  sequence(depth: number, brackets: number): Inline[] {
    const space = this.lang === "en" ? " " : "";
    const out: Inline[] = [{ text: this.words() }];
    for (let i = 0; i < brackets; i++) {
      out.push({ text: space }, ...this.bracket(depth), { text: space + this.words() });
    }
    return out;
  }

  /** The content of a bracket at `depth`: words, sometimes with brackets nested in them. */
  content(depth: number): Inline[] {
    if (depth < this.maxDepth && this.random.chance(0.25)) {
      return this.sequence(depth + 1, 1 + this.random.int(2));
    }
    return [{ text: this.words() }];
  }

  /** One bracket (or two, for a replacement) at `depth`. */
  bracket(depth: number): Inline[] {
    const roll = this.random.next();
    const ref = this.ref();
    const enteredBy = this.enteredBy();
    const base = { status: "open" as const, pairedWith: null, alternativeTo: null };
    if (roll < 0.35) {
      const proposedBy = this.random.chance(0.1) ? [ref, this.ref()] : [ref];
      if (proposedBy.length === 2 && proposedBy[0]!.party === proposedBy[1]!.party)
        proposedBy.pop();
      const entry: BracketEntry = {
        ...base,
        kind: "insertion",
        proposedBy,
        enteredBy,
        positions: this.positions(proposedBy.map((r) => r.party)),
      };
      return [{ ...this.bracketMark(entry), content: this.content(depth) }];
    }
    const deletion = (): BracketEntry => {
      const own: Position = this.random.chance(0.8)
        ? { ...ref, stance: "delete", text: null, enteredBy }
        : this.position(ref);
      const positions = this.positions([ref.party], { [ref.party]: own });
      if (this.random.chance(0.05)) delete positions[ref.party];
      return { ...base, kind: "deletion", proposedBy: [ref], enteredBy, positions };
    };
    if (roll < 0.6) return [{ ...this.bracketMark(deletion()), content: this.content(depth) }];
    if (roll < 0.8) {
      const removed = this.bracketMark(deletion());
      const inserted = this.bracketMark({
        ...base,
        kind: "insertion",
        proposedBy: [ref],
        enteredBy,
        pairedWith: removed.id,
        positions: this.positions([ref.party]),
      });
      this.brackets[removed.id] = { ...this.brackets[removed.id]!, pairedWith: inserted.id };
      return [
        { marks: removed.marks, content: this.content(depth) },
        { marks: inserted.marks, content: this.content(depth) },
      ];
    }
    const entry: BracketEntry = {
      ...base,
      kind: "text",
      // As imported: sometimes the annotation named who proposed the words.
      proposedBy: this.random.chance(0.3) ? [ref] : [],
      enteredBy: null,
      positions: this.positions([]),
    };
    return [{ ...this.bracketMark(entry), content: this.content(depth) }];
  }

  /** Inline nodes for `inline` under `marks`. */
  nodes(inline: Inline[], marks: readonly Mark[] = []): Node[] {
    return inline.flatMap((piece) => {
      if ("text" in piece) return piece.text ? [schema.text(piece.text, marks)] : [];
      let inner = marks;
      for (const mark of piece.marks) inner = mark.addToSet(inner);
      return this.nodes(piece.content, inner);
    });
  }

  /** The text of an ordinary block: words, usually with a few brackets. */
  text(marks: readonly Mark[] = [], plain = false): Node[] {
    const brackets = plain ? 0 : this.random.pick([0, 1, 1, 1, 2, 3]);
    return this.nodes(this.sequence(1, brackets), marks);
  }

  /** A whole block's text as one alternative wording of block `target`. */
  alternative(target: string): Node[] {
    const ref = this.ref();
    const entry: BracketEntry = {
      kind: "alternative",
      status: "open",
      proposedBy: [ref],
      enteredBy: this.enteredBy(),
      pairedWith: null,
      alternativeTo: target,
      positions: this.positions([ref.party]),
    };
    const { marks } = this.bracketMark(entry);
    return this.nodes([{ marks, content: this.content(1) }]);
  }

  paragraph(numbering: "numbered" | "inserted" | "none", marks: readonly Mark[] = []): Node {
    const id = this.id("p");
    if (numbering !== "none") this.numbering.set(id, numbering);
    const agreed = numbering !== "none" && marks.length === 0 && this.random.chance(0.08);
    if (agreed) this.agreements[id] = { agreement: this.random.chance(0.5) ? "agreed" : "adRef" };
    return schema.nodes.paragraph!.create({ id, numbering }, this.text(marks, agreed));
  }

  list(): Node {
    const style: ListStyle = this.random.pick(["alpha", "decimal", "roman", "bullet", "dash"]);
    const items: Node[] = [];
    const count = 2 + this.random.int(3);
    for (let i = 0; i < count; i++) {
      const id = this.id("i");
      items.push(schema.nodes.item!.create({ id }, this.text()));
      if (this.random.chance(0.15)) {
        // An alternative to an earlier item names it ("item (a)"), where labels tell items apart.
        const earlier = style !== "bullet" && style !== "dash" && i > 0 && this.random.chance(0.3);
        const target = earlier ? String(items[0]!.attrs.id) : id;
        items.push(schema.nodes.item!.create({ id: this.id("i") }, this.alternative(target)));
      }
    }
    return schema.nodes.list!.create({ id: this.id("l"), style }, items);
  }

  options(level: number): Node {
    const count = 2 + this.random.int(2);
    const options: Node[] = [];
    for (let i = 1; i <= count; i++) {
      const blocks: Node[] = [this.paragraph(this.random.chance(0.7) ? "numbered" : "none")];
      if (this.random.chance(0.3)) blocks.push(this.list());
      if (level < 2 && this.random.chance(0.15)) blocks.push(this.options(level + 1));
      const label = this.lang === "zh" ? `备选案文 ${i}` : `Option ${i}`;
      options.push(schema.nodes.option!.create({ id: this.id("opt"), label }, blocks));
    }
    return schema.nodes.options!.create({ id: this.id("o") }, options);
  }

  draft(): Draft {
    const total = this.settings.paragraphs ?? 20;
    const blocks: Node[] = [];
    // Top-level labelled paragraphs a chair's text may replace (none inside frames).
    let replaceable: string[] = [];
    let last = "";
    let paragraphs = 0;
    let headings = 0;
    while (paragraphs < total) {
      if (paragraphs % 6 === 0 && last !== "heading") {
        const label = `${String.fromCharCode(65 + (headings % 26)).repeat(1 + Math.floor(headings / 26))}.`;
        headings++;
        blocks.push(schema.nodes.heading!.create({ id: this.id("h"), label }, this.text()));
        last = "heading";
        continue;
      }
      const roll = this.random.next();
      if (roll < 0.1 && last !== "list") {
        blocks.push(this.list());
        last = "list";
      } else if (roll < 0.17 && last !== "options") {
        blocks.push(this.options(1));
        last = "options";
      } else if (roll < 0.25 && last === "labelled") {
        const target = String(blocks[blocks.length - 1]!.attrs.id);
        // Sometimes a statement from the floor comes between, and the alternative wording
        // has to name the paragraph it rewords.
        if (this.random.chance(0.3)) blocks.push(this.paragraph("none"));
        blocks.push(
          schema.nodes.paragraph!.create(
            { id: this.id("p"), numbering: "none" },
            this.alternative(target),
          ),
        );
        last = "alternative";
      } else if (roll < 0.29 && this.settings.spanning && last !== "chair") {
        const pair = this.spanningPair();
        blocks.push(...pair);
        paragraphs += 2;
        replaceable.push(...pair.map((node) => String(node.attrs.id)));
        last = "labelled";
      } else if (roll < 0.33 && replaceable.length > 0) {
        blocks.push(...this.chair(replaceable));
        replaceable = [];
        last = "chair";
      } else {
        const numbering =
          roll < 0.45 && last === "labelled" ? "inserted" : roll < 0.55 ? "none" : "numbered";
        const node = this.paragraph(numbering);
        blocks.push(node);
        paragraphs++;
        if (numbering !== "none") replaceable.push(String(node.attrs.id));
        last = numbering === "none" ? "paragraph" : "labelled";
      }
    }
    const doc = schema.nodes.doc!.create(null, blocks);
    return {
      doc,
      registry: {
        meta: {
          symbol: `PARLEY/GEN/${this.seed}`,
          title: this.words(3, 6),
          lang: this.lang,
          revision: this.seed % 3 === 0 ? "Rev.1" : "",
          date: "2026-11-21",
        },
        brackets: this.brackets,
        attributions: this.attributions,
        chairAlternatives: this.chairs,
        paragraphs: this.agreements,
        comments: {},
      },
    };
  }

  /** Two numbered paragraphs with a bracket running from the end of one into the next. */
  spanningPair(): Node[] {
    const space = this.lang === "en" ? " " : "";
    const { marks } = this.random.chance(0.5)
      ? this.bracketMark({
          kind: "text",
          status: "open",
          proposedBy: [],
          enteredBy: null,
          pairedWith: null,
          alternativeTo: null,
          positions: this.positions([]),
        })
      : this.bracketMark({
          kind: "insertion",
          status: "open",
          proposedBy: [this.ref()],
          enteredBy: this.enteredBy(),
          pairedWith: null,
          alternativeTo: null,
          positions: {},
        });
    const first = this.nodes([
      { text: this.words() + space },
      { marks, content: [{ text: this.words() }] },
    ]);
    const second = this.nodes([
      { marks, content: [{ text: this.words() }] },
      { text: space + this.words() },
    ]);
    return [
      schema.nodes.paragraph!.create({ id: this.id("p"), numbering: "numbered" }, first),
      schema.nodes.paragraph!.create({ id: this.id("p"), numbering: "numbered" }, second),
    ];
  }

  /** A chair's text replacing the last one or two of `replaceable`, proposed or adopted. */
  chair(replaceable: string[]): Node[] {
    const id = this.id("c");
    const adopted = this.random.chance(0.3);
    const replaces = adopted
      ? [this.id("gone")]
      : replaceable.slice(-(1 + this.random.int(Math.min(2, replaceable.length))));
    this.chairs[id] = { replaces, status: adopted ? "adopted" : "proposed" };
    const mark = [schema.marks.chairAlternative!.create({ id })];
    const count = 1 + this.random.int(3);
    // Each of the chair's paragraphs takes the numbering kind of the one it stands for,
    // as `proposeChairAlternative` does.
    const paragraphs = Array.from({ length: count }, (_, i) =>
      this.paragraph(this.numbering.get(replaces[i] ?? "") ?? "numbered", mark),
    );
    // The chair typing on at the end of its text: the mark is not inclusive, so the new
    // words are not the chair's text and the last paragraph is only partly the chair's.
    if (this.random.chance(0.2)) {
      const last = paragraphs.pop()!;
      const tail = schema.text((this.lang === "en" ? " " : "") + this.words());
      paragraphs.push(last.copy(last.content.addToEnd(tail)));
    }
    return paragraphs;
  }
}
