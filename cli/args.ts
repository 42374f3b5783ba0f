// The command line of `parley`, parsed into one typed command. Parsing is separate from
// running so that usage errors (exit code 2) are decided before any file is touched.

/** The export modes `convert` accepts. */
export type ConvertMode = "annotated" | "unattributed" | "clean";

/** The output formats `convert` writes. */
export type ConvertFormat = "docx" | "html" | "md" | "text";

const convertFormats: readonly ConvertFormat[] = ["docx", "html", "md", "text"];

/** A parsed command line. */
export type Command =
  | { readonly command: "help" }
  | { readonly command: "inspect"; readonly file: string; readonly json: boolean }
  | {
      readonly command: "convert";
      readonly file: string;
      readonly mode: ConvertMode;
      readonly lang: "zh" | "en";
      readonly format: ConvertFormat;
      /** Where to write; null writes to standard output. */
      readonly out: string | null;
    };

/** The usage text printed by `parley help` and after a usage error. */
export const usage = `Usage:
  parley inspect FILE [--json]
      Read a draft (plain text, or a Word .docx file) and summarise its paragraphs,
      brackets, chair's alternative texts, parties and the places the reader could not
      make sense of.
  parley convert FILE --mode annotated|unattributed|clean --lang zh|en
                 [--format docx|html|md|text] [-o OUT]
      Write the draft (plain text or .docx) in the given export mode and language, as
      plain text, HTML, Markdown or a Word file; without --format, the extension of
      OUT chooses (.docx, .html, .md), and plain text otherwise. A Word file is written
      to OUT; without -o it goes to standard output only when that is not a terminal
      (a pipe or a redirect), and parley refuses to print it to a terminal.
  parley help
      Show this text.

Exit codes: 0 ok, 1 the file cannot be read, 2 usage error.`;

/** The format a file name asks for by its extension; text when it names none Parley writes. */
export function formatOfName(name: string): ConvertFormat {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === "docx" || extension === "html" || extension === "md") return extension;
  if (extension === "htm") return "html";
  if (extension === "markdown") return "md";
  return "text";
}

const modes: readonly ConvertMode[] = ["annotated", "unattributed", "clean"];

/**
 * Parse `argv` (without the node and script paths). Returns the command, or a message
 * saying what is wrong with the command line; never throws.
 */
export function parseArgs(argv: readonly string[]): Command | { readonly error: string } {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    return { command: "help" };
  }
  const files: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--json") {
      flags.set("json", true);
    } else if (
      arg === "--mode" ||
      arg === "--lang" ||
      arg === "-o" ||
      arg === "--out" ||
      arg === "--format"
    ) {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith("--")) return { error: `${arg} needs a value` };
      flags.set(arg === "-o" ? "out" : arg.slice(2), value);
      i++;
    } else if (arg.startsWith("-") && arg !== "-") {
      return { error: `Unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) {
    return { error: files.length === 0 ? `${command} needs a FILE` : "Give exactly one FILE" };
  }
  const file = files[0]!;
  switch (command) {
    case "inspect": {
      const extra = [...flags.keys()].find((k) => k !== "json");
      if (extra) return { error: `inspect does not take --${extra}` };
      return { command: "inspect", file, json: flags.get("json") === true };
    }
    case "convert": {
      if (flags.has("json")) return { error: "convert does not take --json" };
      const mode = flags.get("mode");
      const lang = flags.get("lang");
      const out = flags.get("out");
      const format = flags.get("format") ?? formatOfName(typeof out === "string" ? out : "");
      if (typeof mode !== "string" || !modes.includes(mode as ConvertMode)) {
        return { error: "convert needs --mode annotated, unattributed or clean" };
      }
      if (lang !== "zh" && lang !== "en") return { error: "convert needs --lang zh or en" };
      if (typeof format !== "string" || !convertFormats.includes(format as ConvertFormat)) {
        return { error: `Unknown --format ${String(format)}; use docx, html, md or text` };
      }
      return {
        command: "convert",
        file,
        mode: mode as ConvertMode,
        lang,
        format: format as ConvertFormat,
        out: typeof out === "string" ? out : null,
      };
    }
    default:
      return { error: `Unknown command ${command}` };
  }
}
