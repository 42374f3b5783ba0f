import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { mayApply, ownProposalBefore } from "../../client/typing.ts";
import { proposeInsertion } from "../../schema/commands/index.ts";
import type { Actor } from "../../schema/registry.ts";
import { registryPlugin } from "../../schema/state.ts";
import { at, br, bracketEntry, doc, np, registry } from "../builder.ts";
import { sampleDraft } from "../e2e/sample.ts";
import { chair, pakistan } from "./commands/fixtures.ts";

const russia: Actor = { party: "Russian Federation", role: "delegation" };
const observer: Actor = { party: "Observer", role: "observer" };

function state() {
  const draft = sampleDraft();
  return EditorState.create({ doc: draft.doc, plugins: [registryPlugin(draft.registry)] });
}

/** A position inside the agreed words of paragraph 3 ("The evaluation shall cover…"). */
function agreedPos(s: EditorState): number {
  let found = -1;
  s.doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text?.startsWith("The evaluation shall cover")) {
      found = pos + 4;
    }
  });
  return found;
}

/** The end of Pakistan's words " and their mandate" (bracket b1, before the nested b2). */
function endOfPakistansWords(s: EditorState): number {
  let found = -1;
  s.doc.descendants((node, pos) => {
    if (node.isText && node.text === " and their mandate") found = pos + node.nodeSize;
  });
  return found;
}

describe("typing rules", () => {
  it("drop a delegation's plain edit of agreed text", () => {
    const s = state();
    const tr = s.tr.insertText("x", agreedPos(s));
    expect(mayApply(pakistan, s, tr)).toBe(false);
  });

  it("let the chair edit agreed text", () => {
    const s = state();
    expect(mayApply(chair, s, s.tr.insertText("x", agreedPos(s)))).toBe(true);
  });

  it("drop every local edit of an observer", () => {
    const s = state();
    expect(mayApply(observer, s, s.tr.insertText("x", agreedPos(s)))).toBe(false);
  });

  it("let a delegation's proposal through, as its command checked it", () => {
    const s = state();
    const at = s.apply(s.tr.setSelection(TextSelection.create(s.doc, agreedPos(s))));
    let allowed: boolean | null = null;
    proposeInsertion(pakistan, "new words")(at, (tr) => {
      allowed = mayApply(pakistan, at, tr);
    });
    expect(allowed).toBe(true);
  });

  it("continue a delegation's own proposal at its end", () => {
    const s = state();
    const marks = ownProposalBefore(pakistan, s, endOfPakistansWords(s));
    expect(marks?.map((m) => `${m.type.name}:${m.attrs.id}`)).toEqual([
      "bracket:b1",
      "attribution:a1",
    ]);
  });

  it("do not continue another delegation's proposal", () => {
    const s = state();
    expect(ownProposalBefore(russia, s, endOfPakistansWords(s))).toBeNull();
  });

  it("do not continue a proposal in agreed text", () => {
    const s = state();
    expect(ownProposalBefore(pakistan, s, agreedPos(s))).toBeNull();
  });

  it("do not copy another party's attribution onto new words, even inside one's own bracket", () => {
    const d = doc(np("A ", br("b1", at("a1", "own "), at("a2", "theirs<end>"))));
    const s = EditorState.create({
      doc: d,
      plugins: [
        registryPlugin(
          registry({
            brackets: {
              b1: bracketEntry(),
            },
            attributions: {
              a1: { party: "Pakistan", onBehalfOf: null, enteredBy: null },
              a2: { party: "Russian Federation", onBehalfOf: null, enteredBy: "Secretariat" },
            },
          }),
        ),
      ],
    });
    expect(ownProposalBefore(pakistan, s, d.tag.end!)).toBeNull();
  });
});
