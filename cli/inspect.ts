// `parley inspect`: the figures of a draft (paragraphs, brackets, chair's alternative
// texts, parties, problems) as JSON for scripts and tests, and as a short summary for
// people.

import type { Draft } from "../schema/draft.ts";
import { blockLabels } from "../schema/numbering.ts";
import { partyName } from "../schema/parties.ts";
import { bracketCounts, listBrackets, listChairAlternatives } from "../schema/queries.ts";
import type { Stance } from "../schema/registry.ts";
import type { ReadProblem } from "./read.ts";

/** One bracket in the report. */
export interface InspectBracket {
  readonly id: string;
  readonly depth: number;
  readonly text: string;
  readonly paragraph: string | null;
  readonly kind: string;
  readonly status: string;
  readonly proposedBy: string[];
  readonly positions: { party: string; stance: Stance; onBehalfOf: string | null }[];
}

/** What `parley inspect --json` prints. */
export interface InspectReport {
  readonly symbol: string;
  readonly title: string;
  readonly lang: "zh" | "en";
  /**
   * Distinct paragraph numbers of the text itself: the paragraphs of a chair's alternative
   * text are not counted, and competing options of one paragraph count once.
   */
  readonly paragraphs: number;
  readonly brackets: InspectBracket[];
  readonly chairAlternatives: { id: string; replaces: string[]; text: string }[];
  /** Open brackets per party (English UN short name): proposed by it or with its position. */
  readonly parties: Record<string, number>;
  /**
   * What the readers could not make sense of. For a Word file `line` is the line of the
   * text the reader was given when it has one, else the Word paragraph (0 for none), and
   * `paragraph` names the Word paragraph.
   */
  readonly problems: ReadProblem[];
  /** Front-matter lines of the source kept out of the body ("原文：英文"). */
  readonly frontMatter: string[];
}

/** Whether every character of a block lies in a chair's alternative that is not adopted. */
function inPendingChairText(node: Draft["doc"], draft: Draft): boolean {
  if (node.content.size === 0) return false;
  let all = true;
  node.forEach((child) => {
    const chair = child.marks.find(
      (m) =>
        m.type.name === "chairAlternative" &&
        draft.registry.chairAlternatives[String(m.attrs.id)]?.status !== "adopted",
    );
    if (!chair) all = false;
  });
  return all;
}

/** The report of a draft and the problems met reading it. */
export function inspectDraft(
  draft: Draft,
  problems: readonly ReadProblem[],
  frontMatter: readonly string[] = [],
): InspectReport {
  // Distinct numbers: competing options are versions of the same numbered paragraph.
  const labels = blockLabels(draft.doc, draft.registry);
  const numbers = new Set<string>();
  draft.doc.descendants((node) => {
    if (node.type.name !== "paragraph") return true;
    const label = labels.get(String(node.attrs.id));
    if (node.attrs.numbering !== "none" && label && !inPendingChairText(node, draft)) {
      numbers.add(label);
    }
    return false;
  });
  const paragraphs = numbers.size;
  const brackets = listBrackets(draft).map((b) => ({
    id: b.id,
    depth: b.depth,
    text: b.text,
    paragraph: b.paragraph,
    kind: b.kind,
    status: b.status,
    proposedBy: b.proposedBy,
    positions: b.positions.map((p) => ({
      party: p.party,
      stance: p.stance,
      onBehalfOf: p.onBehalfOf,
    })),
  }));
  const chairAlternatives = listChairAlternatives(draft).map((c) => ({
    id: c.id,
    replaces: c.replacesLabels.map((label, i) => label ?? c.replaces[i]!),
    text: c.text,
  }));
  const { meta } = draft.registry;
  return {
    symbol: meta.symbol,
    title: meta.title,
    lang: meta.lang,
    paragraphs,
    brackets,
    chairAlternatives,
    parties: bracketCounts(draft).byParty,
    problems: [...problems],
    frontMatter: [...frontMatter],
  };
}

const shorten = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The report as a few lines for a person at a terminal, in English. */
export function formatSummary(file: string, report: InspectReport): string {
  const lines: string[] = [];
  const head = [report.symbol, report.title].filter(Boolean).join(" — ");
  lines.push(`${file}${head ? `: ${head}` : ""} (${report.lang})`);
  const deepest = Math.max(0, ...report.brackets.map((b) => b.depth));
  lines.push(`${report.paragraphs} numbered paragraphs`);
  lines.push(`${report.brackets.length} brackets (nested up to ${deepest} deep)`);
  lines.push(`${report.chairAlternatives.length} chair's alternative texts`);
  for (const c of report.chairAlternatives) {
    const replaces = c.replaces.length > 0 ? c.replaces.join(", ") : "nothing";
    lines.push(`  ${c.id} replaces ${replaces}: ${shorten(c.text, 50)}`);
  }
  const parties = Object.entries(report.parties).sort((a, b) => b[1] - a[1]);
  lines.push(`${parties.length} parties named on brackets`);
  for (const [party, count] of parties) lines.push(`  ${partyName(party, "en")}: ${count}`);
  lines.push(`${report.problems.length} problems`);
  for (const p of report.problems) {
    // A Word file's problems are found by paragraph; lines of the text made from it mean
    // nothing to the person who opens the file in Word.
    const where =
      p.paragraph === undefined
        ? `${p.line}:${p.column}`
        : p.paragraph === null
          ? "document"
          : `paragraph ${p.paragraph}`;
    lines.push(`  ${where} ${p.kind}: ${p.message}`);
  }
  return `${lines.join("\n")}\n`;
}
