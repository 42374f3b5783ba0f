import * as Y from "yjs";
import { docFragmentName, registryMapNames } from "../../schema/yregistry.ts";
import { deletedItems, type Era, newItems, rootName, typePath } from "./era.ts";
import {
  blockAttrFault,
  isBlockName,
  isTextBlock,
  mayContain,
  readMarkAttribute,
} from "./shapes.ts";

// What one update changed in a draft, read from the items of its transaction on the room's
// document: the text blocks whose words changed, blocks added or removed, block attributes
// changed, and the registry entries touched, plus anything no honest client writes. Only
// the items of the transaction are visited here; `text-diff.ts` then compares the touched
// blocks' words (or, for a block that only gained string items, reads just those), never
// the whole document.

/** A block added or removed. */
export interface BlockChange {
  readonly element: Y.XmlElement;
  readonly item: Y.Item;
}

/** A registry collection (a top-level Y.Map of the draft). */
export type Collection = keyof typeof registryMapNames;

/** The parts of one registry entry an update touched. */
export interface EntryTouch {
  readonly collection: Collection;
  readonly id: string;
  /** The map itself set or deleted the entry's key (creation, replacement or removal). */
  top: boolean;
  /** Fields of a nested entry (a bracket's status, a chair's text's replaces …). */
  readonly fields: Set<string>;
  /** Parties whose position on the bracket was set or removed. */
  readonly positions: Set<string>;
}

/** A structural fault: something no client of this schema writes. */
export interface Fault {
  readonly rule: "unknown-type" | "content-malformed";
  readonly reason: string;
}

/** Everything one transaction changed. */
export interface ChangeSet {
  /** Text blocks whose words changed (their texts had items added or deleted). */
  readonly texts: Set<Y.XmlElement>;
  readonly blocksInserted: BlockChange[];
  readonly blocksDeleted: BlockChange[];
  /** Attributes changed on blocks that existed before. */
  readonly attrsChanged: { readonly element: Y.XmlElement; readonly key: string }[];
  readonly entries: Map<string, EntryTouch>;
  readonly faults: Fault[];
  /** Whether the transaction added or deleted anything at all. */
  readonly touched: boolean;
  /**
   * For each block in `texts`, the string items the transaction added to it, in store order,
   * when that is all it did to the block: no deletion, no formatting item, no child added or
   * removed, in texts that existed before. Null for a block with any other change. Such a
   * block's visible change is exactly those words, inserted with the marks in force where
   * they stand (see `localDiff`), so its words need not be aligned.
   */
  readonly stringsOnly: Map<Y.XmlElement, Y.Item[] | null>;
}

const collections = new Map<string, Collection>(
  Object.entries(registryMapNames).map(([key, name]) => [name, key as Collection]),
);

/** Read what the transaction `era` describes changed. */
export function collectChanges(era: Era): ChangeSet {
  const set: ChangeSet = {
    texts: new Set(),
    blocksInserted: [],
    blocksDeleted: [],
    attrsChanged: [],
    entries: new Map(),
    faults: [],
    touched: false,
    stringsOnly: new Map(),
  };
  const texts = new Set<Y.XmlText>();
  // Per text: the plain string items added, or null once anything else touched it.
  const strings = new Map<object, Y.Item[] | null>();
  const added = newItems(era.tr);
  const removed = deletedItems(era.tr).filter((item) => !era.isNew(item));
  for (const item of added) {
    noteItem(era, set, texts, item, true);
    noteString(strings, item, true);
  }
  for (const item of removed) {
    noteItem(era, set, texts, item, false);
    noteString(strings, item, false);
  }
  (set as { touched: boolean }).touched = added.length > 0 || removed.length > 0;
  for (const text of texts) {
    const block = text.parent;
    if (!(block instanceof Y.XmlElement)) continue;
    set.texts.add(block);
    const own = strings.get(text) ?? null;
    const fresh = text._item === null || era.isNew(text._item) || text._item.deleted;
    const before = set.stringsOnly.has(block) ? set.stringsOnly.get(block)! : [];
    set.stringsOnly.set(
      block,
      own === null || fresh || before === null || strings.get(block) === null
        ? null
        : [...before, ...own],
    );
  }
  return set;
}

/**
 * Note an item for `stringsOnly`: a new, still visible string item without attributes adds
 * to its text's list; anything else in a text or a block (a deletion, formatting, a child or
 * an attribute) spoils its parent's list for good.
 */
function noteString(strings: Map<object, Y.Item[] | null>, item: Y.Item, isNew: boolean) {
  const parent = item.parent;
  if (!(parent instanceof Y.XmlText) && !(parent instanceof Y.XmlElement)) return;
  const list = strings.has(parent) ? strings.get(parent)! : [];
  const plain =
    isNew &&
    parent instanceof Y.XmlText &&
    !item.deleted &&
    item.parentSub === null &&
    item.content instanceof Y.ContentString;
  if (list === null) return;
  if (plain) list.push(item);
  strings.set(parent, plain ? list : null);
}

function noteItem(era: Era, set: ChangeSet, texts: Set<Y.XmlText>, item: Y.Item, isNew: boolean) {
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType)) {
    set.faults.push({ rule: "unknown-type", reason: "An item has no parent type" });
    return;
  }
  const path = typePath(parent);
  const name = rootName(path[0]!);
  if (name === docFragmentName) {
    noteDocItem(era, set, texts, item, parent, isNew);
    return;
  }
  const collection = collections.get(name);
  if (!collection) {
    set.faults.push({
      rule: "unknown-type",
      reason: `Writes to ${name.slice(0, 80)}, which is not part of a draft`,
    });
    return;
  }
  noteRegistryItem(set, item, path, collection);
}

function noteDocItem(
  era: Era,
  set: ChangeSet,
  texts: Set<Y.XmlText>,
  item: Y.Item,
  parent: Y.AbstractType<unknown>,
  isNew: boolean,
) {
  const content = item.content;
  if (parent instanceof Y.XmlText) {
    texts.add(parent);
    if (!isNew) return;
    if (item.parentSub !== null) {
      set.faults.push({ rule: "content-malformed", reason: "Text carries node attributes" });
    } else if (content instanceof Y.ContentFormat) {
      const mark = readMarkAttribute(content.key, content.value);
      if ("fault" in mark) set.faults.push({ rule: "content-malformed", reason: mark.fault });
    } else if (!(content instanceof Y.ContentString)) {
      set.faults.push({ rule: "content-malformed", reason: "Text holds something not text" });
    }
    return;
  }
  const isElement = parent instanceof Y.XmlElement;
  if (!isElement && !(parent instanceof Y.XmlFragment)) {
    set.faults.push({ rule: "content-malformed", reason: "The document holds a foreign type" });
    return;
  }
  if (item.parentSub !== null) {
    if (!isElement) {
      set.faults.push({ rule: "content-malformed", reason: "The document root has attributes" });
      return;
    }
    const element = parent as Y.XmlElement;
    if (isNew && !item.deleted) {
      const value = item.content.getContent()[0];
      const problem = blockAttrFault(element.nodeName, item.parentSub, value);
      if (problem) set.faults.push({ rule: "content-malformed", reason: problem });
    }
    // Attributes of a block deleted whole go with it; that is judged as a block deletion.
    const own = element._item;
    if (own && !era.isNew(own) && !era.deletedNow(own)) {
      set.attrsChanged.push({ element, key: item.parentSub });
    }
    return;
  }
  if (!(content instanceof Y.ContentType)) {
    set.faults.push({ rule: "content-malformed", reason: "A block holds something not a node" });
    return;
  }
  const parentName = isElement ? (parent as Y.XmlElement).nodeName : null;
  const child = content.type;
  if (child instanceof Y.XmlText) {
    if (isNew && (parentName === null || !isTextBlock(parentName))) {
      set.faults.push({ rule: "content-malformed", reason: "Text outside a text block" });
    }
    return;
  }
  if (!(child instanceof Y.XmlElement)) {
    set.faults.push({ rule: "content-malformed", reason: "A block holds a foreign type" });
    return;
  }
  if (!isNew) {
    set.blocksDeleted.push({ element: child, item });
    return;
  }
  if (!isBlockName(child.nodeName) || !mayContain(parentName, child.nodeName)) {
    set.faults.push({
      rule: "content-malformed",
      reason: `A ${child.nodeName.slice(0, 40)} cannot stand in ${parentName ?? "the document"}`,
    });
    return;
  }
  if (item.deleted) return;
  const id = child.getAttribute("id");
  if (typeof id !== "string" || id.length === 0) {
    set.faults.push({ rule: "content-malformed", reason: `A new ${child.nodeName} has no id` });
    return;
  }
  set.blocksInserted.push({ element: child, item });
}

function noteRegistryItem(
  set: ChangeSet,
  item: Y.Item,
  path: Y.AbstractType<unknown>[],
  collection: Collection,
) {
  const nested = collection === "brackets" || collection === "chairAlternatives";
  const malformed = () =>
    set.faults.push({
      rule: "content-malformed",
      reason: `A write to ${collection} does not fit the registry's layout`,
    });
  if (item.parentSub === null) return malformed();
  if (path.length === 1) {
    touch(set, collection, item.parentSub).top = true;
    return;
  }
  if (!nested) return malformed();
  const entryItem = path[1]!._item!;
  if (entryItem.parentSub === null) return malformed();
  const entry = touch(set, collection, entryItem.parentSub);
  if (path.length === 2) {
    entry.fields.add(item.parentSub);
    return;
  }
  if (path.length === 3 && collection === "brackets" && path[2]!._item!.parentSub === "positions") {
    entry.positions.add(item.parentSub);
    return;
  }
  malformed();
}

function touch(set: ChangeSet, collection: Collection, id: string): EntryTouch {
  const key = `${collection}\u0000${id}`;
  let entry = set.entries.get(key);
  if (!entry) {
    entry = { collection, id, top: false, fields: new Set(), positions: new Set() };
    set.entries.set(key, entry);
  }
  return entry;
}
