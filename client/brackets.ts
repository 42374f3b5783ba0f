import type { Node } from "prosemirror-model";
import { type EditorState, Plugin, PluginKey, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import { type MarkRange, markRanges } from "../schema/ranges.ts";
import type { BracketEntry, Registry } from "../schema/registry.ts";
import { getRegistry } from "../schema/state.ts";
import { type Lang, party, proposerName, stanceText, t } from "./i18n.ts";

// Brackets are drawn, never typed: the `[` and `]` glyphs, the depth colours and the party
// labels are decorations computed from the bracket marks' ranges and the registry. Mark
// order differs between peers (see DESIGN §3), so nesting comes from range containment via
// `markRanges`, which also joins a bracket's many mark runs into one range from its true
// start to its true end.

/** How the editor shows the draft (DESIGN §6). */
export type ViewMode = "annotated" | "unattributed" | "clean";

/** All view modes, in the order of the switcher. */
export const viewModes: readonly ViewMode[] = ["annotated", "unattributed", "clean"];

/** What the bracket decorations depend on besides the draft. */
export interface BracketView {
  readonly mode: ViewMode;
  readonly lang: Lang;
  /** A bracket to highlight (chosen in the panel), or null. */
  readonly highlight: string | null;
}

interface PluginState {
  readonly view: BracketView;
  readonly decorations: DecorationSet;
}

/** The key of the bracket decorations plugin; set its meta to a `Partial<BracketView>`. */
export const bracketViewKey = new PluginKey<PluginState>("parleyBrackets");

/** A bracket with its derived nesting depth (0 for outermost). */
export interface DrawnBracket extends MarkRange {
  readonly depth: number;
  readonly entry: BracketEntry | null;
}

/**
 * Every bracket of `doc` with its depth, in document order. A bracket is nested in every
 * other bracket whose range contains its range; equal ranges nest in document order of
 * their marks' first appearance, which is the same on every peer once their docs agree.
 */
export function drawnBrackets(doc: Node, registry: Registry): DrawnBracket[] {
  const ranges = [...markRanges(doc, "bracket").values()];
  ranges.sort((a, b) => a.from - b.from || b.to - a.to || (a.id < b.id ? -1 : 1));
  const open: MarkRange[] = [];
  const result: DrawnBracket[] = [];
  for (const range of ranges) {
    while (open.length > 0 && open[open.length - 1]!.to <= range.from) open.pop();
    // A range that starts inside but ends beyond the top of the stack overlaps rather than
    // nests (a draft the checker flags); treat it as a sibling so glyphs still pair up.
    while (open.length > 0 && open[open.length - 1]!.to < range.to) open.pop();
    result.push({ ...range, depth: open.length, entry: registry.brackets[range.id] ?? null });
    open.push(range);
  }
  return result;
}

/** The annotation drawn after a bracket's `]` in the annotated view ("Pakistan: delete"). */
export function bracketAnnotation(entry: BracketEntry, lang: Lang): string {
  const separator = t(lang, "positionSeparator");
  const parts: string[] = [];
  const proposers = entry.proposedBy.map((p) => proposerName(lang, p));
  const positions = Object.values(entry.positions);
  const ownStance = positions.find((p) => entry.proposedBy.some((q) => q.party === p.party));
  if (proposers.length > 0 && !ownStance) parts.push(proposers.join(t(lang, "listSeparator")));
  for (const position of positions) {
    const colon = lang === "zh" ? "：" : ": ";
    parts.push(
      `${party(lang, position.party)}${colon}${stanceText(lang, position.stance, position.text)}`,
    );
  }
  return parts.join(separator);
}

function glyph(text: string, className: string): () => HTMLElement {
  return () => {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    span.setAttribute("aria-hidden", "true");
    return span;
  };
}

function closing(bracket: DrawnBracket, view: BracketView): () => HTMLElement {
  return () => {
    const span = document.createElement("span");
    span.className = `br-close br-d${bracket.depth % 4}`;
    span.setAttribute("aria-hidden", "true");
    span.textContent = "]";
    if (view.mode === "annotated" && bracket.entry) {
      const text = bracketAnnotation(bracket.entry, view.lang);
      if (text) {
        const label = document.createElement("span");
        label.className = "br-label";
        label.textContent = view.lang === "zh" ? `——${text}` : ` — ${text}`;
        span.append(label);
      }
    }
    return span;
  };
}

/** The decorations that draw the brackets of `state` in `view`. */
export function bracketDecorations(state: EditorState, view: BracketView): DecorationSet {
  const registry = getRegistry(state);
  const decorations: Decoration[] = [];
  for (const bracket of drawnBrackets(state.doc, registry)) {
    const entry = bracket.entry;
    if (entry && entry.status !== "open") continue;
    const depth = bracket.depth % 4;
    if (view.mode === "clean") {
      decorations.push(Decoration.inline(bracket.from, bracket.to, { class: "clean-hidden" }));
      continue;
    }
    const classes = [`br`, `br-d${depth}`, `br-${entry?.kind ?? "text"}`];
    if (view.highlight === bracket.id) classes.push("br-highlight");
    decorations.push(
      Decoration.inline(
        bracket.from,
        bracket.to,
        { class: classes.join(" "), "data-bracket": bracket.id },
        { bracket: bracket.id },
      ),
    );
    decorations.push(
      Decoration.widget(bracket.from, glyph("[", `br-open br-d${depth}`), {
        side: 1 + bracket.depth,
        key: `o${bracket.id}:${view.mode}`,
        marks: [],
      }),
    );
    const annotation =
      view.mode === "annotated" && entry ? bracketAnnotation(entry, view.lang) : "";
    decorations.push(
      Decoration.widget(bracket.to, closing(bracket, view), {
        side: -(1 + bracket.depth),
        key: `c${bracket.id}:${view.mode}:${view.lang}:${annotation}`,
        marks: [],
      }),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

const initialView: BracketView = { mode: "annotated", lang: "en", highlight: null };

/** The plugin that draws brackets, starting in `view` (annotated, English by default). */
export function bracketsPlugin(view: Partial<BracketView> = {}): Plugin<PluginState> {
  return new Plugin<PluginState>({
    key: bracketViewKey,
    state: {
      init: (_config, state) => {
        const start = { ...initialView, ...view };
        return { view: start, decorations: bracketDecorations(state, start) };
      },
      apply(tr: Transaction, previous, oldState, newState) {
        const change = tr.getMeta(bracketViewKey) as Partial<BracketView> | undefined;
        const registryChanged = getRegistry(oldState) !== getRegistry(newState);
        if (!change && !tr.docChanged && !registryChanged) return previous;
        const next = change ? { ...previous.view, ...change } : previous.view;
        return { view: next, decorations: bracketDecorations(newState, next) };
      },
    },
    props: {
      decorations: (state) => bracketViewKey.getState(state)?.decorations ?? DecorationSet.empty,
      // The clean view hides bracketed words; editing around invisible text would be blind.
      editable: (state) => currentBracketView(state).mode !== "clean",
    },
  });
}

/** The current bracket view of `state`, or the default when the plugin is absent. */
export function currentBracketView(state: EditorState): BracketView {
  return bracketViewKey.getState(state)?.view ?? initialView;
}

/** A transaction that changes the bracket view; it changes nothing in the draft. */
export function setBracketView(state: EditorState, change: Partial<BracketView>): Transaction {
  return state.tr.setMeta(bracketViewKey, change).setMeta("addToHistory", false);
}
