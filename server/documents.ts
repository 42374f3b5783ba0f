import { readFile } from "node:fs/promises";
import * as Y from "yjs";
import { type Draft, draftToUpdate } from "../schema/draft.ts";
import { newId } from "../schema/ids.ts";
import { type ImportProblem, importText } from "../schema/import/index.ts";
import { chairParty, secretariatParty } from "../schema/permissions.ts";
import type { PartyRef, Role } from "../schema/registry.ts";
import type { Identity } from "./guard.ts";
import type { Invitation, Store } from "./store.ts";
import type { TokenIssuer } from "./tokens.ts";

// Negotiations and invitations are created here, on the server, so that a document's Y.Doc
// is seeded exactly once: a client that seeded its own copy would duplicate the content.

/** How long an invitation lasts unless asked otherwise: a negotiating session, with margin. */
export const defaultInvitationDays = 30;

/** A new negotiation and what the reader could not make sense of in its text. */
export interface CreatedNegotiation {
  readonly id: string;
  readonly title: string;
  readonly problems: readonly ImportProblem[];
  /** The parties the draft names as proposers, holders of positions or authors. */
  readonly parties: readonly PartyRef[];
}

/**
 * Create a negotiation, empty, from a plain-text draft (`text`, read by the tolerant
 * importer) or from a `draft` built in code, with a new id unless `id` is given. Throws a
 * RangeError when `id` is taken or not a safe name (letters, digits, `-`, `_`).
 */
export async function createNegotiation(
  store: Store,
  options: { title?: string; text?: string; draft?: Draft; id?: string },
): Promise<CreatedNegotiation> {
  const id = options.id ?? newId("n");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new RangeError(`The document id ${JSON.stringify(id)} is not a safe name`);
  }
  let initial: Uint8Array;
  let problems: readonly ImportProblem[] = [];
  let parties: PartyRef[] = [];
  let title = options.title ?? "";
  const read = options.draft
    ? { draft: options.draft, problems: [] }
    : options.text !== undefined
      ? importText(options.text)
      : null;
  if (read) {
    problems = read.problems;
    parties = partiesInDraft(read.draft);
    title ||= read.draft.registry.meta.title || read.draft.registry.meta.symbol;
    initial = draftToUpdate(read.draft);
  } else {
    initial = Y.encodeStateAsUpdate(new Y.Doc());
  }
  title ||= "Untitled negotiation";
  const created = await store.createDocument(
    { id, title, createdAt: new Date().toISOString() },
    initial,
  );
  if (!created) throw new RangeError(`A document ${id} exists already`);
  return { id, title, problems, parties };
}

/**
 * Every delegation a draft names as proposer, holder of a position or author, in order of
 * first appearance, without the chair and the secretariat. A delegation seen speaking for
 * a group ("Algeria on behalf of the African Group") is listed with that group; a group
 * named only through a member is not listed on its own, since a member speaks for it.
 */
export function partiesInDraft(draft: Draft): PartyRef[] {
  const found = new Map<string, PartyRef>();
  const add = (party: string, onBehalfOf: string | null) => {
    if (party === chairParty || party === secretariatParty) return;
    const key = `${party}\u0000${onBehalfOf ?? ""}`;
    if (!found.has(key)) found.set(key, { party, onBehalfOf });
  };
  for (const entry of Object.values(draft.registry.brackets)) {
    for (const ref of entry.proposedBy) add(ref.party, ref.onBehalfOf);
    for (const position of Object.values(entry.positions)) {
      add(position.party, position.onBehalfOf);
    }
  }
  for (const entry of Object.values(draft.registry.attributions)) {
    add(entry.party, entry.onBehalfOf);
  }
  return [...found.values()];
}

/** An invitation together with a token for it. */
export interface IssuedInvitation {
  readonly invitation: Invitation;
  readonly token: string;
}

/**
 * Create an invitation to document `docId` and sign a token for it. Throws a RangeError
 * when the party is empty or the lifetime is not a positive number of days.
 */
export async function createInvitation(
  store: Store,
  tokens: TokenIssuer,
  options: {
    docId: string;
    party: string;
    role: Role;
    onBehalfOf?: string | null;
    days?: number;
  },
): Promise<IssuedInvitation> {
  const party = options.party.trim();
  if (!party) throw new RangeError("An invitation needs a party");
  const days = options.days ?? defaultInvitationDays;
  if (!(days > 0)) throw new RangeError(`An invitation cannot last ${days} days`);
  const now = new Date();
  const invitation: Invitation = {
    id: newId("i"),
    docId: options.docId,
    party,
    role: options.role,
    onBehalfOf: options.onBehalfOf?.trim() || null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
  };
  await store.addInvitation(invitation);
  return { invitation, token: await tokenFor(tokens, invitation) };
}

/** A token for a stored invitation, expiring when the invitation does. */
export function tokenFor(tokens: TokenIssuer, invitation: Invitation): Promise<string> {
  return tokens.sign(identityOf(invitation), new Date(invitation.expiresAt));
}

/** The identity an invitation grants. */
export function identityOf(invitation: Invitation): Identity {
  return {
    docId: invitation.docId,
    party: invitation.party,
    role: invitation.role,
    onBehalfOf: invitation.onBehalfOf,
    invitation: invitation.id,
  };
}

/** The setting under which the demo negotiation's id is kept. */
const demoSetting = "demo-document";

/**
 * Seed the demo negotiation from the text draft at `path` on first call, with one invitation
 * for the chair, the secretariat, an observer and each delegation the draft names. Later
 * calls return the same negotiation and re-signed tokens for its invitations.
 */
export async function ensureDemo(
  store: Store,
  tokens: TokenIssuer,
  path: URL | string,
): Promise<{ docId: string; invitations: IssuedInvitation[]; created: boolean }> {
  const existing = await store.getSetting(demoSetting);
  if (existing && (await store.getDocument(existing))) {
    const invitations = await store.listInvitations(existing);
    const issued = await Promise.all(
      invitations.map(async (invitation) => ({
        invitation,
        token: await tokenFor(tokens, invitation),
      })),
    );
    return { docId: existing, invitations: issued, created: false };
  }
  const text = await readFile(path, "utf8");
  const created = await createNegotiation(store, { text });
  const specs: Array<{ party: string; role: Role; onBehalfOf?: string | null }> = [
    { party: chairParty, role: "chair" },
    { party: secretariatParty, role: "secretariat" },
    { party: "Observer", role: "observer" },
    // A draft that names nobody still gets one delegation, so every role can be tried.
    ...(created.parties.length > 0
      ? created.parties
      : [{ party: "Delegation", onBehalfOf: null }]
    ).map((ref) => ({ ...ref, role: "delegation" as const })),
  ];
  const invitations: IssuedInvitation[] = [];
  for (const spec of specs) {
    invitations.push(await createInvitation(store, tokens, { docId: created.id, ...spec }));
  }
  await store.initSetting(demoSetting, created.id);
  return { docId: created.id, invitations, created: true };
}
