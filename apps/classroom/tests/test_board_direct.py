"""The board socket on uvicorn with ``DirectFramesProtocol`` (as `make run` and production serve it):
binary frames reach the room as calls and are written at once; the limits and closes hold as on ASGI."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from pycrdt import Doc, Map
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from apps.classroom.realtime import protocol as y
from apps.classroom.realtime.board import Room, TappedConnection
from apps.classroom.tests.factories import Lesson, make_lesson
from apps.core.tests.live import serve_asgi

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def server(settings: Any) -> Iterator[str]:
    """The live server; a test fails if the server logged an error (uvicorn logs what an app raises)."""
    settings.SCHEDULER_IN_PROCESS = False
    settings.BOARD_FLUSH_MS = 20
    errors = Errors()
    with serve_asgi() as address:
        logging.getLogger("uvicorn.error").addHandler(errors)
        try:
            yield address
        finally:
            logging.getLogger("uvicorn.error").removeHandler(errors)
    assert errors.messages == []


@pytest.fixture
async def lesson() -> Lesson:
    return await sync_to_async(make_lesson)()


async def open_board(server: str, lesson: Lesson, *, tutor: bool = False, **options: Any) -> ClientConnection:
    user, role = (lesson.tutor, "tutor") if tutor else (None, "student")
    token = await sync_to_async(lesson.token)(user, role=role)
    socket = await connect(f"ws://{server}/ws/classroom/{lesson.session.pk}/board?token={token}", **options)
    kind, _ = y.read_var_uint(await socket.recv(), 0)  # the server's step 1
    assert kind == y.MESSAGE_SYNC
    return socket


def stroke(doc: Doc, element_id: str, **fields: Any) -> bytes:
    before = doc.get_state()
    doc.get("elements", type=Map)[element_id] = Map({"type": "stroke", "page": "p1", **fields})
    return y.sync_message(y.SYNC_UPDATE, doc.get_update(before))


async def received_elements(socket: ClientConnection, wanted: int) -> set[str]:
    doc: Doc = Doc()
    while len(doc.get("elements", type=Map)) < wanted:
        frame = await asyncio.wait_for(socket.recv(), 5)
        _, pos = y.read_var_uint(frame, 0)
        _, pos = y.read_var_uint(frame, pos)
        doc.apply_update(y.read_var_bytes(frame, pos)[0])
    return set(doc.get("elements", type=Map).to_py())


async def close_code(socket: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), 15)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def test_frames_reach_the_room_as_calls_and_are_relayed_without_echo(server: str, lesson: Lesson) -> None:
    tutor = await open_board(server, lesson, tutor=True)
    student = await open_board(server, lesson)
    hub = importlib.import_module("config.asgi").board_hub
    assert {type(conn) for conn in hub.rooms[lesson.session.pk].connections} == {TappedConnection}
    doc: Doc = Doc()
    for i in range(5):
        await tutor.send(stroke(doc, f"t{i}"))
    fragmented = stroke(doc, "fragmented")
    await tutor.send([fragmented[:10], fragmented[10:]])  # takes the ASGI path, after the frames before it
    assert await received_elements(student, 6) == {"t0", "t1", "t2", "t3", "t4", "fragmented"}
    with pytest.raises(TimeoutError):  # nothing comes back to the drawer
        await asyncio.wait_for(tutor.recv(), 0.3)
    await tutor.close()
    await student.close()


async def test_frames_sent_before_the_board_takes_over_keep_their_order(server: str, lesson: Lesson) -> None:
    token = await sync_to_async(lesson.token)(None, role="student")
    socket = await connect(f"ws://{server}/ws/classroom/{lesson.session.pk}/board?token={token}")
    doc: Doc = Doc()
    for i in range(3):  # sent at once, while the server may still be loading the room
        await socket.send(stroke(doc, f"early{i}"))
    await socket.send(y.sync_message(y.SYNC_STEP1, b"\x00"))  # "send me everything": it must include them
    replies = [await asyncio.wait_for(socket.recv(), 5) for _ in range(2)]  # the server's step 1, then step 2
    kinds = [y.read_var_uint(reply, 1)[0] for reply in replies]
    assert kinds == [y.SYNC_STEP1, y.SYNC_STEP2]
    board: Doc = Doc()
    board.apply_update(y.read_var_bytes(replies[1], 2)[0])
    assert set(board.get("elements", type=Map).to_py()) == {"early0", "early1", "early2"}
    await socket.close()


@pytest.mark.parametrize(
    ("setting", "frames", "code"),
    [
        (None, ["text"], 1007),
        (None, [b"\x00\x01\x03\xff\xff\xff"], 1007),
        (("BOARD_MAX_FRAME_BYTES", 100), [y.sync_message(y.SYNC_UPDATE, b"\x00" * 500)], 1009),
        (("BOARD_MAX_MESSAGES_PER_SECOND", 5), [bytes((y.MESSAGE_QUERY_AWARENESS,))] * 30, 1008),
    ],
    ids=["text", "malformed", "oversized", "flood"],
)
async def test_refused_frames_close_with_their_codes(
    server: str, lesson: Lesson, settings: Any, setting: tuple[str, int] | None, frames: list[Any], code: int
) -> None:
    if setting:
        setattr(settings, *setting)
    socket = await open_board(server, lesson)
    for frame in frames:
        await socket.send(frame)
    assert await close_code(socket) == code


async def test_a_failing_frame_handler_closes_only_that_socket(
    server: str, lesson: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    socket = await open_board(server, lesson)

    def broken(*args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Room, "handle", broken)
    await socket.send(bytes((y.MESSAGE_QUERY_AWARENESS,)))
    assert await close_code(socket) == 1011  # "internal error"; the server goes on
    monkeypatch.undo()
    again = await open_board(server, lesson)
    await again.close()


async def test_a_client_that_stops_reading_is_closed_to_reconnect(server: str, lesson: Lesson, settings: Any) -> None:
    settings.BOARD_SEND_QUEUE = 4
    settings.BOARD_MAX_MESSAGES_PER_SECOND = 10_000
    # the watcher's library stops reading the socket once one message waits, so the server's buffer fills
    slow = await open_board(server, lesson, tutor=True, max_queue=1)
    drawer = await open_board(server, lesson)
    doc: Doc = Doc()
    for i in range(200):  # ~25 MB of strokes, far more than the kernel's and uvicorn's buffers take
        await drawer.send(stroke(doc, f"big{i}", points=list(range(16_000))))
    assert await close_code(slow) == 1013
    await drawer.send(stroke(doc, "after"))  # the drawer is not affected
    await drawer.close()
