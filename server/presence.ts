import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Identity } from "./guard.ts";

// Presence (awareness) as the server sees it. Clients choose their own awareness state, so
// a modified client could claim to be the Chair. The server reads every awareness update a
// connection sends, drops entries for client ids another connection owns, and overwrites the
// `user` field of each state with the identity from the connection's token.

/** One entry of an awareness update: a client's state at a clock (null: the client left). */
export interface AwarenessEntry {
  readonly clientID: number;
  readonly clock: number;
  readonly state: Record<string, unknown> | null;
}

/** The `user` field the server writes into every awareness state. */
export interface PresenceUser {
  readonly name: string;
  readonly party: string;
  readonly role: Identity["role"];
  readonly onBehalfOf: string | null;
  /** The client's own choice of colour, kept when it is a short string. */
  readonly color?: string;
}

/** Awareness client ids one connection may claim; more would let it flood presence. */
const maxAwarenessClients = 16;

/**
 * The entries of `conn`'s awareness update that it may set: those of client ids it owns,
 * and new client ids it claims now (up to `maxAwarenessClients`, recorded in `owners` and
 * in its `awarenessClients`). Entries of ids another connection owns are dropped.
 */
export function claimEntries<C extends { readonly awarenessClients: Set<number> }>(
  entries: readonly AwarenessEntry[],
  owners: Map<number, C>,
  conn: C,
): AwarenessEntry[] {
  return entries.filter((entry) => {
    const owner = owners.get(entry.clientID);
    if (owner) return owner === conn;
    if (entry.state === null || conn.awarenessClients.size >= maxAwarenessClients) return false;
    owners.set(entry.clientID, conn);
    conn.awarenessClients.add(entry.clientID);
    return true;
  });
}

/**
 * Read the entries of an encoded awareness update. Returns null when the update is malformed:
 * truncated, trailing bytes, or a state that is neither JSON `null` nor a JSON object.
 */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] | null {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientID = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) return null;
      entries.push({ clientID, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(decoder)) return null;
    return entries;
  } catch {
    return null;
  }
}

/** Encode awareness entries in the y-protocols awareness update format. */
export function writeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientID);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/** The presence user the server shows for `identity`, keeping the client's colour if sane. */
export function presenceUser(identity: Identity, claimed: unknown): PresenceUser {
  const name = identity.onBehalfOf ? `${identity.party} (${identity.onBehalfOf})` : identity.party;
  const user: PresenceUser = {
    name,
    party: identity.party,
    role: identity.role,
    onBehalfOf: identity.onBehalfOf,
  };
  const color =
    typeof claimed === "object" && claimed !== null && "color" in claimed
      ? (claimed as { color: unknown }).color
      : undefined;
  return typeof color === "string" && color.length <= 32 ? { ...user, color } : user;
}

/** `entries` with every non-null state's `user` replaced by `identity`'s presence user. */
export function rewritePresence(
  entries: readonly AwarenessEntry[],
  identity: Identity,
): AwarenessEntry[] {
  return entries.map((entry) =>
    entry.state === null
      ? entry
      : { ...entry, state: { ...entry.state, user: presenceUser(identity, entry.state.user) } },
  );
}
