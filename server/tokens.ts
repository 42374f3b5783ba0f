import { jwtVerify, SignJWT } from "jose";
import { type Role, roles } from "../schema/registry.ts";
import type { Identity } from "./guard.ts";

// Invitation tokens: HS256 JWTs signed with the server's secret. A token is the only source
// of identity; nothing a client writes into the document or into awareness can change who it
// is. Tokens are verified at the websocket upgrade and on every HTTP API call.

const issuer = "parley";

/** Who a verified token speaks for: a participant of one document, or the administrator. */
export type Principal =
  | { readonly kind: "participant"; readonly identity: Identity; readonly expiresAt: Date }
  | { readonly kind: "admin" };

/** Signs and verifies the server's tokens with one secret. */
export class TokenIssuer {
  readonly #secret: Uint8Array;

  /** Throws a RangeError when `secret` is shorter than 32 bytes (too weak for HS256). */
  constructor(secret: Uint8Array) {
    if (secret.length < 32) {
      throw new RangeError(`The token secret has ${secret.length} bytes; at least 32 are needed`);
    }
    this.#secret = secret;
  }

  /** A token for `identity` that expires at `expiresAt`. */
  async sign(identity: Identity, expiresAt: Date): Promise<string> {
    return new SignJWT({
      doc: identity.docId,
      party: identity.party,
      role: identity.role,
      obo: identity.onBehalfOf,
    })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(issuer)
      .setSubject(identity.invitation)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#secret);
  }

  /** The administrator's token, which never expires; it opens the HTTP API, not documents. */
  async signAdmin(): Promise<string> {
    return new SignJWT({ adm: true })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(issuer)
      .setSubject("admin")
      .sign(this.#secret);
  }

  /**
   * Who `token` speaks for, or null when it is malformed, forged (wrong signature or
   * algorithm), expired, or carries claims that do not make an identity.
   */
  async verify(token: string): Promise<Principal | null> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#secret, { issuer, algorithms: ["HS256"] }));
    } catch {
      return null;
    }
    if (payload.adm === true && payload.sub === "admin") return { kind: "admin" };
    const { doc, party, role, obo, sub, exp } = payload;
    if (
      typeof doc !== "string" ||
      typeof party !== "string" ||
      typeof sub !== "string" ||
      typeof exp !== "number" ||
      !roles.includes(role as Role) ||
      (obo !== null && typeof obo !== "string")
    ) {
      return null;
    }
    return {
      kind: "participant",
      identity: { docId: doc, party, role: role as Role, onBehalfOf: obo, invitation: sub },
      expiresAt: new Date(exp * 1000),
    };
  }
}
