// Word numbering (numbering.xml): the definitions, and the counters that give each
// numbered paragraph the label Word shows for it ("12.", "(a)", "iv.", "•").

import { alpha, roman } from "../numbering.ts";
import { childElements, childVal, type XmlElement } from "./xml.ts";

/** Word numbering applied to a paragraph, with the label Word would show. */
export interface DocxNumbering {
  readonly numId: string;
  readonly level: number;
  /** `w:numFmt`: decimal, lowerLetter, lowerRoman, bullet … */
  readonly format: string;
  /** The label as displayed: "12.", "(a)", "•". */
  readonly label: string;
}

/** One level of an abstract numbering. */
interface Level {
  readonly start: number;
  readonly format: string;
  readonly text: string;
}

/** The numbering definitions of a document. */
export interface Numbering {
  readonly abstractOf: ReadonlyMap<string, string>;
  readonly levels: ReadonlyMap<string, ReadonlyMap<number, Level>>;
  readonly startOverrides: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/** Read numbering.xml; a document without one has no numbering definitions. */
export function readNumbering(root: XmlElement | null): Numbering {
  const abstractOf = new Map<string, string>();
  const levels = new Map<string, Map<number, Level>>();
  const startOverrides = new Map<string, Map<number, number>>();
  if (!root) return { abstractOf, levels, startOverrides };
  for (const abstract of childElements(root, "w:abstractNum")) {
    const byLevel = new Map<number, Level>();
    for (const lvl of childElements(abstract, "w:lvl")) {
      byLevel.set(Number(lvl.attrs["w:ilvl"] ?? 0), {
        start: Number(childVal(lvl, "w:start") ?? 1),
        format: childVal(lvl, "w:numFmt") ?? "decimal",
        text: childVal(lvl, "w:lvlText") ?? "",
      });
    }
    levels.set(abstract.attrs["w:abstractNumId"] ?? "", byLevel);
  }
  for (const num of childElements(root, "w:num")) {
    const numId = num.attrs["w:numId"] ?? "";
    abstractOf.set(numId, childVal(num, "w:abstractNumId") ?? "");
    const overrides = new Map<number, number>();
    for (const override of childElements(num, "w:lvlOverride")) {
      const start = childVal(override, "w:startOverride");
      if (start !== null) overrides.set(Number(override.attrs["w:ilvl"] ?? 0), Number(start));
    }
    startOverrides.set(numId, overrides);
  }
  return { abstractOf, levels, startOverrides };
}

/** Format a counter the way a numbering level's `w:numFmt` shows it. */
export function formatCounter(value: number, format: string): string {
  switch (format) {
    case "lowerLetter":
      return alpha(Math.max(1, value));
    case "upperLetter":
      return alpha(Math.max(1, value)).toUpperCase();
    case "lowerRoman":
      return roman(Math.max(1, value));
    case "upperRoman":
      return roman(Math.max(1, value)).toUpperCase();
    case "none":
      return "";
    default:
      return String(value);
  }
}

// Symbol-font bullets are private-use code points; show them as the bullet they stand for.
function bulletLabel(text: string): string {
  if (!text || /[\uf000-\uf0ff]/.test(text)) return "•";
  return text;
}

/** Counts numbered paragraphs in reading order, the way Word does. */
export class NumberingCounter {
  private readonly counters = new Map<string, number[]>();
  private readonly usedNums = new Set<string>();

  constructor(private readonly numbering: Numbering) {}

  /**
   * The label of the next paragraph numbered with `numId` at `level`, or null when
   * numbering.xml does not define it.
   */
  next(numId: string, level: number): DocxNumbering | null {
    // Word keeps one set of counters per abstract numbering; a `w:num` with a start
    // override restarts it the first time it is used. Deeper levels restart when a
    // shallower one moves on.
    const abstractId = this.numbering.abstractOf.get(numId);
    const levels = abstractId === undefined ? undefined : this.numbering.levels.get(abstractId);
    const def = levels?.get(level);
    if (!levels || !def || abstractId === undefined) return null;
    const overrides = this.numbering.startOverrides.get(numId);
    let counters = this.counters.get(abstractId);
    if (!counters || (!this.usedNums.has(numId) && overrides && overrides.size > 0)) {
      counters = [];
      this.counters.set(abstractId, counters);
    }
    this.usedNums.add(numId);
    const startOf = (l: number) => overrides?.get(l) ?? levels.get(l)?.start ?? 1;
    counters[level] = counters[level] === undefined ? startOf(level) : counters[level]! + 1;
    counters.length = level + 1;
    for (let l = 0; l < level; l++) counters[l] ??= startOf(l);
    const label =
      def.format === "bullet"
        ? bulletLabel(def.text)
        : def.text.replace(/%(\d)/g, (_, n: string) => {
            const l = Number(n) - 1;
            const format = levels.get(l)?.format ?? "decimal";
            return formatCounter(counters![l] ?? startOf(l), format);
          });
    return { numId, level, format: def.format, label };
  }
}
