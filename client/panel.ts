import { type EditorState, TextSelection } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { type BracketInfo, bracketCounts, listBrackets } from "../schema/queries.ts";
import type { BracketStatus, PartyRef, Registry } from "../schema/registry.ts";
import { draftOf, getRegistry } from "../schema/state.ts";
import { setBracketView } from "./brackets.ts";
import { kindName, type Lang, party, proposerName, stanceText, statusName, t } from "./i18n.ts";

// The bracket panel: the negotiation's to-do list. Every open bracket with its paragraph,
// words, proposer and positions; the totals are always in view because the bracket count
// is how a room measures its progress. Closed brackets (lifted, dropped, withdrawn) have no
// words left in the document, so they are listed from the registry when the filter asks.

/** The panel's filter; empty strings mean "any". */
export interface PanelFilter {
  readonly party: string;
  readonly status: BracketStatus | "";
  readonly paragraph: string;
}

/** A row of the panel. */
export interface PanelRow {
  readonly id: string;
  readonly status: BracketStatus;
  readonly info: BracketInfo | null;
  readonly kind: BracketInfo["kind"];
  readonly proposedBy: readonly PartyRef[];
}

/** The rows `filter` lets through, open brackets in document order, then closed ones. */
export function panelRows(state: EditorState, filter: PanelFilter): PanelRow[] {
  const registry: Registry = getRegistry(state);
  const rows: PanelRow[] = listBrackets(draftOf(state)).map((info) => ({
    id: info.id,
    status: info.status,
    info,
    kind: info.kind,
    proposedBy: registry.brackets[info.id]?.proposedBy ?? [],
  }));
  const listed = new Set(rows.map((row) => row.id));
  for (const [id, entry] of Object.entries(registry.brackets)) {
    if (listed.has(id) || entry.status === "open") continue;
    rows.push({
      id,
      status: entry.status,
      info: null,
      kind: entry.kind,
      proposedBy: entry.proposedBy,
    });
  }
  return rows.filter((row) => {
    if ((filter.status || "open") !== row.status) return false;
    if (filter.paragraph && row.info?.paragraph !== filter.paragraph) return false;
    if (filter.party) {
      const parties = [
        ...row.proposedBy.map((p) => p.party),
        ...(row.info?.positions.map((p) => p.party) ?? []),
      ];
      if (!parties.includes(filter.party)) return false;
    }
    return true;
  });
}

function option(value: string, text: string, selected: string): HTMLOptionElement {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  element.selected = value === selected;
  return element;
}

const chipLimit = 16;

/** The bracket panel of one editor. */
export class BracketPanel {
  private filter: PanelFilter = { party: "", status: "", paragraph: "" };
  private lang: Lang;
  private lastState: EditorState | null = null;
  private allChips = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly view: () => EditorView | null,
    lang: Lang,
  ) {
    this.lang = lang;
    host.setAttribute("role", "region");
  }

  /** Switch the panel's language. */
  setLang(lang: Lang): void {
    this.lang = lang;
    if (this.lastState) this.render(this.lastState, true);
  }

  /** Redraw for `state` when its draft changed since the last drawing. */
  update(state: EditorState): void {
    const last = this.lastState;
    const changed = !last || last.doc !== state.doc || getRegistry(last) !== getRegistry(state);
    this.lastState = state;
    if (changed) this.render(state, false);
  }

  private render(state: EditorState, force: boolean): void {
    const lang = this.lang;
    const focused = this.host.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.key
      : undefined;
    if (!force && focused?.startsWith("filter")) {
      // Rebuilding while a filter <select> is open would close it under the user's hands.
      this.renderList(state);
      this.renderTotals(state);
      return;
    }
    this.host.replaceChildren();
    this.host.setAttribute("aria-label", t(lang, "panel"));
    const heading = document.createElement("h2");
    heading.textContent = t(lang, "panel");
    const totals = document.createElement("div");
    totals.className = "panel-totals";
    const filters = this.renderFilters(state);
    const list = document.createElement("ol");
    list.className = "panel-list";
    this.host.append(heading, totals, filters, list);
    this.renderTotals(state);
    this.renderList(state);
    if (focused) this.host.querySelector<HTMLElement>(`[data-key="${focused}"]`)?.focus();
  }

  private setFilter(change: Partial<PanelFilter>): void {
    this.filter = { ...this.filter, ...change };
    if (this.lastState) this.render(this.lastState, true);
  }

  private renderTotals(state: EditorState): void {
    const totals = this.host.querySelector(".panel-totals");
    if (!totals) return;
    const counts = bracketCounts(draftOf(state));
    const total = document.createElement("p");
    total.className = "panel-total";
    total.textContent = t(this.lang, "panel.total", { n: counts.open });
    const per = document.createElement("p");
    per.className = "panel-per-paragraph";
    const entries = Object.entries(counts.byParagraph);
    if (entries.length > 0) {
      per.append(`${t(this.lang, "panel.perParagraph")}: `);
      // A long draft has brackets in dozens of paragraphs; the totals must stay a glance.
      const shown = this.allChips ? entries : entries.slice(0, chipLimit);
      for (const [label, n] of shown) {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = `${label}·${n}`;
        chip.title = `${t(this.lang, "panel.filterParagraph")} ${label}`;
        chip.addEventListener("click", () => this.setFilter({ paragraph: label }));
        per.append(chip);
      }
      if (shown.length < entries.length) {
        const more = document.createElement("button");
        more.type = "button";
        more.className = "chip chip-more";
        more.textContent = `+${entries.length - shown.length}`;
        more.addEventListener("click", () => {
          this.allChips = true;
          if (this.lastState) this.renderTotals(this.lastState);
        });
        per.append(more);
      }
    }
    totals.replaceChildren(total, per);
  }

  private renderFilters(state: EditorState): HTMLElement {
    const lang = this.lang;
    const box = document.createElement("div");
    box.className = "panel-filters";
    const infos = listBrackets(draftOf(state));
    const registry = getRegistry(state);
    const parties = new Set<string>();
    for (const entry of Object.values(registry.brackets)) {
      for (const p of entry.proposedBy) parties.add(p.party);
      for (const p of Object.keys(entry.positions)) parties.add(p);
    }
    const paragraphs = [...new Set(infos.map((i) => i.paragraph).filter((p): p is string => !!p))];
    const select = (
      key: keyof PanelFilter,
      label: string,
      values: readonly (readonly [string, string])[],
    ): HTMLLabelElement => {
      const wrapper = document.createElement("label");
      wrapper.textContent = label;
      const element = document.createElement("select");
      element.dataset.key = `filter-${key}`;
      for (const [value, text] of values) element.append(option(value, text, this.filter[key]));
      element.addEventListener("change", () => {
        this.filter = { ...this.filter, [key]: element.value };
        if (this.lastState) this.renderList(this.lastState);
      });
      wrapper.append(element);
      return wrapper;
    };
    const all = t(lang, "panel.all");
    box.append(
      select("party", t(lang, "panel.filterParty"), [
        ["", all],
        ...[...parties].sort().map((p) => [p, party(lang, p)] as const),
      ]),
      select(
        "status",
        t(lang, "panel.filterStatus"),
        (["open", "lifted", "dropped", "withdrawn"] as const).map(
          (s) => [s === "open" ? "" : s, statusName(lang, s)] as const,
        ),
      ),
      select("paragraph", t(lang, "panel.filterParagraph"), [
        ["", all],
        ...paragraphs.map((p) => [p, p] as const),
      ]),
    );
    return box;
  }

  private renderList(state: EditorState): void {
    const list = this.host.querySelector(".panel-list");
    if (!list) return;
    const rows = panelRows(state, this.filter);
    list.replaceChildren(...rows.map((row) => this.renderRow(row)));
    if (rows.length === 0) {
      const empty = document.createElement("li");
      empty.className = "panel-empty";
      empty.textContent = t(this.lang, "panel.empty");
      list.append(empty);
    }
  }

  private renderRow(row: PanelRow): HTMLLIElement {
    const lang = this.lang;
    const item = document.createElement("li");
    item.className = `panel-row depth-${Math.min(row.info?.depth ?? 1, 4)} status-${row.status}`;
    item.dataset.bracket = row.id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "row-button";
    button.dataset.key = `row-${row.id}`;
    const para = document.createElement("span");
    para.className = "row-para";
    para.textContent = row.info?.paragraph ?? t(lang, "panel.unnumbered");
    const text = document.createElement("span");
    text.className = "row-text";
    const words = row.info?.text ?? "";
    text.textContent = words.length > 140 ? `${words.slice(0, 137)}…` : words;
    const meta = document.createElement("span");
    meta.className = "row-meta";
    const who =
      row.proposedBy.length > 0
        ? t(lang, "panel.proposedBy", {
            parties: row.proposedBy
              .map((p) => proposerName(lang, p))
              .join(t(lang, "listSeparator")),
          })
        : t(lang, "panel.noProposer");
    meta.textContent = `${kindName(lang, row.kind)} · ${who}`;
    button.append(para, text, meta);
    const positions = row.info?.positions ?? [];
    if (positions.length > 0) {
      const list = document.createElement("span");
      list.className = "row-positions";
      for (const position of positions) {
        const chip = document.createElement("span");
        chip.className = `position stance-${position.stance}`;
        const colon = lang === "zh" ? "：" : ": ";
        chip.textContent = `${party(lang, position.party)}${colon}${stanceText(lang, position.stance, position.text)}`;
        list.append(chip);
      }
      button.append(list);
    }
    if (row.info) {
      const info = row.info;
      button.addEventListener("click", () => this.reveal(info));
    } else {
      button.disabled = true;
    }
    item.append(button);
    return item;
  }

  /** Move the editor's cursor into a bracket, scroll it into view and highlight it. */
  reveal(info: BracketInfo): void {
    const view = this.view();
    if (!view) return;
    const inside = Math.min(info.from + 1, info.to);
    const tr = setBracketView(view.state, { highlight: info.id });
    tr.setSelection(TextSelection.create(tr.doc, inside));
    view.dispatch(tr);
    const element = view.dom.querySelector(`[data-bracket="${info.id}"]`);
    element?.scrollIntoView({ block: "center", behavior: "smooth" });
    view.focus();
  }
}
