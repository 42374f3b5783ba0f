import * as Y from "yjs";

// Reading an incoming update against a room's document before anything is applied.

/** What an incoming update would do to a document. */
export type UpdateEffect =
  | { readonly kind: "malformed"; readonly reason: string }
  /** Everything in it is already in the document (a reconnecting client's sync step 2). */
  | { readonly kind: "noop" }
  | { readonly kind: "change" };

/**
 * Classify `update` against `doc` without changing `doc`. An update is a no-op when every
 * struct it carries is already integrated and every range it deletes is already deleted;
 * y-websocket clients send one on every connect (sync step 2 always carries the whole
 * delete set), and an observer must not be refused for that.
 */
export function updateEffect(doc: Y.Doc, update: Uint8Array): UpdateEffect {
  let decoded: {
    structs: Array<Y.Item | Y.GC | Y.Skip>;
    ds: { clients: Map<number, Array<{ clock: number; len: number }>> };
  };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch (error) {
    return { kind: "malformed", reason: `undecodable update: ${(error as Error).message}` };
  }
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) {
      return { kind: "change" };
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (len === 0) continue;
      if (!structs || clock + len > Y.getState(doc.store, client)) return { kind: "change" };
      if (!allDeleted(structs, clock, len)) return { kind: "change" };
    }
  }
  return { kind: "noop" };
}

function allDeleted(structs: Array<Y.Item | Y.GC>, clock: number, len: number): boolean {
  try {
    let i = Y.findIndexSS(structs, clock);
    for (let s = structs[i]; s && s.id.clock < clock + len; s = structs[++i]) {
      if (!s.deleted) return false;
    }
    return true;
  } catch {
    // A gap in the struct store: let the update through to Yjs, which keeps it pending.
    return false;
  }
}
