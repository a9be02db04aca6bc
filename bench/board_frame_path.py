"""The board server's own work per frame, without sockets: how much of a relayed message is M4SH's code.

    .venv/bin/python bench/board_frame_path.py [--frames 20000]

Makes ``--frames`` y-websocket update frames (each adds one 8-point ``stroke`` element: the frames
``bench/board_relay.py`` sends), then measures, in one run and on the same frames, the CPU per frame of:

- ``Room.handle``: decoding the frame, ``Doc.apply_update``, queueing it for storage, pushing it to the
  other connection's bounded send queue and that connection's writer task handing it to ``send`` (a
  no-op here), on uvloop as in the server;
- ``Doc.apply_update`` alone (pycrdt), the floor for any Python Yjs server.

Compare the first with the CPU per message that ``bench/board_relay.py`` prints for the whole server: the
difference is the ASGI server's WebSocket protocol, the event loop and the kernel.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("M4SH_VAR_DIR", str(ROOT / "var" / "bench"))


def make_frames(count: int) -> list[bytes]:
    from bench.board_relay import Updates

    updates = Updates(rooms=1)
    updates.ensure(count)
    return updates.frames[0][:count]


async def room_handle(frames: list[bytes]) -> float:
    from pycrdt import Doc

    from apps.classroom.realtime.auth import SocketUser
    from apps.classroom.realtime.board import BoardHub, QueuedConnection, Room

    delivered = 0

    async def send(message: dict[str, object]) -> None:
        nonlocal delivered
        delivered += 1

    room = Room(BoardHub(), session_id=0, doc=Doc())
    drawer = QueuedConnection(send, SocketUser(user_id=1, session_id=0, role="tutor"))
    watcher = QueuedConnection(send, SocketUser(user_id=2, session_id=0, role="student"))
    writers = [asyncio.create_task(conn.write_loop()) for conn in (drawer, watcher)]
    room.connections |= {drawer, watcher}
    started = time.process_time()
    for frame in frames:
        room.handle(drawer, frame)
        await asyncio.sleep(0)  # let the watcher's writer run, as the event loop would between frames
    await asyncio.sleep(0)
    elapsed = time.process_time() - started
    room.pending.clear()  # nothing is stored: the flush loop never runs
    for task in writers:
        task.cancel()
    assert delivered == len(frames), (delivered, len(frames))
    return elapsed / len(frames)


def apply_only(frames: list[bytes]) -> float:
    from pycrdt import Doc

    from apps.classroom.realtime import protocol as y

    payloads = [y.read_var_bytes(frame, 2)[0] for frame in frames]
    doc: Doc = Doc()
    started = time.process_time()
    for payload in payloads:
        doc.apply_update(payload)
    return (time.process_time() - started) / len(frames)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=20_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.BOARD_FLUSH_MS = 3_600_000  # measure the relay path, not the database
    settings.BOARD_MAX_MESSAGES_PER_SECOND = 10**9

    import uvloop

    frames = make_frames(args.frames)
    handle = uvloop.run(room_handle(frames))
    apply = apply_only(frames)
    print(f"{len(frames)} frames of {len(frames[0])} bytes (one stroke each), CPU per frame:")
    print(f"  Room.handle -> relayed to the other connection  {handle * 1e6:7.1f} µs")
    print(f"  Doc.apply_update alone                          {apply * 1e6:7.1f} µs")
    print(f"  ratio                                           {handle / apply:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
