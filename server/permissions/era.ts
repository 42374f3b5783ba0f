import * as Y from "yjs";

// A Yjs transaction seen from both sides: what the document held before it and what it holds
// after. The guard inspects a transaction on the room's document at `beforeObserverCalls`,
// when the delete set is sorted and the after state is known but nothing has been garbage
// collected or merged yet: items deleted by the transaction still carry their content, and
// new items have not been merged into older neighbours, so "new" can be read from a clock.

/** A type with keyed entries (a Y.Map, or a Y.XmlElement's attributes). */
export interface Keyed {
  readonly _map: Map<string, Y.Item>;
}

/** Which side of a transaction a value is read from. */
export type Side = "before" | "after";

/** Before/after views of the items a transaction touched. */
export class Era {
  constructor(readonly tr: Y.Transaction) {}

  /** Whether the item was added by this transaction. */
  isNew(item: Y.Item): boolean {
    return item.id.clock >= (this.tr.beforeState.get(item.id.client) ?? 0);
  }

  /** Whether this transaction deleted the item (it existed and was visible before). */
  deletedNow(item: Y.Item): boolean {
    return item.deleted && Y.isDeleted(this.tr.deleteSet, item.id) && !this.isNew(item);
  }

  /** Whether the item was part of the visible document before the transaction. */
  aliveBefore(item: Y.Item): boolean {
    if (this.isNew(item)) return false;
    return !item.deleted || Y.isDeleted(this.tr.deleteSet, item.id);
  }

  /** Whether the item is part of the visible document after the transaction. */
  aliveAfter(item: Y.Item): boolean {
    return !item.deleted;
  }

  /** Whether the item was visible on the given side. */
  alive(item: Y.Item, side: Side): boolean {
    return side === "before" ? this.aliveBefore(item) : this.aliveAfter(item);
  }

  /**
   * The value under `key` of a map-like type on the given side, or undefined when there was
   * none. Before the transaction at most the rightmost pre-existing item of a key was
   * visible (Yjs deletes the loser of every concurrent set), so the walk from the current
   * item leftwards stops at the first item that existed before.
   */
  mapGet(type: Keyed, key: string, side: Side): unknown {
    let item: Y.Item | null = type._map.get(key) ?? null;
    if (side === "after") return item && !item.deleted ? lastContent(item) : undefined;
    while (item !== null && this.isNew(item)) item = item.left;
    return item && this.aliveBefore(item) ? lastContent(item) : undefined;
  }

  /** The keys of a map-like type that had a value on the given side. */
  mapKeys(type: Keyed, side: Side): string[] {
    const keys: string[] = [];
    for (const key of type._map.keys()) {
      if (this.mapGet(type, key, side) !== undefined) keys.push(key);
    }
    return keys;
  }
}

function lastContent(item: Y.Item): unknown {
  const content = item.content.getContent();
  return content[content.length - 1];
}

/** The root type an item or type lies in, and the chain of types from the root down. */
export function typePath(type: Y.AbstractType<unknown>): Y.AbstractType<unknown>[] {
  const path: Y.AbstractType<unknown>[] = [type];
  let current = type;
  while (current._item !== null) {
    current = current._item.parent as Y.AbstractType<unknown>;
    path.unshift(current);
  }
  return path;
}

/** The name of a root type in its document. */
export function rootName(root: Y.AbstractType<unknown>): string {
  return Y.findRootTypeKey(root);
}

/** Every item this transaction added, in store order (GC structs are skipped). */
export function newItems(tr: Y.Transaction): Y.Item[] {
  const items: Y.Item[] = [];
  for (const [client, afterClock] of tr.afterState) {
    const beforeClock = tr.beforeState.get(client) ?? 0;
    if (afterClock === beforeClock) continue;
    const structs = tr.doc.store.clients.get(client);
    if (!structs) continue;
    for (let i = Y.findIndexSS(structs, beforeClock); i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct.id.clock >= afterClock) break;
      if (struct instanceof Y.Item) items.push(struct);
    }
  }
  return items;
}

/** Every item this transaction deleted that existed before it (GC structs are skipped). */
export function deletedItems(tr: Y.Transaction): Y.Item[] {
  const items: Y.Item[] = [];
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (struct instanceof Y.Item) items.push(struct);
  });
  return items;
}
