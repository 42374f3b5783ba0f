import type { Draft } from "../../schema/draft.ts";
import type { BracketEntry, Position } from "../../schema/registry.ts";
import { at, br, ca, doc, h, np, registry, resetIds } from "../builder.ts";

// The draft the browser tests negotiate over: a few numbered paragraphs of a terms of
// reference, with an open proposal nested inside another, positions on both, a deletion,
// and a chair's alternative text replacing paragraphs 3 and 4 (p3, p4). Small enough to read on a
// screenshot, rich enough to show every kind of decoration.

const position = (party: string, stance: Position["stance"], text: string | null = null) => ({
  party,
  stance,
  onBehalfOf: null,
  text,
  enteredBy: null,
});

const bracket = (over: Partial<BracketEntry>): BracketEntry => ({
  kind: "insertion",
  status: "open",
  proposedBy: [],
  enteredBy: null,
  pairedWith: null,
  alternativeTo: null,
  positions: {},
  ...over,
});

/** The sample draft, with fixed block ids p1… and bracket ids b1…. */
export function sampleDraft(): Draft {
  resetIds();
  const d = doc(
    h({ label: "A." }, "Background and purpose"),
    np(
      "The Program and Budget Committee requested the Secretariat to present draft terms of reference for the evaluation of the External Offices",
      br(
        "b1",
        at("a1", " and their mandate"),
        br("b2", at("a2", ", taking into account the views of Member States")),
      ),
      ".",
    ),
    np(
      "The evaluation shall be conducted by an ",
      br("b3", "independent"),
      " external evaluator selected through an open and transparent process.",
    ),
    np("The evaluation shall cover the network of External Offices as a whole."),
    np("Its findings shall be presented to the thirty-fifth session of the Committee."),
    np(
      ca(
        "c1",
        "The evaluation shall cover the network as a whole and report its findings to the next session of the Committee.",
      ),
    ),
    h({ label: "B." }, "Scope"),
    np("The evaluation shall assess the relevance, effectiveness and efficiency of the network."),
  );
  const reg = registry({
    meta: {
      symbol: "WO/PBC/34/15",
      title: "Terms of reference for the evaluation of the External Offices",
      lang: "en",
      revision: "Rev.1",
      date: "",
    },
    brackets: {
      b1: bracket({
        proposedBy: [{ party: "Pakistan", onBehalfOf: null }],
        positions: { "United Arab Emirates": position("United Arab Emirates", "oppose") },
      }),
      b2: bracket({
        proposedBy: [{ party: "Algeria", onBehalfOf: "African Group" }],
        positions: { "Russian Federation": position("Russian Federation", "support") },
      }),
      b3: bracket({
        kind: "deletion",
        proposedBy: [{ party: "United States of America", onBehalfOf: null }],
        positions: {
          "United States of America": position("United States of America", "delete"),
        },
      }),
    },
    attributions: {
      a1: { party: "Pakistan", onBehalfOf: null, enteredBy: null },
      a2: { party: "Algeria", onBehalfOf: "African Group", enteredBy: null },
    },
    chairAlternatives: { c1: { replaces: ["p3", "p4"], status: "proposed" } },
  });
  return { doc: d, registry: reg };
}
