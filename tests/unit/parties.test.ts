import { describe, expect, it } from "vitest";
import { findParty, matchPartyAt, parties, partyKey, partyName } from "../../schema/parties.ts";

describe("the roster", () => {
  it("holds all 193 UN member states", () => {
    expect(parties.filter((p) => p.kind === "state")).toHaveLength(193);
  });

  it("gives every name to one party only", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const party of parties) {
      for (const name of [party.en, party.zh, ...party.aliases]) {
        const key = name.toLowerCase();
        const previous = owner.get(key);
        if (previous !== undefined && previous !== party.en) clashes.push(name);
        owner.set(key, party.en);
      }
    }
    expect(clashes).toEqual([]);
  });

  it.each([
    ["俄罗斯", "Russian Federation"],
    ["俄罗斯联邦", "Russian Federation"],
    ["Russia", "Russian Federation"],
    ["美国", "United States of America"],
    ["USA", "United States of America"],
    ["阿联酋", "United Arab Emirates"],
    ["UAE", "United Arab Emirates"],
    ["伊朗", "Iran (Islamic Republic of)"],
    ["英国", "United Kingdom of Great Britain and Northern Ireland"],
    ["韩国", "Republic of Korea"],
    ["非洲集团", "African Group"],
    ["G77", "G77 and China"],
    ["EU", "European Union"],
    ["主席", "Chair"],
    ["秘书处", "Secretariat"],
    ["教廷", "Holy See"],
  ])("knows %s as %s", (alias, key) => {
    expect(partyKey(alias)).toBe(key);
  });

  it("matches English names case-insensitively", () => {
    expect(findParty("russian federation")?.en).toBe("Russian Federation");
  });

  it("does not take the word 'us' for the United States", () => {
    expect(findParty("us")).toBeNull();
  });

  it("shows a party in Chinese by its UN Chinese short name", () => {
    expect(partyName("Russian Federation", "zh")).toBe("俄罗斯联邦");
  });

  it("shows a party named by an alias under its English key", () => {
    expect(partyName("伊朗", "en")).toBe("Iran (Islamic Republic of)");
  });

  it("shows an unknown party as given", () => {
    expect(partyName("Atlantis", "en")).toBe("Atlantis");
  });
});

describe("matchPartyAt", () => {
  it("prefers the longest name at a position", () => {
    expect(matchPartyAt("俄罗斯联邦：第 5 段", 0)?.text).toBe("俄罗斯联邦");
  });

  it("finds a Chinese name glued to the following words", () => {
    expect(matchPartyAt("阿联酋不同意", 0)?.party.en).toBe("United Arab Emirates");
  });

  it("tells India from Indonesia", () => {
    expect(matchPartyAt("印度尼西亚：支持", 0)?.party.en).toBe("Indonesia");
  });

  it("requires an English name to end at a word boundary", () => {
    expect(matchPartyAt("Chadian delegates", 0)).toBeNull();
  });

  it("does not start a match inside an English word", () => {
    expect(matchPartyAt("FOCUS", 3)).toBeNull();
  });

  it("returns null where no party is named", () => {
    expect(matchPartyAt("评价将侧重于", 0)).toBeNull();
  });

  it("rejects an index outside the text", () => {
    expect(() => matchPartyAt("abc", 4)).toThrow(RangeError);
  });
});
