import type * as Y from "yjs";
import type { BracketEntry, Registry } from "../../schema/registry.ts";
import { draftTypes } from "../../schema/yregistry.ts";
import { GuardedRoom } from "../../server/permissions/testing.ts";
import { at, br, bracketEntry, ca, doc, np, registry } from "../builder.ts";

// The room the permission guard's tests judge edits in, and the helpers they write with.

/** An open insertion bracket proposed by the United Arab Emirates, with fields overridden. */
export const uaeBracket = (over: Partial<BracketEntry> = {}): BracketEntry =>
  bracketEntry({ proposedBy: [{ party: "United Arab Emirates", onBehalfOf: null }], ...over });

/**
 * Paragraph 1: "The Office shall [promote]—UAE innovation in the region." Paragraph 2 is
 * agreed; paragraph 3 is the chair's proposed alternative to it.
 */
export function uaeRoom(): GuardedRoom {
  const d = doc(
    np("The Office shall ", br("b1", at("a1", "promote")), " innovation in the region."),
    np("It reports yearly."),
    np(ca("c1", "It reports twice a year.")),
  );
  const r = registry({
    brackets: { b1: uaeBracket() },
    attributions: { a1: { party: "United Arab Emirates", onBehalfOf: null, enteredBy: null } },
    chairAlternatives: { c1: { replaces: ["p2"], status: "proposed" } },
    paragraphs: { p2: { agreement: "agreed" } },
  });
  return new GuardedRoom({ doc: d, registry: r });
}

/** The Y.XmlText of the n-th paragraph. */
export function text(ydoc: Y.Doc, n: number): Y.XmlText {
  return (draftTypes(ydoc).fragment.get(n) as Y.XmlElement).get(0) as Y.XmlText;
}

/** The offset just after the first occurrence of `words` in the n-th paragraph. */
export function endOf(ydoc: Y.Doc, n: number, words: string): number {
  const plain = text(ydoc, n)
    .toString()
    .replace(/<[^>]*>/g, "");
  const at = plain.indexOf(words);
  if (at < 0) throw new RangeError(`No ${words} in paragraph ${n}: ${plain}`);
  return at + words.length;
}

/** A formatting key as y-prosemirror writes it for marks with `excludes: ""`. */
export const key = (type: string, id: string) => `${type}--${`${id}xxxxxxxx`.slice(0, 8)}`;

/** Formatting attributes for the marks `[type, id]`, keyed as y-prosemirror keys them. */
export const marks = (...pairs: [string, string][]) =>
  Object.fromEntries(pairs.map(([type, id]) => [key(type, id), { id }]));

/** An open insertion bracket proposed by `party`, with fields overridden. */
const insertion = (party: string, over: Partial<BracketEntry> = {}): BracketEntry =>
  bracketEntry({ proposedBy: [{ party, onBehalfOf: null }], ...over });

const party = (name: string) => ({ party: name, onBehalfOf: null, enteredBy: null });

/**
 * The draft the typing tests type in. p1 "The Office shall [promote]—UAE innovation
 * [and growth]—Pakistan in the region."; p2 agreed; p3 a UAE bracket holding Pakistan's
 * words; p4 a withdrawn UAE bracket; p5 an African Group bracket.
 */
export function typingDraft() {
  const d = doc(
    np(
      "The Office shall ",
      br("b1", at("a1", "promote")),
      " innovation ",
      br("b2", at("a2", "and growth")),
      " in the region.",
    ),
    np("It reports yearly."),
    np("Staff ", br("b3", at("a2", "nested words")), " end."),
    np("Old ", br("b4", at("a1", "withdrawn words")), " end."),
    np("Group ", br("b5", at("a5", "group words")), " end."),
  );
  const r: Registry = registry({
    brackets: {
      b1: insertion("United Arab Emirates"),
      b2: insertion("Pakistan"),
      b3: insertion("United Arab Emirates"),
      b4: insertion("United Arab Emirates", { status: "withdrawn" }),
      b5: insertion("African Group"),
    },
    attributions: {
      a1: party("United Arab Emirates"),
      a2: party("Pakistan"),
      a5: party("African Group"),
    },
    paragraphs: { p2: { agreement: "agreed" } },
  });
  return { doc: d, registry: r };
}
