import type { Mark, Node } from "prosemirror-model";
import type { Draft } from "../draft.ts";
import { blockLabels } from "../numbering.ts";
import { type MarkRange, markRanges } from "../ranges.ts";
import type { Agreement, BracketEntry, BracketKind, Registry } from "../registry.ts";
import type { ListStyle, ParagraphNumbering } from "../schema.ts";
import { type Annotation, annotate } from "./annotation.ts";
import {
  type AlternativeTarget,
  chairGlyphs,
  chairLabel,
  datePrefix,
  type Lang,
  wording,
  wordOriginal,
} from "./words.ts";

export { type Annotation, type AnnotationSegment, annotate } from "./annotation.ts";

// The intermediate rendering every export writer builds from (plain text here; DOCX, HTML
// and Markdown elsewhere), so that the four never disagree about what a mode leaves out,
// how a paragraph is numbered or how a position is worded. It is format-neutral: blocks
// with their derived labels, and inline runs whose glyphs and annotations are already
// worded in the output language. A writer only decides how each run looks.

/** The three export modes of DESIGN §6. */
export type ExportMode = "annotated" | "unattributed" | "clean";

/** What to render: the mode and the output language. */
export interface RenderOptions {
  readonly mode: ExportMode;
  readonly lang: Lang;
}

/** A piece of a block's inline content. */
export type Run =
  | {
      readonly type: "text";
      readonly text: string;
      /** How many brackets enclose the text (0 outside any). */
      readonly depth: number;
      /** The English key of the party whose words these are (innermost attribution), if any. */
      readonly attributedTo: string | null;
    }
  | {
      readonly type: "open";
      readonly bracket: string;
      /** 1 for a top-level bracket. */
      readonly depth: number;
      readonly kind: BracketKind;
      readonly glyph: string;
      /** The quote mark that opens the words when an annotation follows, else "". */
      readonly quote: string;
    }
  | {
      readonly type: "close";
      readonly bracket: string;
      readonly depth: number;
      readonly kind: BracketKind;
      readonly quote: string;
      readonly annotation: Annotation | null;
      readonly glyph: string;
    }
  | {
      readonly type: "chairOpen";
      readonly chair: string;
      readonly glyph: string;
      readonly label: string;
    }
  | { readonly type: "chairClose"; readonly chair: string; readonly glyph: string };

/** A note that a block is agreed or agreed ad ref: "[Agreed ad ref]". */
export interface AgreementNote {
  readonly agreement: Agreement;
  readonly text: string;
}

/** An item of a list with its derived label. */
export interface RenderedItem {
  readonly type: "item";
  readonly id: string;
  readonly label: string;
  readonly runs: readonly Run[];
  readonly agreement: AgreementNote | null;
}

/** One option of an options block with the blocks it holds. */
export interface RenderedOption {
  readonly id: string;
  readonly label: string;
  readonly blocks: readonly RenderedBlock[];
}

/** A block of the rendering. */
export type RenderedBlock =
  | {
      readonly type: "heading";
      readonly id: string;
      readonly label: string;
      readonly runs: readonly Run[];
      readonly agreement: AgreementNote | null;
    }
  | {
      readonly type: "paragraph";
      readonly id: string;
      readonly numbering: ParagraphNumbering;
      /** The derived number ("12", "3bis"), or null for an unnumbered paragraph. */
      readonly label: string | null;
      readonly runs: readonly Run[];
      readonly agreement: AgreementNote | null;
    }
  | {
      readonly type: "list";
      readonly id: string;
      readonly style: ListStyle;
      readonly items: readonly RenderedItem[];
    }
  | { readonly type: "options"; readonly id: string; readonly options: readonly RenderedOption[] }
  | {
      /** Blocks wholly inside one chair's alternative text, set off with its label. */
      readonly type: "chairFrame";
      readonly id: string;
      readonly status: "proposed" | "adopted";
      /** Ids of the blocks the chair's text replaces. */
      readonly replaces: readonly string[];
      /** "Chair's alternative text, replacing paras 12, 13:" in the output language. */
      readonly label: string;
      readonly glyphs: { readonly open: string; readonly close: string };
      readonly blocks: readonly RenderedBlock[];
    };

/** The header facts of the draft, worded. */
export interface RenderedMeta {
  readonly symbol: string;
  readonly revision: string;
  readonly title: string;
  readonly date: string;
  /** The language the draft was written in. */
  readonly original: Lang;
  /** "原文：英文" / "Original: English". */
  readonly originalLine: string;
  /** "日期：…" / "Date: …", or null without a date. */
  readonly dateLine: string | null;
}

/** A draft rendered for one export mode and language. */
export interface Rendering {
  readonly mode: ExportMode;
  readonly lang: Lang;
  readonly meta: RenderedMeta;
  readonly blocks: readonly RenderedBlock[];
}

/**
 * Render `draft` for `options.mode` in `options.lang`. Brackets that are no longer open
 * (lifted, dropped, withdrawn) but still marked are shown as plain words, since only open
 * brackets are under negotiation. Blocks left empty in clean mode are left out.
 */
export function renderDraft(draft: Draft, options: RenderOptions): Rendering {
  const { registry } = draft;
  const meta = registry.meta;
  const context = new Context(draft, options);
  return {
    mode: options.mode,
    lang: options.lang,
    meta: {
      symbol: meta.symbol,
      revision: meta.revision,
      title: meta.title,
      date: meta.date,
      original: meta.lang,
      originalLine: wordOriginal(meta.lang, options.lang),
      dateLine: meta.date ? datePrefix(options.lang) + meta.date : null,
    },
    blocks: context.blocks(draft.doc, 0),
  };
}

/** The plain text of a run as the text writer prints it. */
export function runText(run: Run): string {
  switch (run.type) {
    case "text":
      return run.text;
    case "open":
      return run.glyph + run.quote;
    case "close":
      return (
        run.quote +
        (run.annotation ? run.annotation.separator + run.annotation.text : "") +
        run.glyph
      );
    case "chairOpen":
      return `${run.glyph}${run.label} `;
    case "chairClose":
      return run.glyph;
    default: {
      const never: never = run;
      throw new RangeError(`Unknown run ${JSON.stringify(never)}`);
    }
  }
}

/** Whether the draft has an open bracket with this entry. */
function isOpen(entry: BracketEntry | undefined): entry is BracketEntry {
  return entry?.status === "open";
}

/** The proposed or adopted chair's alternative that covers all of `node`'s text, or null. */
function wholeChair(node: Node, registry: Registry): string | null {
  let common: string[] | null = null;
  node.descendants((child) => {
    if (!child.isText) return true;
    const ids = child.marks
      .filter((mark) => mark.type.name === "chairAlternative")
      .map((mark) => String(mark.attrs.id));
    common = common === null ? ids : common.filter((id) => ids.includes(id));
    return false;
  });
  const ids: string[] = common ?? [];
  return (
    ids.find((id) => {
      const status = registry.chairAlternatives[id]?.status;
      return status === "proposed" || status === "adopted";
    }) ?? null
  );
}

class Context {
  readonly labels: Map<string, string>;
  readonly brackets: Map<string, MarkRange & { depth: number; entry: BracketEntry }>;
  readonly chairs: Map<string, MarkRange>;
  /** Open brackets by the position where they start or end. */
  readonly startsAt = new Map<number, string[]>();
  readonly endsAt = new Map<number, string[]>();
  /** Annotations by bracket id, worked out once for the opening and the closing. */
  readonly annotations = new Map<string, Annotation | null>();
  readonly registry: Registry;

  constructor(
    readonly draft: Draft,
    readonly options: RenderOptions,
  ) {
    this.registry = draft.registry;
    this.labels = blockLabels(draft.doc, draft.registry);
    this.brackets = new Map();
    const stack: MarkRange[] = [];
    const open = [...markRanges(draft.doc, "bracket").values()]
      .filter((range) => isOpen(this.registry.brackets[range.id]))
      .sort((a, b) => a.from - b.from || b.to - a.to);
    for (const range of open) {
      while (stack.length > 0 && stack[stack.length - 1]!.to <= range.from) stack.pop();
      stack.push(range);
      const entry = this.registry.brackets[range.id]!;
      this.brackets.set(range.id, { ...range, depth: stack.length, entry });
    }
    this.chairs = new Map(
      [...markRanges(draft.doc, "chairAlternative")].filter(([id]) => {
        const status = this.registry.chairAlternatives[id]?.status;
        return status === "proposed" || status === "adopted";
      }),
    );
    for (const range of this.brackets.values()) {
      pushAt(this.startsAt, range.from, range.id);
      pushAt(this.endsAt, range.to, range.id);
    }
  }

  get mode(): ExportMode {
    return this.options.mode;
  }

  agreement(id: string): AgreementNote | null {
    const entry = this.registry.paragraphs[id];
    if (!entry || this.mode === "clean") return null;
    return {
      agreement: entry.agreement,
      text: wording(this.options.lang).agreements[entry.agreement],
    };
  }

  /**
   * The blocks of `parent`, whose content starts at `start`. `outerChair` is the chair's
   * text already framed around `parent` (options wholly inside one), not framed again.
   */
  blocks(parent: Node, start: number, outerChair: string | null = null): RenderedBlock[] {
    const out: RenderedBlock[] = [];
    const current: { frame: { id: string; blocks: RenderedBlock[] } | null } = { frame: null };
    parent.forEach((node, offset) => {
      const pos = start + offset;
      const chair = wholeChair(node, this.registry);
      const status = chair ? this.registry.chairAlternatives[chair]!.status : null;
      if (chair && status === "proposed" && this.mode === "clean") return;
      const framing =
        chair !== null &&
        chair !== outerChair &&
        (status === "proposed" || this.mode === "annotated");
      if (!framing || current.frame?.id !== chair) current.frame = null;
      const rendered = this.block(node, pos, framing ? chair : outerChair);
      if (!rendered) return;
      if (framing && chair) {
        if (!current.frame) {
          current.frame = { id: chair, blocks: [] };
          out.push(this.frame(chair, current.frame.blocks));
        }
        current.frame.blocks.push(rendered);
      } else {
        out.push(rendered);
      }
    });
    return out;
  }

  frame(id: string, blocks: RenderedBlock[]): RenderedBlock {
    const entry = this.registry.chairAlternatives[id]!;
    const adopted = entry.status === "adopted";
    const labels = entry.replaces
      .map((ref) => this.labels.get(ref))
      .filter((label): label is string => label !== undefined);
    return {
      type: "chairFrame",
      id,
      status: adopted ? "adopted" : "proposed",
      replaces: entry.replaces,
      label: chairLabel(labels, adopted, this.options.lang),
      glyphs: chairGlyphs(adopted, this.options.lang),
      blocks,
    };
  }

  block(node: Node, pos: number, framedChair: string | null): RenderedBlock | null {
    const id = String(node.attrs.id);
    switch (node.type.name) {
      case "heading":
        return {
          type: "heading",
          id,
          label: this.labels.get(id) ?? String(node.attrs.label),
          runs: this.runs(node, pos + 1, framedChair),
          agreement: this.agreement(id),
        };
      case "paragraph": {
        const runs = this.runs(node, pos + 1, framedChair);
        if (this.mode === "clean" && runs.length === 0) return null;
        return {
          type: "paragraph",
          id,
          numbering: node.attrs.numbering as ParagraphNumbering,
          label: this.labels.get(id) ?? null,
          runs,
          agreement: this.agreement(id),
        };
      }
      case "list": {
        const items: RenderedItem[] = [];
        node.forEach((item, offset) => {
          const itemId = String(item.attrs.id);
          const runs = this.runs(item, pos + 1 + offset + 1, framedChair);
          if (this.mode === "clean" && runs.length === 0) return;
          const label = this.labels.get(itemId) ?? "•";
          items.push({ type: "item", id: itemId, label, runs, agreement: this.agreement(itemId) });
        });
        if (items.length === 0) return null;
        return { type: "list", id, style: node.attrs.style as ListStyle, items };
      }
      case "options": {
        const options: RenderedOption[] = [];
        node.forEach((option, offset) => {
          const blocks = this.blocks(option, pos + 1 + offset + 1, framedChair);
          if (blocks.length === 0) return;
          const optionId = String(option.attrs.id);
          options.push({ id: optionId, label: this.labels.get(optionId) ?? "", blocks });
        });
        if (options.length === 0) return null;
        return { type: "options", id, options };
      }
      default:
        throw new RangeError(`Cannot render a ${node.type.name} as a block`);
    }
  }

  /** The runs of a textblock whose content starts at `start`. */
  runs(node: Node, start: number, framedChair: string | null): Run[] {
    const end = start + node.content.size;
    const { lang } = this.options;
    const runs: Run[] = [];
    const annotated = this.mode === "annotated";
    // A chair's text not drawn as a frame is set off within each block it touches, from
    // its first to its last marked word there: its whole range may run into blocks that
    // are framed, whose glyphs are on lines of their own.
    const chairStarts = new Map<number, string[]>();
    const chairEnds = new Map<number, string[]>();
    const spans = new Map<string, { from: number; to: number }>();
    node.forEach((child, offset) => {
      for (const mark of child.marks) {
        const id = String(mark.attrs.id);
        if (mark.type.name !== "chairAlternative" || !this.chairs.has(id) || id === framedChair) {
          continue;
        }
        const span = spans.get(id);
        const to = start + offset + child.nodeSize;
        if (span) span.to = to;
        else spans.set(id, { from: start + offset, to });
      }
    });
    for (const [id, span] of spans) {
      pushAt(chairStarts, span.from, id);
      pushAt(chairEnds, span.to, id);
    }
    const boundary = (pos: number) => {
      if (this.mode === "clean") return;
      const ending = this.endsAt.get(pos) ?? [];
      const starting = this.startsAt.get(pos) ?? [];
      const closes = ending
        .flatMap((id) => this.brackets.get(id) ?? [])
        .sort((a, b) => b.from - a.from);
      const chairCloses = chairEnds.get(pos) ?? [];
      const opens = starting
        .flatMap((id) => this.brackets.get(id) ?? [])
        .sort((a, b) => b.to - a.to);
      const chairOpens = chairStarts.get(pos) ?? [];
      for (const b of closes) {
        const annotation = annotated ? this.annotation(b) : null;
        const quote = annotation ? wording(lang).quoteClose : "";
        runs.push({
          type: "close",
          bracket: b.id,
          depth: b.depth,
          kind: b.entry.kind,
          quote,
          annotation,
          glyph: "]",
        });
      }
      for (const chair of chairCloses) {
        const adopted = this.registry.chairAlternatives[chair]!.status === "adopted";
        if (adopted && !annotated) continue;
        runs.push({ type: "chairClose", chair, glyph: chairGlyphs(adopted, lang).close });
      }
      for (const chair of chairOpens) {
        const entry = this.registry.chairAlternatives[chair]!;
        const adopted = entry.status === "adopted";
        if (adopted && !annotated) continue;
        const labels = entry.replaces
          .map((ref) => this.labels.get(ref))
          .filter((l) => l !== undefined);
        runs.push({
          type: "chairOpen",
          chair,
          glyph: chairGlyphs(adopted, lang).open,
          label: chairLabel(labels, adopted, lang),
        });
      }
      for (const b of opens) {
        const quote = annotated && this.annotation(b) ? wording(lang).quoteOpen : "";
        runs.push({
          type: "open",
          bracket: b.id,
          depth: b.depth,
          kind: b.entry.kind,
          glyph: "[",
          quote,
        });
      }
    };
    node.forEach((child, offset) => {
      const pos = start + offset;
      boundary(pos);
      if (!child.isText) return;
      if (this.mode === "clean" && this.omitted(child.marks)) return;
      const depth = child.marks.filter(
        (m) => m.type.name === "bracket" && this.brackets.has(String(m.attrs.id)),
      ).length;
      const attribution = child.marks.filter((m) => m.type.name === "attribution").pop();
      const attributedTo = attribution
        ? (this.registry.attributions[String(attribution.attrs.id)]?.party ?? null)
        : null;
      const text = this.mode === "clean" ? (child.text ?? "") : escapeGlyphs(child.text ?? "");
      runs.push({ type: "text", text, depth, attributedTo });
    });
    boundary(end);
    return this.mode === "clean" ? cleanRuns(runs) : runs;
  }

  /** The annotation of an open bracket, worked out once for its opening and its closing. */
  annotation(b: MarkRange & { entry: BracketEntry }): Annotation | null {
    if (!this.annotations.has(b.id)) {
      const target = this.alternativeTarget(b);
      this.annotations.set(b.id, annotate(b.entry, this.pairFollows(b), this.options.lang, target));
    }
    return this.annotations.get(b.id) ?? null;
  }

  /**
   * The block an alternative wording must name: null when it is the one a reader takes by
   * default, the nearest block of its kind above it that is not itself an alternative
   * wording (or when the block it rewords has no label to name it by).
   */
  alternativeTarget(b: MarkRange & { entry: BracketEntry }): AlternativeTarget | null {
    const target = b.entry.alternativeTo;
    if (b.entry.kind !== "alternative" || !target) return null;
    const $pos = this.draft.doc.resolve(b.from);
    const block = $pos.parent;
    const depth = $pos.depth - 1;
    const container = $pos.node(depth);
    for (let i = $pos.index(depth) - 1; i >= 0; i--) {
      const sibling = container.child(i);
      if (sibling.type !== block.type) continue;
      if (this.isAlternativeBlock(sibling, $pos.posAtIndex(i, depth))) continue;
      if (String(sibling.attrs.id) === target) return null;
      break;
    }
    const label = this.labels.get(target);
    const node = findBlockNode(this.draft.doc, target);
    if (!label || !node) return null;
    return { unit: node.type.name === "item" ? "item" : "para", label };
  }

  /** Whether the block at `pos` holds nothing but one open alternative wording. */
  isAlternativeBlock(node: Node, pos: number): boolean {
    const from = pos + 1;
    const to = from + node.content.size;
    return (this.startsAt.get(from) ?? []).some((id) => {
      const b = this.brackets.get(id);
      return b !== undefined && b.to === to && b.entry.kind === "alternative";
    });
  }

  /** Whether the replacement half of bracket `b` directly follows it, as its notation requires. */
  pairFollows(b: MarkRange & { entry: BracketEntry }): boolean {
    const paired = b.entry.pairedWith ? this.brackets.get(b.entry.pairedWith) : undefined;
    return b.entry.kind === "deletion" && paired !== undefined && paired.from === b.to;
  }

  /** Whether clean text leaves out words with these marks. */
  omitted(marks: readonly Mark[]): boolean {
    return marks.some((mark) => {
      const id = String(mark.attrs.id);
      if (mark.type.name === "bracket") return isOpen(this.registry.brackets[id]);
      if (mark.type.name === "chairAlternative") {
        return this.registry.chairAlternatives[id]?.status === "proposed";
      }
      return false;
    });
  }
}

// Square brackets are the notation's: words that hold them (an editorial "[English only]"
// kept from an imported draft) show them full-width, as drafts extracted from PDF do.
const asciiToWide: Record<string, string> = { "[": "［", "]": "］" };
const wideToAscii: Record<string, string> = { "［": "[", "］": "]" };

/** Words with their square brackets shown full-width, so they cannot read as brackets. */
export function escapeGlyphs(text: string): string {
  return text.replace(/[[\]]/g, (glyph) => asciiToWide[glyph]!);
}

/** The inverse of `escapeGlyphs`. */
export function unescapeGlyphs(text: string): string {
  return text.replace(/[［］]/g, (glyph) => wideToAscii[glyph]!);
}

function findBlockNode(doc: Node, id: string): Node | null {
  let found: Node | null = null;
  doc.descendants((node) => {
    if (found) return false;
    if (node.attrs.id === id) found = node;
    return !node.isTextblock;
  });
  return found;
}

function pushAt(map: Map<number, string[]>, pos: number, id: string): void {
  const list = map.get(pos);
  if (list) list.push(id);
  else map.set(pos, [id]);
}

// Leaving words out of clean text leaves their spaces behind; a clean text reads as if the
// words had never been there.
function cleanRuns(runs: Run[]): Run[] {
  const text = runs
    .map(runText)
    .join("")
    .replace(/[ \t]{2,}/g, " ")
    .replace(/ ([,.;:])/g, "$1")
    .trim();
  return text ? [{ type: "text", text, depth: 0, attributedTo: null }] : [];
}
