// The codecs' time to write and read the large draft in each format. The codecs are loaded
// by dynamic import, so a format whose module is missing or broken gives a row with a note
// instead of ending the run.

import type { Draft } from "../schema/draft.ts";
import type { CodecResult } from "./drafts.ts";

type Bytes = string | Uint8Array;

/** The formats timed, and which of them Parley reads back. */
const writtenFormats = ["docx", "html", "md", "text"] as const;
const readFormats: readonly string[] = ["docx", "text"];

async function write(draft: Draft, format: (typeof writtenFormats)[number]): Promise<Bytes> {
  const { writeDraft } = await import("../schema/formats/formats.ts");
  return writeDraft(draft, { format, mode: "annotated", lang: "en" });
}

async function read(bytes: Bytes, format: string): Promise<unknown> {
  const { readDraft } = await import("../schema/formats/formats.ts");
  return readDraft(bytes, format as "docx" | "text");
}

const runs = 2;

/** The faster of `runs` timed calls (the first also warms the JIT and loads modules). */
async function best<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let ms = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value: value as T };
}

/**
 * Time every format on `draft` through the codecs' public entry points (`writeDraft`,
 * `readDraft` in schema/formats/formats.ts; annotated export, English): writing includes
 * computing the rendering every writer starts from; reading is reading the written bytes
 * back into a draft, where Parley reads the format. Never rejects; a failing codec gives a row with a note.
 */
export async function measureCodecs(draft: Draft): Promise<CodecResult[]> {
  const out: CodecResult[] = [];
  for (const format of writtenFormats) {
    const plan = { format, read: readFormats.includes(format) };
    let written: { ms: number; value: Bytes };
    try {
      written = await best(() => write(draft, format));
    } catch (error) {
      out.push({
        format: plan.format,
        writeMs: null,
        readMs: null,
        bytes: null,
        note: `write failed: ${(error as Error).message.slice(0, 160)}`,
      });
      continue;
    }
    const bytes =
      typeof written.value === "string" ? Buffer.byteLength(written.value) : written.value.length;
    let readMs: number | null = null;
    let note: string | null = plan.read ? null : "no reader for this format";
    if (plan.read) {
      try {
        readMs = (await best(() => read(written.value, format))).ms;
      } catch (error) {
        note = `read failed: ${(error as Error).message.slice(0, 160)}`;
      }
    }
    out.push({ format: plan.format, writeMs: written.ms, readMs, bytes, note });
  }
  return out;
}
