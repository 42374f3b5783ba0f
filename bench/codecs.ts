// The codecs' time to write and read the large draft in each format. The codecs are loaded
// by dynamic import, so a format whose module is missing or broken gives a row with a note
// instead of ending the run.

import type { Draft } from "../schema/draft.ts";
import type { CodecResult } from "./drafts.ts";

type Bytes = string | Uint8Array;

/** How to write, and if possible read back, one format. */
interface CodecPlan {
  readonly format: string;
  write(draft: Draft): Promise<Bytes>;
  read: ((bytes: Bytes) => Promise<unknown>) | null;
}

const annotated = { mode: "annotated", lang: "en" } as const;

async function rendering(draft: Draft) {
  const { renderDraft } = await import("../schema/render/rendering.ts");
  return renderDraft(draft, annotated);
}

async function textReader() {
  const { readAnnotatedText } = await import("../schema/render/annotated-reader.ts");
  return (text: string) => ({ draft: readAnnotatedText(text), problems: [] });
}

const plans: readonly CodecPlan[] = [
  {
    format: "text",
    async write(draft) {
      const { writeText } = await import("../schema/render/text.ts");
      return writeText(draft, annotated);
    },
    async read(bytes) {
      const read = await textReader();
      return read(String(bytes));
    },
  },
  {
    format: "html",
    async write(draft) {
      const { writeHtml } = await import("../schema/formats/html.ts");
      return writeHtml(await rendering(draft));
    },
    read: null,
  },
  {
    format: "markdown",
    async write(draft) {
      const { writeMarkdown } = await import("../schema/formats/markdown.ts");
      return writeMarkdown(await rendering(draft));
    },
    read: null,
  },
  {
    format: "docx",
    async write(draft) {
      const { writeDocx } = await import("../schema/formats/docx-write.ts");
      return writeDocx(await rendering(draft));
    },
    async read(bytes) {
      const { readDocx } = await import("../schema/formats/docx-read.ts");
      return readDocx(bytes as Uint8Array, await textReader());
    },
  },
];

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
 * Time every format on `draft` (annotated export, English): writing includes computing the
 * rendering every writer starts from; reading is reading the written bytes back into a draft,
 * where the format has a reader. Never rejects; a failing codec gives a row with a note.
 */
export async function measureCodecs(draft: Draft): Promise<CodecResult[]> {
  const out: CodecResult[] = [];
  for (const plan of plans) {
    let written: { ms: number; value: Bytes };
    try {
      written = await best(() => plan.write(draft));
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
      const read = plan.read;
      try {
        readMs = (await best(() => read(written.value))).ms;
      } catch (error) {
        note = `read failed: ${(error as Error).message.slice(0, 160)}`;
      }
    }
    out.push({ format: plan.format, writeMs: written.ms, readMs, bytes, note });
  }
  return out;
}
