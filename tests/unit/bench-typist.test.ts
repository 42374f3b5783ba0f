import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { editTag } from "../../bench/wire.ts";
import { burstEdits, fanoutSeed, Typist, typerParty } from "../../bench/workload.ts";
import { docFragmentName } from "../../schema/yregistry.ts";
import { GuardedRoom, identityOf } from "../../server/permissions/testing.ts";

/** The delta of typer `index`'s paragraph. */
function paragraphDelta(ydoc: Y.Doc, index: number) {
  const paragraph = ydoc
    .getXmlFragment(docFragmentName)
    .toArray()
    .find(
      (n): n is Y.XmlElement => n instanceof Y.XmlElement && n.getAttribute("id") === `p${index}`,
    );
  const text = paragraph?.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
  if (!text) throw new Error(`no paragraph p${index}`);
  return text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
}

/** The longest text any one of `ydoc`'s items holds. */
function longestItemText(ydoc: Y.Doc): number {
  let longest = 0;
  for (const structs of ydoc.store.clients.values()) {
    for (const struct of structs) {
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
        longest = Math.max(longest, struct.content.str.length);
      }
    }
  }
  return longest;
}

describe("the fan-out typers", () => {
  const edits = burstEdits * 3 + 7;

  it("type every tag inside their own bracket, with its formatting", () => {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, fanoutSeed(2));
    const hands = [new Typist(ydoc, 0), new Typist(ydoc, 1)];
    for (let id = 0; id < edits; id++) hands[id % 2]?.type(id);
    for (const index of [0, 1]) {
      const delta = paragraphDelta(ydoc, index);
      // Agreed words, then one bracketed run holding the seed's words and every tag.
      expect(delta).toHaveLength(2);
      expect(delta[0]?.attributes).toBeUndefined();
      const bracketed = delta[1] as { insert: string; attributes?: Record<string, unknown> };
      expect(Object.keys(bracketed.attributes ?? {}).some((k) => k.startsWith("bracket"))).toBe(
        true,
      );
      for (let id = index; id < edits; id += 2) expect(bracketed.insert).toContain(editTag(id));
      expect(bracketed.insert.startsWith("a")).toBe(true);
      expect(bracketed.insert).toContain(`s proposed by ${typerParty(index)} `);
    }
  });

  it("start a new run every burst, so no item's text grows with the cell's length", () => {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, fanoutSeed(1));
    const typist = new Typist(ydoc, 0);
    for (let id = 0; id < burstEdits * 10; id++) typist.type(id);
    const longestTag = editTag(burstEdits * 10).length;
    expect(longestItemText(ydoc)).toBeLessThanOrEqual(burstEdits * longestTag);
    expect(longestItemText(ydoc)).toBeGreaterThan((burstEdits - 1) * 3);
  });

  it("make edits Parley's permission checks allow, across bursts", () => {
    const room = new GuardedRoom(fanoutSeed(2));
    const client = new Y.Doc();
    Y.applyUpdate(client, fanoutSeed(2));
    const updates: Uint8Array[] = [];
    client.on("update", (update: Uint8Array) => updates.push(update));
    const typist = new Typist(client, 1);
    const identity = identityOf({ party: typerParty(1), role: "delegation" });
    for (let id = 0; id < edits; id++) {
      typist.type(id);
      expect(updates).toHaveLength(1);
      expect(room.send(updates.pop() as Uint8Array, identity)).toEqual({ ok: true });
    }
    expect(room.live.getXmlFragment(docFragmentName).toString()).toBe(
      client.getXmlFragment(docFragmentName).toString(),
    );
  });
});
