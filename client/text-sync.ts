import * as buffer from "lib0/buffer";
import * as sha256 from "lib0/hash/sha256";
import type { Mark, Node } from "prosemirror-model";
import type { EditorState, Transaction } from "prosemirror-state";
import { ReplaceStep } from "prosemirror-transform";
import { ySyncPluginKey } from "y-prosemirror";
import * as Y from "yjs";
import { draftTypes } from "../schema/yregistry.ts";

// y-prosemirror writes a local change into the Y.Doc by diffing each changed paragraph's
// old and new *strings* (common prefix and suffix, marks ignored) and then re-applying the
// marks over the whole paragraph. When inserted words begin with the character that follows
// the cursor (typing " word" before " Committee"), the diff places the new characters one
// further along and moves the bracket mark onto the old ones: the Y.Doc then says that
// agreed text was re-marked and unmarked text inserted by the delegation. The words read
// the same, but authorship is read from Yjs items (DESIGN §5), and a permission check of
// those items refuses it (it did, in the server's first guard). So plain text insertions
// are written into the Y.Doc here, at
// the right place with their marks, before y-prosemirror looks; its diff then finds nothing
// left to do. Anything else (deletions, splits, structure) is left to y-prosemirror.

interface Binding {
  mux(f: () => void, g?: () => void): void;
}

/** y-prosemirror's attribute hash for marks that may overlap (`excludes: ""`). */
function hashOfJSON(json: unknown): string {
  const digest = sha256.digest(buffer.encodeAny(json));
  const size = 6;
  for (let i = size; i < digest.length; i++) digest[i % size]! ^= digest[i]!;
  return buffer.toBase64(digest.slice(0, size));
}

/** The Y.Text attributes y-prosemirror writes for `marks`. */
export function marksToAttributes(marks: readonly Mark[]): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const mark of marks) {
    const overlapping = !mark.type.excludes(mark.type);
    const key = overlapping ? `${mark.type.name}--${hashOfJSON(mark.toJSON())}` : mark.type.name;
    attributes[key] = mark.attrs;
  }
  return attributes;
}

/**
 * The Y.XmlText holding the textblock around `pos` in `doc`, and the offset of `pos` in
 * it, or null when the Y.Doc's shape does not match (an empty paragraph has no Y.XmlText
 * yet; a remote change may be on its way).
 */
export function yTextAt(
  fragment: Y.XmlFragment,
  doc: Node,
  pos: number,
): { text: Y.XmlText; offset: number } | null {
  const $pos = doc.resolve(pos);
  if (!$pos.parent.isTextblock) return null;
  let parent: Y.XmlFragment | Y.XmlElement = fragment;
  for (let depth = 0; depth < $pos.depth; depth++) {
    const child: unknown = parent.get($pos.index(depth));
    const node = $pos.node(depth + 1);
    if (!(child instanceof Y.XmlElement) || child.nodeName !== node.type.name) return null;
    parent = child;
  }
  const text = parent.length === 1 ? parent.get(0) : null;
  if (!(text instanceof Y.XmlText) || text.length !== $pos.parent.content.size) return null;
  return { text, offset: $pos.parentOffset };
}

/** The text nodes a step inserts at one point without removing anything, or null. */
function pureInsertion(step: unknown, doc: Node): { pos: number; nodes: Node[] } | null {
  if (!(step instanceof ReplaceStep)) return null;
  const json = step.toJSON() as { from: number; to: number; structure?: boolean };
  const { slice } = step;
  if (json.from !== json.to || slice.openStart !== 0 || slice.openEnd !== 0) return null;
  const nodes: Node[] = [];
  let onlyText = true;
  slice.content.forEach((node) => {
    if (node.isText) nodes.push(node);
    else onlyText = false;
  });
  if (!onlyText || nodes.length === 0) return null;
  if (!doc.resolve(json.from).parent.inlineContent) return null;
  return { pos: json.from, nodes };
}

/**
 * Write the pure text insertions of local `transactions` (applied in order to `state`)
 * into `ydoc` as y-prosemirror would have meant to, inside the binding's lock so that its
 * own observer does not redraw the editor from them. Stops at the first step that is not a
 * pure insertion; y-prosemirror's diff takes over from there. Does nothing without a sync
 * plugin or for remote transactions.
 */
export function writeInsertionsFirst(
  state: EditorState,
  transactions: readonly Transaction[],
  ydoc: Y.Doc,
): void {
  const syncState = ySyncPluginKey.getState(state) as { binding?: Binding } | undefined;
  const binding = syncState?.binding;
  if (!binding) return;
  const fragment = draftTypes(ydoc).fragment;
  const writes: (() => void)[] = [];
  outer: for (const tr of transactions) {
    const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
    if (!tr.docChanged || meta?.isChangeOrigin) continue;
    for (let i = 0; i < tr.steps.length; i++) {
      const before = tr.docs[i]!;
      const insertion = pureInsertion(tr.steps[i], before);
      const target = insertion ? yTextAt(fragment, before, insertion.pos) : null;
      if (!insertion || !target) break outer;
      let offset = target.offset;
      for (const node of insertion.nodes) {
        const words = node.text ?? "";
        const at = offset;
        writes.push(() => target.text.insert(at, words, marksToAttributes(node.marks)));
        offset += words.length;
      }
    }
  }
  if (writes.length === 0) return;
  binding.mux(() => {
    ydoc.transact(() => {
      for (const write of writes) write();
    }, ySyncPluginKey);
  });
}
