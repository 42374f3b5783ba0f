import type { Command, EditorState, Transaction } from "prosemirror-state";
import { updateYFragment } from "y-prosemirror";
import * as Y from "yjs";
import { type Draft, draftFromYDoc, draftToYDoc } from "../../schema/draft.ts";
import type { Actor } from "../../schema/registry.ts";
import { createDraftState, registryOpsOf } from "../../schema/state.ts";
import { applyOpsToYDoc, draftTypes } from "../../schema/yregistry.ts";
import type { Identity, Verdict } from "../guard.ts";
import { updateEffect } from "../updates.ts";
import { createPermissionGuard, type PermissionGuard } from "./guard.ts";

// An in-memory room behind a permission guard, with clients that act through the model's
// commands (as the browser does) or through raw Y.Doc edits (as a hostile client may). For
// the guard's tests and its benchmark; the server wires the guard the same way.

/** The identity of a connection in the given role. */
export function identityOf(actor: Actor, docId = "draft"): Identity {
  return {
    docId,
    party: actor.party,
    role: actor.role,
    onBehalfOf: actor.onBehalfOf ?? null,
    invitation: `invitation-${actor.party}`,
  };
}

/**
 * A live document behind a guard, kept as the server's room keeps it: the guard applies
 * each update, and a refused update that got into the document makes the room rebuild it
 * from everything it accepted.
 */
export class GuardedRoom {
  #live: Y.Doc;
  readonly name = "room";
  /** The initial state and every accepted update since. */
  readonly #history: Uint8Array[];
  /** How many times a refused update made the room rebuild its document. */
  rebuilds = 0;

  /** A room holding `draft`, or the document state `draft` encodes (a copy of another room). */
  constructor(
    draft: Draft | Uint8Array,
    readonly guard: PermissionGuard = createPermissionGuard(),
  ) {
    if (draft instanceof Uint8Array) {
      this.#live = new Y.Doc();
      Y.applyUpdate(this.#live, draft);
    } else {
      this.#live = draftToYDoc(draft);
    }
    this.#history = [Y.encodeStateAsUpdate(this.#live)];
    this.#live.on("update", (update: Uint8Array) => this.#emitted.push(update));
    guard.open(this.name, this.#live);
  }

  #emitted: Uint8Array[] = [];

  /** The room's document (a new object after each rebuild). */
  get live(): Y.Doc {
    return this.#live;
  }

  /**
   * Send an update as sent by `identity`; the guard applies it when allowed. As in the
   * server's room, a malformed update or one that changes nothing never reaches the guard.
   */
  send(update: Uint8Array, identity: Identity): Verdict {
    const effect = updateEffect(this.#live, update);
    if (effect.kind === "malformed") {
      return { ok: false, rule: "update-malformed", reason: effect.reason };
    }
    if (effect.kind === "noop") return { ok: true };
    this.#emitted = [];
    const { verdict, touched } = this.guard.apply(
      this.name,
      this.#live,
      update,
      identity,
      effect.ends,
    );
    if (verdict.ok) this.#history.push(...this.#emitted);
    else if (touched) this.#rebuild();
    this.#emitted = [];
    return verdict;
  }

  #rebuild(): void {
    this.rebuilds++;
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of this.#history) Y.applyUpdate(doc, update);
    });
    doc.on("update", (update: Uint8Array) => this.#emitted.push(update));
    this.#live.destroy();
    this.#live = doc;
    this.guard.replace(this.name, doc);
  }

  /** A client of this room acting as `actor`, in step with the live document. */
  client(actor: Actor): GuardedClient {
    return new GuardedClient(this, actor);
  }

  /** Unload the room from the guard. */
  destroy(): void {
    this.guard.close(this.name);
    this.#live.destroy();
  }
}

/** A client's replica of a guarded room. */
export class GuardedClient {
  readonly doc = new Y.Doc();
  readonly identity: Identity;

  constructor(
    readonly room: GuardedRoom,
    readonly actor: Actor,
  ) {
    this.identity = identityOf(actor);
    this.sync();
  }

  /** Catch up with the live document. */
  sync(): void {
    Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(this.room.live, Y.encodeStateVector(this.doc)));
  }

  /** The editor state of the client's replica. */
  state(): EditorState {
    const { doc, registry } = draftFromYDoc(this.doc);
    return createDraftState(doc, registry);
  }

  /**
   * Run a command on the client's replica, caught up first; see `commandUpdate`.
   */
  command(command: Command, prepare?: (state: EditorState) => Transaction): Uint8Array {
    this.sync();
    return commandUpdate(this.doc, command, prepare);
  }

  /** Run a command and send its registry ops and document change as two updates. */
  runSplit(command: Command, prepare?: (state: EditorState) => Transaction): Verdict[] {
    this.sync();
    return commandUpdatesSplit(this.doc, command, prepare).map((update) => this.send(update));
  }

  /** Make raw edits to the replica in one transaction and return their update. */
  edit(change: (doc: Y.Doc) => void): Uint8Array {
    this.sync();
    const before = Y.encodeStateVector(this.doc);
    this.doc.transact(() => change(this.doc));
    return Y.encodeStateAsUpdate(this.doc, before);
  }

  /** Send an update to the room as this client. */
  send(update: Uint8Array): Verdict {
    return this.room.send(update, this.identity);
  }

  /** Run a command and send its update. */
  run(command: Command, prepare?: (state: EditorState) => Transaction): Verdict {
    return this.send(this.command(command, prepare));
  }
}

/**
 * Run a command on the draft held in `ydoc` (after `prepare`, e.g. to place the selection)
 * and return the Yjs update it produced: the document change as y-prosemirror writes it and
 * the registry ops, in one Yjs transaction, as a client must send them (a mark whose registry
 * entry arrives in a later update is refused). Throws a `RangeError` when the command
 * declines to run.
 */
export function commandUpdate(
  ydoc: Y.Doc,
  command: Command,
  prepare?: (state: EditorState) => Transaction,
): Uint8Array {
  const { next, done } = runCommand(ydoc, command, prepare);
  const before = Y.encodeStateVector(ydoc);
  ydoc.transact(() => {
    const types = draftTypes(ydoc);
    updateYFragment(ydoc, types.fragment, next.doc, { mapping: new Map(), isOMark: new Map() });
    applyOpsToYDoc(ydoc, registryOpsOf(done));
  });
  return Y.encodeStateAsUpdate(ydoc, before);
}

/**
 * Like `commandUpdate`, but as two updates, the registry ops first and the document change
 * second: the order in which the browser's registry binding and y-prosemirror send them.
 */
export function commandUpdatesSplit(
  ydoc: Y.Doc,
  command: Command,
  prepare?: (state: EditorState) => Transaction,
): [Uint8Array, Uint8Array] {
  const { next, done } = runCommand(ydoc, command, prepare);
  const start = Y.encodeStateVector(ydoc);
  applyOpsToYDoc(ydoc, registryOpsOf(done));
  const middle = Y.encodeStateVector(ydoc);
  const types = draftTypes(ydoc);
  updateYFragment(ydoc, types.fragment, next.doc, { mapping: new Map(), isOMark: new Map() });
  return [Y.encodeStateAsUpdate(ydoc, start), Y.encodeStateAsUpdate(ydoc, middle)];
}

function runCommand(
  ydoc: Y.Doc,
  command: Command,
  prepare?: (state: EditorState) => Transaction,
): { next: EditorState; done: Transaction } {
  const { doc, registry } = draftFromYDoc(ydoc);
  let state = createDraftState(doc, registry);
  if (prepare) state = state.apply(prepare(state));
  let tr: Transaction | null = null;
  if (!command(state, (t) => (tr = t))) {
    throw new RangeError("The command declined to run");
  }
  const done = tr as unknown as Transaction;
  return { next: state.apply(done), done };
}
