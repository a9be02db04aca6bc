"""The floor for a Python board server: a y-websocket relay on uvicorn with pycrdt and nothing else.

    .venv/bin/python bench/board_relay.py --servers M4SH,node,floor

``bench/board_relay.py`` runs it as a third server (``uvicorn bench.board_floor:app``) to show how much of
M4SH's CPU per message is its own work and how much any server on uvicorn and pycrdt pays. Per room
(the URL path) one pycrdt document in memory; a sync step 1 is answered with step 2, an update is
applied and relayed to the room's other connections by awaiting their ``send`` in the sender's task.
No Django, no token, no storage, no rate or frame limits, no slow-client handling, no awareness: not a
server to deploy, only the least work a correct relay on this stack does per message.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Doc

from apps.classroom.realtime import protocol as y

Send = Any
rooms: dict[str, tuple[Doc, set[Send]]] = {}


async def app(scope: dict[str, Any], receive: Any, send: Send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
    elif scope["type"] == "http":  # the harness waits for any 200
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})
    elif scope["type"] == "websocket":
        await relay(scope["path"], receive, send)


async def relay(room: str, receive: Any, send: Send) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    doc, connections = rooms.setdefault(room, (Doc(), set()))
    connections.add(send)
    await send({"type": "websocket.send", "bytes": y.sync_message(y.SYNC_STEP1, doc.get_state())})
    try:
        while (message := await receive())["type"] == "websocket.receive":
            frame = message.get("bytes")
            if not frame or frame[0] != y.MESSAGE_SYNC:
                continue
            step, pos = y.read_var_uint(frame, 1)
            payload, _ = y.read_var_bytes(frame, pos)
            if step == y.SYNC_STEP1:
                await send({"type": "websocket.send", "bytes": y.sync_message(y.SYNC_STEP2, doc.get_update(payload))})
            elif payload != b"\x00\x00":
                doc.apply_update(payload)
                for other in list(connections):
                    if other is not send:
                        await other({"type": "websocket.send", "bytes": frame})
    finally:
        connections.discard(send)
