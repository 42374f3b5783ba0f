import * as decoding from "lib0/decoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { PreparedFrame } from "../../server/frames.ts";
import { Relay, type RelayStep } from "../../server/relay.ts";

// The relay walks a room's connections a chunk at a time. These tests drive it by hand with
// connections that keep what is written to them, and read the bytes back as a client would.

/** A connection that keeps every write. */
class Conn {
  closed = false;
  readonly writes: PreparedFrame[] = [];
  constructor(readonly name: string) {}
  sendPrepared(frame: PreparedFrame): void {
    this.writes.push(frame);
  }
  /** The sync updates of every frame written, in order (a write may hold several frames). */
  updates(): Uint8Array[] {
    const updates: Uint8Array[] = [];
    for (const { wire } of this.writes) {
      let at = 0;
      while (at < wire.length) {
        expect(wire[at]).toBe(0x82);
        const short = wire[at + 1] as number;
        const [length, header] =
          short < 126 ? [short, 2] : short === 126 ? [wire.readUInt16BE(at + 2), 4] : [0, 10];
        const decoder = decoding.createDecoder(wire.subarray(at + header, at + header + length));
        expect(decoding.readVarUint(decoder)).toBe(0);
        expect(decoding.readVarUint(decoder)).toBe(2);
        updates.push(decoding.readVarUint8Array(decoder));
        at += header + length;
      }
    }
    return updates;
  }
  /** The text a fresh document holds after applying everything written. */
  text(): string {
    const doc = new Y.Doc();
    for (const update of this.updates()) Y.applyUpdate(doc, update);
    return doc.getText("t").toString();
  }
}

/** Updates that each append `word` to one shared text, in order, as typed by one client. */
function typing(...words: string[]): Uint8Array[] {
  const doc = new Y.Doc();
  const text = doc.getText("t");
  return words.map((word) => {
    const before = Y.encodeStateVector(doc);
    text.insert(text.length, word);
    return Y.encodeStateAsUpdate(doc, before);
  });
}

function room(names: string[], chunk: number) {
  const conns = names.map((name) => new Conn(name));
  const set = new Set(conns);
  let sent = 0;
  const relay = new Relay(set, chunk, (n) => {
    sent += n;
  });
  for (const conn of conns) relay.add(conn);
  let clock = 0;
  const step = (): RelayStep => relay.step(() => clock++);
  /** Step until the relay is idle or a pass ends with nothing pending; the steps taken. */
  const drain = (): RelayStep[] => {
    const steps: RelayStep[] = [];
    for (;;) {
      const s = step();
      steps.push(s);
      if (s.kind === "idle" || (s.kind === "passed" && !s.pending)) return steps;
    }
  };
  return { conns, set, relay, step, drain, sent: () => sent };
}

describe("the relay", () => {
  it("relays each stored update to every connection but its sender, in the order stored", () => {
    const { conns, relay, drain } = room(["a", "b", "c"], 10);
    const [a, b, c] = conns as [Conn, Conn, Conn];
    const [one, two] = typing("one ", "two");
    relay.push([
      { update: one!, sender: a },
      { update: two!, sender: b },
    ]);
    drain();
    expect(c.text()).toBe("one two");
    // b has its own "two" but not a's "one" before it: it gets "one" and nothing of its own.
    expect(b.updates()).toEqual([one]);
    expect(a.updates()).toEqual([two]);
  });

  it("writes to at most `chunk` connections a step and goes on where it stopped", () => {
    const { conns, relay, step } = room(["a", "b", "c", "d", "e"], 2);
    const [word] = typing("x");
    relay.push([{ update: word!, sender: conns[0]! }]);
    const written = () => conns.map((conn) => conn.writes.length);
    expect(step().kind).toBe("more");
    expect(written()).toEqual([0, 1, 0, 0, 0]);
    expect(step().kind).toBe("more");
    expect(written()).toEqual([0, 1, 1, 1, 0]);
    expect(step()).toMatchObject({ kind: "passed", carried: 1, pending: false });
    expect(written()).toEqual([0, 1, 1, 1, 1]);
    expect(step().kind).toBe("idle");
  });

  it("takes an update stored midway through a pass to the connections ahead in this pass and those behind in the next", () => {
    const { conns, relay, step, drain } = room(["a", "b", "c", "d"], 1);
    const [a, b, c, d] = conns as [Conn, Conn, Conn, Conn];
    const [first, second] = typing("first ", "second");
    relay.push([{ update: first!, sender: a }]);
    step(); // a: nothing (its own)
    step(); // b: first
    relay.push([{ update: second!, sender: a }]);
    step(); // c: first and second, merged
    // d: the same, and the pass ends with b still lacking "second".
    expect(step()).toMatchObject({ kind: "passed", carried: 1, pending: true });
    // Ahead of the walk when "second" came, c and d got it in the same pass, in one write.
    expect(c.writes).toHaveLength(1);
    expect(c.text()).toBe("first second");
    expect(d.writes[0]).toBe(c.writes[0]);
    expect(b.text()).toBe("first ");
    // The next pass brings it.
    const rest = drain();
    expect(rest.at(-1)).toMatchObject({ kind: "passed", carried: 1, pending: false });
    expect(b.text()).toBe("first second");
    expect(a.writes).toHaveLength(0);
    expect([b, c, d].map((conn) => conn.writes.length)).toEqual([2, 1, 1]);
  });

  it("frames a stretch of the log once for every connection that needs it", () => {
    const { conns, relay, drain, sent } = room(["w", "r1", "r2", "r3"], 10);
    const [w, ...readers] = conns as [Conn, Conn, Conn, Conn];
    relay.push(typing("a", "b", "c").map((update) => ({ update, sender: w })));
    drain();
    const frames = readers.map((reader) => reader.writes);
    expect(frames.every((writes) => writes.length === 1)).toBe(true);
    expect(new Set(frames.map((writes) => writes[0])).size).toBe(1);
    expect(readers.every((reader) => reader.text() === "abc")).toBe(true);
    expect(sent()).toBe(9);
  });

  it("sends a sender the others' updates in one write, never its own", () => {
    const { conns, relay, drain } = room(["a", "b"], 10);
    const [a, b] = conns as [Conn, Conn];
    const [x, y, z] = typing("x", "y", "z");
    relay.push([
      { update: x!, sender: b },
      { update: y!, sender: a },
      { update: z!, sender: b },
    ]);
    drain();
    expect(a.writes).toHaveLength(1);
    expect(a.updates()).toEqual([x, z]);
    expect(b.updates()).toEqual([y]);
  });

  it("gives a connection only what is stored after it was added, and nothing once removed or closed", () => {
    const { conns, set, relay, drain } = room(["a", "b", "c"], 10);
    const [a, b, c] = conns as [Conn, Conn, Conn];
    const [before, after, last] = typing("before ", "after ", "last");
    relay.push([{ update: before!, sender: a }]);
    const late = new Conn("late");
    set.add(late);
    relay.add(late);
    relay.push([{ update: after!, sender: a }]);
    drain();
    expect(late.updates()).toEqual([after]);
    set.delete(b);
    relay.remove(b);
    c.closed = true;
    relay.push([{ update: last!, sender: a }]);
    drain();
    expect(b.text()).toBe("before after ");
    expect(c.text()).toBe("before after ");
    // Its sync step 2 would have brought "before", which these updates build on.
    expect(late.updates()).toEqual([after, last]);
  });

  it("is idle with nothing stored, and forgets everything when cleared", () => {
    const { conns, relay, step } = room(["a", "b"], 1);
    expect(step().kind).toBe("idle");
    expect(relay.pending).toBe(false);
    relay.push(typing("x").map((update) => ({ update, sender: conns[0]! })));
    expect(relay.pending).toBe(true);
    step();
    relay.clear();
    expect(relay.pending).toBe(false);
    expect(step().kind).toBe("idle");
  });

  it("refuses a chunk of less than one connection", () => {
    expect(() => new Relay(new Set<Conn>(), 0)).toThrow(RangeError);
  });
});
