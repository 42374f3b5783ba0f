// Renders the DOCX exports of the demo draft to PNG pages for a person to look at:
// fixtures/field-office-tor.zh.txt is imported, exported as DOCX in every mode, converted to
// PDF by LibreOffice and cut into pages by pdftoppm, into test-artifacts/render/.
//
//   npx tsx scripts/render-docx.ts
//
// LibreOffice, poppler-utils and the CJK fonts are installed with apt-get when missing. When
// Chromium is at hand, the annotated HTML export is printed to PDF and PNG beside them, to
// compare its print styles with the Word layout.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Draft } from "../schema/draft.ts";
import { writeDraft } from "../schema/formats/formats.ts";
import { importText } from "../schema/import/index.ts";
import type { ExportMode } from "../schema/render/rendering.ts";
import { sampleDraft } from "../tests/fixtures/docx/sample-draft.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "test-artifacts", "render");
const packages = [
  "libreoffice-writer-nogui",
  "poppler-utils",
  "fonts-noto-cjk",
  "fonts-liberation",
];

function has(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
}

function hasFont(family: string): boolean {
  const listed = spawnSync("fc-list", [":", "family"], { encoding: "utf8" });
  return listed.status === 0 && listed.stdout.includes(family);
}

// apt holds a lock; another engineer's install may be running, so wait for it rather than fail.
function waitForApt(): void {
  for (let i = 0; i < 120; i++) {
    if (spawnSync("pgrep", ["-x", "apt-get|apt|dpkg"]).status !== 0) return;
    execFileSync("sleep", ["5"]);
  }
}

function ensureTools(): void {
  if (has("soffice") && has("pdftoppm") && hasFont("Noto Sans CJK") && hasFont("Liberation Sans")) {
    return;
  }
  console.log(`installing ${packages.join(" ")} …`);
  waitForApt();
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

function render(name: string, bytes: Uint8Array): string[] {
  const docx = join(out, `${name}.docx`);
  writeFileSync(docx, bytes);
  // A private profile, so a LibreOffice the user has open does not swallow the conversion.
  execFileSync(
    "soffice",
    [
      "-env:UserInstallation=file:///tmp/parley-render-soffice",
      "--headless",
      "--convert-to",
      "pdf",
      "--outdir",
      out,
      docx,
    ],
    { stdio: "ignore" },
  );
  execFileSync("pdftoppm", ["-png", "-r", "80", join(out, `${name}.pdf`), join(out, name)]);
  return readdirSync(out)
    .filter((file) => file.startsWith(`${name}-`) && file.endsWith(".png"))
    .sort();
}

async function main(): Promise<void> {
  ensureTools();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const text = readFileSync(join(root, "fixtures", "field-office-tor.zh.txt"), "utf8");
  const demo = importText(text);
  console.log(`imported the demo draft with ${demo.problems.length} problems`);
  const jobs: { name: string; draft: Draft; mode: ExportMode; lang: "zh" | "en" }[] = [];
  for (const mode of ["annotated", "unattributed", "clean"] as const) {
    jobs.push({ name: `field-office-tor.zh.${mode}`, draft: demo.draft, mode, lang: "zh" });
  }
  jobs.push({
    name: "sample.en.annotated",
    draft: sampleDraft("en"),
    mode: "annotated",
    lang: "en",
  });
  for (const job of jobs) {
    const bytes = await writeDraft(job.draft, { format: "docx", mode: job.mode, lang: job.lang });
    if (typeof bytes === "string") throw new TypeError("A DOCX export must be bytes");
    const pages = render(job.name, bytes);
    console.log(`${job.name}: ${pages.length} pages: ${pages.map((p) => join(out, p)).join(" ")}`);
  }
  if (has("chromium")) {
    const html = join(out, "field-office-tor.zh.annotated.html");
    writeFileSync(
      html,
      String(await writeDraft(demo.draft, { format: "html", mode: "annotated", lang: "zh" })),
    );
    const pdf = join(out, "field-office-tor.zh.annotated.html.pdf");
    spawnSync(
      "chromium",
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        `--print-to-pdf=${pdf}`,
        `file://${html}`,
      ],
      { stdio: "ignore", timeout: 120_000 },
    );
    execFileSync("pdftoppm", [
      "-png",
      "-r",
      "80",
      pdf,
      join(out, "field-office-tor.zh.annotated.html"),
    ]);
    console.log(`HTML print: ${pdf}`);
  }
}

await main();
