"""The floor below the ASGI server: a y-websocket relay on a bare asyncio protocol (uvloop) with pycrdt.

    .venv/bin/python bench/board_floor_raw.py --port 8000

``bench/board_relay.py --servers M4SH,node,floor,raw`` runs it as a fourth server, to show what the
ASGI layer (uvicorn's HTTP and WebSocket protocols, the ASGI messages, one task per connection) costs
per message: here a frame is parsed, applied and relayed inside ``data_received``, with no task, queue
or ASGI message at all. Like ``bench/board_floor.py`` it has no Django, token, storage, limits or
slow-client handling, and it speaks only as much of RFC 6455 as the benchmark's clients use (the
opening handshake, unfragmented binary frames, ping and close): not a server to deploy, only the least
any Python relay on pycrdt does per message.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import struct
import sys
from pathlib import Path
from typing import Any

import uvloop
from pycrdt import Doc
from websockets.speedups import apply_mask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.classroom.realtime import protocol as y

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x2, 0x8, 0x9, 0xA
rooms: dict[bytes, tuple[Doc, set[Relay]]] = {}


def frame(opcode: int, payload: bytes) -> bytes:
    """An unmasked server frame."""
    size = len(payload)
    if size < 126:
        return struct.pack("!BB", 0x80 | opcode, size) + payload
    if size < 1 << 16:
        return struct.pack("!BBH", 0x80 | opcode, 126, size) + payload
    return struct.pack("!BBQ", 0x80 | opcode, 127, size) + payload


class Relay(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.room: tuple[Doc, set[Relay]] | None = None
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:  # uvloop's transports are not asyncio.Transport
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if self.room is not None:
            self.room[1].discard(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.room is None:
            self.handshake()
        while self.room is not None and self.next_frame():
            pass

    def handshake(self) -> None:
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        if not sep:
            return
        self.buffer = rest
        lines = head.split(b"\r\n")
        path = lines[0].split(b" ")[1]
        headers = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
        headers = {name.strip().lower(): value.strip() for name, value in headers.items()}
        key = headers.get(b"sec-websocket-key")
        if key is None:  # the harness waits for any 200
            self.transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            self.transport.close()
            return
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        self.transport.write(
            b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
            b"sec-websocket-accept: " + accept + b"\r\n\r\n"
        )
        self.room = rooms.setdefault(path.split(b"?")[0], (Doc(), set()))
        self.room[1].add(self)
        self.transport.write(frame(OP_BINARY, y.sync_message(y.SYNC_STEP1, self.room[0].get_state())))

    def next_frame(self) -> bool:
        buffer = self.buffer
        if len(buffer) < 2:
            return False
        opcode, size = buffer[0] & 0x0F, buffer[1] & 0x7F
        start = 2
        if size == 126:
            if len(buffer) < 4:
                return False
            (size,) = struct.unpack_from("!H", buffer, 2)
            start = 4
        elif size == 127:
            if len(buffer) < 10:
                return False
            (size,) = struct.unpack_from("!Q", buffer, 2)
            start = 10
        end = start + 4 + size
        if len(buffer) < end:
            return False
        payload = apply_mask(buffer[start + 4 : end], buffer[start : start + 4])
        self.buffer = buffer[end:]
        if opcode == OP_BINARY:
            self.message(payload)
        elif opcode == OP_PING:
            self.transport.write(frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            self.transport.write(frame(OP_CLOSE, payload[:2]))
            self.transport.close()
            return False
        return True

    def message(self, data: bytes) -> None:
        assert self.room is not None
        if not data or data[0] != y.MESSAGE_SYNC:
            return
        doc, relays = self.room
        step, pos = y.read_var_uint(data, 1)
        payload, _ = y.read_var_bytes(data, pos)
        if step == y.SYNC_STEP1:
            self.transport.write(frame(OP_BINARY, y.sync_message(y.SYNC_STEP2, doc.get_update(payload))))
        elif payload != b"\x00\x00":
            doc.apply_update(payload)
            out = frame(OP_BINARY, data)
            for other in relays:
                if other is not self:
                    other.transport.write(out)


async def serve(host: str, port: int) -> None:
    server = await asyncio.get_running_loop().create_server(Relay, host, port)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    args = parser.parse_args()
    uvloop.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
