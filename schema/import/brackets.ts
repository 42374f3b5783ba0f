// Pairing the square brackets of a draft written elsewhere. Real drafts have brackets
// that never close and closing brackets that never opened; a reader that pairs them with a
// plain stack across the whole document hides both by pairing a stray `]` with an
// unrelated `[` pages away. The rules here keep pairing local and report every bracket
// left over, with its line and column:
//
// 1. A bracket opened inside a block's text must close in that block, or in the plain
//    continuation blocks right after it (no number, bullet, heading or speaker).
// 2. A bracket opened at the very start of a block (before its number or first word) may
//    enclose whole blocks, numbered paragraphs included, up to the next heading or
//    statement from the floor. Once it has crossed into another block only a `]` that ends
//    a block closes it (a parenthetical note may follow); a `]` in the middle of a later
//    block is reported as stray instead.
// 3. A chair's alternative (`[主席的替代案文，代替第 12、13段：…]`) follows rule 2 and also
//    ends at a numbered paragraph beyond the number of paragraphs it replaces (at least
//    one) and at a bracketed statement.
// A bracket ended by these rules without its `]` is reported; a plain bracket is then taken
// to end with the block it opened in, a chair's alternative with the last block it held.
// Editorial brackets (`[后接附件二]`, `[English only]`) are kept as text.

import { readSpeakerPrefix } from "./annotations.ts";
import { type ImportProblem, textOf } from "./source.ts";
import type { Block } from "./structure.ts";

/** One character of the imported text with the negotiation facts that cover it. */
export interface Atom {
  readonly ch: string;
  readonly line: number;
  readonly column: number;
  /** Ids of the brackets around it, outermost first. */
  brackets: string[];
  /** The chair's alternative it belongs to. */
  chair: string | null;
  /** The chair's note it belongs to. */
  note: string | null;
  /** Whether it is part of the header of a chair's note ("主席的建议："). */
  header: boolean;
  attributions: string[];
  comment: string | null;
  /** Annotation text now held in the registry, left out of the document. */
  removed: boolean;
}

/** A bracket found in the text. */
export interface FoundBracket {
  readonly id: string;
  readonly kind: "bracket" | "chair" | "note";
  /** The block it opened in and the position of its `[`. */
  readonly block: number;
  readonly line: number;
  readonly column: number;
  readonly atBlockStart: boolean;
  /** For a chair's alternative: the paragraph numbers it says it replaces. */
  readonly replaces: readonly string[];
  closed: boolean;
  /** Where its `]` was: the number of atoms its last block had before it. */
  closedAt: number;
  /** The last block it covers. */
  lastBlock: number;
  numbered: number;
}

/** The atoms of every block and the brackets among them. */
export interface Bracketed {
  readonly atoms: Atom[][];
  readonly brackets: Map<string, FoundBracket>;
  readonly problems: ImportProblem[];
}

const opens = new Set(["[", "［"]);
const closes = new Set(["]", "］"]);
const editorial =
  /^\s*(?:后接附件.*|附件.{0,4}|English only|French only|Spanish only|Russian only|Arabic only|Chinese only|作者\s*\d*|\.\.\.|…|)\s*$/i;
const chairHeader =
  /^\s*(?:主席的?替代案文|主席的?备选案文|Chair['’]s (?:alternative|compromise) text)(?:\s*[，,]?\s*(?:代替|取代|替代|replacing)\s*(?:第\s*)?(?:paras?\.?|paragraphs?)?\s*(?:[\d\s、，,和及至到\-–]|and)+段?)?\s*[：:]?\s*/i;
const noteHeader =
  /^\s*(?:主席的?(?:建议|提议|说明|意见)|Chair['’]s (?:note|suggestion|proposal))\s*[：:]?\s*/i;
const endOfBlock = /^[\s。．.，,；;：:!！?？、\]］]*(?:[（(][^（()）]*[)）][\s。．.，,；;]*)*$/;

/** The paragraph numbers a chair's header names: "12、13" → 12, 13; "15至18" → 15…18. */
export function replacedNumbers(header: string): string[] {
  const out: string[] = [];
  for (const m of header.matchAll(/(\d+)(?:\s*(?:至|到|-|–|to)\s*(\d+))?/g)) {
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    for (let n = from; n <= to && n - from < 50; n++) out.push(String(n));
  }
  return out;
}

/** Whether a block opens with the words of a party, bracketed or not. */
export function isStatement(block: Block): boolean {
  if (block.shape.type !== "paragraph" || block.shape.numbering !== "none") return false;
  const text = textOf(block.chars).replace(/^[[［]\s*/, "");
  return readSpeakerPrefix(text) !== null;
}

/**
 * Pair the brackets of classified blocks by the rules above. Every bracket gets an id from
 * `nextId`; unmatched ones are reported in `problems`. Never throws.
 */
export function pairBrackets(
  blocks: readonly Block[],
  nextId: (prefix: string) => string,
): Bracketed {
  const atoms: Atom[][] = [];
  const brackets = new Map<string, FoundBracket>();
  const problems: ImportProblem[] = [];
  const stack: FoundBracket[] = [];

  const end = (index: number, reason: string) => {
    for (const open of stack.splice(index)) {
      problems.push({
        kind: open.kind === "chair" ? "unclosedChairAlternative" : "unclosedBracket",
        line: open.line,
        column: open.column,
        message:
          open.kind === "chair"
            ? `This chair's alternative text is not closed before ${reason}; it is taken to end there.`
            : `This bracket is not closed before ${reason}; it is taken to end with its paragraph.`,
      });
    }
  };

  blocks.forEach((block, b) => {
    const statement = isStatement(block);
    const plain =
      block.shape.type === "paragraph" &&
      block.shape.numbering === "none" &&
      !statement &&
      !/^\s*[[［]/.test(textOf(block.chars));
    const reason = `the ${block.shape.type === "heading" ? "heading" : "block"} on line ${block.line}`;
    if (b > 0) {
      const numberedHere = block.shape.type === "paragraph" && block.shape.numbering !== "none";
      const survives = (open: FoundBracket): boolean => {
        if (block.shape.type === "heading") return false;
        if (!open.atBlockStart) return plain;
        if (statement) return false;
        if (open.kind === "chair" && numberedHere) {
          return open.numbered < Math.max(1, open.replaces.length);
        }
        return true;
      };
      const first = stack.findIndex((open) => !survives(open));
      if (first >= 0) end(first, reason);
    }
    const row: Atom[] = [];
    atoms.push(row);
    for (const open of stack) {
      open.lastBlock = b;
      if (
        open.kind === "chair" &&
        block.shape.type === "paragraph" &&
        block.shape.numbering !== "none"
      ) {
        open.numbered += 1;
      }
    }
    const chars = block.chars;
    const text = textOf(chars);
    let seenText = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (opens.has(c.ch)) {
        const closeAt = text.slice(i + 1).search(/[[［\]］]/);
        const inner = closeAt >= 0 ? text.slice(i + 1, i + 1 + closeAt) : "";
        if (closeAt >= 0 && closes.has(text[i + 1 + closeAt]!) && editorial.test(inner)) {
          for (let j = i; j <= i + 1 + closeAt; j++) row.push(atom(chars[j]!, stack));
          i += 1 + closeAt;
          seenText = true;
          continue;
        }
        const rest = text.slice(i + 1);
        const chair = chairHeader.exec(rest);
        const note = chair ? null : noteHeader.exec(rest);
        const kind = chair ? "chair" : note ? "note" : "bracket";
        const found: FoundBracket = {
          id: nextId(kind === "chair" ? "c" : kind === "note" ? "n" : "b"),
          kind,
          block: b,
          line: c.line,
          column: c.column,
          atBlockStart: !seenText,
          replaces: chair ? replacedNumbers(chair[0]) : [],
          closed: false,
          closedAt: -1,
          lastBlock: b,
          numbered: 0,
        };
        brackets.set(found.id, found);
        stack.push(found);
        if (chair) i += chair[0].length;
        if (note) {
          for (let j = i + 1; j <= i + note[0].length; j++) {
            const a = atom(chars[j]!, stack);
            a.header = true;
            row.push(a);
          }
          i += note[0].length;
        }
        continue;
      }
      if (closes.has(c.ch)) {
        const top = stack[stack.length - 1];
        // Rule 2: once a bracket that encloses whole blocks has crossed into another block,
        // only a `]` ending a block closes it. A mid-text bracket carried into a plain
        // continuation block (rule 1) closes anywhere in it.
        const closesTop =
          top && (top.block === b || !top.atBlockStart || endOfBlock.test(text.slice(i + 1)));
        if (!top || !closesTop) {
          problems.push({
            kind: "strayCloseBracket",
            line: c.line,
            column: c.column,
            message: top
              ? "This closing bracket is in the middle of a paragraph but the bracket open here began in an earlier one; it is ignored."
              : "This closing bracket has no opening bracket in its paragraph; it is ignored.",
          });
          continue;
        }
        top.closed = true;
        top.closedAt = row.length;
        top.lastBlock = b;
        stack.pop();
        continue;
      }
      if (c.ch.trim() !== "") seenText = true;
      row.push(atom(c, stack));
    }
  });
  end(0, "the end of the text");

  // A chair's text is whole blocks: a note after its `]` ("]（“…”——巴基斯坦）") is about it
  // and goes with it, so that the chair's text does not end in the middle of a block.
  for (const found of brackets.values()) {
    if (found.kind !== "chair" || !found.closed) continue;
    for (const a of atoms[found.lastBlock]!.slice(found.closedAt)) a.chair ??= found.id;
  }

  // A plain bracket left unclosed is read as ending with the block it opened in.
  for (const found of brackets.values()) {
    if (found.closed || found.kind === "chair") continue;
    for (let b = found.block + 1; b <= found.lastBlock; b++) {
      for (const a of atoms[b] ?? []) {
        if (found.kind === "note" && a.note === found.id) a.note = null;
        a.brackets = a.brackets.filter((id) => id !== found.id);
      }
    }
    found.lastBlock = found.block;
  }
  return { atoms, brackets, problems };
}

function atom(
  c: { ch: string; line: number; column: number },
  stack: readonly FoundBracket[],
): Atom {
  let chair: string | null = null;
  let note: string | null = null;
  const brackets: string[] = [];
  for (const open of stack) {
    if (open.kind === "chair") chair = open.id;
    else if (open.kind === "note") note = open.id;
    else brackets.push(open.id);
  }
  return {
    ch: c.ch,
    line: c.line,
    column: c.column,
    brackets,
    chair,
    note,
    header: false,
    attributions: [],
    comment: null,
    removed: false,
  };
}
