import { Fragment, type Mark, type Node } from "prosemirror-model";
import type { Draft } from "../draft.ts";
import { itemLabel } from "../numbering.ts";
import type {
  AttributionEntry,
  BracketEntry,
  ChairAlternativeEntry,
  DraftMeta,
  ParagraphEntry,
} from "../registry.ts";
import { emptyMeta } from "../registry.ts";
import { type ListStyle, schema } from "../schema.ts";
import { readAnnotation } from "./annotation.ts";
import { unescapeGlyphs } from "./rendering.ts";
import { indentUnit, readHeader } from "./text.ts";
import {
  type AlternativeTarget,
  chairGlyphs,
  type Lang,
  readChairLabel,
  wording,
} from "./words.ts";

// The reader of the annotated plain text that `writeText` writes, in either language. It
// is strict where the tolerant reader of drafts written elsewhere (schema/import/) is
// forgiving: its input is Parley's own notation, so anything it cannot place is a fault of
// the input and is refused with its line number.
//
// The grammar it reads is written down in text.ts, next to the writer.

/** A textblock being read, before its inline notation is. */
interface TextBlock {
  readonly type: "heading" | "paragraph" | "item";
  readonly attrs: Record<string, unknown>;
  readonly raw: string;
  readonly line: number;
  readonly chair: number | null;
  readonly agreement: ParagraphEntry["agreement"] | null;
  /** The displayed label, used to resolve "replacing paras 12, 13". */
  readonly label: string | null;
  /** Filled by the inline pass: text segments with the brackets around them. */
  segments: { text: string; brackets: string[]; chairs: number[] }[];
  /** The alternative bracket that makes up this block's whole text, if any. */
  alternative: string | null;
  id: string;
}

type Block =
  | TextBlock
  | { type: "list"; style: ListStyle; items: TextBlock[] }
  | { type: "options"; options: { label: string; blocks: Block[] }[] };

interface Frame {
  readonly adopted: boolean;
  readonly labels: string[];
  readonly line: number;
}

/** A chair's text opened inline, within a block. */
interface ChairOpen {
  /** Its index among the chair's texts read. */
  readonly frame: number;
  /** The glyph that closes it. */
  readonly close: string;
  readonly line: number;
}

type Open = BracketRead | ChairOpen;

function isChair(open: Open): open is ChairOpen {
  return "frame" in open;
}

interface BracketRead {
  readonly id: string;
  /** The block the bracket opens in. */
  readonly block: TextBlock;
  /** The block an alternative wording names in its annotation, if it names one. */
  target: AlternativeTarget | null;
  readonly line: number;
  /**
   * The opening quote, read as a word until the bracket closes with an annotation (then it
   * was the notation's and is taken out); null when the words do not start with a quote.
   */
  quote: { text: string } | null;
  annotation: string | null;
  pairedWith: string | null;
  /** Whether it is the deletion half of a replacement, paired with the bracket right after. */
  replacement: boolean;
  entry: BracketEntry | null;
}

const paragraphPattern =
  /^(\d+)((?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies|-\d+)*)\.(?: (.*))?$/s;
const headingPattern = /^((?:[A-Z]{1,2}|[IVXLC]+)\.)(?: (.*))?$/s;
const itemPattern = /^(\((?:[a-z]+|\d+)\)|•|–)(?: (.*))?$/s;

function fail(line: number, message: string): never {
  throw new RangeError(`Line ${line}: ${message}`);
}

/**
 * Read the annotated text written by `writeText(draft, { mode: "annotated", lang })` back
 * into an equal draft (equal under `canonicalDraft`; block and mark ids are new). Throws a
 * `RangeError` naming the line when the text does not follow the notation (an unbalanced
 * bracket, an unknown stance, a label that names no paragraph): this reader is for
 * Parley's own output, and the tolerant reader is the one for drafts written elsewhere.
 */
export function readAnnotatedText(text: string): Draft {
  return new Reader(text).read();
}

class Reader {
  readonly lines: { level: number; content: string; line: number }[] = [];
  lang: Lang = "en";
  meta: DraftMeta = emptyMeta;
  pos = 0;
  readonly frames: Frame[] = [];
  currentFrame: number | null = null;
  readonly textBlocks: TextBlock[] = [];
  readonly brackets = new Map<string, BracketRead>();
  counters: Record<string, number> = {};

  constructor(readonly text: string) {}

  newId(prefix: string): string {
    this.counters[prefix] = (this.counters[prefix] ?? 0) + 1;
    return `${prefix}${this.counters[prefix]}`;
  }

  read(): Draft {
    const all = this.text.replace(/\r\n/g, "\n").split("\n");
    const headerEnd = all.findIndex((line) => line.trim() === "");
    const header = readHeader(all.slice(0, headerEnd < 0 ? all.length : headerEnd));
    if (!header) fail(1, "the header has no “原文：” / “Original:” line");
    this.meta = header.meta;
    this.lang = header.lang;
    if (headerEnd >= 0) {
      all.slice(headerEnd).forEach((line, i) => {
        if (line.trim() === "") return;
        const spaces = /^ */.exec(line)![0].length;
        const level = Math.floor(spaces / indentUnit.length);
        this.lines.push({
          level,
          content: line.slice(level * indentUnit.length),
          line: headerEnd + i + 1,
        });
      });
    }
    const blocks = this.container(0);
    if (this.pos < this.lines.length) fail(this.lines[this.pos]!.line, "unexpected indentation");
    if (this.currentFrame !== null) {
      fail(this.frames[this.currentFrame]!.line, "the chair's alternative text is not closed");
    }
    this.inline();
    return this.build(blocks);
  }

  /** Blocks at `level` until a line of a lower level. */
  container(level: number): Block[] {
    const blocks: Block[] = [];
    const colon = this.lang === "zh" ? "：" : ":";
    let lastWasOption = false;
    while (this.pos < this.lines.length) {
      const { level: lineLevel, content, line } = this.lines[this.pos]!;
      if (lineLevel < level) break;
      if (lineLevel > level) fail(line, "unexpected indentation");
      const next = this.lines[this.pos + 1];
      const frameLabel = readChairLabel(content.slice(1));
      if (frameLabel && "[〔{".includes(content[0]!)) {
        if (this.currentFrame !== null) fail(line, "a chair's alternative text inside another");
        this.frames.push({ adopted: frameLabel.adopted, labels: frameLabel.labels, line });
        this.currentFrame = this.frames.length - 1;
        this.pos++;
        continue;
      }
      if (content === "]" || content === "〕" || content === "}") {
        if (this.currentFrame === null)
          fail(line, "a closing bracket on its own with nothing open");
        this.currentFrame = null;
        this.pos++;
        continue;
      }
      if (next && next.level > level && content.endsWith(colon)) {
        this.pos++;
        const option = {
          label: content.slice(0, -colon.length),
          blocks: this.container(level + 1),
        };
        const last = blocks[blocks.length - 1];
        if (lastWasOption && last?.type === "options") last.options.push(option);
        else blocks.push({ type: "options", options: [option] });
        lastWasOption = true;
        continue;
      }
      lastWasOption = false;
      this.pos++;
      this.textBlock(content, line, blocks);
    }
    return blocks;
  }

  textBlock(content: string, line: number, blocks: Block[]): void {
    const w = wording(this.lang);
    let body = content;
    let agreement: ParagraphEntry["agreement"] | null = null;
    for (const state of ["adRef", "agreed"] as const) {
      const suffix = w.agreements[state];
      if (body === suffix || body.endsWith(` ${suffix}`)) {
        agreement = state;
        body = body.slice(0, Math.max(0, body.length - suffix.length - 1));
        break;
      }
    }
    const base = {
      line,
      chair: this.currentFrame,
      agreement,
      segments: [],
      alternative: null,
      id: "",
    };
    const inProposedFrame = this.currentFrame !== null && !this.frames[this.currentFrame]!.adopted;
    const paragraph = paragraphPattern.exec(body);
    if (paragraph) {
      const numbering = paragraph[2] && !inProposedFrame ? "inserted" : "numbered";
      const block: TextBlock = {
        ...base,
        type: "paragraph",
        attrs: { numbering },
        raw: paragraph[3] ?? "",
        label: paragraph[1]! + paragraph[2]!,
      };
      this.textBlocks.push(block);
      blocks.push(block);
      return;
    }
    const heading = headingPattern.exec(body);
    if (heading) {
      const block: TextBlock = {
        ...base,
        type: "heading",
        attrs: { label: heading[1]! },
        raw: heading[2] ?? "",
        label: heading[1]!,
      };
      this.textBlocks.push(block);
      blocks.push(block);
      return;
    }
    const item = itemPattern.exec(body);
    if (item) {
      const label = item[1]!;
      const block: TextBlock = { ...base, type: "item", attrs: {}, raw: item[2] ?? "", label };
      this.textBlocks.push(block);
      const last = blocks[blocks.length - 1];
      if (last?.type === "list" && itemLabel(last.style, last.items.length + 1) === label) {
        last.items.push(block);
      } else {
        blocks.push({ type: "list", style: styleOf(label, line), items: [block] });
      }
      return;
    }
    const block: TextBlock = {
      ...base,
      type: "paragraph",
      attrs: { numbering: "none" },
      raw: body,
      label: null,
    };
    this.textBlocks.push(block);
    blocks.push(block);
  }

  /** Read the inline notation of every textblock in document order; brackets may span blocks. */
  inline(): void {
    const w = wording(this.lang);
    const separator = w.quoteClose + w.annotationSeparator;
    const stack: Open[] = [];
    let pairWith: BracketRead | null = null;
    this.textBlocks.forEach((block, index) => {
      const tokens = block.raw.split(/([[\]〔〕{}])/).filter((t) => t !== "");
      const depthAtStart = stack.length;
      const emit = (text: string): { text: string } | null => {
        if (!text) return null;
        const brackets = stack.flatMap((o) => (isChair(o) ? [] : [o.id]));
        const chairs = stack.flatMap((o) => (isChair(o) ? [o.frame] : []));
        const segment = { text: unescapeGlyphs(text), brackets, chairs };
        block.segments.push(segment);
        return segment;
      };
      // A replacement's halves touch; across a block boundary they cannot.
      pairWith = null;
      for (let k = 0; k < tokens.length; k++) {
        const token = tokens[k]!;
        const pairing = pairWith;
        pairWith = null;
        const top = stack[stack.length - 1];
        const chair = this.chairOpening(token, tokens[k + 1], k === 0 ? index : -1, block.line);
        if (chair) {
          tokens[k + 1] = tokens[k + 1]!.slice(chair.consumed);
          stack.push(chair.open);
        } else if (token === "[") {
          const bracket: BracketRead = {
            id: this.newId("b"),
            block,
            target: null,
            line: block.line,
            quote: null,
            annotation: null,
            pairedWith: null,
            replacement: false,
            entry: null,
          };
          const following = tokens[k + 1];
          if (following?.startsWith(w.quoteOpen)) {
            tokens[k + 1] = following.slice(w.quoteOpen.length);
            stack.push(bracket);
            bracket.quote = emit(w.quoteOpen);
            stack.pop();
          }
          if (pairing) {
            pairing.pairedWith = bracket.id;
            bracket.pairedWith = pairing.id;
          }
          if (k === 0 && depthAtStart === 0 && tokens[tokens.length - 1] === "]") {
            block.alternative = bracket.id;
          }
          this.brackets.set(bracket.id, bracket);
          stack.push(bracket);
        } else if (token === "]" || (top && isChair(top) && token === top.close)) {
          if (!top) fail(block.line, "a closing bracket with no opening one");
          stack.pop();
          if (isChair(top)) {
            if (token !== top.close) fail(block.line, "a chair's text closed with the wrong glyph");
            continue;
          }
          top.entry = this.entry(top);
          if (
            block.alternative === top.id &&
            (k !== tokens.length - 1 || top.entry.kind !== "alternative")
          ) {
            block.alternative = null;
          }
          if (top.replacement) {
            pairWith = top;
          }
        } else if (top && !isChair(top) && top.quote && tokens[k + 1] === "]") {
          // Words that merely start with a quote have no annotation after them.
          const at = token.indexOf(separator);
          if (at < 0) {
            emit(token);
            continue;
          }
          emit(token.slice(0, at));
          top.quote.text = "";
          top.annotation = token.slice(at + separator.length);
        } else {
          emit(token);
        }
      }
      if (block.alternative && stack.some((o) => !isChair(o) && o.id === block.alternative)) {
        block.alternative = null;
      }
    });
    if (stack.length > 0) fail(stack[stack.length - 1]!.line, "a bracket that is never closed");
  }

  /**
   * The chair's text that `glyph` opens inline, when `next` starts with its label, and how
   * many characters of `next` the label takes. A chair's text whose first blocks were
   * framed and whose last block is only partly its own continues the frame (`blockIndex`
   * is the block's index when the glyph opens it, else -1).
   */
  chairOpening(
    glyph: string,
    next: string | undefined,
    blockIndex: number,
    line: number,
  ): { open: ChairOpen; consumed: number } | null {
    if (!"[〔{".includes(glyph) || next === undefined) return null;
    const colon = next.search(/[:：]/);
    if (colon < 0 || next[colon + 1] !== " ") return null;
    const label = readChairLabel(next.slice(0, colon + 1));
    if (!label) return null;
    const glyphs = chairGlyphs(label.adopted, label.lang);
    if (glyphs.open !== glyph) return null;
    const previous = blockIndex > 0 ? this.textBlocks[blockIndex - 1]!.chair : null;
    const frame = previous === null ? undefined : this.frames[previous];
    const continues =
      frame !== undefined &&
      this.textBlocks[blockIndex]!.chair === null &&
      frame.adopted === label.adopted &&
      frame.labels.join("\n") === label.labels.join("\n");
    let index = previous!;
    if (!continues) {
      this.frames.push({ adopted: label.adopted, labels: label.labels, line });
      index = this.frames.length - 1;
    }
    return { open: { frame: index, close: glyphs.close, line }, consumed: colon + 2 };
  }

  /** The registry entry of a bracket from its annotation. */
  entry(bracket: BracketRead): BracketEntry {
    const read = readAnnotation(bracket.annotation, this.lang);
    if (typeof read === "string") fail(bracket.line, read);
    bracket.replacement = read.replacement;
    bracket.target = read.target;
    return { ...read.entry, pairedWith: bracket.pairedWith };
  }

  build(blocks: Block[]): Draft {
    const attributions: Record<string, AttributionEntry> = {};
    const bracketMarks = new Map<string, Mark[]>();
    const brackets: Record<string, BracketEntry> = {};
    const ids = [...this.brackets.values()];
    for (const read of ids) {
      const entry = read.entry!;
      const marks = [schema.marks.bracket!.create({ id: read.id })];
      if (entry.kind === "insertion" || entry.kind === "alternative") {
        for (const ref of entry.proposedBy) {
          const id = this.newId("a");
          attributions[id] = { ...ref, enteredBy: entry.enteredBy };
          marks.push(schema.marks.attribution!.create({ id }));
        }
      }
      bracketMarks.set(read.id, marks);
      brackets[read.id] = { ...entry, pairedWith: read.pairedWith };
    }
    // Labels name paragraphs outside proposed chair's texts, whose own labels repeat them.
    const byLabel = new Map<string, TextBlock>();
    for (const block of this.textBlocks) {
      const free = block.chair === null || this.frames[block.chair]!.adopted;
      if (block.label && free && !byLabel.has(block.label)) byLabel.set(block.label, block);
    }
    const replaced = this.frames.map((frame, i) => {
      if (frame.adopted) return [];
      const targets = frame.labels.map(
        (label) => byLabel.get(label) ?? fail(frame.line, `no paragraph ${label}`),
      );
      // A chair's paragraph is labelled with the number of the paragraph it stands for and
      // takes that paragraph's numbering kind, so that "3bis" stays inserted once adopted.
      const own = this.textBlocks.filter((b) => b.chair === i && b.type === "paragraph" && b.label);
      own.forEach((block, k) => {
        const target = targets[k];
        if (target?.type === "paragraph" && target.attrs.numbering !== "none") {
          block.attrs.numbering = target.attrs.numbering;
        }
      });
      return targets;
    });
    const chairIds = this.frames.map(() => this.newId("c"));
    const doc = schema.nodes.doc!.create(null, this.nodes(blocks, bracketMarks, chairIds));
    doc.check();
    const chairAlternatives: Record<string, ChairAlternativeEntry> = {};
    this.frames.forEach((frame, i) => {
      chairAlternatives[chairIds[i]!] = {
        replaces: replaced[i]!.map((block) => block.id),
        status: frame.adopted ? "adopted" : "proposed",
      };
    });
    this.resolveAlternatives(blocks, brackets);
    const paragraphs: Record<string, ParagraphEntry> = {};
    for (const block of this.textBlocks) {
      if (block.agreement) paragraphs[block.id] = { agreement: block.agreement };
    }
    return {
      doc,
      registry: {
        meta: this.meta,
        brackets,
        attributions,
        chairAlternatives,
        paragraphs,
        comments: {},
      },
    };
  }

  nodes(blocks: Block[], bracketMarks: Map<string, Mark[]>, chairIds: string[]): Node[] {
    return blocks.map((block) => {
      switch (block.type) {
        case "list": {
          const id = this.newId("l");
          const items = block.items.map((item) => this.textNode(item, bracketMarks, chairIds));
          return schema.nodes.list!.create({ id, style: block.style }, items);
        }
        case "options": {
          const id = this.newId("o");
          const options = block.options.map((option) => {
            const optionId = this.newId("opt");
            const content = this.nodes(option.blocks, bracketMarks, chairIds);
            return schema.nodes.option!.create({ id: optionId, label: option.label }, content);
          });
          return schema.nodes.options!.create({ id }, options);
        }
        default:
          return this.textNode(block, bracketMarks, chairIds);
      }
    });
  }

  textNode(block: TextBlock, bracketMarks: Map<string, Mark[]>, chairIds: string[]): Node {
    const prefix = { heading: "h", paragraph: "p", item: "i" }[block.type];
    block.id = this.newId(prefix);
    const chair =
      block.chair === null
        ? []
        : [schema.marks.chairAlternative!.create({ id: chairIds[block.chair] })];
    const texts = block.segments.flatMap((segment) => {
      if (!segment.text) return [];
      let marks: readonly Mark[] = [];
      const inlineChairs = segment.chairs.map((frame) =>
        schema.marks.chairAlternative!.create({ id: chairIds[frame] }),
      );
      for (const mark of [
        ...chair,
        ...inlineChairs,
        ...segment.brackets.flatMap((id) => bracketMarks.get(id) ?? []),
      ]) {
        marks = mark.addToSet(marks);
      }
      return [schema.text(segment.text, marks)];
    });
    return schema.nodes[block.type]!.create(
      { ...block.attrs, id: block.id },
      Fragment.fromArray(texts),
    );
  }

  /**
   * An alternative wording rewords the block its annotation names, or else the nearest
   * block of its kind above it in the same container that is not itself one.
   */
  resolveAlternatives(blocks: Block[], brackets: Record<string, BracketEntry>): void {
    const siblingsOf = new Map<TextBlock, TextBlock[]>();
    const visit = (siblings: TextBlock[]) => {
      for (const block of siblings) siblingsOf.set(block, siblings);
    };
    const walk = (list: Block[]) => {
      visit(list.filter((b): b is TextBlock => b.type !== "list" && b.type !== "options"));
      for (const block of list) {
        if (block.type === "list") visit(block.items);
        if (block.type === "options") for (const option of block.options) walk(option.blocks);
      }
    };
    walk(blocks);
    for (const read of this.brackets.values()) {
      const entry = brackets[read.id];
      if (entry?.kind !== "alternative") continue;
      let target: TextBlock | undefined;
      if (read.target) {
        const label = read.target.label;
        const above = this.textBlocks.slice(0, this.textBlocks.indexOf(read.block)).reverse();
        target = above.find(
          (b) => b.label === label && (b.chair === null || this.frames[b.chair]!.adopted),
        );
      } else {
        const siblings = siblingsOf.get(read.block) ?? [];
        target = siblings
          .slice(0, siblings.indexOf(read.block))
          .reverse()
          .find((other) => other.type === read.block.type && other.alternative === null);
      }
      if (target) brackets[read.id] = { ...entry, alternativeTo: target.id };
    }
  }
}

const firstLabels: Record<string, ListStyle> = {
  "•": "bullet",
  "–": "dash",
  "(i)": "roman",
  "(a)": "alpha",
  "(1)": "decimal",
};

function styleOf(label: string, line: number): ListStyle {
  return firstLabels[label] ?? fail(line, `a list that starts at ${label}`);
}
