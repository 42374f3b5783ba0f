import { describe, expect, it } from "vitest";
import { readCommentText } from "../../schema/formats/docx-comments.ts";

const position = (
  party: string,
  stance: string,
  text: string | null = null,
  onBehalfOf = null,
) => ({
  party: { party, onBehalfOf },
  stance,
  text,
});

describe("reading a Word comment", () => {
  it("reads an acronym and a stance after a colon as a position", () => {
    expect(readCommentText("US: delete")).toEqual({
      kind: "position",
      positions: [position("United States of America", "delete")],
    });
  });

  it("reads delegation codes joined by a comma as one stance shared by each", () => {
    expect(readCommentText("CAN, UK delete")).toEqual({
      kind: "position",
      positions: [
        position("Canada", "delete"),
        position("United Kingdom of Great Britain and Northern Ireland", "delete"),
      ],
    });
  });

  it("reads a group and a capitalised stance followed by more words", () => {
    expect(readCommentText("LMDC: Delete whole section")).toEqual({
      kind: "position",
      positions: [position("LMDC", "delete")],
    });
  });

  it("reads Chinese clauses separated by a full-width semicolon as separate positions", () => {
    expect(readCommentText("巴基斯坦：删除；阿联酋不同意")).toEqual({
      kind: "position",
      positions: [position("Pakistan", "delete"), position("United Arab Emirates", "oppose")],
    });
  });

  it("reads a party speaking for a group that proposes the words as a proposal", () => {
    expect(readCommentText("阿尔及利亚代表非洲集团提出增加")).toEqual({
      kind: "proposal",
      parties: [{ party: "Algeria", onBehalfOf: "African Group" }],
    });
  });

  it("reads a bare party name as the proposer of the words", () => {
    expect(readCommentText("Pakistan")).toEqual({
      kind: "proposal",
      parties: [{ party: "Pakistan", onBehalfOf: null }],
    });
  });

  it("keeps the replacement words of a replace stance", () => {
    expect(readCommentText('EU: replace with "network"')).toEqual({
      kind: "position",
      positions: [position("European Union", "replace", "network")],
    });
  });

  it("keeps unrecognised words after a party as a comment position", () => {
    expect(readCommentText("Russia: needs more thought")).toEqual({
      kind: "position",
      positions: [position("Russian Federation", "comment", "needs more thought")],
    });
  });

  it("reads a comment that starts with no party as a note", () => {
    expect(readCommentText("Check the figures with the Secretariat")).toEqual({ kind: "note" });
  });

  it("does not take the lower-case word us for the United States", () => {
    expect(readCommentText("us: delete")).toEqual({ kind: "note" });
  });
});
