import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { type Command, type EditorState, TextSelection, type Transaction } from "prosemirror-state";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import * as Y from "yjs";
import {
  proposeAlternativeWording,
  proposeDeletion,
  proposeInsertion,
  statePosition,
  withdrawProposal,
} from "../../schema/commands/index.ts";
import { draftToUpdate } from "../../schema/draft.ts";
import type { BracketEntry, Role } from "../../schema/registry.ts";
import { draftTypes } from "../../schema/yregistry.ts";
import { createPermissionGuard } from "../../server/permissions/index.ts";
import { commandUpdate, commandUpdatesSplit } from "../../server/permissions/testing.ts";
import { at, br, bracketEntry, ca, doc, np, registry, resetIds } from "../builder.ts";
import { connectClient, converged, type TestClient, untilDoc } from "./helpers/clients.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

// Hostile clients against the real server with the permission guard: each speaks raw
// y-protocols over a raw websocket, builds its update from a doctored Y.Doc (or by hand),
// and must be closed with 4403 naming the rule, with the room's document byte-identical to
// before and an honest client connected throughout seeing nothing of it. The same actions
// done honestly through the model's commands go through.

const messageSync = 0;
const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;
const refusedCode = 4403;

const uaeBracket: BracketEntry = bracketEntry({
  proposedBy: [{ party: "United Arab Emirates", onBehalfOf: null }],
});

/**
 * "The Office shall [promote]—UAE innovation in the region." / "It reports yearly." (agreed)
 * / the chair's proposed alternative to paragraph 2.
 */
function seed(): Uint8Array {
  resetIds();
  const d = doc(
    np("The Office shall ", br("b1", at("a1", "promote")), " innovation in the region."),
    np("It reports yearly."),
    np(ca("c1", "It reports twice a year.")),
  );
  return draftToUpdate({
    doc: d,
    registry: registry({
      brackets: { b1: uaeBracket },
      attributions: { a1: { party: "United Arab Emirates", onBehalfOf: null, enteredBy: null } },
      chairAlternatives: { c1: { replaces: ["p2"], status: "proposed" } },
      paragraphs: { p2: { agreement: "agreed" } },
    }),
  });
}

/** A client that speaks the y-websocket protocol by hand over a raw socket. */
class RawClient {
  readonly doc = new Y.Doc();
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly synced: Promise<void>;

  constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.synced = new Promise((resolve, reject) => {
      ws.on("error", reject);
      ws.on("message", (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(decoder) !== messageSync) return;
        const type = decoding.readVarUint(decoder);
        if (type === syncStep2 || type === syncUpdate) {
          Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), "server");
          if (type === syncStep2) resolve();
        }
      });
    });
  }

  /** Connect and sync: ask for the server's state with an empty state vector. */
  static async connect(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const client = new RawClient(ws);
    client.frame(syncStep1, Y.encodeStateVector(new Y.Doc()));
    await client.synced;
    return client;
  }

  /** Send a sync frame of the given type. */
  frame(type: number, payload: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    encoding.writeVarUint(encoder, type);
    encoding.writeVarUint8Array(encoder, payload);
    this.ws.send(encoding.toUint8Array(encoder));
  }

  /** Edit the replica in one transaction and return the update it makes. */
  edit(change: (d: Y.Doc) => void): Uint8Array {
    const before = Y.encodeStateVector(this.doc);
    this.doc.transact(() => change(this.doc));
    return Y.encodeStateAsUpdate(this.doc, before);
  }

  close(): void {
    this.ws.close();
  }
}

let server: TestServer;
let count = 0;

beforeAll(async () => {
  server = await startServer({ guard: createPermissionGuard() });
});

afterAll(async () => {
  await server.stop();
});

interface Session {
  readonly docId: string;
  /** A raw client for a participant. */
  as(party: string, role: Role, onBehalfOf?: string | null): Promise<RawClient>;
  /** The room's live document. */
  live(): Y.Doc;
  /** An honest observer, connected throughout. */
  readonly watcher: TestClient;
}

let session: Session;
const opened: { close(): void }[] = [];

beforeEach(async () => {
  count += 1;
  const docId = `attack${count}`;
  await server.server.store.createDocument(
    { id: docId, title: "Attack", createdAt: new Date().toISOString() },
    seed(),
  );
  const watcherToken = await server.mintToken({ docId, party: "Press", role: "observer" });
  const watcher = connectClient(server.wsUrl, docId, watcherToken);
  opened.push({ close: () => watcher.destroy() });
  await watcher.synced();
  session = {
    docId,
    watcher,
    async as(party, role, onBehalfOf = null) {
      const token = await server.mintToken({ docId, party, role, onBehalfOf });
      const client = await RawClient.connect(
        `${server.wsUrl}/${docId}?token=${encodeURIComponent(token)}`,
      );
      opened.push(client);
      return client;
    },
    live() {
      const room = server.server.rooms.get(docId);
      if (!room) throw new RangeError(`Room ${docId} is not loaded`);
      return room.doc;
    },
  };
});

afterEach(() => {
  for (const client of opened.splice(0)) client.close();
});

function text(d: Y.Doc, n: number): Y.XmlText {
  return (draftTypes(d).fragment.get(n) as Y.XmlElement).get(0) as Y.XmlText;
}

function positions(d: Y.Doc, bracket = "b1"): Y.Map<unknown> {
  return draftTypes(d).brackets.get(bracket)!.get("positions") as Y.Map<unknown>;
}

const key = (type: string, id: string) => `${type}--${`${id}xxxxxxxx`.slice(0, 8)}`;
const marks = (...pairs: [string, string][]) =>
  Object.fromEntries(pairs.map(([type, id]) => [key(type, id), { id }]));

function seededKey(t: Y.XmlText, id: string): string {
  for (const op of t.toDelta() as { attributes?: Record<string, { id: string }> }[]) {
    for (const [k, v] of Object.entries(op.attributes ?? {})) if (v.id === id) return k;
  }
  throw new RangeError(`No mark ${id}`);
}

function bracketMap(entry: BracketEntry): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(entry)) if (k !== "positions") map.set(k, v);
  map.set("positions", new Y.Map<unknown>());
  return map;
}

const position = (party: string, over: Record<string, unknown> = {}) => ({
  party,
  stance: "oppose",
  onBehalfOf: null,
  text: null,
  enteredBy: null,
  ...over,
});

/**
 * Send a hostile update and check the outcome end to end: the attacker is closed with
 * 4403 and the rule; the room's document is byte-identical; the honest watcher, after an
 * honest marker change that it receives, holds exactly the live document.
 */
async function expectRefused(
  attacker: RawClient,
  update: Uint8Array,
  rule: string,
  via: number = syncUpdate,
): Promise<void> {
  const read = (live: Y.Doc) => ({
    state: Y.encodeStateVector(live),
    content: Y.encodeStateAsUpdate(live),
  });
  const before = read(session.live());
  attacker.frame(via, update);
  const closed = await attacker.closed;
  // Read the room's document afresh: a refused update that got into it makes the room
  // replace it with one rebuilt from what it had accepted.
  const after = read(session.live());
  const chair = await session.as("Chair", "chair");
  chair.frame(
    syncUpdate,
    chair.edit((d) => draftTypes(d).meta.set("date", `marker ${count}`)),
  );
  await untilDoc(
    session.watcher.doc,
    "the marker",
    (d) => draftTypes(d).meta.get("date") === `marker ${count}`,
  );
  expect({
    closed,
    unchanged: after,
    watcherEqualsLive: converged([session.watcher.doc, session.live()]),
  }).toEqual({
    closed: { code: refusedCode, reason: rule },
    unchanged: before,
    watcherEqualsLive: true,
  });
}

describe("hostile clients are refused by the server", () => {
  it("refuses an observer's words", async () => {
    const c = await session.as("Press", "observer");
    await expectRefused(
      c,
      c.edit((d) => text(d, 0).insert(0, "Hello ")),
      "observer-read-only",
    );
  });

  it("refuses an observer's position sent as a sync step 2", async () => {
    const c = await session.as("Press", "observer");
    const update = c.edit((d) => positions(d).set("Press", position("Press")));
    await expectRefused(c, update, "observer-read-only", syncStep2);
  });

  it("refuses a delegation editing agreed text", async () => {
    const c = await session.as("Pakistan", "delegation");
    await expectRefused(
      c,
      c.edit((d) => text(d, 1).delete(0, 3)),
      "delete-outside-own-proposal",
    );
  });

  it("refuses a delegation typing unbracketed words", async () => {
    const c = await session.as("Pakistan", "delegation");
    await expectRefused(
      c,
      c.edit((d) => text(d, 1).insert(0, "Not ")),
      "text-outside-own-bracket",
    );
  });

  it("refuses a delegation deleting another's proposal", async () => {
    const c = await session.as("Pakistan", "delegation");
    await expectRefused(
      c,
      c.edit((d) => text(d, 0).delete(17, 7)),
      "delete-outside-own-proposal",
    );
  });

  it("refuses words under a forged attribution to another delegation", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => {
      const types = draftTypes(d);
      types.brackets.set(
        "bx",
        bracketMap({ ...uaeBracket, proposedBy: [{ party: "Pakistan", onBehalfOf: null }] }),
      );
      types.attributions.set("ax", {
        party: "United Arab Emirates",
        onBehalfOf: null,
        enteredBy: null,
      });
      text(d, 0).insert(16, " not", marks(["bracket", "bx"], ["attribution", "ax"]));
    });
    await expectRefused(c, update, "proposal-in-other-name");
  });

  it("refuses a proposal made in another delegation's name", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => {
      draftTypes(d).brackets.set("bx", bracketMap({ ...uaeBracket, kind: "deletion" }));
      text(d, 1).format(0, 2, marks(["bracket", "bx"]));
    });
    await expectRefused(c, update, "proposal-in-other-name");
  });

  it("refuses a forged position of another delegation", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => positions(d).set("Chile", position("Chile")));
    await expectRefused(c, update, "position-in-other-name");
  });

  it("refuses a delegation's position claiming to be entered by the secretariat", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) =>
      positions(d).set("Pakistan", position("Pakistan", { enteredBy: "Secretariat" })),
    );
    await expectRefused(c, update, "position-in-other-name");
  });

  it("refuses a delegation lifting a bracket", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => {
      const t = text(d, 0);
      t.format(17, 7, { [seededKey(t, "b1")]: null });
      draftTypes(d).brackets.get("b1")!.set("status", "lifted");
    });
    await expectRefused(c, update, "bracket-status");
  });

  it("refuses a delegation dropping a proposal", async () => {
    const c = await session.as("United Arab Emirates", "delegation");
    const update = c.edit((d) => {
      text(d, 0).delete(17, 7);
      draftTypes(d).brackets.get("b1")!.set("status", "dropped");
    });
    await expectRefused(c, update, "bracket-status");
  });

  it("refuses a delegation quietly removing another's bracket", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => {
      const t = text(d, 0);
      t.format(17, 7, { [seededKey(t, "b1")]: null });
    });
    await expectRefused(c, update, "mark-forbidden");
  });

  it("refuses a delegation marking a paragraph agreed", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => draftTypes(d).paragraphs.set("p1", { agreement: "agreed" }));
    await expectRefused(c, update, "agreement-forbidden");
  });

  it("refuses a delegation writing a chair's alternative", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) => {
      const map = new Y.Map<unknown>();
      map.set("replaces", ["p1"]);
      map.set("status", "proposed");
      draftTypes(d).chairAlternatives.set("c2", map);
    });
    await expectRefused(c, update, "chair-alternative-chair-only");
  });

  it("refuses the secretariat adopting a chair's alternative", async () => {
    const c = await session.as("Secretariat", "secretariat");
    const update = c.edit((d) =>
      draftTypes(d).chairAlternatives.get("c1")!.set("status", "adopted"),
    );
    await expectRefused(c, update, "chair-alternative-chair-only");
  });

  it("refuses an oversized position", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) =>
      positions(d).set(
        "Pakistan",
        position("Pakistan", { stance: "comment", text: "x".repeat(5000) }),
      ),
    );
    await expectRefused(c, update, "registry-malformed");
  });

  it("refuses a malformed bracket entry even from the chair", async () => {
    const c = await session.as("Chair", "chair");
    const update = c.edit((d) => draftTypes(d).brackets.get("b1")!.set("proposedBy", "everyone"));
    await expectRefused(c, update, "registry-malformed");
  });

  it("refuses a write outside the draft's types", async () => {
    const c = await session.as("Chair", "chair");
    await expectRefused(
      c,
      c.edit((d) => d.getMap("backdoor").set("x", 1)),
      "unknown-type",
    );
  });

  it("refuses a formatting attribute that is no negotiation mark", async () => {
    const c = await session.as("Secretariat", "secretariat");
    await expectRefused(
      c,
      c.edit((d) => text(d, 1).format(0, 2, { bold: true })),
      "content-malformed",
    );
  });

  it("refuses a delegation changing another's proposers", async () => {
    const c = await session.as("Pakistan", "delegation");
    const update = c.edit((d) =>
      draftTypes(d)
        .brackets.get("b1")!
        .set("proposedBy", [{ party: "Pakistan", onBehalfOf: null }]),
    );
    await expectRefused(c, update, "registry-immutable");
  });

  it("refuses a delegation changing the draft's meta data", async () => {
    const c = await session.as("Pakistan", "delegation");
    await expectRefused(
      c,
      c.edit((d) => draftTypes(d).meta.set("revision", "Rev.9")),
      "meta-forbidden",
    );
  });

  it("refuses a delegation's offline edit of agreed text sent as a sync step 2", async () => {
    const c = await session.as("Pakistan", "delegation");
    await expectRefused(
      c,
      c.edit((d) => text(d, 1).insert(3, "never ")),
      "text-outside-own-bracket",
      syncStep2,
    );
  });

  it("refuses a refused update offered again on a new connection", async () => {
    const first = await session.as("Pakistan", "delegation");
    const update = first.edit((d) => text(d, 1).insert(0, "Not "));
    first.frame(syncUpdate, update);
    expect((await first.closed).reason).toBe("text-outside-own-bracket");
    const again = await session.as("Pakistan", "delegation");
    await expectRefused(again, update, "client-id-bound");
  });

  it("counts the refusal under its rule in the server's metrics", async () => {
    const rule = "agreement-forbidden";
    const before = server.server.metrics.refusals.get(rule) ?? 0;
    const c = await session.as("Pakistan", "delegation");
    c.frame(
      syncUpdate,
      c.edit((d) => draftTypes(d).paragraphs.set("p1", { agreement: "adRef" })),
    );
    await c.closed;
    expect(server.server.metrics.refusals.get(rule)).toBe(before + 1);
  });

  it("refuses structs spoofing the client id of another participant", async () => {
    const honest = await session.as("United Arab Emirates", "delegation");
    honest.frame(
      syncUpdate,
      honest.edit((d) =>
        positions(d).set("United Arab Emirates", position("United Arab Emirates")),
      ),
    );
    await untilDoc(session.watcher.doc, "the UAE's position", (d) =>
      positions(d).has("United Arab Emirates"),
    );
    const c = await session.as("Pakistan", "delegation");
    // Yjs picks a new id when a remote update uses its own, so take the victim's id now.
    c.doc.clientID = honest.doc.clientID;
    const update = c.edit((d) => positions(d).set("Pakistan", position("Pakistan")));
    await expectRefused(c, update, "client-id-bound");
  });
});

const at_ =
  (from: number, to = from) =>
  (state: EditorState) =>
    state.tr.setSelection(TextSelection.create(state.doc, from, to));

/** Send an honest update and wait until the watcher has it; the sender stays connected. */
async function expectAccepted(
  client: RawClient,
  command: Command,
  prepare?: (state: EditorState) => Transaction,
) {
  const update = commandUpdate(client.doc, command, prepare);
  client.frame(syncUpdate, update);
  await untilDoc(
    session.watcher.doc,
    "the honest update",
    (d) => Y.encodeStateVector(d).toString() === Y.encodeStateVector(client.doc).toString(),
  );
  expect(converged([session.watcher.doc, client.doc, session.live()])).toBe(true);
}

describe("honest clients are accepted by the server", () => {
  it("relays a stock WebsocketProvider's proposal and keeps it connected", async () => {
    const pakistan = { party: "Pakistan", role: "delegation" } as const;
    const token = await server.mintToken({
      docId: session.docId,
      party: "Pakistan",
      role: "delegation",
    });
    const provider = connectClient(server.wsUrl, session.docId, token);
    opened.push({ close: () => provider.destroy() });
    await provider.synced();
    commandUpdate(provider.doc, proposeInsertion(pakistan, " fully"), at_(50));
    await untilDoc(session.watcher.doc, "the provider's proposal", (d) =>
      text(d, 0).toString().includes("fully"),
    );
    expect([provider.provider.wsconnected, converged([session.watcher.doc, provider.doc])]).toEqual(
      [true, true],
    );
  });

  it("relays a withdrawal sent as the browser sends it, registry first", async () => {
    const uae = { party: "United Arab Emirates", role: "delegation" } as const;
    const c = await session.as("United Arab Emirates", "delegation");
    for (const update of commandUpdatesSplit(c.doc, withdrawProposal(uae, "b1"))) {
      c.frame(syncUpdate, update);
    }
    await untilDoc(
      session.watcher.doc,
      "the withdrawal",
      (d) => !text(d, 0).toString().includes("promote"),
    );
    expect(converged([session.watcher.doc, c.doc, session.live()])).toBe(true);
  });

  it("relays a delegation's insertion proposal", async () => {
    const pakistan = { party: "Pakistan", role: "delegation" } as const;
    const c = await session.as("Pakistan", "delegation");
    await expectAccepted(c, proposeInsertion(pakistan, " fully"), at_(50));
  });

  it("relays a delegation's deletion proposal and its withdrawal", async () => {
    const pakistan = { party: "Pakistan", role: "delegation" } as const;
    const c = await session.as("Pakistan", "delegation");
    await expectAccepted(c, proposeDeletion(pakistan, { id: "d1" }), at_(26, 36));
    await expectAccepted(c, withdrawProposal(pakistan, "d1"));
  });

  it("relays a delegation's alternative wording and a position", async () => {
    const pakistan = { party: "Pakistan", role: "delegation" } as const;
    const c = await session.as("Pakistan", "delegation");
    await expectAccepted(c, proposeAlternativeWording(pakistan, "p2", "It reports monthly."));
    await expectAccepted(c, statePosition(pakistan, "b1", "support"));
  });

  it("relays the secretariat entering a position for a delegation", async () => {
    const secretariat = { party: "Secretariat", role: "secretariat", onBehalfOf: "Chile" } as const;
    const c = await session.as("Secretariat", "secretariat", "Chile");
    await expectAccepted(c, statePosition(secretariat, "b1", "reserve"));
  });
});
