"""The whiteboard socket: auth, y-websocket sync, relay without echo, awareness, persistence, limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError
from django.utils import timezone
from pycrdt import Doc, Map

from apps.classroom.models import BoardSnapshot, BoardUpdate
from apps.classroom.realtime import board as board_module
from apps.classroom.realtime import protocol as y
from apps.classroom.realtime.board import BoardHub
from apps.classroom.realtime.routing import WebSocketRouter
from apps.classroom.services import board as board_services
from apps.classroom.services.board import board_append, board_compact, board_document
from apps.classroom.tests.factories import Lesson, make_lesson
from apps.classroom.tests.yclient import YClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def fast_board(settings: Any) -> Iterator[None]:
    settings.BOARD_FLUSH_MS = 20
    settings.BOARD_UNLOAD_SECONDS = 0.05
    yield


@pytest.fixture
async def lesson() -> Lesson:
    return await sync_to_async(make_lesson)()


def board_path(lesson: Lesson) -> str:
    return f"/ws/classroom/{lesson.session.pk}/board"


async def join(app: Any, lesson: Lesson, user: Any = None, role: str = "student") -> YClient:
    token = await sync_to_async(lesson.token)(user, role=role)
    client = YClient(app, board_path(lesson), token=token)
    await client.connect()
    await client.handshake()
    return client


# --- authentication ---------------------------------------------------------------------------------


async def refused(app: Any, path: str, **kwargs: Any) -> int:
    client = YClient(app, path, **kwargs)
    await client.connect()
    code = await client.close_code()
    assert client.received == []
    return code


async def test_sockets_refuse_bad_tokens_before_any_data(lesson: Lesson) -> None:
    app = WebSocketRouter(BoardHub())
    path = board_path(lesson)
    expired = await sync_to_async(lesson.token)(expires=timezone.now() - timedelta(minutes=5))
    assert await refused(app, path) == 4401
    assert await refused(app, path, token="not-a-jwt") == 4401
    assert await refused(app, path, token=expired) == 4401
    other = await sync_to_async(make_lesson)()
    assert await refused(app, path, token=await sync_to_async(other.token)()) == 4403
    stranger_token = await sync_to_async(lesson.token)(other.student)
    assert await refused(app, path, token=stranger_token) == 4403
    assert (
        await refused(app, "/ws/classroom/999999/board", token=await sync_to_async(lesson.token)(session_id=999999))
        == 4404
    )


async def test_rest_tokens_are_refused_on_sockets(lesson: Lesson) -> None:
    from apps.accounts.services import token_pair_issue

    access = (await sync_to_async(token_pair_issue)(user=lesson.student)).access
    assert await refused(WebSocketRouter(BoardHub()), board_path(lesson), token=access) == 4401


async def test_the_classroom_is_closed_outside_the_join_window() -> None:
    later = await sync_to_async(make_lesson)(starts_in=timedelta(hours=2))
    token = await sync_to_async(later.token)(not_before=timezone.now() - timedelta(minutes=1))
    assert await refused(WebSocketRouter(BoardHub()), board_path(later), token=token) == 4403


async def test_the_token_may_come_as_a_subprotocol_and_is_never_echoed(lesson: Lesson) -> None:
    token = await sync_to_async(lesson.token)()
    client = YClient(WebSocketRouter(BoardHub()), board_path(lesson), subprotocols=["m4sh.classroom", token])
    await client.connect()
    assert client.subprotocol == "m4sh.classroom"
    await client.handshake()
    await client.disconnect()


# --- sync and relay ---------------------------------------------------------------------------------


async def test_two_participants_draw_together_without_echo(lesson: Lesson, fast_board: None) -> None:
    app = WebSocketRouter(BoardHub())
    student = await join(app, lesson)
    tutor = await join(app, lesson, lesson.tutor, role="tutor")
    await student.draw("s1", type="stroke", page="p1", color="#d00")
    await tutor.draw("t1", type="text", page="p1", text="x² + 1")
    assert await student.pump() and await tutor.pump()
    assert student.elements() == tutor.elements()
    assert set(student.elements()) == {"s1", "t1"}
    # nothing the student sent came back to the student
    echoed = [f for f in student.received if f[:2] == bytes((y.MESSAGE_SYNC, y.SYNC_UPDATE))]
    assert len(echoed) == 1  # only the tutor's update
    await student.disconnect()
    await tutor.disconnect()


async def test_step_one_is_answered_only_to_the_asker(lesson: Lesson) -> None:
    app = WebSocketRouter(BoardHub())
    first = await join(app, lesson)
    await first.draw("a", type="stroke")
    await first.pump()
    await join(app, lesson, lesson.tutor, role="tutor")
    step2 = [f for f in await first.pump() if f[:2] == bytes((y.MESSAGE_SYNC, y.SYNC_STEP2))]
    assert step2 == []


async def test_a_late_joiner_gets_the_whole_board(lesson: Lesson) -> None:
    app = WebSocketRouter(BoardHub())
    student = await join(app, lesson)
    for i in range(20):
        await student.draw(f"e{i}", type="stroke", points=[i, i + 1])
    await student.pump()
    late = await join(app, lesson, lesson.tutor, role="tutor")
    assert len(late.elements()) == 20


async def test_awareness_is_relayed_and_cleaned_up(lesson: Lesson) -> None:
    app = WebSocketRouter(BoardHub())
    student = await join(app, lesson)
    tutor = await join(app, lesson, lesson.tutor, role="tutor")
    await student.announce({"user": {"name": "Olena"}, "cursor": {"x": 10, "y": 20}})
    await tutor.pump()
    assert '"Olena"' in tutor.awareness[student.doc.client_id]
    await student.pump()
    assert student.doc.client_id not in student.awareness  # not echoed
    # a newcomer learns the current cursors
    third = await join(app, lesson, lesson.student)
    assert student.doc.client_id in third.awareness
    await student.disconnect()
    await tutor.pump()
    assert student.doc.client_id not in tutor.awareness


# --- persistence ------------------------------------------------------------------------------------


async def test_updates_are_stored_in_batches_and_compacted_on_unload(lesson: Lesson, fast_board: None) -> None:
    hub = BoardHub()
    app = WebSocketRouter(hub)
    student = await join(app, lesson)
    for i in range(10):
        await student.draw(f"e{i}", type="stroke")
    await asyncio.sleep(0.1)
    rows = await sync_to_async(BoardUpdate.objects.filter(session=lesson.session).count)()
    assert 1 <= rows < 10  # batched
    await student.disconnect()
    await asyncio.sleep(0.3)  # flushed, then unloaded with compaction
    assert lesson.session.pk not in hub.rooms
    assert await sync_to_async(BoardUpdate.objects.filter(session=lesson.session).count)() == 0
    assert await sync_to_async(BoardSnapshot.objects.filter(session=lesson.session).exists)()
    doc = await sync_to_async(board_document)(session_id=lesson.session.pk)
    assert len(doc.get("elements", type=Map).to_py()) == 10
    # back the next day: the same board from storage
    again = await join(app, lesson)
    assert len(again.elements()) == 10


def stroke_update(element_id: str) -> bytes:
    """One stroke drawn elsewhere (by a client of another server process)."""
    doc: Doc = Doc()
    doc.get("elements", type=Map)[element_id] = Map({"type": "stroke", "page": "p1"})
    return doc.get_update()


def elements_of(update: bytes) -> set[str]:
    doc: Doc = Doc()
    doc.apply_update(update)
    return set(doc.get("elements", type=Map).to_py())


async def stored_elements(lesson: Lesson) -> set[str]:
    doc = await sync_to_async(board_document)(session_id=lesson.session.pk)
    return set(doc.get("elements", type=Map).to_py())


async def drawn_and_stored(lesson: Lesson) -> tuple[BoardHub, YClient]:
    """A live room where the student drew ``mine`` and the flush stored it."""
    hub = BoardHub()
    student = await join(WebSocketRouter(hub), lesson)
    await student.draw("mine", type="stroke")
    await student.pump()
    await asyncio.sleep(0.1)
    return hub, student


async def test_a_live_room_folds_its_log_into_the_document_it_holds(
    lesson: Lesson, fast_board: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = lesson.session.pk
    hub, student = await drawn_and_stored(lesson)
    await sync_to_async(board_append)(updates={session_id: stroke_update("theirs")})  # another process
    replace = board_services.board_snapshot_replace

    def replace_after_a_late_row(**kwargs: Any) -> bool:
        board_append(updates={session_id: stroke_update("late")})  # logged between the read and the write
        return replace(**kwargs)

    monkeypatch.setattr(board_module, "board_snapshot_replace", replace_after_a_late_row)
    await hub.rooms[session_id].compact()
    snapshot = await sync_to_async(BoardSnapshot.objects.get)(session_id=session_id)
    assert snapshot.version == hub.rooms[session_id].version == 1
    rows = await sync_to_async(list)(BoardUpdate.objects.filter(session_id=session_id).values_list("data", flat=True))
    assert [elements_of(bytes(row)) for row in rows] == [{"late"}]  # only the row the compaction did not read
    await student.pump()
    assert "theirs" in student.elements()  # what the other process logged reached this room's clients
    assert await stored_elements(lesson) == {"mine", "theirs", "late"}


async def test_a_compaction_that_loses_the_race_starts_again_from_the_new_snapshot(
    lesson: Lesson, fast_board: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = lesson.session.pk
    hub, student = await drawn_and_stored(lesson)
    replace, attempts = board_services.board_snapshot_replace, []

    def another_process_compacts_first(**kwargs: Any) -> bool:
        if not attempts:
            board_append(updates={session_id: stroke_update("theirs")})
            board_compact(session_id=session_id)  # the snapshot becomes version 1 meanwhile
        attempts.append(kwargs["version"])
        return replace(**kwargs)

    monkeypatch.setattr(board_module, "board_snapshot_replace", another_process_compacts_first)
    await hub.rooms[session_id].compact()
    assert attempts == [0, 1]  # refused against version 0, done against version 1
    snapshot = await sync_to_async(BoardSnapshot.objects.get)(session_id=session_id)
    assert snapshot.version == hub.rooms[session_id].version == 2
    assert await sync_to_async(BoardUpdate.objects.filter(session_id=session_id).count)() == 0
    await student.pump()
    assert "theirs" in student.elements()
    assert await stored_elements(lesson) == {"mine", "theirs"}


async def test_an_erasure_logged_by_another_process_reaches_this_rooms_clients(
    lesson: Lesson, fast_board: None
) -> None:
    session_id = lesson.session.pk
    hub, student = await drawn_and_stored(lesson)
    elsewhere: Doc = Doc()  # a client of another process, which has the board and erases the stroke
    elsewhere.apply_update(student.doc.get_update())
    seen = elsewhere.get_state()
    del elsewhere.get("elements", type=Map)["mine"]
    assert elsewhere.get_state() == seen  # an erasure adds no new items: only a delete set
    await sync_to_async(board_append)(updates={session_id: elsewhere.get_update(seen)})
    await hub.rooms[session_id].compact()
    await student.pump()
    assert "mine" not in student.elements()
    assert await stored_elements(lesson) == set()


async def test_a_live_room_compacts_when_its_log_reaches_its_threshold(
    lesson: Lesson, fast_board: None, settings: Any
) -> None:
    settings.BOARD_COMPACT_EVERY = 4
    hub = BoardHub()
    student = await join(WebSocketRouter(hub), lesson)
    room = hub.rooms[lesson.session.pk]
    assert 2 <= room.compact_at <= 4  # rooms that started together spread their compactions
    for i in range(4):
        await student.draw(f"s{i}", type="stroke")
        await asyncio.sleep(0.1)  # one flush, one row
    assert room.version >= 1  # compacted while live
    rows = await sync_to_async(BoardUpdate.objects.filter(session_id=lesson.session.pk).count)()
    assert rows < 4
    assert await stored_elements(lesson) == {f"s{i}" for i in range(4)}


async def test_the_changes_of_every_room_are_stored_together(fast_board: None) -> None:
    lessons = [await sync_to_async(make_lesson)() for _ in range(3)]
    app = WebSocketRouter(BoardHub())
    for i, lesson in enumerate(lessons):
        student = await join(app, lesson)
        await student.draw(f"room{i}", type="stroke")
        await student.pump()
    await asyncio.sleep(0.15)
    for i, lesson in enumerate(lessons):
        doc = await sync_to_async(board_document)(session_id=lesson.session.pk)
        assert list(doc.get("elements", type=Map).to_py()) == [f"room{i}"]


async def test_a_storage_failure_is_retried_without_losing_updates(
    lesson: Lesson, fast_board: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = []

    def database_down(**kwargs: Any) -> None:
        failures.append(kwargs)
        raise OperationalError("the database is restarting")

    monkeypatch.setattr(board_module, "board_append", database_down)
    hub = BoardHub()
    student = await join(WebSocketRouter(hub), lesson)
    await student.draw("first", type="stroke")
    await student.pump()
    await asyncio.sleep(0.1)
    assert failures
    assert await sync_to_async(BoardUpdate.objects.count)() == 0
    monkeypatch.setattr(board_module, "board_append", board_append)
    await student.draw("second", type="stroke")
    await asyncio.sleep(1.3)  # the flusher waits a second after a failure
    doc = await sync_to_async(board_document)(session_id=lesson.session.pk)
    assert set(doc.get("elements", type=Map).to_py()) == {"first", "second"}


async def test_a_crash_loses_no_stroke_a_participant_still_has(lesson: Lesson, fast_board: None, settings: Any) -> None:
    settings.BOARD_FLUSH_MS = 60_000  # nothing reaches the database before the "crash"
    student = await join(WebSocketRouter(BoardHub()), lesson)
    await student.draw("kept", type="stroke")
    await student.pump()
    assert await sync_to_async(BoardUpdate.objects.count)() == 0
    # the process dies; a new one starts with an empty memory and the client reconnects and resyncs
    settings.BOARD_FLUSH_MS = 20
    restarted = WebSocketRouter(BoardHub())
    reconnected = YClient(restarted, board_path(lesson), token=await sync_to_async(lesson.token)())
    reconnected.doc = student.doc
    await reconnected.connect()
    await reconnected.handshake()
    await asyncio.sleep(0.1)
    tutor = await join(restarted, lesson, lesson.tutor, role="tutor")
    assert "kept" in tutor.elements()
    assert await sync_to_async(BoardUpdate.objects.count)() >= 1


async def test_shutdown_stores_every_room(lesson: Lesson, settings: Any) -> None:
    settings.BOARD_FLUSH_MS = 60_000
    hub = BoardHub()
    student = await join(WebSocketRouter(hub), lesson)
    await student.draw("x", type="shape", shape="circle")
    await student.pump()
    await hub.close()
    assert await student.close_code() == 1012
    doc = await sync_to_async(board_document)(session_id=lesson.session.pk)
    assert "x" in doc.get("elements", type=__import__("pycrdt").Map).to_py()


# --- limits -----------------------------------------------------------------------------------------


async def test_a_slow_client_is_closed_to_reconnect(lesson: Lesson, settings: Any) -> None:
    settings.BOARD_SEND_QUEUE = 3
    app = WebSocketRouter(BoardHub())
    slow = await join(app, lesson, lesson.tutor, role="tutor")
    fast = await join(app, lesson)
    for i in range(10):
        await fast.draw(f"e{i}", type="stroke")
    await asyncio.sleep(0.1)
    assert await slow.close_code() == 1013


async def test_oversized_frames_are_refused(lesson: Lesson, settings: Any) -> None:
    settings.BOARD_MAX_FRAME_BYTES = 100
    client = await join(WebSocketRouter(BoardHub()), lesson)
    await client.send(y.sync_message(y.SYNC_UPDATE, b"\x00" * 500))
    assert await client.close_code() == 1009


async def test_floods_are_refused(lesson: Lesson, settings: Any) -> None:
    settings.BOARD_MAX_MESSAGES_PER_SECOND = 5
    client = await join(WebSocketRouter(BoardHub()), lesson)
    for _ in range(30):
        await client.send(bytes((y.MESSAGE_QUERY_AWARENESS,)))
    assert await client.close_code() == 1008


@pytest.mark.parametrize("frame", [b"\x00\x02\x05abc", b"\x00\x01\x03\xff\xff\xff", b"\x00"])
async def test_malformed_frames_close_the_socket(lesson: Lesson, frame: bytes) -> None:
    client = await join(WebSocketRouter(BoardHub()), lesson)
    await client.send(frame)
    assert await client.close_code() == 1007


async def test_text_frames_are_refused(lesson: Lesson) -> None:
    client = await join(WebSocketRouter(BoardHub()), lesson)
    await client.comm.send_to(text_data="hello")
    assert await client.close_code() == 1007
