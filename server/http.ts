import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { Logger } from "pino";
import type { Draft } from "../schema/draft.ts";
import { type Role, roles } from "../schema/registry.ts";
import {
  createInvitation,
  createNegotiation,
  type IssuedInvitation,
  tokenFor,
} from "./documents.ts";
import {
  type ExportLang,
  type ExportMode,
  exportFormat,
  exportFormatNames,
  exportLangs,
  exportModes,
} from "./export.ts";
import type { Metrics } from "./metrics.ts";
import type { Store } from "./store.ts";
import type { Principal, TokenIssuer } from "./tokens.ts";

// The JSON API, /healthz, /metrics and the built client, on the same port as the websocket.
// Requests authenticate with `Authorization: Bearer TOKEN` (or `?token=` on GETs, so an
// export can be a plain link). Every error is a JSON `{ error }` with a fitting status.

/** What the HTTP handler needs from the server. */
export interface HttpContext {
  readonly store: Store;
  readonly tokens: TokenIssuer;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The built browser client (dist/), or null to serve a plain page at `/`. */
  readonly staticDir: string | null;
  /** Cap on a request body, in bytes. */
  readonly maxBodyBytes: number;
  /** The live or stored draft of a document, or null when there is no such document. */
  readDraft(docId: string): Promise<Draft | null>;
  /** Current gauges for /healthz. */
  gauges(): { rooms: number; connections: number };
}

/** An error the handler reports to the client with `status`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The URL a participant opens: the client page with the document and token in the query. */
export function invitationLink(base: string, docId: string, token: string): string {
  return `${base}/?doc=${encodeURIComponent(docId)}&token=${encodeURIComponent(token)}`;
}

/** Handle one HTTP request. Never rejects: failures become error responses and log lines. */
export async function handleHttp(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    await route(ctx, req, res);
  } catch (error) {
    const status =
      error instanceof HttpError ? error.status : error instanceof RangeError ? 400 : 500;
    if (status === 500) ctx.log.error({ err: error, url: req.url }, "request failed");
    if (!res.headersSent) sendJson(res, status, { error: (error as Error).message });
    else res.end();
  }
}

async function route(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  const method = req.method ?? "GET";
  if (path === "/healthz") return sendJson(res, 200, { ok: true, ...ctx.gauges() });
  if (path === "/metrics") {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(ctx.metrics.render());
    return;
  }
  if (!path.startsWith("/api/")) return serveStatic(ctx, path, res);

  const principal = await authenticate(ctx, req, url);
  const base = `http://${req.headers.host ?? "localhost"}`;
  const segments = path.split("/").slice(2).map(decodeURIComponent);
  if (segments[0] !== "docs") throw new HttpError(404, `No API route ${path}`);
  const docId = segments[1];
  const sub = segments[2];

  if (docId === undefined || docId === "") {
    if (method === "POST") return createDoc(ctx, req, res, principal, base);
    if (method === "GET") {
      if (principal.kind !== "admin") {
        const info = await ctx.store.getDocument(principal.identity.docId);
        return sendJson(res, 200, { documents: info ? [info] : [] });
      }
      return sendJson(res, 200, { documents: await ctx.store.listDocuments() });
    }
    throw new HttpError(405, `${method} is not allowed on ${path}`);
  }
  const info = await ctx.store.getDocument(docId);
  if (!info) throw new HttpError(404, `No document ${docId}`);
  if (principal.kind === "participant" && principal.identity.docId !== docId) {
    throw new HttpError(403, "The token is for another document");
  }
  if (sub === undefined && method === "GET") return sendJson(res, 200, info);
  if (sub === "invitations") {
    if (principal.kind === "participant" && !organises(principal.identity.role)) {
      throw new HttpError(403, "Only the chair and the secretariat manage invitations");
    }
    if (method === "GET") {
      const invitations = await ctx.store.listInvitations(docId);
      const issued = await Promise.all(
        invitations.map(async (invitation) => ({
          invitation,
          token: await tokenFor(ctx.tokens, invitation),
        })),
      );
      return sendJson(res, 200, { invitations: issued.map((i) => describe(i, base)) });
    }
    if (method === "POST") {
      const body = await readJson(ctx, req);
      const issued = await createInvitation(ctx.store, ctx.tokens, {
        docId,
        party: stringField(body, "party"),
        role: roleField(body),
        onBehalfOf: optionalString(body, "onBehalfOf"),
        days: typeof body.days === "number" ? body.days : undefined,
      });
      ctx.log.info({ doc: docId, party: issued.invitation.party }, "invitation created");
      return sendJson(res, 201, describe(issued, base));
    }
    throw new HttpError(405, `${method} is not allowed on ${path}`);
  }
  if (sub === "export" && method === "GET") return exportDoc(ctx, res, docId, info.title, url);
  throw new HttpError(404, `No API route ${method} ${path}`);
}

async function authenticate(ctx: HttpContext, req: IncomingMessage, url: URL): Promise<Principal> {
  const header = req.headers.authorization;
  const token = header?.startsWith("Bearer ")
    ? header.slice(7).trim()
    : url.searchParams.get("token");
  if (!token) throw new HttpError(401, "A bearer token is required");
  const principal = await ctx.tokens.verify(token);
  if (!principal) throw new HttpError(401, "The token is invalid or expired");
  if (principal.kind === "participant") {
    const invitation = await ctx.store.getInvitation(principal.identity.invitation);
    if (!invitation) throw new HttpError(401, "The token's invitation no longer exists");
  }
  return principal;
}

const organises = (role: Role) => role === "chair" || role === "secretariat";

async function createDoc(
  ctx: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  principal: Principal,
  base: string,
): Promise<void> {
  if (principal.kind === "participant" && !organises(principal.identity.role)) {
    throw new HttpError(
      403,
      "Only the chair, the secretariat or the administrator create negotiations",
    );
  }
  const body = await readJson(ctx, req);
  const created = await createNegotiation(ctx.store, {
    title: optionalString(body, "title") ?? undefined,
    text: optionalString(body, "text") ?? undefined,
  });
  const specs: Array<{ party: string; role: Role; onBehalfOf?: string | null }> = Array.isArray(
    body.invitations,
  )
    ? body.invitations.map((spec: unknown) => {
        const record = asRecord(spec);
        return {
          party: stringField(record, "party"),
          role: roleField(record),
          onBehalfOf: optionalString(record, "onBehalfOf"),
        };
      })
    : [
        { party: "Chair", role: "chair" },
        { party: "Secretariat", role: "secretariat" },
        { party: "Observer", role: "observer" },
        ...created.parties.map((ref) => ({ ...ref, role: "delegation" as const })),
      ];
  const invitations: IssuedInvitation[] = [];
  for (const spec of specs) {
    invitations.push(await createInvitation(ctx.store, ctx.tokens, { docId: created.id, ...spec }));
  }
  ctx.log.info({ doc: created.id, title: created.title }, "negotiation created");
  sendJson(res, 201, {
    id: created.id,
    title: created.title,
    problems: created.problems,
    invitations: invitations.map((i) => describe(i, base)),
  });
}

async function exportDoc(
  ctx: HttpContext,
  res: ServerResponse,
  docId: string,
  title: string,
  url: URL,
): Promise<void> {
  const mode = (url.searchParams.get("mode") ?? "annotated") as ExportMode;
  const lang = (url.searchParams.get("lang") ?? "zh") as ExportLang;
  const formatName = url.searchParams.get("format") ?? "text";
  if (!exportModes.includes(mode)) throw new HttpError(400, `Unknown export mode ${mode}`);
  if (!exportLangs.includes(lang)) throw new HttpError(400, `Unknown export language ${lang}`);
  const format = exportFormat(formatName);
  if (!format) {
    throw new HttpError(
      400,
      `Unknown export format ${formatName}; known: ${exportFormatNames().join(", ")}`,
    );
  }
  const draft = await ctx.readDraft(docId);
  if (!draft) throw new HttpError(404, `No document ${docId}`);
  const body = await format.write({ draft, mode, lang, title });
  const file = `${docId}-${mode}.${lang}.${format.extension}`;
  res.writeHead(200, {
    "content-type": format.contentType,
    "content-disposition": `inline; filename="${file}"`,
  });
  res.end(body);
}

function describe(issued: IssuedInvitation, base: string) {
  return {
    ...issued.invitation,
    token: issued.token,
    url: invitationLink(base, issued.invitation.docId, issued.token),
  };
}

async function readJson(ctx: HttpContext, req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > ctx.maxBodyBytes) throw new HttpError(413, "The request body is too large");
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "The request body is not JSON");
  }
  return asRecord(parsed);
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "Expected a JSON object");
  }
  return value as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || !value.trim())
    throw new HttpError(400, `\`${key}\` is required`);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new HttpError(400, `\`${key}\` must be a string`);
  return value;
}

function roleField(body: Record<string, unknown>): Role {
  const role = body.role;
  if (!roles.includes(role as Role)) {
    throw new HttpError(400, `\`role\` must be one of ${roles.join(", ")}`);
  }
  return role as Role;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".ico": "image/x-icon",
};

const placeholderPage = `<!doctype html><meta charset="utf-8"><title>Parley</title>
<h1>Parley</h1><p>The browser client is not built yet. The sync server is running: any
y-websocket client can connect to <code>/ws/DOC_ID?token=TOKEN</code> with the
<code>doc</code> and <code>token</code> of this page's address.</p>`;

async function serveStatic(ctx: HttpContext, path: string, res: ServerResponse): Promise<void> {
  if (!ctx.staticDir) {
    if (path !== "/" && path !== "/index.html") throw new HttpError(404, `No file ${path}`);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(placeholderPage);
    return;
  }
  // `resolve` drops a trailing separator, which would otherwise make every file look
  // outside the root.
  const root = resolve(ctx.staticDir);
  let file = normalize(join(root, decodeURIComponent(path)));
  if (file !== root && !file.startsWith(root + sep)) throw new HttpError(404, `No file ${path}`);
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, "index.html");
    info = await stat(file).catch(() => null);
  }
  // A path that is not a file is a client-side route: serve the app.
  if (!info?.isFile()) {
    file = join(root, "index.html");
    info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new HttpError(404, `No file ${path}`);
  }
  res.writeHead(200, {
    "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
  });
  createReadStream(file).pipe(res);
}
