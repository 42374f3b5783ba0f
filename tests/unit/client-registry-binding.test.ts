import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  applyMirrored,
  observeRemoteRegistry,
  replaceRegistryTransaction,
} from "../../client/registry-binding.ts";
import { statePosition } from "../../schema/commands/index.ts";
import { draftToYDoc } from "../../schema/draft.ts";
import { getRegistry, registryPlugin } from "../../schema/state.ts";
import { registryFromYDoc } from "../../schema/yregistry.ts";
import { sampleDraft } from "../e2e/sample.ts";

const russia = { party: "Russian Federation", role: "delegation" } as const;

function setup() {
  const draft = sampleDraft();
  const ydoc = draftToYDoc(draft);
  const state = EditorState.create({ doc: draft.doc, plugins: [registryPlugin(draft.registry)] });
  return { ydoc, state };
}

describe("registry binding", () => {
  it("writes a command's registry ops into the Y.Doc", () => {
    const { ydoc, state } = setup();
    let tr = null as ReturnType<EditorState["tr"]["setMeta"]> | null;
    statePosition(
      russia,
      "b1",
      "support",
    )(state, (t) => {
      tr = t;
    });
    const result = applyMirrored(state, tr!, ydoc);
    expect(registryFromYDoc(ydoc).brackets.b1?.positions["Russian Federation"]?.stance).toBe(
      "support",
    );
    expect(getRegistry(result.state).brackets.b1?.positions["Russian Federation"]?.stance).toBe(
      "support",
    );
  });

  it("does not report its own ops back as a remote change", () => {
    const { ydoc, state } = setup();
    const reported: unknown[] = [];
    const stop = observeRemoteRegistry(ydoc, (registry) => reported.push(registry));
    statePosition(russia, "b1", "oppose")(state, (tr) => applyMirrored(state, tr, ydoc));
    stop();
    expect(reported).toEqual([]);
  });

  it("reports a peer's position once, with the whole registry", () => {
    const { ydoc } = setup();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(ydoc));
    const reported: ReturnType<typeof registryFromYDoc>[] = [];
    const stop = observeRemoteRegistry(ydoc, (registry) => reported.push(registry));
    const peerState = EditorState.create({
      doc: sampleDraft().doc,
      plugins: [registryPlugin(registryFromYDoc(peer))],
    });
    statePosition(russia, "b3", "oppose")(peerState, (tr) => applyMirrored(peerState, tr, peer));
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(ydoc)), "remote");
    stop();
    expect(reported.length).toBe(1);
    expect(reported[0]?.brackets.b3?.positions["Russian Federation"]?.stance).toBe("oppose");
  });

  it("does not report document-only changes as registry changes", () => {
    const { ydoc } = setup();
    const reported: unknown[] = [];
    const stop = observeRemoteRegistry(ydoc, (registry) => reported.push(registry));
    ydoc.getXmlFragment("prosemirror").insert(0, [new Y.XmlElement("paragraph")]);
    stop();
    expect(reported).toEqual([]);
  });

  it("replaces the registry state without touching the document or history", () => {
    const { ydoc, state } = setup();
    const moved = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 3)));
    const changed = registryFromYDoc(ydoc);
    const next = moved.apply(
      replaceRegistryTransaction(moved, {
        ...changed,
        paragraphs: { p1: { agreement: "agreed" } },
      }),
    );
    expect(getRegistry(next).paragraphs.p1?.agreement).toBe("agreed");
    expect(next.doc.eq(state.doc)).toBe(true);
  });
});
