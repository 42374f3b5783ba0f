import * as Y from "yjs";
import { docFragmentName, registryMapNames } from "../../schema/yregistry.ts";
import { deletedItems, type Era, newItems, rootName, typePath } from "./era.ts";
import {
  blockAttrFault,
  isBlockName,
  isTextBlock,
  type MarkRef,
  mayContain,
  readMarkAttribute,
} from "./shapes.ts";

// What one update changed in a draft, read from the items of its transaction on the shadow
// document: words inserted and deleted (with the marks they carry), marks added to or
// removed from words that stay, blocks added or removed, block attributes changed, and the
// registry entries touched. Only the paragraphs an update touched are walked (to know the
// marks in force at a changed word), never the whole document.

/** Words inserted or deleted, with the marks they carry (after insertion, before deletion). */
export interface TextRun {
  readonly text: string;
  readonly marks: readonly MarkRef[];
  /** The block the words lie in. */
  readonly block: Y.XmlElement | null;
}

/** Marks added to or removed from words that exist on both sides. */
export interface MarkChange {
  readonly text: string;
  readonly added: readonly MarkRef[];
  readonly removed: readonly MarkRef[];
}

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
  readonly inserted: TextRun[];
  readonly deleted: TextRun[];
  readonly reformatted: MarkChange[];
  readonly blocksInserted: BlockChange[];
  readonly blocksDeleted: BlockChange[];
  /** Attributes changed on blocks that existed before. */
  readonly attrsChanged: { readonly element: Y.XmlElement; readonly key: string }[];
  readonly entries: Map<string, EntryTouch>;
  readonly faults: Fault[];
  /** Whether the transaction added or deleted anything at all. */
  readonly touched: boolean;
}

const collections = new Map<string, Collection>(
  Object.entries(registryMapNames).map(([key, name]) => [name, key as Collection]),
);

/** Read what the transaction `era` describes changed. */
export function collectChanges(era: Era): ChangeSet {
  const set: ChangeSet = {
    inserted: [],
    deleted: [],
    reformatted: [],
    blocksInserted: [],
    blocksDeleted: [],
    attrsChanged: [],
    entries: new Map(),
    faults: [],
    touched: false,
  };
  const texts = new Set<Y.XmlText>();
  const added = newItems(era.tr);
  const removed = deletedItems(era.tr).filter((item) => !era.isNew(item));
  for (const item of added) {
    noteItem(era, set, texts, item, true);
  }
  for (const item of removed) {
    noteItem(era, set, texts, item, false);
  }
  (set as { touched: boolean }).touched = added.length > 0 || removed.length > 0;
  for (const text of texts) walkText(era, set, text);
  return set;
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
  if (!item.deleted) set.blocksInserted.push({ element: child, item });
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

function applyFormat(attrs: Map<string, string>, key: string, value: unknown) {
  const mark = readMarkAttribute(key, value);
  // A fault here is an old item that predates the guard; it stands for no mark.
  if ("fault" in mark || mark.value === null) attrs.delete(key);
  else attrs.set(key, `${mark.value.type}\u0000${mark.value.id}`);
}

function marksOf(attrs: Map<string, string>): MarkRef[] {
  return [...attrs.values()].map(toMarkRef);
}

function toMarkRef(encoded: string): MarkRef {
  const [type, id] = encoded.split("\u0000") as [MarkRef["type"], string];
  return { type, id };
}

/**
 * Walk one Y.XmlText and sort its words into inserted, deleted and reformatted, computing
 * the formatting in force on each side as Yjs does: a format item sets its key for the
 * words that follow until the next format item of that key.
 */
function walkText(era: Era, set: ChangeSet, ytext: Y.XmlText) {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  const block = ytext.parent instanceof Y.XmlElement ? ytext.parent : null;
  for (let item = ytext._start; item !== null; item = item.right) {
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (era.aliveBefore(item)) applyFormat(before, content.key, content.value);
      if (era.aliveAfter(item)) applyFormat(after, content.key, content.value);
      continue;
    }
    if (!(content instanceof Y.ContentString)) continue;
    const was = era.aliveBefore(item);
    const is = era.aliveAfter(item);
    if (!was && is) set.inserted.push({ text: content.str, marks: marksOf(after), block });
    else if (was && !is) set.deleted.push({ text: content.str, marks: marksOf(before), block });
    else if (was && is) {
      const beforeMarks = new Set(before.values());
      const afterMarks = new Set(after.values());
      const addedMarks = [...afterMarks].filter((m) => !beforeMarks.has(m));
      const removedMarks = [...beforeMarks].filter((m) => !afterMarks.has(m));
      if (addedMarks.length > 0 || removedMarks.length > 0) {
        set.reformatted.push({
          text: content.str,
          added: addedMarks.map(toMarkRef),
          removed: removedMarks.map(toMarkRef),
        });
      }
    }
  }
}
