import type * as Y from "yjs";
import type { Identity } from "../guard.ts";
import type { MarkRef } from "./shapes.ts";

// What typing under a set of marks was already found to be allowed, per sender. A keystroke
// is judged from the words it adds (`localDiff`), and whether one typed character may stand
// where it does depends on nothing but the marks in force there, who typed it and the
// registry entries those marks name: its own open proposal, its own attribution, entries
// for every mark. So once a mark set passed the word rules for a sender, every later
// character typed under the same set by the same sender passes them too, for as long as the
// registry stays as it was. The guard forgets everything at any change to the registry,
// whoever makes it (a bracket closed by the chair, a proposal withdrawn, an entry added), and
// when the room's document is replaced.
//
// Only allowed mark sets are kept: a refusal is always judged in full, so that its reason
// names the words.

/** At most this many mark sets are kept; past it the cache starts over. */
const maxEntries = 4096;

/** Mark sets each sender may type under, while the registry is unchanged. */
export class TypingVerdicts {
  /** Per sender (a connection's identity), the keys of the mark sets it may type under. */
  #allowed = new WeakMap<Identity, Set<string>>();
  /** Keys of mark arrays seen lately; `localDiff` shares one array per run of characters. */
  readonly #keys = new WeakMap<readonly MarkRef[], string>();

  /** Whether `identity` was already allowed to type under `marks`. */
  allows(identity: Identity, marks: readonly MarkRef[]): boolean {
    return this.#allowed.get(identity)?.has(this.#key(marks)) ?? false;
  }

  /** Remember that `identity` may type under `marks` (every word rule passed). */
  allow(identity: Identity, marks: readonly MarkRef[]): void {
    let sets = this.#allowed.get(identity);
    if (!sets) {
      sets = new Set();
      this.#allowed.set(identity, sets);
    }
    if (sets.size >= maxEntries) sets.clear();
    sets.add(this.#key(marks));
  }

  /** Forget everything: the registry changed, or the document was replaced. */
  clear(): void {
    this.#allowed = new WeakMap();
  }

  #key(marks: readonly MarkRef[]): string {
    let key = this.#keys.get(marks);
    if (key === undefined) {
      // Each part spells its id's length, so no id, whatever characters it holds, can make
      // two different sets read the same; sorted, so that order does not matter.
      const parts = marks.map((m) => `${m.id.length}:${m.type}:${m.id}`);
      key = parts.length > 1 ? parts.sort().join("") : (parts[0] ?? "");
      this.#keys.set(marks, key);
    }
    return key;
  }
}

/**
 * Whether the transaction changed anything outside the draft's words and blocks: an item
 * added to or removed from any root type other than `fragment` (the registry maps), or below
 * one. What the word rules read lives there.
 */
export function changesRegistry(tr: Y.Transaction, fragment: Y.XmlFragment): boolean {
  for (const type of tr.changed.keys()) {
    let root = type;
    while (root._item !== null) root = root._item.parent as typeof type;
    if ((root as unknown) !== fragment) return true;
  }
  return false;
}
