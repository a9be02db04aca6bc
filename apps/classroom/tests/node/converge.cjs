/*
 * Two stock y-websocket clients (the real `yjs` and `y-websocket` packages from frontend/node_modules,
 * `ws` as Node 20's WebSocket) draw on one lesson's board through the real server and must converge;
 * a third client joining afterwards must be served the whole board. Used by test_yjs_client.py.
 *
 *   node converge.cjs '{"server": "ws://127.0.0.1:8000/ws/classroom/7", "student": {...}, "tutor": {...}}'
 *
 * where each participant is {"token", "id", "name"}. The student offers the token as a subprotocol,
 * the tutor as ?token= (both ways of docs/whiteboard.md). Prints the converged board as JSON on stdout;
 * exits 1 with a reason on stderr when something does not happen within the time limits.
 */
"use strict";

const path = require("node:path");
const { createRequire } = require("node:module");

const frontend = process.env.M4SH_FRONTEND_DIR || path.resolve(__dirname, "../../../../frontend");
const load = createRequire(path.join(frontend, "package.json"));
const Y = load("yjs");
const { WebsocketProvider } = load("y-websocket");
const WebSocket = load("ws");

const TIMEOUT_MS = 15000;
const MATERIAL_SRC = "/api/v1/classroom/materials/41/pages/2/";

function fail(reason) {
  process.stderr.write(`converge: ${reason}\n`);
  process.exit(1);
}

/** Resolves when check() is true, checking after every doc/awareness event and every 50 ms. */
function until(what, check) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      let ok = false;
      try {
        ok = check();
      } catch (error) {
        reject(error);
        return;
      }
      if (ok) resolve();
      else if (Date.now() - started > TIMEOUT_MS) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

function connect(server, who, role, transport) {
  const doc = new Y.Doc();
  const options = { WebSocketPolyfill: WebSocket, disableBc: true, connect: true };
  if (transport === "subprotocol") options.protocols = ["m4sh.classroom", who.token];
  else options.params = { token: who.token };
  const provider = new WebsocketProvider(server, "board", doc, options);
  const closes = [];
  provider.on("connection-close", (event) => event && closes.push(event.code));
  provider.awareness.setLocalState({
    user: { id: who.id, name: who.name, role, color: role === "tutor" ? "#e8590c" : "#1c7ed6" },
    cursor: null,
  });
  return { doc, provider, closes, role, id: who.id };
}

function element(doc, fields) {
  const map = new Y.Map();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

function page(id, title) {
  const map = new Y.Map();
  map.set("id", id);
  map.set("title", title);
  return map;
}

const snapshot = (client) => ({
  pages: client.doc.getArray("pages").toJSON(),
  elements: client.doc.getMap("elements").toJSON(),
});
const same = (a, b) => JSON.stringify(sorted(snapshot(a))) === JSON.stringify(sorted(snapshot(b)));

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]));
  }
  return value;
}

async function main() {
  const input = JSON.parse(process.argv[2] || "{}");
  if (!input.server || !input.student || !input.tutor) fail("usage: converge.cjs '{server, student, tutor}'");
  const student = connect(input.server, input.student, "student", "subprotocol");
  const tutor = connect(input.server, input.tutor, "tutor", "query");
  const clients = [student, tutor];
  try {
    await until("both clients to sync", () => clients.every((c) => c.provider.synced));
    const now = Date.now();
    // both write at once, without waiting for each other
    student.doc.transact(() => {
      student.doc.getArray("pages").push([page("p1", "Page 1")]);
      const elements = student.doc.getMap("elements");
      elements.set("s-stroke", element(student.doc, {
        type: "stroke", page: "p1", author: student.id, createdAt: now, z: 1,
        points: [10, 10, 40, 35, 80, 60], color: "#e03131", width: 3, tool: "pen",
      }));
      elements.set("s-arrow", element(student.doc, {
        type: "shape", page: "p1", author: student.id, createdAt: now, z: 2,
        shape: "arrow", x: 100, y: 100, w: 200, h: -50, color: "#1971c2", width: 2,
      }));
      elements.set("s-rect", element(student.doc, {
        type: "shape", page: "p1", author: student.id, createdAt: now, z: 3,
        shape: "rect", x: 300, y: 300, w: 120, h: 80, color: "#1d2330", width: 2, fill: "#ffd43b",
      }));
    });
    tutor.doc.transact(() => {
      tutor.doc.getArray("pages").push([page("p2", "Exercises")]);
      const elements = tutor.doc.getMap("elements");
      elements.set("t-text", element(tutor.doc, {
        type: "text", page: "p1", author: tutor.id, createdAt: now, z: 4,
        x: 50, y: 400, text: "x² + 1 = 0", color: "#1d2330", size: 24,
      }));
      elements.set("t-formula", element(tutor.doc, {
        type: "formula", page: "p2", author: tutor.id, createdAt: now, z: 5,
        x: 60, y: 80, latex: "\\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}", color: "#ae3ec9", size: 28,
      }));
      elements.set("t-image", element(tutor.doc, {
        type: "image", page: "p2", author: tutor.id, createdAt: now, z: 6,
        x: 200, y: 200, w: 600, h: 800, material: 41, materialPage: 2, src: MATERIAL_SRC,
      }));
      elements.set("t-highlight", element(tutor.doc, {
        type: "stroke", page: "p1", author: tutor.id, createdAt: now, z: 7,
        points: [0, 500, 900, 500], color: "#fab005", width: 16, tool: "highlighter",
      }));
    });
    await until("both boards to hold all 7 elements", () =>
      clients.every((c) => c.doc.getMap("elements").size === 7 && c.doc.getArray("pages").length === 2),
    );
    await until("the two boards to be identical", () => same(student, tutor));

    // a deletion travels too: the student erases the tutor's text
    student.doc.getMap("elements").delete("t-text");
    await until("the deletion to reach the tutor", () => !tutor.doc.getMap("elements").has("t-text"));

    // awareness: each sees the other's user and cursor
    student.provider.awareness.setLocalStateField("cursor", { x: 123, y: 456, page: "p1" });
    tutor.provider.awareness.setLocalStateField("cursor", { x: 7, y: 8, page: "p2" });
    const seen = (client, other) => [...client.provider.awareness.getStates().values()].find(
      (state) => state.user && state.user.id === other.id && state.cursor,
    );
    await until("each client to see the other's cursor", () => seen(student, tutor) && seen(tutor, student));

    // someone who joins later is served the whole board by the server
    const late = connect(input.server, input.student, "student", "subprotocol");
    clients.push(late);
    await until("a late client to sync", () => late.provider.synced);
    await until("the late client to hold the board", () => same(late, tutor));

    const refusedCloses = clients.flatMap((c) => c.closes).filter((code) => code >= 4000);
    if (refusedCloses.length) fail(`the server refused a client: ${refusedCloses.join(", ")}`);
    process.stdout.write(JSON.stringify({
      ...snapshot(tutor),
      studentSawTutor: seen(student, tutor),
      tutorSawStudent: seen(tutor, student),
      lateSynced: late.provider.synced,
    }));
  } finally {
    for (const client of clients) client.provider.destroy();
  }
}

main().then(
  () => setTimeout(() => process.exit(0), 100), // let the sockets close cleanly
  (error) => fail(error && error.stack ? error.stack : String(error)),
);
