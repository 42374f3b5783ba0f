// What the typers of the fan-out scenario write. Each typer is a delegation typing inside
// its own open insertion bracket, in its own paragraph: the most common write in a session,
// and one Parley's permission checks must allow, so the same edits are valid on every server
// and the comparison is like for like.

import type { Node } from "prosemirror-model";
import * as Y from "yjs";
import { type Draft, draftToYDoc } from "../schema/draft.ts";
import { emptyMeta, emptyRegistry, type Registry } from "../schema/registry.ts";
import { schema } from "../schema/schema.ts";
import { docFragmentName } from "../schema/yregistry.ts";
import { editTag } from "./wire.ts";

/** The delegations the typers speak for, in typer order (repeated when there are more typers). */
export const typerParties = ["Pakistan", "Brazil", "European Union", "Kenya", "Japan", "Mexico"];

/**
 * The most edits a second one typer sends. Above it a cell gets more typers: no delegate
 * types hundreds of characters a second, and servers rightly rate-limit a connection that
 * does (Parley allows 500 messages a second per connection).
 */
export const maxTyperRate = 400;

/** How many typers a cell at `rate` edits/s uses: at least `minimum`, each at most `maxTyperRate`. */
export function typersFor(minimum: number, rate: number): number {
  return Math.max(minimum, Math.ceil(rate / maxTyperRate));
}

/** The party typer `index` speaks for. */
export function typerParty(index: number): string {
  return typerParties[index % typerParties.length] as string;
}

/**
 * The draft every fan-out cell starts from: a heading and one numbered paragraph per typer,
 * each with agreed words followed by an open insertion of that typer's party (bracket `b<i>`
 * with attribution `a<i>`). Throws a `RangeError` for fewer than one typer.
 */
export function fanoutDraft(typers: number): Draft {
  if (!Number.isInteger(typers) || typers < 1) {
    throw new RangeError(`A fan-out draft needs at least one typer, not ${typers}`);
  }
  const paragraphs: Node[] = [];
  const brackets: Record<string, Registry["brackets"][string]> = {};
  const attributions: Record<string, Registry["attributions"][string]> = {};
  for (let i = 0; i < typers; i++) {
    const party = typerParty(i);
    const marks = [
      schema.marks.bracket!.create({ id: `b${i}` }),
      schema.marks.attribution!.create({ id: `a${i}` }),
    ];
    paragraphs.push(
      schema.nodes.paragraph!.create({ id: `p${i}`, numbering: "numbered" }, [
        schema.text("The Office shall report to the Committee on its activities "),
        schema.text(`as proposed by ${party} `, marks),
      ]),
    );
    brackets[`b${i}`] = {
      kind: "insertion",
      status: "open",
      proposedBy: [{ party, onBehalfOf: null }],
      enteredBy: null,
      pairedWith: null,
      alternativeTo: null,
      positions: {},
    };
    attributions[`a${i}`] = { party, onBehalfOf: null, enteredBy: null };
  }
  const doc = schema.nodes.doc!.create(null, [
    schema.nodes.heading!.create({ id: "h0", label: "A." }, schema.text("Reporting")),
    ...paragraphs,
  ]);
  return {
    doc,
    registry: {
      ...emptyRegistry,
      meta: { ...emptyMeta, symbol: "BENCH/1", title: "Fan-out benchmark" },
      brackets,
      attributions,
    },
  };
}

/** The seed of a fan-out cell as one Yjs update, identical bytes on every call for `typers`. */
export function fanoutSeed(typers: number): Uint8Array {
  // Fixed client id: every typer applies these same bytes, and Yjs merges identical items
  // instead of duplicating them only when their ids (client, clock) are equal.
  const ydoc = new Y.Doc();
  ydoc.clientID = 1;
  draftToYDoc(fanoutDraft(typers), ydoc);
  return Y.encodeStateAsUpdate(ydoc);
}

/**
 * How many edits a typer types at one place before it starts again near the start of its
 * bracket: a burst of about 300 characters, a delegate's sentence.
 *
 * Typed at one place for ever, a typer's words become one Yjs item whose text grows by every
 * edit, and every Y.Doc that encodes its updates (each server, and each typer's own
 * provider) copies that whole text per edit: Yjs joins the new characters onto the item
 * (`+=`, a rope) and then slices from the new characters' offset to encode them, which
 * flattens the rope. After the 11 s of a cell at 400 edits/s a typer's run held about
 * 30,000 characters, so the cost per edit grew with the run's age, quadratic in total, and
 * in the load generator it went to the typers' own Y.Docs, not to measuring the server.
 * Bursts keep every run delegate-sized; each edit is still one insertion of one tag.
 */
export const burstEdits = 40;

/**
 * A typer's hands: types edit tags inside its open bracket, with exactly the formatting
 * y-prosemirror gives words typed inside that bracket (the bracket's and the attribution's
 * attribute keys, copied from the text already there). The first burst goes at the end of
 * the bracket's words; each later one starts after their first character (inside the
 * bracket, so the formatting on both sides is the bracket's) and goes on from there.
 */
export class Typist {
  private readonly text: Y.XmlText;
  private readonly attributes: Record<string, unknown>;
  /** Where each burst after the first starts: just inside the bracket. */
  private readonly restart: number;
  private at: number;
  private typed = 0;

  /**
   * Find typer `index`'s bracket in `ydoc`. Throws a `RangeError` when the document does not
   * hold the fan-out draft (its paragraph or its bracketed run is missing).
   */
  constructor(ydoc: Y.Doc, index: number) {
    const fragment = ydoc.getXmlFragment(docFragmentName);
    const paragraph = fragment
      .toArray()
      .find(
        (n): n is Y.XmlElement => n instanceof Y.XmlElement && n.getAttribute("id") === `p${index}`,
      );
    const text = paragraph?.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
    if (!text) throw new RangeError(`The document has no paragraph p${index} with text`);
    let offset = 0;
    let found: { attributes: Record<string, unknown>; start: number; end: number } | null = null;
    for (const op of text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[]) {
      const start = offset;
      offset += op.insert.length;
      const keys = Object.keys(op.attributes ?? {});
      if (keys.some((k) => k.startsWith("bracket")))
        found = { attributes: op.attributes ?? {}, start, end: offset };
    }
    if (!found || found.end - found.start < 2) {
      throw new RangeError(`Paragraph p${index} has no bracketed words to type into`);
    }
    this.text = text;
    this.attributes = found.attributes;
    this.restart = found.start + 1;
    this.at = found.end;
  }

  /** Type the tag of edit `id` (one Yjs transaction, so one update on the wire). */
  type(id: number): void {
    if (this.typed > 0 && this.typed % burstEdits === 0) this.at = this.restart;
    const tag = editTag(id);
    this.text.insert(this.at, tag, this.attributes);
    this.at += tag.length;
    this.typed++;
  }
}
