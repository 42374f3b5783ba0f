// Reading who said what in the annotations of a draft written elsewhere: the party lists
// ("巴基斯坦、伊朗", "阿尔及利亚代表非洲集团", "Algeria on behalf of the African Group") and
// the stances after them ("删除", "不同意", "——OK", "替换“网络”"). This module works on
// plain strings; where an annotation sits in the document is the business of build.ts.

import { matchPartyAt } from "../parties.ts";
import type { Stance } from "../registry.ts";

/** A party as named in an annotation, possibly speaking for a group (English keys). */
export interface Speaker {
  readonly party: string;
  readonly onBehalfOf: string | null;
}

/** One annotation: who, and what they said about the words it is attached to. */
export type AnnotationItem =
  /** The parties proposed the words ("——巴基斯坦"). */
  | { readonly kind: "proposer"; readonly parties: readonly Speaker[] }
  /** The parties took a stance on the words ("巴基斯坦：删除", "美国——OK"). */
  | {
      readonly kind: "position";
      readonly parties: readonly Speaker[];
      readonly stance: Stance;
      readonly text: string | null;
    }
  /** The parties proposed these words ("加拿大——“…”", "俄罗斯——增加“2016-2021”"). */
  | {
      readonly kind: "words";
      readonly parties: readonly Speaker[];
      /** Offsets of the proposed words within the item's string. */
      readonly from: number;
      readonly to: number;
    };

// Longest and negated forms first: "不同意" before "同意", "持保留意见" before "保留".
const stanceWords: readonly (readonly [RegExp, Stance])[] = [
  [
    /^(?:不能接受|不同意|不支持|反对|cannot accept|can ?not support|does not support|do not support|opposes?|objects?|disagrees?)/i,
    "oppose",
  ],
  [/^(?:持保留意见|保留意见|有保留|reserves?|reservation)/i, "reserve"],
  [/^(?:建议保留|希望保留|要求保留|保留|retains?|keep)/i, "retain"],
  [/^(?:建议删除|要求删除|希望删除|删除|要求排除|排除|deletes?|deletion|remove)/i, "delete"],
  [/^(?:建议替换|替换为|替换|改为|replaces?(?: with)?)/i, "replace"],
  [/^(?:支持|supports?)/i, "support"],
  [/^(?:可以同意|可以接受|同意|接受|OK\b|agrees?|accepts?|can accept)/i, "accept"],
];
const insertWords = /^(?:建议增加|增加|加入|添加|插入|adds?|inserts?)/i;
const separator = /^[\s：:—–-]*/;
const listJoin = /^\s*(?:、|和|及|与|,|，|&|and)\s*/;
const onBehalf = /^\s*(?:代表|on behalf of(?: the)?)\s*/i;

/**
 * The parties named at `index` of `text`: one or more names joined by "、", "和", "and" or
 * commas, each possibly "X 代表 Y" / "X on behalf of Y". Returns the speakers and the
 * index just past the list, or null when no known party is named there.
 */
export function readParties(text: string, index = 0): { speakers: Speaker[]; end: number } | null {
  const speakers: Speaker[] = [];
  let at = index;
  while (at < text.length && text[at] === " ") at++;
  for (;;) {
    const match = matchPartyAt(text, at);
    if (!match) break;
    let end = at + match.length;
    let onBehalfOf: string | null = null;
    const behalf = onBehalf.exec(text.slice(end));
    if (behalf) {
      const group = matchPartyAt(text, end + behalf[0].length);
      if (group) {
        onBehalfOf = group.party.en;
        end += behalf[0].length + group.length;
      }
    }
    speakers.push({ party: match.party.en, onBehalfOf });
    at = end;
    const join = listJoin.exec(text.slice(at));
    if (!join || !matchPartyAt(text, at + join[0].length)) break;
    at += join[0].length;
  }
  return speakers.length > 0 ? { speakers, end: at } : null;
}

/** The stance a phrase starts with, and how long the stance words are, or null. */
export function readStance(text: string): { stance: Stance; length: number } | null {
  for (const [pattern, stance] of stanceWords) {
    const m = pattern.exec(text);
    if (m) return { stance, length: m[0].length };
  }
  return null;
}

const quoted = /^\s*[“"「]([^”"」]*)[”"」]/;

/** The offsets of the words in a quoted phrase (“…”), or of the whole trimmed phrase. */
function wordsIn(text: string, offset: number): { from: number; to: number } {
  const q = quoted.exec(text);
  if (q) {
    const start = text.indexOf(q[1]!, q[0].length - q[1]!.length - 1);
    return { from: offset + start, to: offset + start + q[1]!.length };
  }
  const lead = text.length - text.trimStart().length;
  return { from: offset + lead, to: offset + text.trimEnd().length };
}

/**
 * Read one annotation item: a party list, then a stance or proposed words, e.g.
 * "巴基斯坦：删除", "阿联酋不同意", "美国——OK", "俄罗斯——替换“网络”", "加拿大——“…”",
 * "——巴基斯坦" (just the list: the proposers). Returns null when the item does not start
 * with a known party, so that the caller can treat the text as words.
 */
export function readAnnotationItem(text: string): AnnotationItem | null {
  const list = readParties(text, 0);
  if (!list) return null;
  const parties = list.speakers;
  const rest = text.slice(list.end);
  if (/^\s*$/.test(rest) || /^\s*[，,。.]/.test(rest)) return { kind: "proposer", parties };
  const sep = separator.exec(rest)![0];
  const body = rest.slice(sep.length);
  const bodyAt = list.end + sep.length;
  if (body.trim() === "") return { kind: "proposer", parties };
  const stance = readStance(body);
  if (stance) {
    const after = body.slice(stance.length);
    if (stance.stance === "replace" || stance.stance === "comment") {
      const words = wordsIn(after, 0);
      return {
        kind: "position",
        parties,
        stance: stance.stance,
        text: after.slice(words.from, words.to) || null,
      };
    }
    return { kind: "position", parties, stance: stance.stance, text: null };
  }
  const insert = insertWords.exec(body);
  if (insert) {
    const words = wordsIn(body.slice(insert[0].length), bodyAt + insert[0].length);
    return { kind: "words", parties, ...words };
  }
  if (quoted.test(body) || sep.trim() !== "") {
    return { kind: "words", parties, ...wordsIn(body, bodyAt) };
  }
  return { kind: "position", parties, stance: "comment", text: body.trim() };
}

/** A bracket's content split into its words and its annotations. */
export interface BracketReading {
  /** Offsets of the negotiated words within the content; empty when it is all annotation. */
  readonly from: number;
  readonly to: number;
  readonly items: readonly AnnotationItem[];
}

const itemSplit = /[；;]/g;

/**
 * Split a bracket's content into the negotiated words and the annotations about them:
 * `“和宗旨”——巴基斯坦：删除；阿联酋不同意` gives the words 和宗旨 and two positions;
 * `考虑；阿尔及利亚——删除` the words 考虑 and one; `斯洛伐克——“…”；美国——OK` Slovakia's
 * words and the United States' position; `巴基斯坦` only a proposer. Quotes around words
 * that carry annotations are left out of the words; everything outside the words is
 * annotation. Content with no annotation is all words.
 */
export function readBracket(content: string): BracketReading {
  const segments: { from: number; to: number }[] = [];
  let last = 0;
  for (const m of content.matchAll(itemSplit)) {
    segments.push({ from: last, to: m.index });
    last = m.index + m[0].length;
  }
  segments.push({ from: last, to: content.length });

  const items: AnnotationItem[] = [];
  let k = segments.length;
  while (k > 0) {
    const seg = segments[k - 1]!;
    if (!readAnnotationItem(content.slice(seg.from, seg.to))) break;
    k--;
  }
  const shift = (item: AnnotationItem, by: number): AnnotationItem =>
    item.kind === "words" ? { ...item, from: item.from + by, to: item.to + by } : item;
  for (let i = k; i < segments.length; i++) {
    const seg = segments[i]!;
    items.push(shift(readAnnotationItem(content.slice(seg.from, seg.to))!, seg.from));
  }
  let words = k > 0 ? { from: 0, to: segments[k - 1]!.to } : { from: 0, to: 0 };
  if (k > 0) {
    // Words followed by "——party …": the tail names who proposed them or what they think.
    const text = content.slice(words.from, words.to);
    for (const m of text.matchAll(/\s*(?:——|—|--)\s*/g)) {
      const tail = text.slice(m.index + m[0].length);
      const found = readAnnotationItem(tail);
      if (!found) continue;
      // After words, "——Party——free words" is that party's comment on them.
      const item: AnnotationItem =
        found.kind === "words"
          ? {
              kind: "position",
              parties: found.parties,
              stance: "comment",
              text: tail.slice(found.from, found.to),
            }
          : found;
      items.unshift(item);
      words = { from: words.from, to: m.index };
      break;
    }
  } else if (items[0]?.kind === "words") {
    // "Party——words": the first item carries the words themselves.
    const first = items[0];
    words = { from: first.from, to: first.to };
    items[0] = { kind: "proposer", parties: first.parties };
  }
  // Once the bracket has words, further proposed words are a party's replacement for them.
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === "words" && (i > 0 || words.to > words.from)) {
      const text = content.slice(item.from, item.to);
      items[i] = { kind: "position", parties: item.parties, stance: "replace", text };
    }
  }
  if (items.length > 0) {
    const q = /^\s*[“"「]([\s\S]*)[”"」]\s*$/.exec(content.slice(words.from, words.to));
    if (q) {
      const inner = content.indexOf(q[1]!, words.from);
      words = { from: inner, to: inner + q[1]!.length };
    }
  }
  return { ...words, items };
}

/**
 * The annotations after a dash right after a bracket: "——巴基斯坦" (the proposer),
 * "——俄罗斯：删除；阿联酋不同意" (positions). Only party lists and stances are read, so
 * the sentence that follows stays text. Returns the items and the length read, or null
 * when `text` does not start with a dash and a known party.
 */
export function readTrailingAnnotations(
  text: string,
): { items: AnnotationItem[]; length: number } | null {
  const dash = /^\s*(?:——|—|--)\s*/.exec(text);
  if (!dash) return null;
  const items: AnnotationItem[] = [];
  let at = dash[0].length;
  for (;;) {
    const list = readParties(text, at);
    if (!list) break;
    at = list.end;
    const sep = /^\s*(?:[:：]|——|—)?\s*/.exec(text.slice(at))![0];
    const stance = readStance(text.slice(at + sep.length));
    if (stance && stance.stance !== "replace") {
      items.push({ kind: "position", parties: list.speakers, stance: stance.stance, text: null });
      at += sep.length + stance.length;
    } else {
      items.push({ kind: "proposer", parties: list.speakers });
    }
    const next = /^\s*[；;]\s*/.exec(text.slice(at));
    if (!next || !readParties(text, at + next[0].length)) break;
    at += next[0].length;
  }
  return items.length > 0 ? { items, length: at } : null;
}

/**
 * Positions written in parentheses right after a bracket: "（美国——同意）",
 * "(United States: oppose)", several groups in a row, or several items in one group
 * ("（美国——同意；俄罗斯——删除）"). Returns the positions and the length of the groups
 * read, or null when `text` does not start with such a group. A group holding anything
 * but parties and stances (proposed words, a remark) ends the reading, so that words in
 * parentheses stay words.
 */
export function readParentheticalPositions(
  text: string,
): { items: AnnotationItem[]; length: number } | null {
  const items: AnnotationItem[] = [];
  let at = 0;
  for (;;) {
    const group = /^\s*[（(]([^（()）]*)[)）]/.exec(text.slice(at));
    if (!group) break;
    const parts = group[1]!
      .split(/[；;。]/)
      .map((part) => part.trim())
      .filter((part) => part !== "");
    const positions = parts.map(readBarePosition);
    if (positions.length === 0 || positions.some((p) => p === null)) break;
    items.push(...(positions as AnnotationItem[]));
    at += group[0].length;
  }
  return items.length > 0 ? { items, length: at } : null;
}

/**
 * A position that is only parties and a stance ("美国——同意", "United States: oppose"), or
 * a replacement with its words ("俄罗斯——改为“PBC”"); null for anything more, such as
 * "阿尔及利亚——删除提及外聘审计员", whose trailing words say what the stance is about.
 */
function readBarePosition(text: string): AnnotationItem | null {
  const list = readParties(text, 0);
  if (!list) return null;
  const rest = text.slice(list.end);
  const body = rest.slice(separator.exec(rest)![0].length);
  const stance = readStance(body);
  if (!stance) return null;
  const after = body.slice(stance.length);
  if (stance.stance === "replace") {
    const words = wordsIn(after, 0);
    const replacement = after.slice(words.from, words.to);
    if (!replacement) return null;
    return { kind: "position", parties: list.speakers, stance: "replace", text: replacement };
  }
  if (!/^[\s。.，,！!]*$/.test(after)) return null;
  return { kind: "position", parties: list.speakers, stance: stance.stance, text: null };
}

const speechVerb =
  /^(?:建议|提出|希望|要求|重申|认为|指出|表示|强调|坚持|上面|proposes?|suggests?|wants?|asks?)/i;

/**
 * The speaker of a statement from the floor at the start of `text` ("俄罗斯联邦：…",
 * "美国——…", "阿尔及利亚代表非洲集团提出…", "巴基斯坦建议删除…"): the speakers and the
 * index where their words begin. Null when the text does not start with a known party
 * followed by a colon, a dash, a stance or a verb of speaking.
 */
export function readSpeakerPrefix(text: string): { speakers: Speaker[]; end: number } | null {
  const list = readParties(text, 0);
  if (!list) return null;
  const rest = text.slice(list.end);
  const sep = /^\s*(?:：|:|——|—|–)\s*/.exec(rest);
  if (sep) return { speakers: list.speakers, end: list.end + sep[0].length };
  const trimmed = rest.trimStart();
  if (speechVerb.test(trimmed) || readStance(trimmed) || /^[[［]/.test(trimmed)) {
    return { speakers: list.speakers, end: list.end + (rest.length - trimmed.length) };
  }
  return null;
}
