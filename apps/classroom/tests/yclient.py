"""A minimal y-websocket client on pycrdt, for driving the board socket in tests."""

from __future__ import annotations

import json
from typing import Any

from channels.testing import WebsocketCommunicator
from pycrdt import Doc, Map

from apps.classroom.realtime import protocol as y


class YClient:
    def __init__(self, app: Any, path: str, *, token: str | None = None, subprotocols: list[str] | None = None) -> None:
        url = f"{path}?token={token}" if token else path
        self.comm = WebsocketCommunicator(app, url, subprotocols=subprotocols)
        self.doc: Doc = Doc()
        self.received: list[bytes] = []
        self.awareness: dict[int, str] = {}
        self.subprotocol: str | None = None

    async def connect(self) -> None:
        connected, self.subprotocol = await self.comm.connect()
        assert connected

    async def close_code(self, timeout: float = 2) -> int:
        """The code the server closed the socket with (skipping any data frames first)."""
        while True:
            message = await self.comm.receive_output(timeout)
            if message["type"] == "websocket.close":
                return int(message.get("code", 1000))

    async def send(self, frame: bytes) -> None:
        await self.comm.send_to(bytes_data=frame)

    async def handshake(self) -> None:
        """Do what y-websocket does on open: send step 1, then answer and apply until quiet."""
        await self.send(y.sync_message(y.SYNC_STEP1, self.doc.get_state()))
        await self.pump()

    async def pump(self, timeout: float = 0.2) -> list[bytes]:
        """Handle every frame that arrives until ``timeout`` passes quietly; return them."""
        frames = []
        while True:
            # receive_output would cancel the application on a timeout: wait for quiet first
            if await self.comm.receive_nothing(timeout):
                return frames
            message = await self.comm.receive_output()
            if message["type"] == "websocket.close":
                raise ConnectionError(f"closed with {message.get('code')}")
            frame = message["bytes"]
            frames.append(frame)
            self.received.append(frame)
            await self._handle(frame)

    async def _handle(self, frame: bytes) -> None:
        kind, pos = y.read_var_uint(frame, 0)
        if kind == y.MESSAGE_SYNC:
            step, pos = y.read_var_uint(frame, pos)
            payload, _ = y.read_var_bytes(frame, pos)
            if step == y.SYNC_STEP1:
                await self.send(y.sync_message(y.SYNC_STEP2, self.doc.get_update(payload)))
            else:
                self.doc.apply_update(payload)
        elif kind == y.MESSAGE_AWARENESS:
            payload, _ = y.read_var_bytes(frame, pos)
            for entry in y.parse_awareness(payload):
                if entry.state == "null":
                    self.awareness.pop(entry.client_id, None)
                else:
                    self.awareness[entry.client_id] = entry.state

    async def draw(self, element_id: str, **fields: Any) -> bytes:
        """Add an element to the board and send the update, as the browser client does."""
        before = self.doc.get_state()
        elements = self.doc.get("elements", type=Map)
        elements[element_id] = Map(fields)
        update = self.doc.get_update(before)
        await self.send(y.sync_message(y.SYNC_UPDATE, update))
        return update

    async def announce(self, state: dict[str, Any], clock: int = 1) -> None:
        entry = y.AwarenessEntry(self.doc.client_id, clock, json.dumps(state))
        await self.send(y.awareness_message(y.encode_awareness([entry])))

    def elements(self) -> dict[str, Any]:
        return self.doc.get("elements", type=Map).to_py() or {}

    async def disconnect(self) -> None:
        await self.comm.disconnect()
