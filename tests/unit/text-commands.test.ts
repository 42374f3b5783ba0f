import { type Command, type EditorState, TextSelection } from "prosemirror-state";
import { beforeEach, describe, expect, it } from "vitest";
import {
  adoptChairAlternative,
  proposeAlternativeWording,
  proposeChairAlternative,
  proposeDeletion,
  proposeInsertion,
  proposeReplacement,
  setAgreement,
  statePosition,
} from "../../schema/commands/index.ts";
import { checkDraft } from "../../schema/draft.ts";
import type { Actor } from "../../schema/registry.ts";
import { readAnnotatedText } from "../../schema/render/annotated-reader.ts";
import { canonicalDraft } from "../../schema/render/canonical.ts";
import { writeText } from "../../schema/render/text.ts";
import { createDraftState, draftOf } from "../../schema/state.ts";
import { doc, ip, item, list, np, registry, resetIds } from "../builder.ts";
import { algeria, chair, pakistan, uae } from "./commands/fixtures.ts";

// Drafts made by the negotiation commands themselves, not by the generator, must survive
// the annotated text: this is what a secretariat exports and later reads back.

beforeEach(resetIds);

const usa: Actor = { party: "United States of America", role: "delegation" };
const secretariatForRussia: Actor = {
  party: "Secretariat",
  role: "secretariat",
  onBehalfOf: "Russian Federation",
};

/** The document range of the first occurrence of `words`. */
function find(state: EditorState, words: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null;
  state.doc.descendants((node, pos) => {
    if (found || !node.isTextblock) return !found;
    const at = node.textContent.indexOf(words);
    if (at >= 0) found = { from: pos + 1 + at, to: pos + 1 + at + words.length };
    return false;
  });
  if (!found) throw new Error(`No “${words}” in the document`);
  return found;
}

function negotiate(): EditorState {
  let state = createDraftState(
    doc(
      np({ id: "p1" }, "The evaluation shall review the network of offices."),
      np({ id: "p2" }, "It shall cover the period since 2015."),
      ip({ id: "p3" }, "It shall consult host countries."),
      list("alpha", item({ id: "i1" }, "relevance;"), item({ id: "i2" }, "efficiency.")),
      np({ id: "p4" }, "The report shall be public."),
    ),
    registry({}),
  );
  const run = (command: Command, select?: { from: number; to: number }) => {
    if (select) {
      state = state.apply(
        state.tr.setSelection(TextSelection.create(state.doc, select.from, select.to)),
      );
    }
    expect(command(state, (tr) => (state = state.apply(tr)))).toBe(true);
  };
  run(proposeDeletion(pakistan, { id: "del" }), find(state, "network of "));
  run(statePosition(uae, "del", "oppose"));
  run(statePosition(secretariatForRussia, "del", "replace", { text: "set of" }));
  const end = find(state, " offices").to;
  run(proposeInsertion(algeria, " and its results", { id: "ins" }), { from: end, to: end });
  const inner = find(state, " its").to;
  run(proposeInsertion(usa, " overall", { id: "nested" }), { from: inner, to: inner });
  // A deletion of exactly another delegation's words: two brackets over the same range.
  run(proposeDeletion(uae, { id: "same" }), find(state, " overall"));
  run(
    proposeReplacement(usa, "2018", { deletionId: "old", insertionId: "new" }),
    find(state, "2015"),
  );
  run(statePosition(pakistan, "new", "accept"));
  run(proposeAlternativeWording(pakistan, "i2", "efficiency and impact."));
  run(
    proposeAlternativeWording(
      secretariatForRussia,
      "p1",
      "The evaluation shall review each office.",
    ),
  );
  run(
    proposeChairAlternative(
      chair,
      ["p2", "p3"],
      ["It shall cover 2018 to 2022.", "It shall consult widely.", "It shall be brief."],
    ),
  );
  run(proposeChairAlternative(chair, ["p4"], ["The report shall be published."], { id: "c2" }));
  run(adoptChairAlternative(chair, "c2"));
  run(setAgreement(chair, "i1", "agreed"));
  return state;
}

describe.each(["zh", "en"] as const)("a draft negotiated with the commands, in %s", (lang) => {
  it("is consistent before it is written out", () => {
    expect(checkDraft(draftOf(negotiate()))).toEqual([]);
  });

  it("reads back from its annotated text unchanged", () => {
    const draft = draftOf(negotiate());
    const back = readAnnotatedText(writeText(draft, { mode: "annotated", lang }));
    expect(canonicalDraft(back)).toEqual(canonicalDraft(draft));
  });
});
