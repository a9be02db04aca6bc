"""The room socket: presence and attendance, signalling to the other participant only, chat, lesson events."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from apps.booking.models import Booking
from apps.classroom.models import Attendance, ChatMessage, ClassroomSession
from apps.classroom.realtime.board import BoardHub
from apps.classroom.realtime.routing import WebSocketRouter
from apps.classroom.tests.factories import Lesson, make_lesson

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
async def lesson() -> Lesson:
    return await sync_to_async(make_lesson)()


async def enter(
    lesson: Lesson, user: Any = None, role: str = "student"
) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    token = await sync_to_async(lesson.token)(user, role=role)
    comm = WebsocketCommunicator(WebSocketRouter(BoardHub()), f"/ws/classroom/{lesson.session.pk}/?token={token}")
    connected, _ = await comm.connect()
    assert connected
    welcome = await comm.receive_json_from()
    assert welcome["type"] == "welcome"
    return comm, welcome


async def next_of(comm: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    while True:
        message = await comm.receive_json_from(timeout=2)
        if message["type"] == kind:
            return message


async def test_refuses_bad_tokens(lesson: Lesson) -> None:
    comm = WebsocketCommunicator(WebSocketRouter(BoardHub()), f"/ws/classroom/{lesson.session.pk}/?token=bad")
    connected, _ = await comm.connect()
    assert connected
    assert (await comm.receive_output())["code"] == 4401


async def test_presence_records_attendance_and_makes_the_lesson_live(lesson: Lesson) -> None:
    student, welcome = await enter(lesson)
    assert welcome["you"]["role"] == "student" and welcome["chat"] == []
    assert (await next_of(student, "lesson"))["event"] == "started"
    tutor, _ = await enter(lesson, lesson.tutor, role="tutor")
    joined = await next_of(student, "presence")
    assert (joined["event"], joined["user"]["role"]) == ("joined", "tutor")
    here = await next_of(tutor, "presence")
    assert (here["event"], here["user"]["role"]) == ("here", "student")
    session = await sync_to_async(ClassroomSession.objects.get)(pk=lesson.session.pk)
    assert session.status == "live" and session.started_at is not None
    await tutor.disconnect()
    left = await next_of(student, "presence")
    assert (left["event"], left["user"]["role"]) == ("left", "tutor")
    rows = await sync_to_async(list)(
        Attendance.objects.filter(session=session).order_by("pk").values_list("role", "left_at")
    )
    assert [role for role, _ in rows] == ["student", "tutor"]
    assert rows[0][1] is None and rows[1][1] is not None
    await student.disconnect()


async def test_signalling_reaches_only_the_other_participant(lesson: Lesson) -> None:
    student, _ = await enter(lesson)
    tutor, _ = await enter(lesson, lesson.tutor, role="tutor")
    offer = {"kind": "offer", "sdp": "v=0 ..."}
    await student.send_json_to({"type": "signal", "data": offer})
    received = await next_of(tutor, "signal")
    assert received["data"] == offer
    assert await student.receive_nothing(0.2) or (await student.receive_json_from())["type"] != "signal"
    await tutor.send_json_to({"type": "signal", "data": {"kind": "candidate", "candidate": "candidate:1 1 udp ..."}})
    assert (await next_of(student, "signal"))["data"]["kind"] == "candidate"
    await student.send_json_to({"type": "signal", "data": {"kind": "nonsense"}})
    assert (await next_of(student, "error"))["code"] == "unknown_message"
    await student.disconnect()
    await tutor.disconnect()


async def test_chat_is_persisted_and_sent_as_history(lesson: Lesson) -> None:
    student, _ = await enter(lesson)
    await student.send_json_to({"type": "chat", "body": "Hello! Ready when you are."})
    echoed = await next_of(student, "chat")
    assert echoed["message"]["body"] == "Hello! Ready when you are."
    await student.send_json_to({"type": "chat", "body": "   "})
    assert (await next_of(student, "error"))["code"] == "invalid_length"
    tutor, welcome = await enter(lesson, lesson.tutor, role="tutor")
    assert [m["body"] for m in welcome["chat"]] == ["Hello! Ready when you are."]
    assert await sync_to_async(ChatMessage.objects.count)() == 1
    await student.disconnect()
    await tutor.disconnect()


async def test_only_the_tutor_ends_the_lesson(lesson: Lesson) -> None:
    student, _ = await enter(lesson)
    tutor, _ = await enter(lesson, lesson.tutor, role="tutor")
    await student.send_json_to({"type": "end_lesson"})
    assert (await next_of(student, "error"))["code"] == "not_the_tutor"
    await tutor.send_json_to({"type": "end_lesson"})
    ended = await next_of(student, "lesson")
    while ended["event"] != "ended":
        ended = await next_of(student, "lesson")
    booking = await sync_to_async(Booking.objects.get)(pk=lesson.booking.pk)
    assert booking.status == "completed"


async def test_malformed_json_gets_an_error(lesson: Lesson) -> None:
    student, _ = await enter(lesson)
    await student.send_to(text_data="{not json")
    assert (await next_of(student, "error"))["code"] == "malformed_json"
    await student.send_json_to({"type": "ping"})
    assert (await next_of(student, "pong"))["type"] == "pong"
    await student.disconnect()
