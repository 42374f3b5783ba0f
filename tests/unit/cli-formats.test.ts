import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";

// `parley inspect` and `parley convert` with Word files and every output format, run as a
// child process exactly as a user runs it.

const root = fileURLToPath(new URL("../..", import.meta.url));
const sample = join(root, "fixtures/field-office-tor.zh.txt");

interface Run {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

const parley = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      "node",
      [join(root, "bin/parley.js"), ...args],
      { cwd: root, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr: stderr.toString("utf8"),
        });
      },
    );
  });

interface Report {
  paragraphs: number;
  brackets: { text: string; paragraph: string | null }[];
  chairAlternatives: { replaces: string[] }[];
  problems: { kind: string; line: number; column: number; message: string }[];
}

const convert = (file: string, mode: string, lang: string, ...rest: string[]): Promise<Run> =>
  parley("convert", file, "--mode", mode, "--lang", lang, ...rest);

const inspect = async (file: string): Promise<Report> =>
  JSON.parse((await parley("inspect", file, "--json")).stdout.toString("utf8")) as Report;

// The editorial marker "[后接附件二]" is kept as text by the importer; Parley's own exports
// write it back as literal brackets, which their readers take for a bracket. Every other
// bracket must come back.
const negotiated = (r: Report) => r.brackets.filter((b) => b.text !== "后接附件二").length;

const zipSignature = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-cli-formats-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parley convert --format", () => {
  it("writes a Word file with -o", async () => {
    const out = join(dir, "annotated.docx");
    const run = await convert(sample, "annotated", "zh", "--format", "docx", "-o", out);
    expect([run.code, run.stderr, zipSignature(await readFile(out))]).toEqual([0, "", true]);
  });

  it("writes a Word file to standard output when it is a pipe", async () => {
    const run = await convert(sample, "clean", "en", "--format", "docx");
    expect([run.code, zipSignature(run.stdout)]).toEqual([0, true]);
  });

  it("writes HTML with the party names of the output language", async () => {
    const run = await convert(sample, "annotated", "en", "--format", "html");
    const html = run.stdout.toString("utf8");
    expect([run.code, /<html/i.test(html), html.includes("United Arab Emirates")]).toEqual([
      0,
      true,
      true,
    ]);
  });

  it("writes Markdown with the document symbol", async () => {
    const run = await convert(sample, "annotated", "zh", "--format", "md");
    const md = run.stdout.toString("utf8");
    expect([run.code, md.includes("WO/PBC/34/15"), md.includes("巴基斯坦")]).toEqual([
      0,
      true,
      true,
    ]);
  });

  it("writes plain text when told --format text", async () => {
    const run = await convert(sample, "annotated", "zh", "--format", "text");
    expect([run.code, run.stdout.toString("utf8").split("\n")[0]]).toEqual([0, "WO/PBC/34/15"]);
  });

  it("takes the format from the extension of -o when --format is not given", async () => {
    const out = join(dir, "by-name.docx");
    const run = await convert(sample, "clean", "en", "-o", out);
    expect([run.code, zipSignature(await readFile(out))]).toEqual([0, true]);
  });

  it("exits 2 for a format it does not write", async () => {
    const run = await convert(sample, "clean", "en", "--format", "pdf");
    expect([run.code, run.stderr.split("\n")[0]]).toEqual([
      2,
      "parley: Unknown --format pdf; use docx, html, md or text",
    ]);
  });
});

describe("parley with a Word file as input", () => {
  it("reads an annotated Word file back with the sample's brackets and chair's texts", async () => {
    const out = join(dir, "again.docx");
    await convert(sample, "annotated", "en", "--format", "docx", "-o", out);
    const [first, again] = [await inspect(sample), await inspect(out)];
    const figures = (r: Report) => [
      r.paragraphs,
      negotiated(r),
      r.chairAlternatives.map((c) => c.replaces),
    ];
    expect([figures(again), again.problems]).toEqual([figures(first), []]);
  });

  it("recognises a Word file by its zip signature whatever its name", async () => {
    const docx = join(dir, "named-as-text.docx");
    const renamed = join(dir, "named-as-text.bin");
    await convert(sample, "annotated", "zh", "--format", "docx", "-o", docx);
    await writeFile(renamed, await readFile(docx));
    const [named, signed] = [await inspect(docx), await inspect(renamed)];
    expect([named.brackets.length > 100, signed]).toEqual([true, named]);
  });

  it("converts a Word file to plain text", async () => {
    const docx = join(dir, "to-text.docx");
    await convert(sample, "annotated", "zh", "--format", "docx", "-o", docx);
    const run = await convert(docx, "annotated", "zh");
    expect([run.code, run.stdout.toString("utf8").includes("A. 背景[“和宗旨”——")]).toEqual([
      0,
      true,
    ]);
  });

  it("prints the problems of a Word file made in Word with their paragraphs as lines", async () => {
    const report = await inspect(join(root, "tests/fixtures/docx/comments-and-changes.en.docx"));
    expect(report.problems.map((p) => [p.kind, p.line, p.column])).toEqual([
      ["trackedChange", 6, 0],
      ["comment", 7, 0],
    ]);
  });

  it("names the Word paragraph of each problem in the summary", async () => {
    const run = await parley("inspect", join(root, "tests/fixtures/docx/spanning.en.docx"));
    expect(run.stdout.toString("utf8")).toContain(
      '  paragraph 4 trackedChange: A tracked deletion by "Reviewer"',
    );
  });

  it("exits 1 with one clear line for a truncated Word file", async () => {
    const whole = join(dir, "whole.docx");
    const truncated = join(dir, "truncated.docx");
    await convert(sample, "clean", "zh", "--format", "docx", "-o", whole);
    const bytes = await readFile(whole);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const run = await parley("inspect", truncated, "--json");
    expect([run.code, run.stdout.length, run.stderr.split("\n").length, run.stderr]).toEqual([
      1,
      0,
      2,
      expect.stringMatching(
        /^parley: Cannot read .*truncated\.docx: it is not a readable Word file/,
      ),
    ]);
  });

  it("exits 1 with one clear line for a .docx that is not a zip", async () => {
    const fake = join(dir, "fake.docx");
    await writeFile(fake, "这不是 Word 文件。\n");
    const run = await convert(fake, "clean", "zh");
    expect([run.code, run.stderr.includes("    at "), run.stderr.split("\n")[0]]).toEqual([
      1,
      false,
      expect.stringMatching(/^parley: Cannot read .*fake\.docx: it is not a readable Word file/),
    ]);
  });
});

describe("parley convert --format docx to a terminal", () => {
  it("refuses with exit code 2 and writes nothing", async () => {
    const written: (string | Uint8Array)[] = [];
    const errors: string[] = [];
    const code = await main(
      ["convert", sample, "--mode", "clean", "--lang", "zh", "--format", "docx"],
      { stdout: (t) => written.push(t), stderr: (t) => errors.push(t), stdoutIsTerminal: true },
    );
    expect([code, written, errors.join("")]).toEqual([
      2,
      [],
      "parley: A Word file is binary; write it with -o OUT, or redirect standard output\n",
    ]);
  });
});
