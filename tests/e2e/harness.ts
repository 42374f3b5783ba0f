import { existsSync, mkdirSync, readdirSync, rmSync, statSync, watch } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { build } from "vite";
import type { Draft } from "../../schema/draft.ts";
import { draftToUpdate } from "../../schema/draft.ts";
import type { Role } from "../../schema/registry.ts";
import { chromiumPath } from "../../scripts/chromium.ts";
import { createPermissionGuard } from "../../server/permissions/guard.ts";
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

// In test-artifacts/ (gitignored), so a lock left by a crashed run never shows up in git.
const lockDir = join(root, "test-artifacts", "client-build.lock");

/** Resolve once `lockDir` is gone (another test file finished building), or after a minute. */
function lockReleased(): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(lockDir), () => {
      if (!existsSync(lockDir)) done();
    });
    const timer = setTimeout(done, 60_000);
    function done(): void {
      watcher.close();
      clearTimeout(timer);
      resolve();
    }
    if (!existsSync(lockDir)) done();
  });
}

/**
 * Build the client into dist/ unless the build is newer than client/ and schema/. Test files
 * run in parallel workers, so the build is guarded by a lock directory (mkdir is atomic): a
 * second caller waits for the first to finish instead of emptying dist/ under it. A lock
 * left by a crashed run is broken after a minute.
 */
export async function ensureClientBuilt(): Promise<void> {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      await lockReleased();
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 60_000) {
        rmSync(lockDir, { recursive: true, force: true });
      }
    }
  }
  try {
    if (existsSync(distIndex)) {
      const built = statSync(distIndex).mtimeMs;
      const sources = Math.max(
        newestMtime(join(root, "client")),
        newestMtime(join(root, "schema")),
      );
      if (built > sources) return;
    }
    await build({ configFile: join(root, "vite.config.ts"), logLevel: "warn" });
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
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

/** Launch Debian's Chromium (PARLEY_CHROMIUM overrides the path; `npm test` installs it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
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
  // The permission guard the server enforces, so every update the client sends in these
  // tests must pass the same checks as in production.
  const server = await startServer({
    staticDir: join(root, "dist"),
    guard: createPermissionGuard(),
  });
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
  page.on("pageerror", (error) => console.error(`[page error] ${error.stack ?? error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.error(`[console] ${message.text()}`);
  });
  await page.goto(link);
  await page.locator('#connection[data-state="synced"]').waitFor();
  await page.locator(".draft p").first().waitFor();
  return { context, page };
}

/**
 * The draft's text as the editor's document holds it (blocks joined by newlines), without
 * what decorations draw: bracket glyphs, labels and the others' cursors.
 */
export function draftText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const app = (
      window as unknown as {
        parley: {
          view: {
            state: {
              doc: {
                textBetween(a: number, b: number, s: string): string;
                content: { size: number };
              };
            };
          };
        };
      }
    ).parley;
    const doc = app.view.state.doc;
    return doc.textBetween(0, doc.content.size, "\n");
  });
}

/**
 * Put the cursor right after the first occurrence of `after` in the draft (the editor's
 * own positions, so that line wrapping cannot move it), and focus the editor. Throws when
 * the draft does not contain `after` within one block.
 */
export async function placeCursorAfter(page: Page, after: string): Promise<void> {
  const found = await page.evaluate((needle) => {
    type PMNode = {
      isTextblock: boolean;
      textContent: string;
      descendants(f: (node: PMNode, pos: number) => boolean | undefined): void;
    };
    type Selection = { constructor: { create(doc: unknown, pos: number): unknown } };
    const app = (
      window as unknown as {
        parley: {
          view: {
            state: { doc: PMNode; selection: Selection; tr: { setSelection(s: unknown): unknown } };
            dispatch(tr: unknown): void;
            focus(): void;
          };
        };
      }
    ).parley;
    const view = app.view;
    let target = -1;
    view.state.doc.descendants((node, pos) => {
      if (target >= 0) return false;
      if (!node.isTextblock) return true;
      const index = node.textContent.indexOf(needle);
      if (index >= 0) target = pos + 1 + index + needle.length;
      return false;
    });
    if (target < 0) return false;
    const selection = view.state.selection.constructor.create(view.state.doc, target);
    view.dispatch(view.state.tr.setSelection(selection));
    view.focus();
    return true;
  }, after);
  if (!found) throw new Error(`The draft has no "${after}" to put the cursor after`);
}

/**
 * Everything the page's IndexedDB database `name` holds in y-indexeddb's update store,
 * decoded as UTF-8, so a test can look for words in it. Empty when the database has no
 * such store (it was deleted, or never written).
 */
export function localStoreText(page: Page, name: string): Promise<string> {
  return page.evaluate(
    (dbName) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("updates")) {
            db.close();
            resolve("");
            return;
          }
          const all = db.transaction("updates").objectStore("updates").getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            const decoder = new TextDecoder("utf-8", { fatal: false });
            resolve((all.result as Uint8Array[]).map((u) => decoder.decode(u)).join(""));
          };
        };
      }),
    name,
  );
}

/** Make sure the artifacts directory exists and return the path of `name` in it. */
export function artifact(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}
