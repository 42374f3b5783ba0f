import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type UpdateEffect, updateEffect } from "../../server/updates.ts";

// What an incoming update would do to a room's document, read in one decoding: whether it
// changes anything, and each client's end clock, which the permission guard binds client ids
// by and must equal what Yjs itself reads (`parseUpdateMeta`).

/** The updates a document emits while `edit` runs. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array) => updates.push(update);
  doc.on("update", collect);
  edit();
  doc.off("update", collect);
  return updates;
}

function endsOf(effect: UpdateEffect): ReadonlyMap<number, number> | null {
  return effect.kind === "change" ? effect.ends : null;
}

describe("updateEffect", () => {
  it("reads each client's end clock as Yjs does, skips and all", () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const [first] = updatesOf(a, () => a.getText("t").insert(0, "abc"));
    // In another text, so that the third edit refers to nothing in the gap (which would make
    // the merge malformed).
    const [gap] = updatesOf(a, () => a.getText("u").insert(0, "de"));
    const [third] = updatesOf(a, () => a.getText("t").insert(3, "fgh"));
    Y.applyUpdate(b, first!);
    Y.applyUpdate(b, gap!);
    const [other] = updatesOf(b, () => b.getText("t").insert(0, "xy"));
    // a's first and third edits with the second left out: the merge carries a Skip.
    const skipping = Y.mergeUpdates([first!, third!, other!]);
    expect(Y.decodeUpdate(skipping).structs.some((struct) => struct instanceof Y.Skip)).toBe(true);
    for (const update of [first!, skipping, Y.mergeUpdates([first!, gap!, third!, other!])]) {
      expect(endsOf(updateEffect(server, update))).toEqual(Y.parseUpdateMeta(update).to);
    }
  });

  it("tells a change from an update the document already holds", () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    const [typed] = updatesOf(client, () => client.getText("t").insert(0, "abc"));
    const [deleted] = updatesOf(client, () => client.getText("t").delete(1, 1));
    expect(updateEffect(server, typed!).kind).toBe("change");
    Y.applyUpdate(server, typed!);
    expect(updateEffect(server, typed!).kind).toBe("noop");
    // A deletion carries no structs: a change with no end clocks, then a no-op.
    expect(updateEffect(server, deleted!)).toEqual({ kind: "change", ends: new Map() });
    Y.applyUpdate(server, deleted!);
    expect(updateEffect(server, deleted!).kind).toBe("noop");
    // A reconnecting client's sync step 2: the whole state, nothing new.
    expect(updateEffect(server, Y.encodeStateAsUpdate(client)).kind).toBe("noop");
  });

  it("reports an undecodable update as malformed", () => {
    expect(updateEffect(new Y.Doc(), new Uint8Array([1, 2, 3])).kind).toBe("malformed");
  });
});
