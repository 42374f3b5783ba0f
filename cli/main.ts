// The `parley` command: parse the command line, run one command, and say how it went in
// the exit code (0 ok, 1 the file cannot be read or written, 2 usage error).

import { writeFile } from "node:fs/promises";
import { parseArgs, usage } from "./args.ts";

// Commands load their modules when they run: `parley` must answer within a second, and a
// usage error or `help` needs none of the model.

/** Exit codes of `parley`. */
export const exitCodes = { ok: 0, unreadable: 1, usage: 2 } as const;

/** Where the command writes; the real process streams, or buffers in tests. */
export interface Output {
  readonly stdout: (text: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
  /** Whether standard output is a terminal, where a Word file's bytes must not go. */
  readonly stdoutIsTerminal: boolean;
}

const processOutput: Output = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTerminal: process.stdout.isTTY === true,
};

/**
 * Run `parley` with `argv` (without the node and script paths) and return the exit code.
 * Errors a user can cause (a missing file, a bad option) are reported on `stderr` with the
 * exit code; only bugs throw.
 */
export async function main(argv: readonly string[], out: Output = processOutput): Promise<number> {
  const command = parseArgs(argv);
  if ("error" in command) {
    out.stderr(`parley: ${command.error}\n\n${usage}\n`);
    return exitCodes.usage;
  }
  if (command.command === "help") {
    out.stdout(`${usage}\n`);
    return exitCodes.ok;
  }
  if (
    command.command === "convert" &&
    command.format === "docx" &&
    command.out === null &&
    out.stdoutIsTerminal
  ) {
    out.stderr(
      "parley: A Word file is binary; write it with -o OUT, or redirect standard output\n",
    );
    return exitCodes.usage;
  }
  const { readDraftFile } = await import("./read.ts");
  const read = await readDraftFile(command.file);
  if (!read.ok) {
    out.stderr(`parley: ${read.message}\n`);
    return exitCodes.unreadable;
  }
  switch (command.command) {
    case "inspect": {
      const { formatSummary, inspectDraft } = await import("./inspect.ts");
      const report = inspectDraft(read.draft, read.problems, read.frontMatter);
      out.stdout(
        command.json ? `${JSON.stringify(report, null, 2)}\n` : formatSummary(command.file, report),
      );
      return exitCodes.ok;
    }
    case "convert": {
      const { convertDraft } = await import("./convert.ts");
      const written = await convertDraft(read.draft, {
        format: command.format,
        mode: command.mode,
        lang: command.lang,
      });
      if (command.out === null) {
        out.stdout(written);
        return exitCodes.ok;
      }
      try {
        await writeFile(command.out, written);
      } catch (error) {
        out.stderr(`parley: Cannot write ${command.out}: ${(error as Error).message}\n`);
        return exitCodes.unreadable;
      }
      return exitCodes.ok;
    }
    default: {
      const never: never = command;
      throw new RangeError(`Unhandled command ${JSON.stringify(never)}`);
    }
  }
}
