import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  artifact,
  draftText,
  ensureClientBuilt,
  joinAs,
  launchChromium,
  localStoreText,
  openRoom,
  type Participant,
  placeCursorAfter,
  type Room,
} from "./harness.ts";
import { sampleDraft } from "./sample.ts";

// The negotiation room in four browsers: Pakistan and the Russian Federation (delegations),
// the chair and an observer, each in its own Chromium context against the real server. The
// tests follow one session in order, as a room would: a proposal, an objection, a lift.

let room: Room;
let browser: Browser;
let pakistan: Participant;
let russia: Participant;
let chair: Participant;
let observer: Participant;
let secretariat: Participant;

beforeAll(async () => {
  await ensureClientBuilt();
  room = await openRoom(sampleDraft());
  browser = await launchChromium();
  pakistan = await joinAs(browser, await room.link("Pakistan", "delegation"));
  russia = await joinAs(browser, await room.link("Russian Federation", "delegation"));
  chair = await joinAs(browser, await room.link("Chair", "chair"));
  observer = await joinAs(browser, await room.link("Observer", "observer"));
  secretariat = await joinAs(browser, await room.link("Secretariat", "secretariat"));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await room?.server.stop();
});

/** The panel row whose words contain `text`. */
function panelRow(page: Page, text: string) {
  return page.locator(".panel-row", { has: page.locator(".row-text", { hasText: text }) });
}

/** The drawn bracket (its inline decoration) whose words contain `text`. */
function drawnBracket(page: Page, text: string) {
  return page.locator(".draft span.br", { hasText: text });
}

describe("the negotiation room in the browser", () => {
  it("shows every participant who they are", async () => {
    await expect(pakistan.page.locator("#identity").textContent()).resolves.toContain("Pakistan");
    await expect(observer.page.locator("#identity").textContent()).resolves.toContain("Observer");
  });

  it("announces nothing when the draft loads, only what happens afterwards", async () => {
    await expect(observer.page.locator("#live").textContent()).resolves.toBe("");
  });

  it("draws nested brackets with their proposers and positions (screenshots saved)", async () => {
    const page = chair.page;
    await expect(page.locator(".draft .br-open").count()).resolves.toBe(3);
    await expect(page.locator(".draft .br-label").first().textContent()).resolves.toContain(
      "Russian Federation: support",
    );
    // Tall enough for the whole sample draft, so nothing is cut off by the desk's scrolling.
    await page.setViewportSize({ width: 1440, height: 1280 });
    await page.screenshot({ path: artifact("room-chair.png") });
    await page.locator("#editor").screenshot({ path: artifact("annotated-nested-brackets.png") });
    await page.locator("#panel").screenshot({ path: artifact("bracket-panel.png") });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("filters the panel to a paragraph by clicking its count", async () => {
    const page = chair.page;
    await page.locator(".panel-per-paragraph .chip", { hasText: "2·1" }).click();
    await expect(page.locator(".panel-row").count()).resolves.toBe(1);
    await expect(page.locator(".panel-row .row-text").textContent()).resolves.toBe("independent");
    await page.locator('[data-key="filter-paragraph"]').selectOption("");
    await expect(page.locator(".panel-row").count()).resolves.toBe(3);
  });

  it("turns a delegation's typing in agreed text into its proposal in every editor and panel", async () => {
    await placeCursorAfter(pakistan.page, "as a whole");
    await pakistan.page.keyboard.type(" in all regions");
    for (const { page } of [russia, chair, observer]) {
      await drawnBracket(page, "in all regions").waitFor();
      await panelRow(page, "in all regions").getByText("Proposed by Pakistan").waitFor();
    }
    // The words ran on inside one bracket rather than one bracket per keystroke.
    await expect(panelRow(chair.page, "in all regions").count()).resolves.toBe(1);
  });

  it("keeps a proposal whose first character is the one after the cursor", async () => {
    // y-prosemirror alone would place the typed space after the agreed one and move the
    // bracket onto the agreed space (see client/text-sync.ts and its unit test).
    const page = russia.page;
    await placeCursorAfter(page, "network of External Offices");
    await page.keyboard.type(" worldwide");
    await panelRow(pakistan.page, "worldwide")
      .getByText("Proposed by Russian Federation")
      .waitFor();
    await expect(page.locator("#notice").isVisible()).resolves.toBe(false);
    await expect(draftText(chair.page)).resolves.toContain("External Offices worldwide as a whole");
  });

  it("shows the second delegation's opposition in the first's panel and announces it", async () => {
    await drawnBracket(russia.page, "in all regions").click();
    await russia.page.locator('.toolbar [data-action="oppose"]').click();
    await panelRow(pakistan.page, "in all regions")
      .locator(".position", { hasText: "Russian Federation: oppose" })
      .waitFor();
    await pakistan.page.locator("#live", { hasText: "Russian Federation opposes" }).waitFor();
  });

  it("states a position from the keyboard alone, through the context menu", async () => {
    const page = pakistan.page;
    await placeCursorAfter(page, "indep");
    await page.keyboard.press("Shift+F10");
    const menu = page.locator(".context-menu[role=menu]");
    await menu.waitFor();
    for (let i = 0; i < 12; i++) {
      const focused = await page.evaluate(
        () => (document.activeElement as HTMLElement).dataset.action,
      );
      if (focused === "support") break;
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    await panelRow(chair.page, "independent")
      .locator(".position", { hasText: "Pakistan: support" })
      .waitFor();
  });

  it("states a position with a keyboard shortcut", async () => {
    const page = russia.page;
    await placeCursorAfter(page, "indep");
    await page.keyboard.press("Control+Alt+o");
    await panelRow(chair.page, "independent")
      .locator(".position", { hasText: "Russian Federation: oppose" })
      .waitFor();
  });

  it("lets the secretariat record a delegation's position from the floor", async () => {
    const page = secretariat.page;
    await page.locator(".speaker-input").fill("巴基斯坦");
    await page.locator(".speaker-input").press("Enter");
    await page.locator("#identity", { hasText: "speaking for Pakistan" }).waitFor();
    await placeCursorAfter(page, ", taking into");
    await page.locator('.toolbar [data-action="reserve"]:not([disabled])').click();
    await panelRow(chair.page, ", taking into account")
      .locator(".position", { hasText: "Pakistan: reserve" })
      .waitFor();
  });

  it("turns the secretariat's typing for a delegation into that delegation's proposal", async () => {
    const page = secretariat.page;
    await placeCursorAfter(page, "The evaluation shall assess the relevance");
    await page.keyboard.type(", coherence");
    await panelRow(pakistan.page, ", coherence").getByText("Proposed by Pakistan").waitFor();
    await expect(panelRow(pakistan.page, ", coherence").count()).resolves.toBe(1);
  });

  it("undoes a delegation's own proposal for everyone with Ctrl+Z", async () => {
    const page = pakistan.page;
    await placeCursorAfter(page, "open and transparent");
    await page.keyboard.type(" and inclusive");
    await panelRow(chair.page, "and inclusive").waitFor();
    await page.keyboard.press("Control+z");
    await panelRow(chair.page, "and inclusive").waitFor({ state: "detached" });
    await expect(draftText(chair.page)).resolves.not.toContain("and inclusive");
  });

  it("gives a delegation no way to lift a bracket", async () => {
    await expect(russia.page.locator('[data-action="liftBracket"]').count()).resolves.toBe(0);
  });

  it("removes the bracket everywhere when the chair lifts it, keeping its words", async () => {
    await panelRow(chair.page, "in all regions").locator("button").click();
    await chair.page.locator(".draft .br-highlight", { hasText: "in all regions" }).waitFor();
    await chair.page.locator('.toolbar [data-action="liftBracket"]:not([disabled])').click();
    for (const { page } of [pakistan, russia, chair, observer]) {
      await panelRow(page, "in all regions").waitFor({ state: "detached" });
      await drawnBracket(page, "in all regions").waitFor({ state: "detached" });
    }
    for (const { page } of [pakistan, russia, chair, observer]) {
      await expect(draftText(page)).resolves.toContain("as a whole in all regions.");
    }
  });

  it("renumbers paragraphs and the chair's text label when the chair adds a paragraph", async () => {
    await expect(
      pakistan.page.locator(".chair-alt-label", { hasText: "replacing paras 3, 4" }).count(),
    ).resolves.toBe(1);
    const page = chair.page;
    await placeCursorAfter(page, "views of Member States.");
    await page.keyboard.press("Enter");
    await page.keyboard.type("The Committee took note of the report.");
    for (const { page: other } of [pakistan, observer]) {
      await other.locator(".chair-alt-label", { hasText: "replacing paras 4, 5" }).waitFor();
      await other
        .locator('.draft p[data-num="2."]', { hasText: "took note of the report" })
        .waitFor();
    }
  });

  it("proposes words typed into the insertion dialog", async () => {
    const page = russia.page;
    await placeCursorAfter(page, "effectiveness and efficiency");
    await page.locator('.toolbar [data-action="proposeInsertion"]').click();
    await page.locator("dialog.ask input").fill(", impact");
    await page.locator("dialog.ask input").press("Enter");
    await panelRow(chair.page, ", impact").getByText("Proposed by Russian Federation").waitFor();
    await expect(
      page
        .locator(".draft")
        .evaluate((el) => el === document.activeElement || el.contains(document.activeElement)),
    ).resolves.toBe(true);
  });

  it("draws brackets without names or positions in the unattributed view", async () => {
    const page = observer.page;
    await page.locator('[data-mode="unattributed"]').click();
    await expect(page.locator(".draft .br-label").count()).resolves.toBe(0);
    await expect(page.locator(".draft .br-open").count()).resolves.toBeGreaterThan(0);
    await page.locator('[data-mode="annotated"]').click();
    await page.locator(".draft .br-label").first().waitFor();
  });

  it("hides bracketed words and draws no bracket in the clean view", async () => {
    const page = observer.page;
    await page.locator('[data-mode="clean"]').click();
    await expect(page.locator(".draft .br-open").count()).resolves.toBe(0);
    await expect(page.locator(".draft .clean-hidden").first().isVisible()).resolves.toBe(false);
    // biome-ignore lint/performance/useDomNodeTextContent: innerText leaves out what CSS hides, which is the point here
    await expect(page.locator(".draft").innerText()).resolves.not.toContain("and their mandate");
    await page.locator('[data-mode="annotated"]').click();
    await page.locator(".draft .br-open").first().waitFor();
  });

  it("lets the observer type nothing", async () => {
    const page = observer.page;
    await expect(page.locator(".toolbar button").count()).resolves.toBe(0);
    await page.locator('.draft p[data-id="p4"]').click();
    await page.keyboard.type("observer words");
    await page.keyboard.press("Enter");
    await expect(draftText(page)).resolves.not.toContain("observer words");
    await expect(page.locator(".draft").getAttribute("contenteditable")).resolves.toBe("false");
  });

  it("keeps an edit made offline and delivers it on reconnecting", async () => {
    await russia.context.setOffline(true);
    await russia.page.locator('#connection[data-state="offline"]').waitFor();
    // The words begin with the character after the cursor (see client/text-sync.ts).
    await placeCursorAfter(russia.page, "shall be presented");
    await russia.page.keyboard.type(" at the earliest");
    await drawnBracket(russia.page, "at the earliest").waitFor();
    await russia.context.setOffline(false);
    await russia.page.locator('#connection[data-state="synced"]').waitFor();
    for (const { page } of [pakistan, chair]) {
      await panelRow(page, "at the earliest").getByText("Proposed by Russian Federation").waitFor();
    }
  });

  it("clears its local state and resyncs when the server refuses an update", async () => {
    const page = observer.page;
    const title = sampleDraft().registry.meta.title;
    // A modified client: the observer writes behind the editor's back, which the server refuses.
    await page.evaluate(() => {
      const app = (
        window as unknown as { parley: { ydoc: { getMap(name: string): Map<string, string> } } }
      ).parley;
      app.ydoc.getMap("meta").set("title", "Rewritten by an observer");
    });
    await page.locator("#notice", { hasText: "observer-read-only" }).waitFor();
    await page.locator('#connection[data-state="synced"]').waitFor();
    await expect(draftText(page)).resolves.toContain("at the earliest");
    const after = await page.evaluate(() => {
      const app = (
        window as unknown as { parley: { ydoc: { getMap(name: string): Map<string, string> } } }
      ).parley;
      return app.ydoc.getMap("meta").get("title");
    });
    expect(after).toBe(title);
    // The refused change is gone from IndexedDB too, or the next visit would send it again.
    const stored = await localStoreText(page, "parley:e2e:observer:Observer");
    expect(stored).toContain("Background and purpose");
    expect(stored).not.toContain("Rewritten by an observer");
  });

  it("downloads a clean text without any bracket", async () => {
    const page = pakistan.page;
    await page.locator(".download summary").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-export="clean:text"]').click(),
    ]);
    const path = await download.path();
    const text = await readFile(path, "utf8");
    expect(text).toContain("The evaluation shall be conducted by an");
    expect(text).not.toMatch(/[[\]［］]/);
    expect(text).not.toContain("and their mandate");
  });

  it("downloads the annotated draft as a Word file", async () => {
    const page = pakistan.page;
    await page.locator(".download summary").click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-export="annotated:docx"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/annotated\.docx$/);
    const bytes = await readFile(await download.path());
    // A .docx is a zip archive.
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("tells a participant whose invitation has expired, instead of retrying in silence", async () => {
    const token = await room.server.mintToken({
      docId: room.docId,
      party: "Pakistan",
      role: "delegation",
      expiresAt: new Date(Date.now() - 60_000),
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${room.server.url}/?doc=${room.docId}&token=${encodeURIComponent(token)}`);
    await page.locator("#notice", { hasText: "HTTP 401" }).waitFor();
    await context.close();
  });

  it("switches the interface to Chinese with party names in Chinese", async () => {
    const page = pakistan.page;
    await page.locator('[data-lang="zh"]').click();
    await page.locator("#identity", { hasText: "巴基斯坦" }).waitFor();
    await page.locator(".draft .br-label", { hasText: "俄罗斯联邦" }).first().waitFor();
    await page.locator(".panel-total", { hasText: "未决方括号" }).waitFor();
    await page.screenshot({ path: artifact("room-delegation-zh.png") });
  });

  it("puts an adopted chair's text in place of the paragraphs it replaces", async () => {
    const page = chair.page;
    await placeCursorAfter(page, "report its findings");
    await page.locator(".tool-decide .tool-more summary").click();
    await page.locator('[data-action="adoptChairAlternative"]:not([disabled])').click();
    for (const { page: other } of [pakistan, observer]) {
      await other.locator(".chair-alt-label").waitFor({ state: "detached", timeout: 5000 });
      await expect(draftText(other)).resolves.not.toContain("External Offices as a whole in all");
      await other
        // Up to where the chair's cursor (and its name label) sits.
        .locator('.draft p[data-num="4."]', { hasText: "as a whole and report its findings" })
        .waitFor({ timeout: 5000 });
    }
  });
});
