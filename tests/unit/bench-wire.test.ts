import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  clientFrame,
  editTag,
  FrameReader,
  isSyncStep1,
  joinMessages,
  scanEditTags,
  syncPayloadOffset,
} from "../../bench/wire.ts";
import { fanoutSeed, Typist } from "../../bench/workload.ts";

const seed = Number(process.env.BENCH_TEST_SEED ?? 1234);

/** The update a typer's edit `id` puts on the wire, made on a real Y.Doc. */
function typedUpdate(id: number): Uint8Array {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, fanoutSeed(2));
  const updates: Uint8Array[] = [];
  ydoc.on("update", (u: Uint8Array) => updates.push(u));
  new Typist(ydoc, 1).type(id);
  expect(updates).toHaveLength(1);
  return updates[0] as Uint8Array;
}

function found(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  scanEditTags(bytes, 0, bytes.length, (id) => ids.push(id));
  return ids;
}

/** A y-websocket sync update message, optionally name-prefixed as Hocuspocus sends it. */
function syncUpdate(update: Uint8Array, docName?: string): Uint8Array {
  const e = encoding.createEncoder();
  if (docName !== undefined) encoding.writeVarString(e, docName);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** A server-to-client frame (unmasked). */
function serverFrame(payload: Uint8Array): Uint8Array {
  const len = payload.length;
  const head = len < 126 ? [0x82, len] : len < 65536 ? [0x82, 126, len >> 8, len & 0xff] : null;
  if (!head) throw new RangeError("test frames stay under 64 KB");
  return Uint8Array.from([...head, ...payload]);
}

describe("edit tags", () => {
  it("an edit typed into a Yjs document can be found in its update without decoding it", () => {
    expect(found(typedUpdate(40_213))).toEqual([40_213]);
  });

  it("a sync step 2 holding many typed edits yields every one of them", () => {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, fanoutSeed(2));
    const hands = [new Typist(ydoc, 0), new Typist(ydoc, 1)];
    for (let id = 0; id < 50; id++) hands[id % 2]?.type(id);
    const ids = found(Y.encodeStateAsUpdate(ydoc)).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("random bytes around a tag do not produce false edits (seed printed on failure)", () => {
    let s = seed;
    const rand = () => {
      s = (s * 1103515245 + 12345) >>> 0;
      return s >>> 24;
    };
    const noise = Uint8Array.from({ length: 4096 }, rand).map((b) => (b === 0xab ? 0 : b));
    const tag = new TextEncoder().encode(editTag(77));
    const bytes = new Uint8Array([...noise, ...tag, ...noise]);
    expect(found(bytes), `seed ${seed} (BENCH_TEST_SEED)`).toEqual([77]);
  });

  it("an unclosed tag is not an edit", () => {
    expect(found(new TextEncoder().encode("«123 and more"))).toEqual([]);
  });

  it("a negative edit id is a RangeError", () => {
    expect(() => editTag(-1)).toThrow(RangeError);
  });
});

describe("message headers", () => {
  it("finds the update in a y-websocket sync update", () => {
    const msg = syncUpdate(Uint8Array.of(9, 9));
    expect(syncPayloadOffset(msg, 0, msg.length, "y-websocket")).toBe(2);
  });

  it("skips the document name of a Hocuspocus message", () => {
    const msg = syncUpdate(Uint8Array.of(9, 9), "bench");
    expect(syncPayloadOffset(msg, 0, msg.length, "hocuspocus")).toBe(8);
  });

  it("an awareness message carries no edits", () => {
    const msg = Uint8Array.of(1, 3, 0, 0, 0);
    expect(syncPayloadOffset(msg, 0, msg.length, "y-websocket")).toBe(-1);
  });

  it("a receiver's join for Hocuspocus starts with the authentication it waits for", () => {
    const [auth, step1] = joinMessages("hocuspocus", "bench", "t");
    expect([auth?.[6], step1 && isSyncStep1(step1, "hocuspocus")]).toEqual([2, true]);
  });
});

describe("reading frames", () => {
  it("frames split across chunks at every byte arrive whole and in order", () => {
    const payloads = [
      syncUpdate(typedUpdate(1)),
      Uint8Array.of(1, 2, 3),
      new Uint8Array(300).fill(7),
    ];
    const stream = new Uint8Array(payloads.flatMap((p) => [...serverFrame(p)]));
    const got: number[][] = [];
    const reader = new FrameReader((_op, payload) => got.push([...payload]));
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    expect(got).toEqual(payloads.map((p) => [...p]));
  });

  it("a large frame read through one reused Node buffer arrives intact", () => {
    const payload = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
    const head = Uint8Array.of(0x82, 127, 0, 0, 0, 0, 0, 0, 0, 0);
    new DataView(head.buffer).setUint32(6, payload.length);
    const stream = new Uint8Array([...head, ...payload]);
    const shared = Buffer.alloc(4096);
    let got: Uint8Array | null = null;
    const reader = new FrameReader((_op, p) => {
      got = new Uint8Array(p);
    });
    for (let i = 0; i < stream.length; i += shared.length) {
      const part = stream.subarray(i, i + shared.length);
      shared.set(part);
      reader.push(shared.subarray(0, part.length));
      shared.fill(0);
    }
    expect(got).toEqual(payload);
  });

  it("a masked frame from a server is a RangeError", () => {
    const reader = new FrameReader(() => {});
    expect(() => reader.push(clientFrame(2, Uint8Array.of(1)))).toThrow(RangeError);
  });

  it("a client frame unmasks to its payload", () => {
    const payload = new Uint8Array(200).map((_, i) => i);
    const frame = clientFrame(2, payload);
    const mask = frame.subarray(4, 8);
    const body = frame.subarray(8).map((b, i) => b ^ (mask[i & 3] as number));
    expect([...body]).toEqual([...payload]);
  });
});
