import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `parley` run as a child process, exactly as a user runs it.

const root = fileURLToPath(new URL("../..", import.meta.url));
const sample = join(root, "fixtures/field-office-tor.zh.txt");
const realWorld = (name: string) => join(root, "fixtures/real-world", name);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const parley = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      "node",
      [join(root, "bin/parley.js"), ...args],
      { cwd: root },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });

interface Report {
  paragraphs: number;
  brackets: {
    id: string;
    depth: number;
    text: string;
    paragraph: string | null;
    proposedBy: string[];
    positions: { party: string; stance: string; onBehalfOf: string | null }[];
  }[];
  chairAlternatives: { id: string; replaces: string[]; text: string }[];
  parties: Record<string, number>;
  problems: { kind: string; line: number; column: number; message: string }[];
  frontMatter: string[];
}

describe("parley inspect --json on the sample draft", () => {
  let run: Run;
  let report: Report;
  beforeAll(async () => {
    run = await parley("inspect", sample, "--json");
    report = JSON.parse(run.stdout) as Report;
  });

  it("exits 0", () => {
    expect([run.code, run.stderr]).toEqual([0, ""]);
  });

  it("prints the paragraph count", () => {
    expect(report.paragraphs).toBe(21);
  });

  it("prints every bracket in the shape of the issue", () => {
    expect(Object.keys(report.brackets[0]!)).toEqual(
      expect.arrayContaining(["id", "depth", "text", "paragraph", "proposedBy", "positions"]),
    );
  });

  it("prints 125 brackets", () => {
    expect(report.brackets).toHaveLength(125);
  });

  it("prints the positions on the bracket in heading A with English names", () => {
    expect(report.brackets.find((b) => b.paragraph === "A.")?.positions).toEqual([
      { party: "Pakistan", stance: "delete", onBehalfOf: null },
      { party: "United Arab Emirates", stance: "oppose", onBehalfOf: null },
    ]);
  });

  it("prints what each chair's alternative replaces as paragraph numbers", () => {
    expect(report.chairAlternatives.map((c) => c.replaces)).toEqual([
      ["5"],
      ["9"],
      ["10"],
      ["12", "13"],
      ["15", "16", "17"],
      ["18"],
      ["19", "20"],
      ["21"],
    ]);
  });

  it("prints the parties with their bracket counts", () => {
    expect([
      report.parties.Pakistan,
      report.parties["Russian Federation"],
      report.parties.Algeria,
    ]).toEqual([23, 36, 21]);
  });

  it("prints the front-matter line it kept out of the body", () => {
    expect(report.frontMatter).toEqual(["原文：英文"]);
  });

  it("prints 13 problems with lines and columns", () => {
    expect([report.problems.length, report.problems[0]]).toEqual([
      13,
      expect.objectContaining({ kind: "unclosedBracket", line: 15, column: 1 }),
    ]);
  });
});

describe("parley inspect --json on the real-world drafts", () => {
  it.each([
    ["01-unfccc-cop21-draft-23oct2015-preamble.txt", 0, 44, 3],
    ["03-unfccc-lima-elements-2014-annex.txt", 3, 0, 0],
    ["04-unfccc-art62-draft-decision-2024-sec1.txt", 3, 5, 0],
  ])("prints the figures of %s", async (name, paragraphs, brackets, problems) => {
    const run = await parley("inspect", realWorld(name), "--json");
    const report = JSON.parse(run.stdout) as Report;
    expect([report.paragraphs, report.brackets.length, report.problems.length]).toEqual([
      paragraphs,
      brackets,
      problems,
    ]);
  });
});

describe("parley inspect", () => {
  it("prints a summary for people", async () => {
    const run = await parley("inspect", sample);
    expect(run.stdout).toContain(
      "21 numbered paragraphs\n125 brackets (nested up to 2 deep)\n8 chair's alternative texts\n",
    );
  });

  it("lists the problems with line and column", async () => {
    const run = await parley("inspect", sample);
    expect(run.stdout).toContain("  108:43 strayCloseBracket:");
  });
});

describe("parley convert", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parley-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the annotated text in Chinese to a file", async () => {
    const out = join(dir, "annotated.txt");
    const run = await parley("convert", sample, "--mode", "annotated", "--lang", "zh", "-o", out);
    const text = await readFile(out, "utf8");
    expect([run.code, text.split("\n")[0], text.includes("A. 背景[“和宗旨”——")]).toEqual([
      0,
      "WO/PBC/34/15",
      true,
    ]);
  });

  it("writes the clean text without brackets to standard output", async () => {
    const run = await parley("convert", sample, "--mode", "clean", "--lang", "en");
    expect([run.code, /[[\]［］]/.test(run.stdout.replace("[后接附件二]", ""))]).toEqual([
      0,
      false,
    ]);
  });

  it("writes an annotated text that reads back with the same figures", async () => {
    const out = join(dir, "again.txt");
    await parley("convert", sample, "--mode", "annotated", "--lang", "zh", "-o", out);
    const again = JSON.parse((await parley("inspect", out, "--json")).stdout) as Report;
    // The annotated reader takes the editorial marker "[后接附件二]" written back as text for
    // a bracket (reported to its owner); every other bracket must come back.
    const figures = (r: Report) => [
      r.paragraphs,
      r.brackets.filter((b) => b.text !== "后接附件二").length,
      r.chairAlternatives.map((c) => c.replaces),
      r.brackets
        .find((b) => b.paragraph === "A.")
        ?.positions.map((p) => `${p.party}: ${p.stance}`)
        .sort(),
    ];
    const first = JSON.parse((await parley("inspect", sample, "--json")).stdout) as Report;
    expect([figures(again), again.problems]).toEqual([figures(first), []]);
  });

  it("names parties in English in English output", async () => {
    const run = await parley("convert", sample, "--mode", "annotated", "--lang", "en");
    expect(run.stdout).toContain("United Arab Emirates");
  });
});

describe("parley's exit codes", () => {
  it("exits 1 with a clear message for a missing file", async () => {
    const run = await parley("inspect", join(root, "no-such-draft.txt"));
    expect([run.code, run.stderr]).toEqual([
      1,
      `parley: Cannot read ${join(root, "no-such-draft.txt")}: no such file\n`,
    ]);
  });

  it("exits 1 for a directory", async () => {
    expect((await parley("inspect", root)).code).toBe(1);
  });

  it("exits 2 for an unknown command", async () => {
    const run = await parley("frobnicate", sample);
    expect([run.code, run.stderr.split("\n")[0]]).toEqual([
      2,
      "parley: Unknown command frobnicate",
    ]);
  });

  it("exits 2 when convert has no mode", async () => {
    const run = await parley("convert", sample, "--lang", "zh");
    expect([run.code, run.stderr.split("\n")[0]]).toEqual([
      2,
      "parley: convert needs --mode annotated, unattributed or clean",
    ]);
  });

  it("exits 2 for an unknown option", async () => {
    expect((await parley("inspect", sample, "--yaml")).code).toBe(2);
  });

  it("exits 2 without a file", async () => {
    expect((await parley("inspect")).code).toBe(2);
  });

  it("exits 0 for help and prints the usage", async () => {
    const run = await parley("help");
    expect([run.code, run.stdout.startsWith("Usage:")]).toEqual([0, true]);
  });
});
