// A large negotiated draft for the large-drafts scenario, built through the model's own
// commands (proposeInsertion, proposeDeletion, statePosition, proposeChairAlternative) on an
// editor state, from a seeded PRNG so every run measures the same draft. The shared test
// generator (tests/gen.ts `generateDraft`) builds nodes and registry entries directly; issue 7
// asks for a draft made the way delegates make one, through the commands, hence this module.

import type { Node } from "prosemirror-model";
import { type EditorState, TextSelection } from "prosemirror-state";
import {
  proposeChairAlternative,
  proposeDeletion,
  proposeInsertion,
  statePosition,
} from "../schema/commands/index.ts";
import type { Draft } from "../schema/draft.ts";
import { parties } from "../schema/parties.ts";
import { markRanges } from "../schema/ranges.ts";
import {
  type Actor,
  emptyMeta,
  emptyRegistry,
  type Registry,
  type Stance,
} from "../schema/registry.ts";
import { schema } from "../schema/schema.ts";
import { createDraftState, draftOf } from "../schema/state.ts";

/** The shape asked of a generated draft. */
export interface BigDraftOptions {
  readonly pages: number;
  readonly seed: number;
  /** Brackets per page; 25 gives about 5,000 on 200 pages. */
  readonly bracketsPerPage?: number;
  readonly paragraphsPerPage?: number;
  readonly parties?: number;
  readonly maxDepth?: number;
}

/** A generated draft and what it holds. */
export interface BigDraft {
  readonly draft: Draft;
  readonly brackets: number;
  readonly maxDepth: number;
  readonly parties: number;
  readonly chairAlternatives: number;
  readonly blocks: number;
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same draft. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = (
  "the committee shall consider report office mandate functions resources member states " +
  "secretariat provide assistance development cooperation framework review implementation " +
  "programme budget annual session decide request further consultations regional offices " +
  "intellectual property capacity building technical support evaluation criteria host country"
).split(" ");

const stancesUsed: readonly Stance[] = ["support", "oppose", "reserve", "delete"];

function sentence(rand: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(words[Math.floor(rand() * words.length)] as string);
  return `${out.join(" ")}.`;
}

interface PageBuild {
  doc: Node;
  registry: Registry;
  brackets: number;
  maxDepth: number;
  chairAlternatives: number;
}

function apply(
  state: EditorState,
  command: ReturnType<typeof proposeInsertion>,
): EditorState | null {
  let next: EditorState | null = null;
  command(state, (tr) => {
    next = state.apply(tr);
  });
  return next;
}

function buildPage(
  page: number,
  rand: () => number,
  options: Required<BigDraftOptions>,
): PageBuild {
  const paragraphs: Node[] = [];
  for (let i = 0; i < options.paragraphsPerPage; i++) {
    paragraphs.push(
      schema.nodes.paragraph!.create(
        { id: `p${page}-${i}`, numbering: "numbered" },
        schema.text(sentence(rand, 40 + Math.floor(rand() * 20))),
      ),
    );
  }
  let state = createDraftState(schema.nodes.doc!.create(null, paragraphs), emptyRegistry);
  const depth = new Map<string, number>();
  let brackets = 0;
  let maxDepth = 0;
  const party = (): string => parties[Math.floor(rand() * options.parties)]?.en ?? "Brazil";
  const delegation = (): Actor => ({ party: party(), role: "delegation" });
  for (
    let attempt = 0;
    brackets < options.bracketsPerPage && attempt < options.bracketsPerPage * 8;
    attempt++
  ) {
    const ranges = [...markRanges(state.doc, "bracket").values()];
    const roll = rand();
    let next: EditorState | null = null;
    let parentDepth = 0;
    if (roll < 0.35 && ranges.length > 0) {
      // Nest: insert strictly inside an existing bracket that is not yet at full depth.
      const host = ranges[Math.floor(rand() * ranges.length)]!;
      parentDepth = depth.get(host.id) ?? 1;
      if (parentDepth >= options.maxDepth || host.to - host.from < 2) continue;
      const pos = host.from + 1 + Math.floor(rand() * (host.to - host.from - 1));
      const sel = state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)));
      next = apply(
        sel,
        proposeInsertion(delegation(), ` ${sentence(rand, 3 + Math.floor(rand() * 4))} `),
      );
    } else {
      const index = Math.floor(rand() * options.paragraphsPerPage);
      let start = 0;
      for (let i = 0; i < index; i++) start += state.doc.child(i).nodeSize;
      const para = state.doc.child(index);
      const from = start + 1 + Math.floor(rand() * Math.max(1, para.content.size - 12));
      if (roll < 0.7) {
        const sel = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from)));
        next = apply(
          sel,
          proposeInsertion(delegation(), ` ${sentence(rand, 2 + Math.floor(rand() * 6))} `),
        );
      } else {
        const to = Math.min(start + 1 + para.content.size, from + 5 + Math.floor(rand() * 20));
        const sel = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
        next = apply(sel, proposeDeletion(delegation()));
      }
    }
    if (!next) continue;
    const before = new Set(ranges.map((r) => r.id));
    state = next;
    for (const id of markRanges(state.doc, "bracket").keys()) {
      if (before.has(id)) continue;
      depth.set(id, parentDepth + 1);
      maxDepth = Math.max(maxDepth, parentDepth + 1);
      brackets++;
      // Positions from a few delegations on each new bracket.
      const count = Math.floor(rand() * 4);
      for (let k = 0; k < count; k++) {
        const stated = apply(
          state,
          statePosition(delegation(), id, stancesUsed[Math.floor(rand() * stancesUsed.length)]!),
        );
        if (stated) state = stated;
      }
    }
  }
  let chairAlternatives = 0;
  if (page % 4 === 0) {
    const replaced = [`p${page}-0`, `p${page}-1`];
    const adopted = apply(
      state,
      proposeChairAlternative({ party: "Chair", role: "chair" }, replaced, [
        sentence(rand, 30),
        sentence(rand, 25),
      ]),
    );
    if (adopted) {
      state = adopted;
      chairAlternatives++;
    }
  }
  const { doc, registry } = draftOf(state);
  return { doc, registry, brackets, maxDepth, chairAlternatives };
}

/**
 * Build a draft of `options.pages` pages, page by page (each page is its own editor state, so
 * a command's whole-document checks stay page-sized), then join the pages into one draft.
 * Throws a `RangeError` for fewer than one page.
 */
export function buildBigDraft(options: BigDraftOptions): BigDraft {
  if (!Number.isInteger(options.pages) || options.pages < 1) {
    throw new RangeError(`A draft needs at least one page, not ${options.pages}`);
  }
  const full: Required<BigDraftOptions> = {
    bracketsPerPage: 25,
    paragraphsPerPage: 8,
    parties: 50,
    maxDepth: 4,
    ...options,
  };
  const rand = prng(full.seed);
  const blocks: Node[] = [];
  const merged: { -readonly [K in keyof Registry]: Registry[K] } = {
    ...emptyRegistry,
    meta: { ...emptyMeta, symbol: "BENCH/200", title: "Generated draft" },
    brackets: {},
    attributions: {},
    chairAlternatives: {},
  };
  let brackets = 0;
  let maxDepth = 0;
  let chairAlternatives = 0;
  for (let page = 0; page < full.pages; page++) {
    const built = buildPage(page, rand, full);
    built.doc.forEach((node) => {
      blocks.push(node);
    });
    Object.assign(merged.brackets, built.registry.brackets);
    Object.assign(merged.attributions, built.registry.attributions);
    Object.assign(merged.chairAlternatives, built.registry.chairAlternatives);
    brackets += built.brackets;
    maxDepth = Math.max(maxDepth, built.maxDepth);
    chairAlternatives += built.chairAlternatives;
  }
  const positioned = new Set<string>();
  for (const entry of Object.values(merged.brackets)) {
    for (const p of Object.keys(entry.positions)) positioned.add(p);
  }
  return {
    draft: { doc: schema.nodes.doc!.create(null, blocks), registry: merged },
    brackets,
    maxDepth,
    parties: positioned.size,
    chairAlternatives,
    blocks: blocks.length,
  };
}
