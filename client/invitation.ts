import type { Actor, Role } from "../schema/registry.ts";
import { roles } from "../schema/registry.ts";

// An invitation link (`http://HOST:PORT/?doc=DOC_ID&token=TOKEN`) is the only way in: the
// token the server signed says who the holder is. The client decodes the token's payload
// for display and to probe commands; it never verifies it (it has no key) and the server
// never trusts what the client claims, so a tampered token only misleads its own holder.

/** What an invitation link says about the session it opens. */
export interface Invitation {
  readonly docId: string;
  readonly token: string;
  /** Who the token says the holder is. */
  readonly actor: Actor;
  /** The websocket base URL of the server, e.g. `ws://host:port/ws`. */
  readonly socketUrl: string;
  /** The HTTP origin of the server, for the export API. */
  readonly httpOrigin: string;
}

/** Why a link could not be read. */
export type InvitationResult =
  | { readonly ok: true; readonly invitation: Invitation }
  | { readonly ok: false; readonly reason: "missing" | "malformed"; readonly detail: string };

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * The payload of a JWT, or null when `token` is not three dot-separated base64url parts
 * whose middle part is a JSON object.
 */
export function decodeTokenPayload(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/**
 * Read an invitation from a page URL. Returns `missing` when the URL carries no token or
 * document (someone opened the bare site) and `malformed` when the token's payload does not
 * name a party and a role.
 */
export function readInvitation(href: string): InvitationResult {
  const url = new URL(href);
  const token = url.searchParams.get("token");
  const docParam = url.searchParams.get("doc");
  if (!token) return { ok: false, reason: "missing", detail: "no token" };
  const payload = decodeTokenPayload(token);
  if (!payload) return { ok: false, reason: "malformed", detail: "the token cannot be decoded" };
  // The server's tokens abbreviate (`doc`, `obo`); the long names are accepted as well.
  const { party, role } = payload;
  const onBehalfOf = payload.obo ?? payload.onBehalfOf;
  const claimedDoc = payload.doc ?? payload.docId;
  const docId = docParam ?? (typeof claimedDoc === "string" ? claimedDoc : null);
  if (!docId) return { ok: false, reason: "missing", detail: "no document" };
  if (typeof party !== "string" || !party) {
    return { ok: false, reason: "malformed", detail: "the token names no party" };
  }
  if (!isRole(role)) return { ok: false, reason: "malformed", detail: "the token names no role" };
  const actor: Actor = {
    party,
    role,
    onBehalfOf: typeof onBehalfOf === "string" && onBehalfOf ? onBehalfOf : null,
  };
  const socketProtocol = url.protocol === "https:" ? "wss:" : "ws:";
  return {
    ok: true,
    invitation: {
      docId,
      token,
      actor,
      socketUrl: `${socketProtocol}//${url.host}/ws`,
      httpOrigin: url.origin,
    },
  };
}
