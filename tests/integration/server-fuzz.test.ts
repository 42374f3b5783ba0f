import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import {
  connectClient,
  prng,
  type TestClient,
  testSeed,
  untilConverged,
  untilDoc,
} from "./helpers/clients.ts";
import { frame, openRaw, type RawSocket, syncFrame } from "./helpers/raw.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

// A seeded fuzz run: raw clients send thousands of random and mutated protocol frames
// (random bytes, truncated varints, bogus lengths, unknown types, corrupt updates, bad
// awareness) while honest y-websocket clients keep editing. The server must neither crash
// nor lose or drop an honest edit. Replay a failure with PARLEY_FUZZ_SEED=<seed>.

const seed = testSeed("PARLEY_FUZZ_SEED");
const totalFrames = Number(process.env.PARLEY_FUZZ_FRAMES ?? 10_000);
const workers = 2;

let server: TestServer;
let docId: string;
let honest: TestClient[] = [];

beforeAll(async () => {
  // No rate limits: every frame must reach the decoder, not be dropped as a flood. No
  // cooldown either: a fuzzed update the guard refuses after it got into the document turns
  // the fuzzer's invitation away with 429 for a while (server-guard.test.ts tests that), and
  // the fuzzer reconnects at once to send its next frame.
  const unlimited = { burst: Number.MAX_SAFE_INTEGER, perSecond: Number.MAX_SAFE_INTEGER };
  server = await startServer({
    limits: { messages: unlimited, bytes: unlimited },
    refusalCooldownMs: 0,
  });
  docId = await server.createDoc();
});

afterAll(async () => {
  for (const client of honest) client.destroy();
  await server?.stop();
});

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);
const bytes = (rand: Rand, n: number) => Uint8Array.from({ length: n }, () => int(rand, 256));

/** Makes frames from a private document, so that valid and mutated updates are realistic. */
class FrameMaker {
  /** Presence comes from this document; edits from `#content`. */
  readonly doc = new Y.Doc();
  #content = new Y.Doc();
  #edits = 0;
  #updates: Uint8Array[] = [];
  readonly #awareness: awarenessProtocol.Awareness;

  constructor(private readonly rand: Rand) {
    this.doc.clientID = 1 + int(rand, 2 ** 30);
    this.#awareness = new awarenessProtocol.Awareness(this.doc);
    this.#renew();
  }

  destroy(): void {
    this.#awareness.destroy();
    this.doc.destroy();
    this.#content.destroy();
  }

  /** A fresh content document every hundred edits keeps whole-state updates small. */
  #renew(): void {
    this.#content.destroy();
    this.#content = new Y.Doc();
    this.#content.clientID = 1 + int(this.rand, 2 ** 30);
    this.#updates = [];
    this.#content.on("update", (update: Uint8Array) => this.#updates.push(update));
  }

  #edit(): Uint8Array {
    const { rand } = this;
    if (++this.#edits % 100 === 0) this.#renew();
    const text = this.#content.getText("fuzz");
    const choice = int(rand, 4);
    if (choice === 0 && text.length > 2) text.delete(int(rand, text.length - 1), 1);
    else if (choice === 1)
      this.#content.getMap("fuzzmap").set(`k${int(rand, 20)}`, int(rand, 1000));
    else text.insert(int(rand, text.length + 1), `f${int(rand, 1000)}`);
    // The incremental update depends on all earlier ones, which the server may never have
    // accepted; the whole state applies on its own, so corruptions of it reach integration.
    const last = this.#updates.at(-1);
    return last && rand() < 0.3 ? last : Y.encodeStateAsUpdate(this.#content);
  }

  #valid(): Uint8Array {
    const { rand } = this;
    switch (int(rand, 5)) {
      case 0:
        return syncFrame(0, Y.encodeStateVector(this.#content));
      case 1:
        return syncFrame(2, this.#edit());
      case 2: {
        this.#awareness.setLocalStateField("cursor", int(rand, 100));
        return frame(1, (e) =>
          encoding.writeVarUint8Array(
            e,
            awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [this.doc.clientID]),
          ),
        );
      }
      case 3:
        return frame(3);
      default:
        return syncFrame(1, this.#edit());
    }
  }

  #mutate(data: Uint8Array): Uint8Array {
    const { rand } = this;
    const out = [...data];
    const edits = 1 + int(rand, 4);
    for (let i = 0; i < edits && out.length > 0; i++) {
      const at = int(rand, out.length);
      switch (int(rand, 3)) {
        case 0:
          out[at] = int(rand, 256);
          break;
        case 1:
          out.splice(at, 1);
          break;
        default:
          out.splice(at, 0, int(rand, 256));
      }
    }
    return Uint8Array.from(out);
  }

  /** One frame, of a randomly chosen kind, and the kind's name. */
  next(): { kind: string; data: Uint8Array } {
    const { rand } = this;
    switch (int(rand, 10)) {
      case 0:
        return { kind: "random bytes", data: bytes(rand, int(rand, 48)) };
      case 1: {
        const valid = this.#valid();
        return { kind: "truncated", data: valid.slice(0, int(rand, valid.length)) };
      }
      case 2: {
        // A length that runs past the end, or a varint whose continuation bit never ends.
        const head = frame(0, (e) => {
          encoding.writeVarUint(e, int(rand, 3));
          encoding.writeVarUint(e, 1 + int(rand, 2 ** 31));
        });
        const tail = rand() < 0.5 ? bytes(rand, int(rand, 16)) : Uint8Array.of(0xff, 0xff, 0xff);
        return { kind: "bogus length", data: Uint8Array.from([...head, ...tail]) };
      }
      case 3:
        return rand() < 0.5
          ? { kind: "unknown type", data: frame(4 + int(rand, 500)) }
          : { kind: "unknown sync type", data: syncFrame(3 + int(rand, 50), bytes(rand, 4)) };
      case 4:
      case 5:
        return {
          kind: "corrupt update",
          data: syncFrame(1 + int(rand, 2), this.#mutate(this.#edit())),
        };
      case 6:
        return {
          kind: "corrupt awareness",
          data: frame(1, (e) =>
            encoding.writeVarUint8Array(e, this.#mutate(this.#awarenessBytes())),
          ),
        };
      case 7:
        return { kind: "mutated frame", data: this.#mutate(this.#valid()) };
      case 8:
        return {
          kind: "auth from client",
          data: frame(2, (e) => encoding.writeVarString(e, "hi")),
        };
      default:
        return { kind: "valid", data: this.#valid() };
    }
  }

  #awarenessBytes(): Uint8Array {
    this.#awareness.setLocalStateField("user", { name: "Chair", n: int(this.rand, 9) });
    return awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [this.doc.clientID]);
  }
}

/** Resolves on the socket's next message or its close, whichever comes first. */
function nextEvent(socket: RawSocket): Promise<"message" | "closed"> {
  return new Promise((resolve) => {
    const onMessage = () => resolve("message");
    socket.ws.once("message", onMessage);
    void socket.closed.then(() => {
      socket.ws.off("message", onMessage);
      resolve("closed");
    });
  });
}

async function fuzz(worker: number, frames: number, counts: Map<string, number>, tick: () => void) {
  const rand = prng(seed + worker);
  const maker = new FrameMaker(rand);
  const token = await server.mintToken({ docId, party: `Fuzzer ${worker}`, role: "delegation" });
  let socket: RawSocket | null = null;
  try {
    for (let i = 0; i < frames; i++) {
      if (!socket || socket.ws.readyState !== socket.ws.OPEN) {
        socket = await openRaw(server.wsUrl, docId, token);
      }
      const { kind, data } = maker.next();
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      // The query after the frame is answered only once the frame has been handled, so
      // every frame is judged by the server before the next is sent.
      const answered = nextEvent(socket);
      socket.ws.send(data);
      if (socket.ws.readyState === socket.ws.OPEN) socket.ws.send(frame(3));
      await answered;
      tick();
    }
  } finally {
    socket?.ws.terminate();
    maker.destroy();
  }
}

describe("fuzz", () => {
  it(`survives ${totalFrames} random and mutated frames without losing an honest edit`, async () => {
    honest = await Promise.all(
      ["Pakistan", "Algeria", "Chair"].map(async (party, i) =>
        connectClient(
          server.wsUrl,
          docId,
          await server.mintToken({ docId, party, role: i === 2 ? "chair" : "delegation" }),
        ),
      ),
    );
    await Promise.all(honest.map((c) => c.synced()));
    const rand = prng(seed);
    const written: string[] = [];
    let sent = 0;
    const tick = () => {
      sent++;
      if (sent % 40 !== 0) return;
      const client = honest[int(rand, honest.length)]!;
      const label = `h${written.length};`;
      const text = client.doc.getText("t");
      text.insert(rand() < 0.5 ? 0 : text.length, label);
      written.push(label);
    };
    const counts = new Map<string, number>();
    const share = Math.ceil(totalFrames / workers);
    await Promise.all(Array.from({ length: workers }, (_, w) => fuzz(w, share, counts, tick)));
    expect(sent).toBeGreaterThanOrEqual(totalFrames);
    const room = server.server.rooms.get(docId);
    expect(room).toBeDefined();
    const honestText = () => honest[0]!.doc.getText("t").toString();
    await untilConverged(
      honest.map((c) => c.doc),
      `honest clients to converge (seed ${seed})`,
    );
    await untilDoc(
      room!.doc,
      `the server's text to match the honest clients' (seed ${seed})`,
      (d) => d.getText("t").toString() === honestText(),
    );
    const lost = written.filter((label) => !honestText().includes(label));
    expect(lost, `seed ${seed}`).toEqual([]);
    expect(honest.every((c) => c.provider.wsconnected)).toBe(true);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const { metrics } = server.server;
    console.log(`fuzz seed ${seed}:`, Object.fromEntries(counts), {
      updatesApplied: metrics.updatesIn,
      disconnects: Object.fromEntries(metrics.disconnects),
    });
  }, 120_000);
});
