import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { build } from "vite";
import type { Draft } from "../../schema/draft.ts";
import { draftToUpdate } from "../../schema/draft.ts";
import type { Role } from "../../schema/registry.ts";
import { startServer, type TestServer } from "../integration/helpers/server.ts";

// What the browser tests stand on: the client built once with Vite's JS API when dist/ is
// older than its sources, the real sync server on port 0 serving that build, and Debian's
// Chromium driven by playwright-core, one fresh context (cookies, IndexedDB) per participant.

const root = fileURLToPath(new URL("../../", import.meta.url));
const distIndex = join(root, "dist", "index.html");
/** Where screenshots go (gitignored). */
export const artifactsDir = join(root, "test-artifacts");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build the client into dist/ unless the build is newer than client/ and schema/. */
export async function ensureClientBuilt(): Promise<void> {
  if (existsSync(distIndex)) {
    const built = statSync(distIndex).mtimeMs;
    const sources = Math.max(newestMtime(join(root, "client")), newestMtime(join(root, "schema")));
    if (built > sources) return;
  }
  await build({ configFile: join(root, "vite.config.ts"), logLevel: "warn" });
}

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/** Launch Debian's Chromium (PARLEY_CHROMIUM overrides the path). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM ?? "/usr/bin/chromium",
    args: chromiumArgs,
  });
}

/** A negotiation served to browsers. */
export interface Room {
  readonly server: TestServer;
  readonly docId: string;
  /** The invitation link of a participant. */
  link(party: string, role: Role, onBehalfOf?: string | null): Promise<string>;
}

/** Start a server serving dist/ with `draft` as a new negotiation. */
export async function openRoom(draft: Draft): Promise<Room> {
  const server = await startServer({ staticDir: join(root, "dist") });
  const docId = "e2e";
  const created = await server.server.store.createDocument(
    { id: docId, title: draft.registry.meta.title, createdAt: new Date().toISOString() },
    draftToUpdate(draft),
  );
  if (!created) throw new Error("could not create the test negotiation");
  return {
    server,
    docId,
    async link(party, role, onBehalfOf = null) {
      const token = await server.mintToken({ docId, party, role, onBehalfOf });
      return `${server.url}/?doc=${encodeURIComponent(docId)}&token=${encodeURIComponent(token)}`;
    },
  };
}

/** One participant's browser context and page. */
export interface Participant {
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * Open `link` in a fresh context and wait until the draft has arrived and the connection
 * says it is up to date. Browser console errors are echoed to the test log.
 */
export async function joinAs(browser: Browser, link: string, lang = "en"): Promise<Participant> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    locale: lang === "zh" ? "zh-CN" : "en-US",
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`[console] ${message.text()}`);
  });
  await page.goto(link);
  await page.locator('#connection[data-state="synced"]').waitFor();
  await page.locator(".draft p").first().waitFor();
  return { context, page };
}

/** Make sure the artifacts directory exists and return the path of `name` in it. */
export function artifact(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}
