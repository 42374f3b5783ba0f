import { keymap } from "prosemirror-keymap";
import type { EditorState, Plugin } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import type { Actor } from "../schema/registry.ts";
import { type Action, type ActionGroup, isEnabled, visibleActions } from "./actions.ts";
import { askText } from "./dialog.ts";
import { type Lang, t } from "./i18n.ts";

// The three ways to reach an action: the toolbar, the context menu (right click, the
// Menu key or Shift+F10) and a keyboard shortcut. All three run the same catalogue entry,
// and all three are enabled by the same probe, so they can never disagree.

/**
 * Run `action` for `actor` in `view`, asking for its words first when it takes any.
 * Resolves true when the command ran, false when it was cancelled or is not possible in the
 * state the editor is in once the user has answered (a remote change may have intervened).
 */
export async function runAction(
  action: Action,
  actor: Actor,
  view: EditorView,
  lang: Lang,
): Promise<boolean> {
  let input = "";
  if (action.input.kind === "text") {
    const answer = await askText(lang, action.input.prompt, action.input.multiline);
    if (answer === null) return false;
    input = answer;
  }
  const command = action.command(actor, view.state, input);
  const ran = command?.(view.state, view.dispatch, view) === true;
  view.focus();
  return ran;
}

/** The keymap of the actions the acting participant may take, each guarded by its probe. */
export function actionKeymap(actorOf: () => Actor, lang: () => Lang): Plugin {
  const bindings: Record<string, (state: EditorState, _d?: unknown, view?: EditorView) => boolean> =
    {};
  for (const action of visibleActions(actorOf())) {
    if (!action.shortcut || action.group === "history") continue;
    bindings[action.shortcut] = (state, _dispatch, view) => {
      const actor = actorOf();
      if (!view || !isEnabled(action, actor, state)) return false;
      void runAction(action, actor, view, lang());
      return true;
    };
  }
  return keymap(bindings);
}

function shortcutText(shortcut: string): string {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  return shortcut
    .replace("Mod", mac ? "⌘" : "Ctrl")
    .replace("Alt", mac ? "⌥" : "Alt")
    .replace(/-/g, "+")
    .replace(/\+(\w)$/, (_m, key: string) => `+${key.toUpperCase()}`);
}

const groups: readonly ActionGroup[] = ["propose", "position", "decide", "history"];

const historySymbols: Record<string, string> = { undo: "↶", redo: "↷" };

// What the room does most stays on the toolbar; the rest of each group sits behind "⋯",
// so the toolbar keeps to one line on a laptop and on a projector.
const primaryActions = new Set([
  "proposeInsertion",
  "proposeDeletion",
  "proposeReplacement",
  "proposeAlternativeWording",
  "support",
  "oppose",
  "reserve",
  "withdrawProposal",
  "liftBracket",
  "dropProposal",
  "proposeChairAlternative",
  "agreed",
  "undo",
  "redo",
]);

/** The toolbar: a button per visible action, grouped, enabled by probe. */
export class Toolbar {
  private readonly buttons = new Map<string, { action: Action; button: HTMLButtonElement }>();
  private lang: Lang;

  constructor(
    private readonly host: HTMLElement,
    private readonly actorOf: () => Actor,
    private readonly view: () => EditorView | null,
    lang: Lang,
  ) {
    this.lang = lang;
    host.setAttribute("role", "toolbar");
    host.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.render();
  }

  private render(): void {
    this.host.replaceChildren();
    this.buttons.clear();
    this.host.setAttribute("aria-label", t(this.lang, "toolbar"));
    const visible = visibleActions(this.actorOf());
    for (const group of groups) {
      const members = visible.filter((a) => a.group === group);
      if (members.length === 0) continue;
      const box = document.createElement("div");
      box.className = `tool-group tool-${group}`;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", t(this.lang, `group.${group}`));
      const more = document.createElement("details");
      more.className = "tool-more";
      const summary = document.createElement("summary");
      summary.textContent = "⋯";
      summary.setAttribute(
        "aria-label",
        `${t(this.lang, `group.${group}`)}: ${t(this.lang, "more")}`,
      );
      summary.tabIndex = -1;
      const list = document.createElement("div");
      list.className = "tool-more-list";
      more.append(summary, list);
      for (const action of members) {
        const button = this.button(action, () => {
          more.open = false;
        });
        if (primaryActions.has(action.id)) {
          box.append(button);
        } else {
          // Inside the open "⋯" list Tab reaches the buttons; closed, they are not rendered.
          button.tabIndex = 0;
          list.append(button);
        }
      }
      if (list.childElementCount > 0) box.append(more);
      this.host.append(box);
    }
    const first = this.host.querySelector<HTMLElement>(".tool-group > button");
    if (first) first.tabIndex = 0;
  }

  private button(action: Action, after: () => void): HTMLButtonElement {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tool";
    button.dataset.action = action.id;
    button.textContent = t(this.lang, action.label);
    const symbol = historySymbols[action.id];
    if (symbol) {
      button.textContent = symbol;
      button.setAttribute("aria-label", t(this.lang, action.label));
      button.title = t(this.lang, action.label);
    }
    if (action.shortcut) {
      button.title = `${t(this.lang, action.label)} (${shortcutText(action.shortcut)})`;
      button.setAttribute("aria-keyshortcuts", action.shortcut.replace("Mod", "Control"));
    }
    button.tabIndex = -1;
    // Keep the editor's selection: a mousedown on a button would otherwise move focus
    // and collapse what the user selected before the click lands.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      after();
      const view = this.view();
      if (view) void runAction(action, this.actorOf(), view, this.lang);
    });
    this.buttons.set(action.id, { action, button });
    return button;
  }

  /** Arrow keys move between buttons, so the toolbar is one stop in the tab order. */
  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const all = [...this.host.querySelectorAll<HTMLElement>(".tool-group > button, summary")];
    const index = all.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    const next = all[(index + (event.key === "ArrowRight" ? 1 : all.length - 1)) % all.length];
    if (!next) return;
    for (const button of all) button.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
    event.preventDefault();
  }

  /** Re-probe every action against `state`. */
  update(state: EditorState): void {
    for (const { action, button } of this.buttons.values()) {
      const enabled = isEnabled(action, this.actorOf(), state);
      button.disabled = !enabled;
      button.setAttribute("aria-disabled", String(!enabled));
    }
  }

  /** Switch the labels to `lang`. */
  setLang(lang: Lang, state: EditorState): void {
    this.lang = lang;
    this.render();
    this.update(state);
  }
}

/**
 * Open the context menu at (`x`, `y`) with the actions enabled in the editor's state. It
 * closes on Escape, on a choice or on a click elsewhere, and returns focus to the editor.
 * Does nothing when no action is enabled.
 */
export function openContextMenu(
  view: EditorView,
  actor: Actor,
  lang: Lang,
  x: number,
  y: number,
): void {
  document.querySelector(".context-menu")?.remove();
  const enabled = visibleActions(actor).filter((a) => isEnabled(a, actor, view.state));
  if (enabled.length === 0) return;
  const menu = document.createElement("div");
  menu.className = "context-menu";
  menu.setAttribute("role", "menu");
  menu.setAttribute("aria-label", t(lang, "contextMenu"));
  const close = (): void => {
    menu.remove();
    document.removeEventListener("mousedown", outside, true);
    view.focus();
  };
  const outside = (event: MouseEvent): void => {
    if (!menu.contains(event.target as globalThis.Node)) close();
  };
  let group: ActionGroup | null = null;
  for (const action of enabled) {
    if (action.group !== group) {
      group = action.group;
      const heading = document.createElement("div");
      heading.className = "menu-heading";
      heading.setAttribute("role", "presentation");
      heading.textContent = t(lang, `group.${group}`);
      menu.append(heading);
    }
    const item = document.createElement("button");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.className = "menu-item";
    item.dataset.action = action.id;
    item.textContent = t(lang, action.label);
    if (action.shortcut) {
      const hint = document.createElement("kbd");
      hint.textContent = shortcutText(action.shortcut);
      item.append(hint);
    }
    item.addEventListener("click", () => {
      close();
      void runAction(action, actor, view, lang);
    });
    menu.append(item);
  }
  menu.addEventListener("keydown", (event) => {
    const items = [...menu.querySelectorAll<HTMLButtonElement>("button")];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "Escape") close();
    else if (event.key === "ArrowDown") items[(index + 1) % items.length]?.focus();
    else if (event.key === "ArrowUp") items[(index - 1 + items.length) % items.length]?.focus();
    else return;
    event.preventDefault();
  });
  menu.style.left = `${Math.min(x, window.innerWidth - 260)}px`;
  menu.style.top = `${Math.min(y, window.innerHeight - 40 * enabled.length - 20)}px`;
  document.body.append(menu);
  document.addEventListener("mousedown", outside, true);
  menu.querySelector<HTMLButtonElement>("button")?.focus();
}

/** Open the context menu by keyboard, at the selection's head. */
export function openContextMenuAtSelection(view: EditorView, actor: Actor, lang: Lang): void {
  const coords = view.coordsAtPos(view.state.selection.head);
  openContextMenu(view, actor, lang, coords.left, coords.bottom + 4);
}
