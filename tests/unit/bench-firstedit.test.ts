import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { buildBigDraft } from "../../bench/bigdraft.ts";
import { firstEditUpdate } from "../../bench/firstedit.ts";
import { scanEditTags } from "../../bench/wire.ts";
import { GuardedRoom, identityOf } from "../../server/permissions/testing.ts";
import { pakistan } from "./commands/fixtures.ts";

function loadedRoom(): { room: GuardedRoom; stored: Uint8Array } {
  const room = new GuardedRoom(buildBigDraft({ pages: 3, seed: 7 }).draft);
  return { room, stored: Y.encodeStateAsUpdate(room.live) };
}

describe("the first edit of a large draft", () => {
  it("passes the permission guard as the delegation's own proposal", () => {
    const { room, stored } = loadedRoom();
    expect(room.send(firstEditUpdate(stored, pakistan, 3), identityOf(pakistan))).toEqual({
      ok: true,
    });
  });

  it("carries its edit tag, so a watching receiver can see it arrive", () => {
    const { stored } = loadedRoom();
    const seen: number[] = [];
    const edit = firstEditUpdate(stored, pakistan, 3);
    scanEditTags(edit, 0, edit.length, (id) => seen.push(id));
    expect(seen).toEqual([3]);
  });

  it("writes only the paragraph it changes: nothing deleted, a few items, not the draft", () => {
    const { stored } = loadedRoom();
    const { structs, ds } = Y.decodeUpdate(firstEditUpdate(stored, pakistan, 0));
    expect([structs.length < 30, ds.clients.size]).toEqual([true, 0]);
  });
});
