import * as Y from "yjs";

// Reading an incoming update against a room's document before anything is applied.

/** What an incoming update would do to a document. */
export type UpdateEffect =
  | { readonly kind: "malformed"; readonly reason: string }
  /** Everything in it is already in the document (a reconnecting client's sync step 2). */
  | { readonly kind: "noop" }
  | {
      readonly kind: "change";
      /**
       * For each client the update carries structs of, the clock just past its last one: the
       * `to` of `Y.parseUpdateMeta`, read from the same decoding so that a keystroke is not
       * decoded once more to learn it.
       */
      readonly ends: ReadonlyMap<number, number>;
    };

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
  const selfReference = badSelfReference(decoded.structs);
  if (selfReference) return { kind: "malformed", reason: selfReference };
  for (const [client, ranges] of decoded.ds.clients) {
    // Yjs cannot re-encode an empty range it has to keep pending, and throws after the
    // structs of the same update are already in.
    if (ranges.some(({ len }) => !(len > 0))) {
      return { kind: "malformed", reason: `an empty delete range of client ${client}` };
    }
  }
  // Structs come grouped by client, each group in clock order (Skips included, as in
  // parseUpdateMeta), so the last struct of a client's group sets its end.
  const ends = new Map<number, number>();
  let adds = false;
  for (const struct of decoded.structs) {
    const end = struct.id.clock + struct.length;
    ends.set(struct.id.client, end);
    if (!(struct instanceof Y.Skip) && end > Y.getState(doc.store, struct.id.client)) adds = true;
  }
  if (adds) return { kind: "change", ends };
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (
        !structs ||
        clock + len > Y.getState(doc.store, client) ||
        !allDeleted(structs, clock, len)
      ) {
        return { kind: "change", ends };
      }
    }
  }
  return { kind: "noop" };
}

interface StructId {
  readonly client: number;
  readonly clock: number;
}

/**
 * Why an item of `structs` points at its own client's history where no struct can be: at
 * itself or later, or into a gap the update skips. Yjs checks references to other clients
 * and keeps such items pending, but trusts references to the item's own client, and an
 * update breaking that trust makes it throw halfway through integrating, leaving the
 * document in a state it cannot encode faithfully. Null when there is no such item.
 */
function badSelfReference(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): string | null {
  const skips = structs.filter((s) => s instanceof Y.Skip);
  const skipped = (ref: StructId) =>
    skips.some(
      (s) =>
        s.id.client === ref.client && s.id.clock <= ref.clock && ref.clock < s.id.clock + s.length,
    );
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent as unknown;
    const refs = [struct.origin, struct.rightOrigin, isId(parent) ? parent : null];
    for (const ref of refs) {
      if (!ref || ref.client !== struct.id.client) continue;
      if (ref.clock >= struct.id.clock || skipped(ref)) {
        return `item ${struct.id.client}:${struct.id.clock} refers to ${ref.client}:${ref.clock}, which cannot precede it`;
      }
    }
  }
  return null;
}

function isId(value: unknown): value is StructId {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as StructId).client === "number" &&
    typeof (value as StructId).clock === "number"
  );
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
