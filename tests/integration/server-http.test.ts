import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemo } from "../../server/documents.ts";
import { CloseCode } from "../../server/protocol.ts";
import { connectClient, untilDoc } from "./helpers/clients.ts";
import { frame, openRaw } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

const demoDraft = new URL("../../fixtures/field-office-tor.zh.txt", import.meta.url);

let server: TestServer;
let demo: Awaited<ReturnType<typeof ensureDemo>>;

beforeAll(async () => {
  server = await startServer();
  demo = await ensureDemo(server.server.store, server.server.tokens, demoDraft);
});

afterAll(async () => {
  await server.stop();
});

const tokenOf = (party: string) =>
  demo.invitations.find((i) => i.invitation.party === party && !i.invitation.onBehalfOf)!.token;

function api(path: string, token: string | null, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
    },
  });
}

async function exported(query: string, token = tokenOf("Observer")): Promise<string> {
  const response = await api(`/api/docs/${demo.docId}/export?${query}`, token);
  expect(response.status).toBe(200);
  return response.text();
}

describe("the demo negotiation", () => {
  it("is seeded once, with an invitation per role and per delegation in the draft", async () => {
    const again = await ensureDemo(server.server.store, server.server.tokens, demoDraft);
    expect(again.created).toBe(false);
    expect(again.docId).toBe(demo.docId);
    expect(again.invitations.map((i) => i.invitation.id)).toEqual(
      demo.invitations.map((i) => i.invitation.id),
    );
    const roles = new Set(demo.invitations.map((i) => i.invitation.role));
    expect([...roles].sort()).toEqual(["chair", "delegation", "observer", "secretariat"]);
    const parties = demo.invitations.map((i) => i.invitation.party);
    expect(parties).toEqual(
      expect.arrayContaining(["Pakistan", "United Arab Emirates", "Algeria"]),
    );
    expect(
      demo.invitations.some(
        (i) => i.invitation.party === "Algeria" && i.invitation.onBehalfOf === "African Group",
      ),
    ).toBe(true);
  });

  it("exports in the three modes: annotated with names, unattributed without, clean without brackets", async () => {
    const annotated = await exported("mode=annotated&format=text&lang=zh");
    const unattributed = await exported("mode=unattributed&format=text&lang=zh");
    const clean = await exported("mode=clean&format=text&lang=zh");
    const brackets = (text: string) => (text.match(/\[/g) ?? []).length;
    expect(annotated).toContain("[“宗旨”——巴基斯坦]");
    expect(unattributed).not.toContain("[“宗旨”——巴基斯坦]");
    expect(unattributed).toContain("[宗旨]");
    expect(brackets(unattributed)).toBe(brackets(annotated));
    expect(brackets(annotated)).toBeGreaterThan(50);
    expect(clean).not.toContain("宗旨”——巴基斯坦");
    expect(clean).not.toContain("[宗旨]");
    expect(brackets(clean)).toBeLessThan(brackets(annotated) / 10);
    expect(clean.length).toBeLessThan(unattributed.length);
  });

  it("exports in English and in the other registered formats", async () => {
    expect(await exported("mode=annotated&format=text&lang=en")).toContain("Pakistan");
    const md = await api(
      `/api/docs/${demo.docId}/export?mode=clean&format=md&lang=en`,
      tokenOf("Pakistan"),
    );
    expect(md.headers.get("content-type")).toContain("text/markdown");
    const docx = await api(
      `/api/docs/${demo.docId}/export?mode=clean&format=docx&lang=zh`,
      tokenOf("Chair"),
    );
    expect(new Uint8Array(await docx.arrayBuffer()).slice(0, 2)).toEqual(Uint8Array.of(0x50, 0x4b));
  });

  it("refuses exports without a token, with an unknown mode, or for another document", async () => {
    const base = `/api/docs/${demo.docId}/export`;
    expect((await api(`${base}?mode=clean`, null)).status).toBe(401);
    expect((await api(`${base}?mode=tidy`, tokenOf("Observer"))).status).toBe(400);
    expect((await api(`${base}?format=pdf`, tokenOf("Observer"))).status).toBe(400);
    const other = await server.createDoc();
    const stranger = await server.mintToken({ docId: other, party: "Ghana", role: "delegation" });
    expect((await api(`${base}?mode=clean`, stranger)).status).toBe(403);
  });
});

describe("the API", () => {
  it("lets the administrator create a negotiation from text, with invitations", async () => {
    const response = await api("/api/docs", server.adminToken, {
      method: "POST",
      body: JSON.stringify({ title: "Test", text: "1. [Text]——Pakistan\n" }),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      id: string;
      invitations: Array<{ party: string; role: string; url: string }>;
    };
    expect(body.invitations.map((i) => `${i.party}/${i.role}`)).toEqual([
      "Chair/chair",
      "Secretariat/secretariat",
      "Observer/observer",
      "Pakistan/delegation",
    ]);
    expect(body.invitations[0]!.url).toMatch(new RegExp(`^http://.+/\\?doc=${body.id}&token=.+`));
  });

  it("lets the chair invite and list invitations, and a delegation do neither", async () => {
    const path = `/api/docs/${demo.docId}/invitations`;
    const created = await api(path, tokenOf("Chair"), {
      method: "POST",
      body: JSON.stringify({ party: "Secretariat", role: "secretariat", onBehalfOf: "Ghana" }),
    });
    expect(created.status).toBe(201);
    const listed = (await (await api(path, tokenOf("Secretariat"))).json()) as {
      invitations: Array<{ onBehalfOf: string | null }>;
    };
    expect(listed.invitations.some((i) => i.onBehalfOf === "Ghana")).toBe(true);
    expect((await api(path, tokenOf("Pakistan"))).status).toBe(403);
    expect(
      (
        await api("/api/docs", tokenOf("Pakistan"), {
          method: "POST",
          body: JSON.stringify({ title: "Mine" }),
        })
      ).status,
    ).toBe(403);
    const bad = await api(path, tokenOf("Chair"), {
      method: "POST",
      body: JSON.stringify({ party: "X", role: "king" }),
    });
    expect(bad.status).toBe(400);
  });

  it("answers /healthz", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(await response.json()).toMatchObject({ ok: true });
  });
});

describe("/metrics", () => {
  it("counts the connections, updates, refusals and disconnects that happened", async () => {
    const docId = await server.createDoc();
    const before = server.server.metrics.connectionsTotal;
    const writer = connectClient(
      server.wsUrl,
      docId,
      await server.mintToken({ docId, party: "Pakistan", role: "delegation" }),
    );
    const observer = connectClient(
      server.wsUrl,
      docId,
      await server.mintToken({ docId, party: "Observer", role: "observer" }),
    );
    await Promise.all([writer.synced(), observer.synced()]);
    for (let i = 0; i < 5; i++) writer.doc.getText("t").insert(0, `${i}`);
    await untilDoc(
      observer.doc,
      "the observer to see five edits",
      (d) => d.getText("t").length === 5,
    );
    const closed = observer.closed();
    observer.doc.getText("t").insert(0, "no");
    await closed;
    const garbage = await openRaw(
      server.wsUrl,
      docId,
      await server.mintToken({ docId, party: "Ghana", role: "delegation" }),
    );
    garbage.ws.send(frame(99));
    expect((await garbage.closed).code).toBe(CloseCode.malformed);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value("parley_connections_total") - before).toBe(3);
    expect(value("parley_updates_in_total")).toBeGreaterThanOrEqual(5);
    expect(value("parley_updates_out_total")).toBeGreaterThanOrEqual(5);
    expect(value('parley_refusals_total\\{rule="observer-read-only"\\}')).toBe(1);
    expect(value('parley_disconnects_total\\{reason="malformed"\\}')).toBe(1);
    expect(value("parley_bytes_in_total")).toBeGreaterThan(0);
    expect(value("parley_bytes_out_total")).toBeGreaterThan(0);
    // One durable write per batch: edits that arrive in the same turn share a commit.
    expect(value("parley_store_write_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(value("parley_rooms")).toBeGreaterThanOrEqual(1);
    expect(value("parley_connections")).toBeGreaterThanOrEqual(1);
    writer.destroy();
    observer.destroy();
  });
});

describe("the built client", () => {
  /** GET `path` as written, without the URL normalisation fetch would apply. */
  function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString("utf8");
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("is served from its directory, with the app for unknown paths and nothing outside", async () => {
    const dist = await mkdtemp(join(tmpdir(), "parley-dist-"));
    await mkdir(join(dist, "assets"));
    await writeFile(join(dist, "index.html"), "<!doctype html><title>app</title>");
    await writeFile(join(dist, "assets", "app.js"), "console.log('app')");
    const site = await startServer({ staticDir: `${dist}/` });
    try {
      const script = await fetch(`${site.url}/assets/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get("content-type")).toContain("text/javascript");
      expect(await script.text()).toBe("console.log('app')");
      expect(await (await fetch(`${site.url}/?doc=x&token=y`)).text()).toContain("<title>app");
      expect(await (await fetch(`${site.url}/some/route`)).text()).toContain("<title>app");
      const outside = await rawGet(site.port, "/..%2f..%2f..%2fetc%2fpasswd");
      expect(outside.body).not.toContain("root:");
    } finally {
      await site.stop();
      await rm(dist, { recursive: true, force: true });
    }
  });
});
