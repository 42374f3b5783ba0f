import type { Registry } from "../schema/registry.ts";
import { type Lang, party, partyList, stanceVerb, statusName, t } from "./i18n.ts";

// Screen-reader users hear what changes in the room as it happens: a bracket opened, a
// position stated, a bracket lifted. The sentences are derived by comparing two registries,
// so local and remote changes are announced alike, and a whole resync (which replaces the
// registry at once) does not flood the live region with the history of the negotiation.

/** More changes than this in one step are a resync, not something said in the room. */
const resyncThreshold = 12;

/**
 * What changed from `before` to `after`, as sentences in `lang` ("bracket opened by
 * Pakistan; Russian Federation supports"). Empty when nothing worth saying changed, or when
 * so much changed at once that it is a load or a resync rather than a move in the room.
 */
export function describeRegistryChange(before: Registry, after: Registry, lang: Lang): string {
  const parts: string[] = [];
  for (const [id, entry] of Object.entries(after.brackets)) {
    const old = before.brackets[id];
    if (!old) {
      if (entry.status !== "open") continue;
      const proposers = entry.proposedBy.map((p) => p.party);
      parts.push(
        proposers.length > 0
          ? t(lang, "announce.opened", { parties: partyList(lang, proposers) })
          : t(lang, "announce.unknownProposer"),
      );
    } else if (old.status !== entry.status) {
      parts.push(t(lang, "announce.closed", { status: statusName(lang, entry.status) }));
      continue;
    }
    for (const position of Object.values(entry.positions)) {
      const previous = old?.positions[position.party];
      if (previous && previous.stance === position.stance && previous.text === position.text) {
        continue;
      }
      // The proposer's own "delete" on a deletion is part of opening it, not news.
      if (!old && entry.proposedBy.some((p) => p.party === position.party)) continue;
      parts.push(
        t(lang, "announce.position", {
          party: party(lang, position.party),
          stance: stanceVerb(lang, position.stance, position.text),
        }),
      );
    }
  }
  if (parts.length > resyncThreshold) return "";
  return parts.join(t(lang, "positionSeparator"));
}

/**
 * A polite ARIA live region that says `message`. Repeating the same message still speaks:
 * the region is emptied first, since screen readers only announce changed content.
 */
export function announce(region: HTMLElement, message: string): void {
  if (!message) return;
  region.textContent = "";
  // A fresh task, so the emptying and the new text are two mutations, not one.
  setTimeout(() => {
    region.textContent = message;
  }, 30);
}
