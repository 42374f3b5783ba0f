// Word's own negotiation markup — tracked changes and comments — laid over a draft that was
// read from the document's text. The text goes through the text readers with a pair of
// private-use characters around each tracked change and each commented span; the readers
// keep them as ordinary characters, so after reading they still mark where each piece of
// markup lies, wherever the readers moved text to (brackets and annotations removed,
// numbers stripped). This module finds them, removes them and turns the markup into
// brackets, attributions, positions and comments.

import type { Node } from "prosemirror-model";
import { Transform } from "prosemirror-transform";
import { newId } from "../ids.ts";
import { markRanges } from "../ranges.ts";
import type {
  AttributionEntry,
  BracketEntry,
  CommentEntry,
  PartyRef,
  Position,
  Registry,
} from "../registry.ts";
import { schema } from "../schema.ts";
import { readCommentText } from "./docx-comments.ts";

/** A piece of Word markup to lay over the draft, numbered by the order it was met. */
export type Overlay =
  | {
      readonly kind: "insertion" | "deletion";
      readonly author: string;
      /** The English key of the author's party, or null when the author is not a party. */
      readonly party: string | null;
      readonly paragraph: number;
    }
  | {
      readonly kind: "comment";
      readonly author: string;
      readonly text: string;
      readonly paragraph: number;
    };

/** Something the overlay could not map, with the Word paragraph it came from. */
export interface OverlayProblem {
  readonly kind: "trackedChange" | "comment";
  readonly paragraph: number;
  readonly message: string;
}

// Private-use code points: U+E000 + k opens overlay k, U+E000 + half + k closes it, all
// below U+F000 where Symbol and Wingdings characters live. The reader replaces any such
// character already in a document's text before marking it (see docx-read.ts).
const base = 0xe000;
const half = 0x0800;

/** The most overlays one document can carry. */
export const maxOverlays = half;

/** The character that opens overlay `k` in the text given to the text readers. */
export function openMarker(k: number): string {
  if (k < 0 || k >= half) throw new RangeError(`Overlay index ${k} is out of range`);
  return String.fromCharCode(base + k);
}

/** The character that closes overlay `k`. */
export function closeMarker(k: number): string {
  if (k < 0 || k >= half) throw new RangeError(`Overlay index ${k} is out of range`);
  return String.fromCharCode(base + half + k);
}

const isMarker = (code: number): boolean => code >= base && code < base + 2 * half;

/** Whether `text` holds a character of the range the markers use. */
export function hasMarkerCharacter(text: string): boolean {
  return /[\ue000-\uefff]/.test(text);
}

/** Remove overlay markers from a string (words the readers put in the registry). */
export function stripMarkers(text: string): string {
  let out = "";
  for (const ch of text) if (!isMarker(ch.charCodeAt(0))) out += ch;
  return out;
}

interface Found {
  from: number | null;
  to: number | null;
}

function deepStrip<T>(value: T): T {
  if (typeof value === "string") return stripMarkers(value) as T;
  if (Array.isArray(value)) return value.map(deepStrip) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripMarkers(k)] = deepStrip(v);
    return out as T;
  }
  return value;
}

/**
 * Remove the overlay markers from a draft read from marked text and lay each overlay over
 * the words between its markers. Tracked changes by a known party become proposals in its
 * name; those by anyone else stay plain text and are reported. Comments that start with
 * parties become positions or proposals on the commented words; other comments stay as
 * comments and are reported. Markup whose markers the readers lost, or that would cross a
 * bracket instead of nesting in it, is reported and left out.
 */
export function applyOverlays(
  doc: Node,
  registry: Registry,
  overlays: readonly Overlay[],
): { doc: Node; registry: Registry; problems: OverlayProblem[] } {
  const found = overlays.map((): Found => ({ from: null, to: null }));
  const markerPositions: number[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const text = node.text ?? "";
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isMarker(code)) continue;
      const k = code - base;
      const at = pos + i;
      const slot = found[k % half];
      if (slot) {
        if (k < half) slot.from = at;
        else slot.to = at;
      }
      markerPositions.push(at);
    }
    return false;
  });
  const tr = new Transform(doc);
  for (const at of [...markerPositions].reverse()) tr.delete(at, at + 1);
  const final = (at: number) => at - markerPositions.filter((m) => m < at).length;
  const state = new OverlayState(tr, deepStrip(registry));
  overlays.forEach((overlay, k) => {
    const slot = found[k]!;
    if (slot.from === null || slot.to === null || slot.to < slot.from) {
      state.problems.push({
        kind: overlay.kind === "comment" ? "comment" : "trackedChange",
        paragraph: overlay.paragraph,
        message: `${describe(overlay)} in paragraph ${overlay.paragraph} could not be placed in the imported text and was left out`,
      });
      return;
    }
    state.apply(overlay, final(slot.from), final(slot.to));
  });
  return { doc: tr.doc, registry: state.registry(), problems: state.problems };
}

function describe(overlay: Overlay): string {
  switch (overlay.kind) {
    case "insertion":
      return `A tracked insertion by ${overlay.author || "an unnamed author"}`;
    case "deletion":
      return `A tracked deletion by ${overlay.author || "an unnamed author"}`;
    case "comment":
      return `The comment "${overlay.text}" by ${overlay.author || "an unnamed author"}`;
  }
}

/** The registry being extended and the transform marks are added to. */
class OverlayState {
  readonly problems: OverlayProblem[] = [];
  private readonly brackets: Record<string, BracketEntry>;
  private readonly attributions: Record<string, AttributionEntry>;
  private readonly comments: Record<string, CommentEntry>;
  // The last tracked deletion placed, so that an insertion right after it by the same party
  // is read as a replacement, which is how Word records typing over selected words.
  private lastDeletion: { id: string; party: string; to: number } | null = null;

  constructor(
    private readonly tr: Transform,
    private readonly base: Registry,
  ) {
    this.brackets = { ...base.brackets };
    this.attributions = { ...base.attributions };
    this.comments = { ...base.comments };
  }

  registry(): Registry {
    return {
      ...this.base,
      brackets: this.brackets,
      attributions: this.attributions,
      comments: this.comments,
    };
  }

  apply(overlay: Overlay, from: number, to: number): void {
    const trimmed = trimRange(this.tr.doc, from, to);
    if (overlay.kind === "comment") this.comment(overlay, trimmed.from, trimmed.to);
    else this.change(overlay, trimmed.from, trimmed.to);
  }

  private change(overlay: Overlay & { kind: "insertion" | "deletion" }, from: number, to: number) {
    const what = overlay.kind === "insertion" ? "insertion" : "deletion";
    if (!overlay.party) {
      this.problems.push({
        kind: "trackedChange",
        paragraph: overlay.paragraph,
        message: `A tracked ${what} by "${overlay.author}" in paragraph ${overlay.paragraph} is kept as plain text: the author is not a known party`,
      });
      return;
    }
    if (from >= to) return;
    if (!this.fitsBrackets(from, to)) {
      this.problems.push({
        kind: "trackedChange",
        paragraph: overlay.paragraph,
        message: `A tracked ${what} by ${overlay.party} in paragraph ${overlay.paragraph} crosses a bracket; kept as plain text`,
      });
      return;
    }
    const proposer: PartyRef = { party: overlay.party, onBehalfOf: null };
    const id = newId("b");
    let pairedWith: string | null = null;
    if (overlay.kind === "insertion") {
      const last = this.lastDeletion;
      if (last && last.party === overlay.party && last.to === from) {
        pairedWith = last.id;
        this.brackets[last.id] = { ...this.brackets[last.id]!, pairedWith: id };
      }
      this.attribute(from, to, proposer);
    }
    this.brackets[id] = {
      kind: overlay.kind,
      status: "open",
      proposedBy: [proposer],
      enteredBy: null,
      pairedWith,
      alternativeTo: null,
      positions:
        overlay.kind === "deletion" ? { [overlay.party]: position(proposer, "delete", null) } : {},
    };
    this.tr.addMark(from, to, schema.marks.bracket!.create({ id }));
    this.lastDeletion =
      overlay.kind === "deletion" ? { id, party: overlay.party, to } : this.lastDeletion;
  }

  private comment(overlay: Overlay & { kind: "comment" }, from: number, to: number) {
    const meaning = readCommentText(overlay.text);
    const existing = from < to ? this.bracketCovering(from, to) : null;
    if (meaning.kind === "note" || from >= to || (!existing && !this.fitsBrackets(from, to))) {
      const id = newId("c");
      this.comments[id] = { author: overlay.author, text: overlay.text };
      if (from < to) this.tr.addMark(from, to, schema.marks.comment!.create({ id }));
      const why =
        meaning.kind === "note"
          ? "it names no known party"
          : from >= to
            ? "it is anchored to no words"
            : "its words cross a bracket";
      this.problems.push({
        kind: "comment",
        paragraph: overlay.paragraph,
        message: `The comment "${overlay.text}" by ${overlay.author || "an unnamed author"} in paragraph ${overlay.paragraph} is kept as a comment: ${why}`,
      });
      return;
    }
    let id = existing;
    if (!id) {
      id = newId("b");
      const deleters =
        meaning.kind === "position"
          ? meaning.positions.filter((p) => p.stance === "delete").map((p) => p.party)
          : [];
      const deleting = deleters.length > 0;
      this.brackets[id] = {
        kind: meaning.kind === "proposal" ? "insertion" : deleting ? "deletion" : "text",
        status: "open",
        proposedBy: meaning.kind === "proposal" ? meaning.parties : deleters,
        enteredBy: null,
        pairedWith: null,
        alternativeTo: null,
        positions: {},
      };
      this.tr.addMark(from, to, schema.marks.bracket!.create({ id }));
    }
    const entry = this.brackets[id]!;
    if (meaning.kind === "proposal") {
      const known = new Set(entry.proposedBy.map((p) => p.party));
      this.brackets[id] = {
        ...entry,
        kind: entry.kind === "text" ? "insertion" : entry.kind,
        proposedBy: [...entry.proposedBy, ...meaning.parties.filter((p) => !known.has(p.party))],
      };
      for (const party of meaning.parties) this.attribute(from, to, party);
    } else {
      const positions = { ...entry.positions };
      for (const p of meaning.positions) {
        positions[p.party.party] = position(p.party, p.stance, p.text);
      }
      this.brackets[id] = { ...entry, positions };
    }
  }

  private attribute(from: number, to: number, party: PartyRef): void {
    const id = newId("a");
    this.attributions[id] = { party: party.party, onBehalfOf: party.onBehalfOf, enteredBy: null };
    this.tr.addMark(from, to, schema.marks.attribution!.create({ id }));
  }

  /** The outermost open bracket whose words are exactly `from`–`to`, or null. */
  private bracketCovering(from: number, to: number): string | null {
    for (const range of markRanges(this.tr.doc, "bracket").values()) {
      const entry = this.brackets[range.id];
      if (entry?.status !== "open") continue;
      if (range.from >= from && range.to <= to) {
        const outside = trimRange(this.tr.doc, from, to);
        if (outside.from === range.from && outside.to === range.to) return range.id;
      }
    }
    return null;
  }

  /** Whether a new bracket over `from`–`to` would nest with every existing bracket. */
  private fitsBrackets(from: number, to: number): boolean {
    for (const range of markRanges(this.tr.doc, "bracket").values()) {
      const disjoint = to <= range.from || range.to <= from;
      const nested =
        (from <= range.from && range.to <= to) || (range.from <= from && to <= range.to);
      if (!disjoint && !nested) return false;
    }
    return true;
  }
}

function position(party: PartyRef, stance: Position["stance"], text: string | null): Position {
  return { party: party.party, stance, onBehalfOf: party.onBehalfOf, text, enteredBy: null };
}

// Word comments usually take in the space around the words; a bracket should not.
function trimRange(doc: Node, from: number, to: number): { from: number; to: number } {
  let a = from;
  let b = to;
  while (a < b && /\s/.test(doc.textBetween(a, a + 1, "\n", "\n") || "x")) a++;
  while (b > a && /\s/.test(doc.textBetween(b - 1, b, "\n", "\n") || "x")) b--;
  return { from: a, to: b };
}
