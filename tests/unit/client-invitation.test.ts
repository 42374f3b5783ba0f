import { describe, expect, it } from "vitest";
import { decodeTokenPayload, readInvitation } from "../../client/invitation.ts";

function token(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256" })}.${part(payload)}.signature`;
}

describe("invitation links", () => {
  it("carry the party, role and group of the token's holder", () => {
    const t = token({
      docId: "d1",
      party: "Algeria",
      role: "delegation",
      onBehalfOf: "African Group",
    });
    const result = readInvitation(`http://host:8080/?doc=d1&token=${t}`);
    expect(result.ok && result.invitation.actor).toEqual({
      party: "Algeria",
      role: "delegation",
      onBehalfOf: "African Group",
    });
  });

  it("read the server's abbreviated claims for the document and the group", () => {
    const t = token({ doc: "d7", party: "Ghana", role: "delegation", obo: "African Group" });
    const result = readInvitation(`http://host/?token=${t}`);
    expect(result.ok && [result.invitation.docId, result.invitation.actor.onBehalfOf]).toEqual([
      "d7",
      "African Group",
    ]);
  });

  it("point the socket at the same host under /ws", () => {
    const t = token({ docId: "d1", party: "Chair", role: "chair" });
    const result = readInvitation(`https://example.org/?doc=d1&token=${t}`);
    expect(result.ok && result.invitation.socketUrl).toBe("wss://example.org/ws");
  });

  it("decode payloads with non-ASCII names", () => {
    expect(decodeTokenPayload(token({ party: "巴基斯坦" }))?.party).toBe("巴基斯坦");
  });

  it("are missing when the address has no token", () => {
    expect(readInvitation("http://host/")).toMatchObject({ ok: false, reason: "missing" });
  });

  it("are malformed when the token names no role", () => {
    const t = token({ docId: "d1", party: "Chair", role: "king" });
    expect(readInvitation(`http://host/?doc=d1&token=${t}`)).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });
});
