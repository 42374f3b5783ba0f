// The roster of parties: UN member states and the usual negotiating groups, with their
// names in English (the UN short name, used as the key everywhere in Parley) and Chinese,
// and the aliases drafts use for them. (A first cut: the full roster follows.)

/** A party known to Parley. */
export interface PartyInfo {
  /** The English UN short name, e.g. "Russian Federation"; the key used in registries. */
  readonly en: string;
  /** The Chinese name, e.g. "俄罗斯联邦". */
  readonly zh: string;
  /** Other ways drafts write it, in either language ("Russia", "俄罗斯"). */
  readonly aliases: readonly string[];
  readonly kind: "state" | "group" | "organ";
}

/** Every known party. */
export const parties: readonly PartyInfo[] = [
  { en: "Pakistan", zh: "巴基斯坦", aliases: [], kind: "state" },
  { en: "United Arab Emirates", zh: "阿拉伯联合酋长国", aliases: ["阿联酋", "UAE"], kind: "state" },
  { en: "Russian Federation", zh: "俄罗斯联邦", aliases: ["俄罗斯", "Russia"], kind: "state" },
  {
    en: "United States of America",
    zh: "美利坚合众国",
    aliases: ["美国", "United States", "USA", "US"],
    kind: "state",
  },
  { en: "Algeria", zh: "阿尔及利亚", aliases: [], kind: "state" },
  { en: "African Group", zh: "非洲集团", aliases: [], kind: "group" },
  { en: "Chair", zh: "主席", aliases: [], kind: "organ" },
  { en: "Secretariat", zh: "秘书处", aliases: [], kind: "organ" },
];

const byName = new Map<string, PartyInfo>();
for (const party of parties) {
  for (const name of [party.en, party.zh, ...party.aliases]) byName.set(name.toLowerCase(), party);
}

/** The party a name or alias refers to (case-insensitive, exact), or null if unknown. */
export function findParty(name: string): PartyInfo | null {
  return byName.get(name.trim().toLowerCase()) ?? null;
}

/**
 * A party's display name in `lang`. `party` is the English key; an unknown party is shown
 * as given, since drafts name parties Parley may not know.
 */
export function partyName(party: string, lang: "zh" | "en"): string {
  const info = findParty(party);
  if (!info) return party;
  return lang === "zh" ? info.zh : info.en;
}
