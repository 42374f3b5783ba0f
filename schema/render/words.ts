import { findParty, partyName } from "../parties.ts";
import type { Agreement, PartyRef, Stance } from "../registry.ts";

// How the text notation words negotiation facts, in Chinese and in English, and how those
// words are read back. Writer and reader share these tables so that a word the writer can
// produce is always one the reader knows.
//
// An annotation is the part of a bracket after its words: `[“和宗旨”——巴基斯坦：删除；
// 阿联酋：反对]`. It is a list of segments, the first of which may be the proposal (who
// proposed what kind of bracket); every other segment is one party's position. The first
// segment is a proposal when it names proposers ("巴基斯坦", "巴基斯坦提议替换", "删除由
// 巴基斯坦提议", "…提出替代措辞") or is a deletion ("巴基斯坦：删除"); a bracket of unknown
// proposer therefore never opens with a deletion (see `unknownProposer`).

/** The two languages Parley writes drafts in. */
export type Lang = "zh" | "en";

/** The punctuation and fixed phrases of one language. */
export interface Wording {
  /** Quote marks around a bracket's words when an annotation follows them. */
  readonly quoteOpen: string;
  readonly quoteClose: string;
  /** Between the closing quote and the annotation. */
  readonly annotationSeparator: string;
  /** Between segments of an annotation. */
  readonly segmentSeparator: string;
  /** Between the names of several proposers. */
  readonly nameSeparator: string;
  /** Between a party and its stance. */
  readonly colon: string;
  readonly stances: Readonly<Record<Stance, string>>;
  readonly agreements: Readonly<Record<Agreement, string>>;
}

const zh: Wording = {
  quoteOpen: "“",
  quoteClose: "”",
  annotationSeparator: "——",
  segmentSeparator: "；",
  nameSeparator: "、",
  colon: "：",
  stances: {
    support: "支持",
    oppose: "反对",
    reserve: "保留",
    accept: "同意",
    delete: "删除",
    retain: "保留原文",
    replace: "替换为",
    comment: "意见",
  },
  agreements: { agreed: "[已商定]", adRef: "[已商定，待确认]" },
};

const en: Wording = {
  quoteOpen: '"',
  quoteClose: '"',
  annotationSeparator: " — ",
  segmentSeparator: "; ",
  nameSeparator: ", ",
  colon: ": ",
  stances: {
    support: "support",
    oppose: "oppose",
    reserve: "reserve",
    accept: "OK",
    delete: "delete",
    retain: "retain",
    replace: "replace with",
    comment: "comment",
  },
  agreements: { agreed: "[Agreed]", adRef: "[Agreed ad ref]" },
};

/** The wording of `lang`. */
export function wording(lang: Lang): Wording {
  return lang === "zh" ? zh : en;
}

/** A party reference in `lang`: "阿尔及利亚代表非洲集团", "Algeria on behalf of the African Group". */
export function wordPartyRef(ref: PartyRef, lang: Lang): string {
  const name = partyName(ref.party, lang);
  if (!ref.onBehalfOf) return name;
  const group = partyName(ref.onBehalfOf, lang);
  return lang === "zh" ? `${name}代表${group}` : `${name} on behalf of the ${group}`;
}

/** The English key of a party named in either language; unknown names are kept as given. */
export function partyKey(name: string): string {
  return findParty(name)?.en ?? name.trim();
}

/** Read a party reference written by `wordPartyRef`; null when it is empty. */
export function readPartyRef(text: string, lang: Lang): PartyRef | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const separator = lang === "zh" ? "代表" : " on behalf of ";
  const at = trimmed.indexOf(separator);
  if (at < 0) return { party: partyKey(trimmed), onBehalfOf: null };
  const group = trimmed.slice(at + separator.length).replace(/^the /, "");
  return { party: partyKey(trimmed.slice(0, at)), onBehalfOf: partyKey(group) };
}

/** The "entered by the Secretariat" suffix, or "" when `enteredBy` is null. */
export function wordEnteredBy(enteredBy: string | null, lang: Lang): string {
  if (!enteredBy) return "";
  const name = partyName(enteredBy, lang);
  return lang === "zh" ? `（${name}录入）` : ` (entered by the ${name})`;
}

const enteredPattern: Record<Lang, RegExp> = {
  zh: /^(.*)（([^（）]+)录入）$/,
  en: /^(.*) \(entered by (?:the )?([^()]+)\)$/,
};

/** Split "X（秘书处录入）" into "X" and the English key of who entered it. */
export function readEnteredBy(
  text: string,
  lang: Lang,
): { rest: string; enteredBy: string | null } {
  const match = enteredPattern[lang].exec(text);
  if (!match) return { rest: text, enteredBy: null };
  return { rest: match[1]!, enteredBy: partyKey(match[2]!) };
}

/** Several proposers, with who entered them: "巴基斯坦、阿尔及利亚（秘书处录入）". */
export function wordProposers(refs: readonly PartyRef[], enteredBy: string | null, lang: Lang) {
  const names = refs.map((ref) => wordPartyRef(ref, lang)).join(wording(lang).nameSeparator);
  return names + wordEnteredBy(enteredBy, lang);
}

/** Read what `wordProposers` wrote. */
export function readProposers(
  text: string,
  lang: Lang,
): { proposedBy: PartyRef[]; enteredBy: string | null } {
  const { rest, enteredBy } = readEnteredBy(text, lang);
  const separator = wording(lang).nameSeparator;
  const pieces = rest.split(separator);
  const proposedBy: PartyRef[] = [];
  // Some names hold the separator themselves ("中亚、高加索和东欧国家集团"): take the
  // longest run of pieces that names known parties before falling back to one piece.
  const known = (ref: PartyRef | null) =>
    ref !== null && findParty(ref.party) !== null && (!ref.onBehalfOf || findParty(ref.onBehalfOf));
  for (let i = 0; i < pieces.length; ) {
    let end = i + 1;
    for (let j = pieces.length; j > i + 1; j--) {
      if (known(readPartyRef(pieces.slice(i, j).join(separator), lang))) {
        end = j;
        break;
      }
    }
    const ref = readPartyRef(pieces.slice(i, end).join(separator), lang);
    if (ref) proposedBy.push(ref);
    i = end;
  }
  return { proposedBy, enteredBy };
}

/** A stance in words, with its words for "replace" and "comment": `替换为“网络”`. */
export function wordStance(stance: Stance, text: string | null, lang: Lang): string {
  const w = wording(lang);
  const word = w.stances[stance];
  if (text === null) return word;
  return lang === "zh" ? `${word}“${text}”` : `${word} "${text}"`;
}

/** Read a stance written by `wordStance`; null when the words are no known stance. */
export function readStance(
  words: string,
  lang: Lang,
): { stance: Stance; text: string | null } | null {
  const w = wording(lang);
  const quoted = lang === "zh" ? /^(.*?)“(.*)”$/s : /^(.*?) "(.*)"$/s;
  const match = quoted.exec(words);
  const word = match ? match[1]! : words;
  const text = match ? match[2]! : null;
  for (const [stance, stanceWord] of Object.entries(w.stances)) {
    if (stanceWord === word) return { stance: stance as Stance, text };
  }
  return null;
}

/** The label of a frame holding a chair's text that is proposed and replaces `labels`. */
export function chairLabel(labels: readonly string[], adopted: boolean, lang: Lang): string {
  if (adopted)
    return lang === "zh" ? "主席的替代案文，已通过：" : "Chair's alternative text, adopted:";
  if (labels.length === 0) return lang === "zh" ? "主席的替代案文：" : "Chair's alternative text:";
  if (lang === "zh") return `主席的替代案文，代替第 ${labels.join("、")}段：`;
  const paras = labels.length === 1 ? "para" : "paras";
  return `Chair's alternative text, replacing ${paras} ${labels.join(", ")}:`;
}

/** The glyphs that open and close a chair's text: brackets while proposed, 〔〕 or {} once adopted. */
export function chairGlyphs(adopted: boolean, lang: Lang): { open: string; close: string } {
  if (!adopted) return { open: "[", close: "]" };
  return lang === "zh" ? { open: "〔", close: "〕" } : { open: "{", close: "}" };
}

/** Read a chair's frame label; null when `text` is not one. */
export function readChairLabel(
  text: string,
): { adopted: boolean; labels: string[]; lang: Lang } | null {
  if (text === "主席的替代案文，已通过：") return { adopted: true, labels: [], lang: "zh" };
  if (text === "Chair's alternative text, adopted:") {
    return { adopted: true, labels: [], lang: "en" };
  }
  if (text === "主席的替代案文：") return { adopted: false, labels: [], lang: "zh" };
  if (text === "Chair's alternative text:") return { adopted: false, labels: [], lang: "en" };
  const zhMatch = /^主席的替代案文，代替第 (.+)段：$/.exec(text);
  if (zhMatch) return { adopted: false, labels: zhMatch[1]!.split("、"), lang: "zh" };
  const enMatch = /^Chair's alternative text, replacing paras? (.+):$/.exec(text);
  if (enMatch) return { adopted: false, labels: enMatch[1]!.split(", "), lang: "en" };
  return null;
}

/** The header line naming the draft's original language: "原文：英文", "Original: English". */
export function wordOriginal(original: Lang, lang: Lang): string {
  if (lang === "zh") return `原文：${original === "zh" ? "中文" : "英文"}`;
  return `Original: ${original === "zh" ? "Chinese" : "English"}`;
}

/** Read an "Original:" header line; null when `line` is not one. */
export function readOriginal(line: string): { original: Lang; lang: Lang } | null {
  const table: Record<string, { original: Lang; lang: Lang }> = {
    "原文：中文": { original: "zh", lang: "zh" },
    "原文：英文": { original: "en", lang: "zh" },
    "Original: Chinese": { original: "zh", lang: "en" },
    "Original: English": { original: "en", lang: "en" },
  };
  return table[line] ?? null;
}

/** The prefix of the header line giving the date. */
export function datePrefix(lang: Lang): string {
  return lang === "zh" ? "日期：" : "Date: ";
}

/** A block an alternative wording names: "para 9", "item (b)". */
export interface AlternativeTarget {
  readonly unit: "para" | "item";
  readonly label: string;
}

/**
 * What the first segment of an annotation says about the bracket. `folded` deletions and
 * replacements stand for their proposers' own "delete" positions too, so the common case
 * reads "巴基斯坦：删除" rather than "删除由巴基斯坦提议；巴基斯坦：删除".
 */
export type Proposal =
  | { readonly kind: "insertion" }
  /** Bracketed words of an imported draft whose annotation names who proposed them. */
  | { readonly kind: "text" }
  | {
      readonly kind: "alternative";
      /**
       * The block it rewords, named when it is not the one the reader would take (the
       * nearest block of its kind above that is not itself an alternative wording).
       */
      readonly target: AlternativeTarget | null;
    }
  | { readonly kind: "deletion"; readonly folded: boolean }
  | { readonly kind: "replacement"; readonly folded: boolean };

const proposalPhrases: Record<Lang, Record<"deletion" | "replacement" | "alternative", string>> = {
  zh: { deletion: "删除", replacement: "替换", alternative: "提出替代措辞" },
  en: { deletion: "deletion", replacement: "replacement", alternative: "alternative wording" },
};

/**
 * The proposal segment of an annotation. A folded deletion is worded as its proposers'
 * own position, "巴基斯坦：删除" / "Pakistan: delete", the way drafts write it; no other
 * first segment reads like that (see `unknownProposer`).
 */
export function wordProposal(proposal: Proposal, proposers: string, count: number, lang: Lang) {
  if (proposal.kind === "insertion") return proposers;
  if (proposal.kind === "text")
    return lang === "zh" ? `${proposers}提出` : `proposed by ${proposers}`;
  const phrase = proposalPhrases[lang][proposal.kind];
  const verb = count > 1 ? "propose" : "proposes";
  if (proposal.kind === "alternative") {
    const target = proposal.target;
    if (target && lang === "zh") {
      return `${proposers}提出第 ${target.label} ${target.unit === "item" ? "项" : "段"}的替代措辞`;
    }
    if (target) return `${proposers} ${verb} ${phrase} of ${target.unit} ${target.label}`;
    return lang === "zh" ? `${proposers}${phrase}` : `${proposers} ${verb} ${phrase}`;
  }
  if (proposal.folded && proposal.kind === "deletion") {
    return proposers + wording(lang).colon + wording(lang).stances.delete;
  }
  if (proposal.folded) {
    return lang === "zh" ? `${proposers}提议${phrase}` : `${proposers} ${verb} ${phrase}`;
  }
  return lang === "zh" ? `${phrase}由${proposers}提议` : `${phrase} proposed by ${proposers}`;
}

/**
 * The first segment of a bracket of unknown proposer whose only positions are deletions,
 * so that it does not read as a deletion proposed by the first of them.
 */
export function unknownProposer(lang: Lang): string {
  return lang === "zh" ? "提案方不详" : "proposer unknown";
}

/**
 * Read a proposal segment: the proposal and the words naming its proposers. Null when the
 * segment is a position (it holds the position colon) rather than a proposal.
 */
export function readProposal(
  segment: string,
  lang: Lang,
): { proposal: Proposal; proposers: string } | null {
  const phrases = proposalPhrases[lang];
  const w = wording(lang);
  const ownDeletion = w.colon + w.stances.delete;
  if (segment.endsWith(ownDeletion)) {
    const proposers = segment.slice(0, -ownDeletion.length);
    return { proposal: { kind: "deletion", folded: true }, proposers };
  }
  for (const kind of ["deletion", "replacement"] as const) {
    const phrase = phrases[kind];
    if (lang === "zh") {
      if (segment.startsWith(`${phrase}由`) && segment.endsWith("提议")) {
        const proposers = segment.slice(phrase.length + 1, -2);
        return { proposal: { kind, folded: false }, proposers };
      }
      if (kind === "replacement" && segment.endsWith(`提议${phrase}`)) {
        const proposers = segment.slice(0, -(phrase.length + 2));
        return { proposal: { kind, folded: true }, proposers };
      }
    } else {
      const unfolded = `${phrase} proposed by `;
      if (segment.startsWith(unfolded)) {
        return { proposal: { kind, folded: false }, proposers: segment.slice(unfolded.length) };
      }
      const folded = new RegExp(` proposes? ${phrase}$`).exec(segment);
      if (folded && kind === "replacement") {
        return { proposal: { kind, folded: true }, proposers: segment.slice(0, folded.index) };
      }
    }
  }
  const named =
    lang === "zh"
      ? /提出第 (\S+) (段|项)的替代措辞$/.exec(segment)
      : / proposes? alternative wording of (para|item) (\S+)$/.exec(segment);
  if (named) {
    const unitWord = lang === "zh" ? named[2] : named[1];
    const target: AlternativeTarget = {
      unit: unitWord === "项" || unitWord === "item" ? "item" : "para",
      label: (lang === "zh" ? named[1] : named[2])!,
    };
    return { proposal: { kind: "alternative", target }, proposers: segment.slice(0, named.index) };
  }
  const alternative = lang === "zh" ? /提出替代措辞$/ : / proposes? alternative wording$/;
  const match = alternative.exec(segment);
  if (match) {
    return {
      proposal: { kind: "alternative", target: null },
      proposers: segment.slice(0, match.index),
    };
  }
  if (lang === "zh" && segment.endsWith("提出")) {
    return { proposal: { kind: "text" }, proposers: segment.slice(0, -2) };
  }
  if (lang === "en" && segment.startsWith("proposed by ")) {
    return { proposal: { kind: "text" }, proposers: segment.slice("proposed by ".length) };
  }
  if (segment.includes(wording(lang).colon.trim())) return null;
  return { proposal: { kind: "insertion" }, proposers: segment };
}
