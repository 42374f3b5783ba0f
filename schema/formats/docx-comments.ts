// What a Word comment says about the words it is anchored to. Secretariats annotate drafts
// in Word with comments that start with the parties that spoke: "US: delete", "CAN, UK
// delete", "LMDC: Delete whole section", "巴基斯坦：删除", "阿尔及利亚提出增加". Those become
// positions (a stance on the commented words) or proposals (the words are the party's).
// Anything else is a free comment, kept as one and reported by the reader.

import { findParty, matchPartyAt } from "../parties.ts";
import type { PartyRef, Stance } from "../registry.ts";

/** One party's stance as a comment states it. */
export interface CommentPosition {
  readonly party: PartyRef;
  readonly stance: Stance;
  /** The replacement words for "replace", or the free words of a "comment". */
  readonly text: string | null;
}

/** What a comment's text means for the commented words. */
export type CommentMeaning =
  /** Parties state stances on the words ("US: delete; UAE: oppose"). */
  | { readonly kind: "position"; readonly positions: readonly CommentPosition[] }
  /** The words are the parties' proposal ("Pakistan", "阿尔及利亚提出增加"). */
  | { readonly kind: "proposal"; readonly parties: readonly PartyRef[] }
  /** No party at the start: an ordinary comment. */
  | { readonly kind: "note" };

// Negotiators in UNFCCC and WTO rooms name delegations by three-letter codes the UN roster
// does not carry as aliases ("CAN, UK delete"). Only codes that are not also English words.
const codes: Readonly<Record<string, string>> = {
  CAN: "Canada",
  AUS: "Australia",
  NZL: "New Zealand",
  NZ: "New Zealand",
  JPN: "Japan",
  CHE: "Switzerland",
  SUI: "Switzerland",
  NOR: "Norway",
  KOR: "Republic of Korea",
  CHN: "China",
  IND: "India",
  BRA: "Brazil",
  ZAF: "South Africa",
  RUS: "Russian Federation",
  SAU: "Saudi Arabia",
  EGY: "Egypt",
  MEX: "Mexico",
  COL: "Colombia",
  ARG: "Argentina",
  PAK: "Pakistan",
  TUR: "Türkiye",
  IRN: "Iran (Islamic Republic of)",
  IDN: "Indonesia",
  GBR: "United Kingdom of Great Britain and Northern Ireland",
  DEU: "Germany",
  FRA: "France",
  ALG: "Algeria",
  DZA: "Algeria",
  NGA: "Nigeria",
  KEN: "Kenya",
  PHL: "Philippines",
  SGP: "Singapore",
  ISR: "Israel",
  ARE: "United Arab Emirates",
  AGN: "African Group",
};

/**
 * The English key of the party a delegation code names ("CAN" → "Canada"), or null when
 * the code is not one negotiators use.
 */
export function codeParty(code: string): string | null {
  const name = codes[code.trim()];
  return name ? (findParty(name)?.en ?? name) : null;
}

/** A party named at `index` of `text`: its English key and the characters it spans. */
function partyAt(text: string, index: number): { party: string; length: number } | null {
  const match = matchPartyAt(text, index);
  const code = /^[A-Z]{2,4}\b/.exec(text.slice(index));
  const fromCode = code ? codes[code[0]] : undefined;
  if (match && (!fromCode || match.length >= code![0].length)) {
    return { party: match.party.en, length: match.length };
  }
  if (fromCode) return { party: findParty(fromCode)?.en ?? fromCode, length: code![0].length };
  return null;
}

const separator = /^(?:\s*(?:,|，|、|;|；|&|\/|\band\b|和|及|与)\s*|\s+)/;
const onBehalf = /^\s*(?:on behalf of(?: the)?|for(?: the)?|代表)\s*/i;

// Stance words, longest first within each language so "does not agree" wins over "agree".
const stanceWords: readonly [RegExp, Stance][] = [
  [/^(?:does not agree|disagrees?|cannot accept|not ok|opposes?|objects?|against)\b/i, "oppose"],
  [/^(?:不同意|反对|不能接受)/, "oppose"],
  [/^(?:deletes?|deletion|strike|remove)\b/i, "delete"],
  [/^删除/, "delete"],
  [/^(?:supports?|in favou?r)\b/i, "support"],
  [/^支持/, "support"],
  [/^(?:reserves?|reservation)\b/i, "reserve"],
  [/^(?:保留意见|有保留)/, "reserve"],
  [/^(?:retains?|keep)\b/i, "retain"],
  [/^保留/, "retain"],
  [/^(?:ok|okay|accepts?|agrees?|agreed|can accept|fine)\b/i, "accept"],
  [/^(?:同意|可以接受|接受)/, "accept"],
  [/^(?:replace(?: with)?|substitute)\b/i, "replace"],
  [/^(?:替换|改为|代之以)/, "replace"],
];

const proposalWords =
  /^(?:propos(?:es|ed|al)|suggests?|adds?|insert(?:s|ion)?|提出|建议|提议|增加|添加)/i;

/**
 * Read what a comment says: the parties it starts with and the stance that follows, clause
 * by clause ("巴基斯坦：删除；阿联酋不同意"). A comment that starts with no known party is a
 * `note`; parties followed by nothing or by a word of proposing make a `proposal`; parties
 * followed by a stance make a `position`, and parties followed by other words a `comment`
 * position carrying those words. Clauses after the first that name no party are ignored.
 */
export function readCommentText(text: string): CommentMeaning {
  const clauses = text.trim().split(/\s*[;；]\s*/);
  const first = readClause(clauses[0] ?? "");
  if (first.kind !== "position") return first;
  const positions = [...first.positions];
  for (const clause of clauses.slice(1)) {
    const next = readClause(clause);
    if (next.kind !== "position") break;
    positions.push(...next.positions);
  }
  return { kind: "position", positions };
}

function readClause(source: string): CommentMeaning {
  const parties: PartyRef[] = [];
  let i = 0;
  for (;;) {
    const found = partyAt(source, i);
    if (!found) break;
    i += found.length;
    let onBehalfOf: string | null = null;
    const behalf = onBehalf.exec(source.slice(i));
    if (behalf) {
      const group = partyAt(source, i + behalf[0].length);
      if (group) {
        onBehalfOf = group.party;
        i += behalf[0].length + group.length;
      }
    }
    parties.push({ party: found.party, onBehalfOf });
    const sep = separator.exec(source.slice(i));
    if (!sep || !partyAt(source, i + sep[0].length)) break;
    i += sep[0].length;
  }
  if (parties.length === 0) return { kind: "note" };
  const rest = source
    .slice(i)
    .replace(/^\s*(?:[:：—–-]+|——)\s*/, "")
    .trim();
  if (!rest || proposalWords.test(rest)) return { kind: "proposal", parties };
  let stance: Stance = "comment";
  let words: string | null = rest;
  for (const [pattern, s] of stanceWords) {
    const match = pattern.exec(rest);
    if (!match) continue;
    stance = s;
    words = s === "replace" ? unquote(rest.slice(match[0].length).trim()) : null;
    break;
  }
  return { kind: "position", positions: parties.map((party) => ({ party, stance, text: words })) };
}

function unquote(text: string): string | null {
  const stripped = text.replace(/^[:：]?\s*["“「『]?/, "").replace(/["”」』]?[.。]?$/, "");
  return stripped || null;
}
