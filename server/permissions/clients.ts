import * as Y from "yjs";
import type { Identity } from "../guard.ts";

// Yjs client ids bound to identities. Every struct carries the client id of its author, so
// once a client id is bound to the connection identity that first wrote with it, the author
// of every word and registry value is known from the items themselves, and no client can
// write (or pre-empt the future clocks of) another's items.

/** The identity key a client id is bound to; the server's own ids use `serverKey`. */
export const serverKey = "\u0000server";
/** The key of client ids whose update was refused: nobody may use them again. */
export const burntKey = "\u0000refused";

/** The key under which an identity's client ids are bound: role, party and group. */
export function identityKey(identity: Identity): string {
  return `${identity.role}\u0000${identity.party}\u0000${identity.onBehalfOf ?? ""}`;
}

/** The client ids of one room and whom they belong to. */
export class ClientBindings {
  private readonly owners = new Map<number, string>();

  /** Reserve a client id for the server (its documents' own ids). */
  reserve(client: number): void {
    this.owners.set(client, serverKey);
  }

  /**
   * The client ids for which an update carries new structs (beyond what `doc` holds), or a
   * client id among them that is bound to someone other than `identity`. `ends` holds, for
   * each client the update carries structs of, the clock just past its last one
   * (`UpdateEffect`).
   */
  newClients(
    ends: ReadonlyMap<number, number>,
    doc: Y.Doc,
    identity: Identity,
  ): { readonly clients: number[] } | { readonly foreign: number } {
    const key = identityKey(identity);
    const clients: number[] = [];
    for (const client of ends.keys()) {
      // A refused update's client ids stay refused: its sender may not try them again.
      if (this.owners.get(client) === burntKey) return { foreign: client };
    }
    for (const [client, clock] of ends) {
      if (clock <= Y.getState(doc.store, client)) continue;
      const owner = this.owners.get(client);
      if (owner !== undefined && owner !== key) return { foreign: client };
      clients.push(client);
    }
    return { clients };
  }

  /** Whether a client id was burnt by a refusal. */
  isBurnt(client: number): boolean {
    return this.owners.get(client) === burntKey;
  }

  /** Burn the client ids of a refused update: any later update carrying them is refused. */
  burn(clients: readonly number[]): void {
    for (const client of clients) {
      if (this.owners.get(client) !== serverKey) this.owners.set(client, burntKey);
    }
  }

  /** Bind client ids to `identity` (those already bound to it stay bound). */
  bind(clients: readonly number[], identity: Identity): void {
    const key = identityKey(identity);
    for (const client of clients) this.owners.set(client, key);
  }
}
