import { keymap } from "prosemirror-keymap";
import type { EditorState } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { type Actor, emptyRegistry, type Registry } from "../schema/registry.ts";
import { getRegistry } from "../schema/state.ts";
import { announce, describeRegistryChange } from "./announce.ts";
import { setBracketView, type ViewMode, viewModes } from "./brackets.ts";
import type { ConnectionState, Refusal } from "./connection.ts";
import { downloadExport, type ExportMode, exportFormats } from "./exports.ts";
import { type Lang, langs, party, roleName, t } from "./i18n.ts";
import type { Invitation } from "./invitation.ts";
import { BracketPanel } from "./panel.ts";
import { ruleSentence } from "./rules.ts";
import { type Session, startSession } from "./session.ts";
import { renderSpeaker } from "./speaker.ts";
import { actionKeymap, openContextMenu, openContextMenuAtSelection, Toolbar } from "./toolbar.ts";

// The page: identity, connection and view controls in the header, the toolbar, the draft on
// its page, the bracket panel beside it, and a live region for announcements. The app owns
// the session's lifetime; the one reason to replace a session is the server's refusal.

/** The elements of index.html the app fills. */
export interface AppElements {
  readonly identity: HTMLElement;
  readonly connection: HTMLElement;
  readonly controls: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly speaker: HTMLElement;
  readonly editor: HTMLElement;
  /** The page's heading: symbol, revision and title of the draft. */
  readonly meta: HTMLElement;
  readonly panel: HTMLElement;
  readonly notice: HTMLElement;
  readonly live: HTMLElement;
}

/** The running app, exposed on `window.parley` for debugging and the browser tests. */
export class App {
  private session: Session | null = null;
  private lang: Lang;
  private mode: ViewMode = "annotated";
  private lastRegistry: Registry = emptyRegistry;
  private settled = false;
  private pendingState: EditorState | null = null;
  private frame: number | null = null;
  private connectionState: ConnectionState = "connecting";
  /** The delegation the chair or the secretariat is entering words for, or null. */
  private speakingFor: string | null = null;
  private speakerLang: Lang | null = null;
  private readonly toolbar: Toolbar;
  private readonly panel: BracketPanel;

  constructor(
    private readonly invitation: Invitation,
    private readonly elements: AppElements,
    lang: Lang,
  ) {
    this.lang = lang;
    this.toolbar = new Toolbar(elements.toolbar, this.actingAs, () => this.view, lang);
    this.panel = new BracketPanel(elements.panel, () => this.view, lang);
    this.renderChrome();
    this.start();
  }

  /**
   * Who the user acts as now: the token's identity, and for the chair and the secretariat
   * the delegation they speak for, if they chose one.
   */
  readonly actingAs = (): Actor => {
    const actor = this.invitation.actor;
    if (actor.role !== "chair" && actor.role !== "secretariat") return actor;
    return { ...actor, onBehalfOf: this.speakingFor };
  };

  /** Choose the delegation the chair or the secretariat speaks for (null: themselves). */
  setSpeakingFor(chosen: string | null): void {
    this.speakingFor = chosen;
    this.renderChrome();
    if (chosen) {
      announce(
        this.elements.live,
        t(this.lang, "speakingFor.badge", { party: party(this.lang, chosen) }),
      );
    }
    const view = this.view;
    if (view) this.toolbar.update(view.state);
  }

  /** The editor view of the current session, or null between sessions. */
  get view(): EditorView | null {
    return this.session?.editor.view ?? null;
  }

  /** The Y.Doc of the current session, or null between sessions. */
  get ydoc() {
    return this.session?.ydoc ?? null;
  }

  private start(): void {
    const lang = (): Lang => this.lang;
    const menuKeys = keymap({
      "Shift-F10": (_state, _dispatch, view) => {
        if (view) openContextMenuAtSelection(view, this.actingAs(), this.lang);
        return true;
      },
      ContextMenu: (_state, _dispatch, view) => {
        if (view) openContextMenuAtSelection(view, this.actingAs(), this.lang);
        return true;
      },
      "Mod-Alt-b": () => {
        this.elements.panel.querySelector<HTMLElement>(".panel-row button, select")?.focus();
        return true;
      },
    });
    this.lastRegistry = emptyRegistry;
    this.settled = false;
    this.session = startSession(
      this.elements.editor,
      this.invitation,
      { mode: this.mode, lang: this.lang },
      this.actingAs,
      [actionKeymap(this.actingAs, lang), menuKeys],
      {
        onState: (state) => {
          if (state === "synced") this.settle();
          this.setConnection(state);
        },
        onLoaded: () => {
          // Offline, the local copy is all there is; online, wait for the server's.
          if (!navigator.onLine) this.settle();
        },
        onRefused: (refusal) => void this.refused(refusal),
        onClosed: (code, reason) =>
          this.showNotice(t(this.lang, "closed", { reason: reason || String(code) })),
        onEditorState: (state) => this.editorChanged(state),
      },
    );
    const view = this.session.editor.view;
    view.dom.addEventListener("contextmenu", (event) => {
      event.preventDefault();
      openContextMenu(view, this.actingAs(), this.lang, event.clientX, event.clientY);
    });
    view.dom.setAttribute("aria-label", t(this.lang, "appName"));
    this.editorChanged(view.state);
  }

  private editorChanged(state: EditorState): void {
    // Probing every action and redrawing the panel walk the whole draft; typing produces a
    // transaction per key, so both are done once per frame with the latest state.
    this.pendingState = state;
    if (this.frame === null) {
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        const latest = this.pendingState;
        if (!latest) return;
        this.toolbar.update(latest);
        this.panel.update(latest);
      });
    }
    const registry = getRegistry(state);
    if (registry === this.lastRegistry) return;
    if (registry.meta !== this.lastRegistry.meta) this.renderMeta(registry);
    // Until the document has loaded, changes are the draft arriving, not news in the room.
    const message = this.settled
      ? describeRegistryChange(this.lastRegistry, registry, this.lang)
      : "";
    this.lastRegistry = registry;
    announce(this.elements.live, message);
  }

  private renderMeta(registry: Registry): void {
    const { symbol, revision, title, date } = registry.meta;
    const line = document.createElement("p");
    line.className = "doc-symbol";
    line.textContent = [symbol, revision, date].filter(Boolean).join(" · ");
    const heading = document.createElement("h1");
    heading.className = "doc-title";
    heading.textContent = title;
    this.elements.meta.replaceChildren(
      ...(line.textContent ? [line] : []),
      ...(title ? [heading] : []),
    );
    this.view?.dom.setAttribute("aria-label", title || t(this.lang, "appName"));
    // The draft's language, not the interface's: it picks the screen reader's voice and
    // the fonts for Chinese text.
    this.view?.dom.setAttribute("lang", registry.meta.lang === "zh" ? "zh-CN" : "en");
    document.title = title ? `${title} — Parley` : "Parley";
  }

  /** The session's document has loaded: announce changes from here on. */
  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    const view = this.view;
    if (view) this.lastRegistry = getRegistry(view.state);
  }

  private async refused(refusal: Refusal): Promise<void> {
    const reason =
      refusal.reason !== refusal.rule ? refusal.reason : ruleSentence(this.lang, refusal.rule);
    this.showNotice(t(this.lang, "refused", { rule: refusal.rule, reason }));
    const old = this.session;
    this.session = null;
    await old?.destroy(true);
    this.start();
  }

  private setConnection(state: ConnectionState): void {
    this.connectionState = state;
    const element = this.elements.connection;
    element.dataset.state = state;
    element.textContent = t(this.lang, `conn.${state === "offline" ? "disconnected" : state}`);
  }

  private showNotice(message: string): void {
    const notice = this.elements.notice;
    notice.replaceChildren();
    const text = document.createElement("p");
    text.textContent = message;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.textContent = t(this.lang, "dismiss");
    dismiss.addEventListener("click", () => {
      notice.hidden = true;
      this.view?.focus();
    });
    notice.append(text, dismiss);
    notice.hidden = false;
  }

  /** Switch the interface language. */
  setLang(lang: Lang): void {
    this.lang = lang;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    localStorage.setItem("parley.lang", lang);
    this.renderChrome();
    const view = this.view;
    if (view) {
      view.dispatch(setBracketView(view.state, { lang }));
      this.toolbar.setLang(lang, view.state);
    }
    this.panel.setLang(lang);
    this.setConnection(this.connectionState);
  }

  /** Switch the editor between the annotated, unattributed and clean views. */
  setMode(mode: ViewMode): void {
    this.mode = mode;
    const view = this.view;
    if (view) view.dispatch(setBracketView(view.state, { mode }));
    this.elements.editor.dataset.mode = mode;
    this.renderChrome();
  }

  private renderChrome(): void {
    const { actor } = this.invitation;
    const lang = this.lang;
    const identity = this.elements.identity;
    identity.replaceChildren();
    const name = document.createElement("strong");
    name.className = "identity-party";
    name.textContent = party(lang, actor.party);
    const role = document.createElement("span");
    role.className = `identity-role role-${actor.role}`;
    role.textContent = roleName(lang, actor.role);
    identity.append(`${t(lang, "actingAs")} `, name, " ", role);
    if (actor.onBehalfOf) {
      identity.append(` ${t(lang, "onBehalfOf", { group: party(lang, actor.onBehalfOf) })}`);
    }
    if (this.speakingFor) {
      const badge = document.createElement("span");
      badge.className = "identity-speaking";
      badge.textContent = t(lang, "speakingFor.badge", { party: party(lang, this.speakingFor) });
      identity.append(" ", badge);
    }
    if ((actor.role === "chair" || actor.role === "secretariat") && this.speakerLang !== lang) {
      // Only on a language switch: redrawing the field while it is in use would take the
      // keyboard focus away from the person typing in it.
      this.speakerLang = lang;
      renderSpeaker(this.elements.speaker, lang, this.speakingFor, (chosen) =>
        this.setSpeakingFor(chosen),
      );
    }
    if (actor.role === "observer") {
      const badge = document.createElement("span");
      badge.className = "identity-readonly";
      badge.textContent = t(lang, "readOnly");
      identity.append(" ", badge);
    }
    this.renderControls();
  }

  private renderControls(): void {
    const lang = this.lang;
    const controls = this.elements.controls;
    // The controls are redrawn on every switch; keep the keyboard focus on the same control.
    const focused = controls.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset
      : null;
    const refocus = focused?.mode
      ? `[data-mode="${focused.mode}"]`
      : focused?.lang
        ? `[data-lang="${focused.lang}"]`
        : null;
    controls.replaceChildren();
    const group = (label: string, className: string): HTMLElement => {
      const box = document.createElement("div");
      box.className = `segmented ${className}`;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", label);
      controls.append(box);
      return box;
    };
    const views = group(t(lang, "view"), "view-switch");
    for (const mode of viewModes) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "seg-button";
      button.dataset.mode = mode;
      button.textContent = t(lang, `view.${mode}`);
      button.setAttribute("aria-pressed", String(mode === this.mode));
      button.addEventListener("click", () => this.setMode(mode));
      views.append(button);
    }
    const languages = group(t(lang, "language"), "lang-switch");
    for (const each of langs) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "seg-button";
      button.dataset.lang = each;
      button.lang = each;
      button.textContent = each === "zh" ? "中文" : "English";
      button.setAttribute("aria-pressed", String(each === lang));
      button.addEventListener("click", () => this.setLang(each));
      languages.append(button);
    }
    const download = document.createElement("details");
    download.className = "download";
    const summary = document.createElement("summary");
    summary.textContent = t(lang, "download");
    const menu = document.createElement("div");
    menu.className = "download-menu";
    for (const mode of viewModes as readonly ExportMode[]) {
      const row = document.createElement("div");
      row.className = "download-row";
      row.setAttribute("role", "group");
      const modeName = t(lang, `view.${mode}`);
      row.setAttribute("aria-label", t(lang, "download.mode", { mode: modeName }));
      const caption = document.createElement("span");
      caption.textContent = modeName;
      row.append(caption);
      for (const format of exportFormats) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "download-button";
        button.dataset.export = `${mode}:${format.format}`;
        button.textContent = format.label;
        button.setAttribute("aria-label", `${modeName} — ${format.label}`);
        button.addEventListener("click", () => {
          download.open = false;
          downloadExport(this.invitation, mode, format, lang).catch((error: Error) =>
            this.showNotice(t(lang, "download.failed", { reason: error.message })),
          );
        });
        row.append(button);
      }
      menu.append(row);
    }
    download.append(summary, menu);
    controls.append(download);
    if (refocus) controls.querySelector<HTMLElement>(refocus)?.focus();
  }
}
