import * as Y from "yjs";
import { deletedItems, type Era } from "./era.ts";

// Taking a refused update back out of the shadow document without rebuilding it from the
// live one (which costs a full encode and decode of the draft, a second on a large one).
// Yjs cannot un-integrate items, but an update that only added items (words, marks, new
// registry keys) is undone, as far as anything visible goes, by deleting what it added: the
// shadow then differs from the live document only by tombstones no honest client refers
// to. An update that deleted or overwrote anything cannot be undone that way (Yjs never
// revives a deleted item), and neither can one whose formatting made Yjs clean up old
// format items, nor one left half-integrated; those still need the rebuild. The client ids
// of a refused update are burnt (see ClientBindings), so its structs can never be offered
// again as if already known.

/** What a transaction added, as clock ranges per client, and whether it deleted old items. */
export interface Footprint {
  readonly added: ReadonlyMap<number, readonly [number, number]>;
  readonly deletedOld: boolean;
}

/** The footprint of the transaction `era` describes. */
export function footprintOf(era: Era): Footprint {
  const added = new Map<number, [number, number]>();
  for (const [client, after] of era.tr.afterState) {
    const before = era.tr.beforeState.get(client) ?? 0;
    if (after > before) added.set(client, [before, after]);
  }
  return { added, deletedOld: deletedItems(era.tr).some((item) => !era.isNew(item)) };
}

/** Delete, in one local transaction, every item in the given clock ranges. */
export function deleteAdded(doc: Y.Doc, added: Footprint["added"], origin: unknown): void {
  Y.transact(
    doc,
    (tr) => {
      for (const [client, [from, to]] of added) {
        const structs = doc.store.clients.get(client);
        if (!structs) continue;
        const first = structs[Y.findIndexSS(structs, from)];
        // A new item may have been merged into an older one of the same client; split it
        // so that only the new part is deleted.
        if (first instanceof Y.Item && first.id.clock < from) {
          Y.getItemCleanStart(tr, Y.createID(client, from));
        }
        for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
          const struct = structs[i]!;
          if (struct.id.clock >= to) break;
          if (struct instanceof Y.Item && !struct.deleted) struct.delete(tr);
        }
      }
    },
    origin,
  );
}
