import type { BracketEntry, Position } from "../registry.ts";
import {
  type AlternativeTarget,
  type Lang,
  type Proposal,
  readEnteredBy,
  readPartyRef,
  readProposal,
  readProposers,
  readStance,
  unknownProposer,
  wordEnteredBy,
  wording,
  wordPartyRef,
  wordProposal,
  wordProposers,
  wordStance,
} from "./words.ts";

// The annotation of a bracket: who proposed it and what every party said about it, worded
// in the output language. The annotated reader reads it back with the same tables
// (words.ts), so the choices made here (what is folded, what comes first) are part of the
// notation.

/** One segment of an annotation: the proposal, or one party's position. */
export interface AnnotationSegment {
  readonly kind: "proposal" | "position";
  /** The English key of the party the segment names first. */
  readonly party: string;
  /** The segment in the output language: "巴基斯坦：删除", "United Arab Emirates: oppose". */
  readonly text: string;
}

/** Who proposed a bracket and what the parties said about it, worded. */
export interface Annotation {
  /** Between the bracket's closing quote and the segments: "——" or " — ". */
  readonly separator: string;
  readonly segments: readonly AnnotationSegment[];
  /** The segments joined with the language's separator. */
  readonly text: string;
}

/**
 * The annotation of one bracket in `lang`, or null when there is nothing to say. A deletion
 * is folded into its proposers' own position, "巴基斯坦：删除" (a replacement's deletion into
 * "巴基斯坦提议替换"), when every proposer holds the "delete" position its proposal implies;
 * otherwise the proposal reads "删除由巴基斯坦提议" and every position is listed. An
 * alternative wording names the block it rewords (`target`) only when a reader would not
 * take it to be the nearest one of its kind above.
 */
export function annotate(
  entry: BracketEntry,
  pairedFollows: boolean,
  lang: Lang,
  target: AlternativeTarget | null = null,
): Annotation | null {
  const w = wording(lang);
  const segments: AnnotationSegment[] = [];
  const refs = entry.proposedBy;
  let folded = false;
  if (refs.length > 0) {
    const proposers = wordProposers(refs, entry.enteredBy, lang);
    if (entry.kind === "deletion") {
      folded = refs.every((ref) => {
        const position = entry.positions[ref.party];
        return (
          position?.stance === "delete" &&
          position.text === null &&
          position.onBehalfOf === ref.onBehalfOf &&
          position.enteredBy === entry.enteredBy
        );
      });
      const kind = pairedFollows ? "replacement" : "deletion";
      segments.push({
        kind: "proposal",
        party: refs[0]!.party,
        text: wordProposal({ kind, folded }, proposers, refs.length, lang),
      });
    } else {
      const proposal: Proposal =
        entry.kind === "alternative" ? { kind: "alternative", target } : { kind: entry.kind };
      segments.push({
        kind: "proposal",
        party: refs[0]!.party,
        text: wordProposal(proposal, proposers, refs.length, lang),
      });
    }
  }
  const shown = Object.values(entry.positions).filter(
    (position) => !(folded && refs.some((ref) => ref.party === position.party)),
  );
  if (segments.length === 0) {
    // A bracket of unknown proposer must not open with a deletion, or it would read as
    // proposed by that party: open with another position, or say the proposer is unknown.
    const isDeletion = (p: Position) => p.stance === "delete" && p.text === null;
    const other = shown.findIndex((p) => !isDeletion(p));
    if (shown[0] && isDeletion(shown[0])) {
      if (other > 0) shown.unshift(...shown.splice(other, 1));
      else segments.push({ kind: "proposal", party: "", text: unknownProposer(lang) });
    }
  }
  for (const position of shown) {
    const who = wordPartyRef(position, lang) + wordEnteredBy(position.enteredBy, lang);
    segments.push({
      kind: "position",
      party: position.party,
      text: who + w.colon + wordStance(position.stance, position.text, lang),
    });
  }
  if (segments.length === 0) return null;
  return {
    separator: w.annotationSeparator,
    segments,
    text: segments.map((s) => s.text).join(w.segmentSeparator),
  };
}

/** What an annotation says about its bracket, as the reader needs it. */
export interface ReadAnnotation {
  /** The bracket's entry, open, with no pairing or alternative target yet. */
  readonly entry: BracketEntry;
  /** Whether the bracket is the deletion half of a replacement (its pair follows it). */
  readonly replacement: boolean;
  /** The block an alternative wording names, when it names one. */
  readonly target: AlternativeTarget | null;
}

/**
 * Read an annotation written by `annotate` (null: a bracket with none, of unknown
 * proposer). Returns a message saying what is wrong when a segment is no proposal and no
 * position in `lang`.
 */
export function readAnnotation(annotation: string | null, lang: Lang): ReadAnnotation | string {
  const w = wording(lang);
  const all = annotation === null ? [] : splitSegments(annotation, lang);
  const segments = all[0] === unknownProposer(lang) ? all.slice(1) : all;
  const first = all === segments ? segments[0] : undefined;
  const proposal = first === undefined ? null : readProposal(first, lang);
  const positions: Record<string, Position> = {};
  const { proposedBy, enteredBy } = proposal
    ? readProposers(proposal.proposers, lang)
    : { proposedBy: [], enteredBy: null };
  if (proposal && "folded" in proposal.proposal && proposal.proposal.folded) {
    for (const ref of proposedBy) {
      positions[ref.party] = { ...ref, stance: "delete", text: null, enteredBy };
    }
  }
  for (const segment of proposal ? segments.slice(1) : segments) {
    const colon = segment.indexOf(w.colon);
    if (colon < 0) return `a position with no stance: “${segment}”`;
    const who = readEnteredBy(segment.slice(0, colon), lang);
    const ref = readPartyRef(who.rest, lang);
    const stance = readStance(segment.slice(colon + w.colon.length), lang);
    if (!ref || !stance) return `an unknown position: “${segment}”`;
    positions[ref.party] = { ...ref, ...stance, enteredBy: who.enteredBy };
  }
  const kind = proposal?.proposal.kind ?? "text";
  const entry: BracketEntry = {
    kind: kind === "replacement" ? "deletion" : kind,
    status: "open",
    proposedBy,
    enteredBy,
    pairedWith: null,
    alternativeTo: null,
    positions,
  };
  const target = proposal?.proposal.kind === "alternative" ? proposal.proposal.target : null;
  return { entry, replacement: kind === "replacement", target };
}

/** Split an annotation at its segment separators, except inside quoted words. */
function splitSegments(annotation: string, lang: Lang): string[] {
  const w = wording(lang);
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < annotation.length; i++) {
    if (!quoted && annotation.startsWith(w.segmentSeparator, i)) {
      out.push(current);
      current = "";
      i += w.segmentSeparator.length - 1;
      continue;
    }
    const char = annotation[i]!;
    if (lang === "zh" ? char === "“" || char === "”" : char === '"') {
      quoted = lang === "zh" ? char === "“" : !quoted;
    }
    current += char;
  }
  out.push(current);
  return out;
}
