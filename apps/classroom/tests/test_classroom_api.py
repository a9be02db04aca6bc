"""Classroom over HTTP: created once on confirm, entered through the booking, the board and chat after."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from PIL import Image
from pycrdt import Doc, Map
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking
from apps.booking.services import booking_cancel, booking_confirm, booking_create
from apps.booking.tests.factories import make_bookable_tutor
from apps.classroom.models import BoardSnapshot, BoardUpdate, ClassroomSession, Material
from apps.classroom.selectors.board import board_json
from apps.classroom.services.board import board_append
from apps.classroom.services.sessions import classroom_participant_join, classroom_sessions_finish_due
from apps.classroom.tasks import compact_board
from apps.classroom.tests.factories import Lesson, make_lesson
from apps.classroom.tokens import ClassroomTokenService
from apps.core.testing import assert_matches_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson() -> Lesson:
    return make_lesson()


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def classroom_url(lesson: Lesson) -> str:
    return f"/api/v1/booking/bookings/{lesson.booking.pk}/classroom/"


# --- one session per confirmed lesson ---------------------------------------------------------------


def test_confirming_creates_exactly_one_classroom_and_cancelling_closes_it() -> None:
    tutor = make_bookable_tutor(min_notice_minutes=0)
    student = UserFactory()
    start = (timezone.now() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    start = start.replace(hour=8)  # 10:00 or 11:00 in Kyiv
    booking = booking_create(student=student, tutor_id=tutor.pk, start=start, duration_minutes=50)
    assert not ClassroomSession.objects.exists()  # a pending request has no classroom
    booking_confirm(booking_id=booking.pk, tutor=tutor.user)
    booking_confirm(booking_id=booking.pk, tutor=tutor.user)
    assert ClassroomSession.objects.filter(booking=booking).count() == 1
    booking_cancel(booking_id=booking.pk, user=student)
    assert ClassroomSession.objects.get(booking=booking).status == "cancelled"


def test_booking_responses_carry_the_classroom(lesson: Lesson) -> None:
    body = client_for(lesson.student).get(f"/api/v1/booking/bookings/{lesson.booking.pk}/").json()
    assert body["classroom_session_id"] == lesson.session.pk
    assert body["can_join_classroom"] is True


# --- entering ---------------------------------------------------------------------------------------


def test_participants_get_a_join_token_inside_the_window(lesson: Lesson) -> None:
    response = client_for(lesson.student).get(classroom_url(lesson))
    assert response.status_code == 200
    body = response.json()
    assert body["session_id"] == lesson.session.pk and body["status"] == "scheduled"
    assert body["ws"] == {
        "board": f"/ws/classroom/{lesson.session.pk}/board",
        "room": f"/ws/classroom/{lesson.session.pk}/",
    }
    assert body["url"].endswith(f"/classroom/{lesson.session.pk}/")
    assert body["ice_servers"][0]["urls"]
    claims = ClassroomTokenService.verify(body["token"])
    assert (claims.user_id, claims.session_id, claims.role) == (lesson.student.pk, lesson.session.pk, "student")
    assert_matches_schema(response, path="/api/v1/booking/bookings/{booking_id}/classroom/")
    tutor_body = client_for(lesson.tutor).get(classroom_url(lesson)).json()
    assert ClassroomTokenService.verify(tutor_body["token"]).role == "tutor"


def test_no_token_outside_the_window() -> None:
    later = make_lesson(starts_in=timedelta(hours=3))
    body = client_for(later.student).get(classroom_url(later)).json()
    assert body["token"] is None and body["ice_servers"] == []
    with time_machine.travel(later.booking.start - timedelta(minutes=14)):
        assert client_for(later.student).get(classroom_url(later)).json()["token"] is not None
    with time_machine.travel(later.booking.end + timedelta(minutes=1)):
        assert client_for(later.student).get(classroom_url(later)).json()["token"] is None


def test_others_never_see_a_classroom(lesson: Lesson) -> None:
    stranger = client_for(UserFactory())
    assert stranger.get(classroom_url(lesson)).status_code == 404
    assert stranger.get(f"/api/v1/classroom/sessions/{lesson.session.pk}/").status_code == 404
    assert stranger.get(f"/api/v1/classroom/sessions/{lesson.session.pk}/board/").status_code == 404
    assert stranger.get(f"/api/v1/classroom/sessions/{lesson.session.pk}/chat/").status_code == 404


def test_classroom_tokens_are_refused_by_the_rest_api(lesson: Lesson) -> None:
    token = client_for(lesson.student).get(classroom_url(lesson)).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_turn_credentials_when_configured(lesson: Lesson, settings: Any) -> None:
    settings.CLASSROOM_TURN_URLS = ["turn:turn.example:3478"]
    settings.CLASSROOM_TURN_SECRET = "shared-secret"
    servers = client_for(lesson.student).get(classroom_url(lesson)).json()["ice_servers"]
    turn = servers[-1]
    expiry, user = turn["username"].split(":")
    assert user == str(lesson.student.pk) and int(expiry) == int(lesson.booking.end.timestamp())
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"shared-secret", turn["username"].encode(), hashlib.sha1).digest()).decode()
    assert turn["credential"] == expected


# --- finishing --------------------------------------------------------------------------------------


def test_both_attended_completes_the_booking(lesson: Lesson) -> None:
    with time_machine.travel(lesson.booking.start):
        classroom_participant_join(session_id=lesson.session.pk, user_id=lesson.tutor.pk)
        classroom_participant_join(session_id=lesson.session.pk, user_id=lesson.student.pk)
    with time_machine.travel(lesson.booking.end + timedelta(minutes=11)):
        assert classroom_sessions_finish_due() == 1
    lesson.booking.refresh_from_db()
    assert lesson.booking.status == "completed"
    assert BoardSnapshot.objects.filter(session=lesson.session).exists() is False  # nothing was drawn
    body = client_for(lesson.student).get(f"/api/v1/classroom/sessions/{lesson.session.pk}/").json()
    assert body["status"] == "completed" and not body["student_no_show"] and len(body["attendance"]) == 2


def test_a_side_that_never_joins_is_a_no_show(lesson: Lesson) -> None:
    with time_machine.travel(lesson.booking.start + timedelta(minutes=2)):
        classroom_participant_join(session_id=lesson.session.pk, user_id=lesson.tutor.pk)
    with time_machine.travel(lesson.booking.start + timedelta(minutes=20)):  # too late to count
        classroom_participant_join(session_id=lesson.session.pk, user_id=lesson.student.pk)
    with time_machine.travel(lesson.booking.end + timedelta(minutes=11)):
        classroom_sessions_finish_due()
    session = ClassroomSession.objects.get(pk=lesson.session.pk)
    assert (session.student_no_show, session.tutor_no_show) == (True, False)
    assert Booking.objects.get(pk=lesson.booking.pk).status == "no_show"


def test_joining_before_the_window_is_refused() -> None:
    later = make_lesson(starts_in=timedelta(hours=3))
    from apps.core.exceptions import ConflictError

    with pytest.raises(ConflictError):
        classroom_participant_join(session_id=later.session.pk, user_id=later.student.pk)


# --- after the lesson -------------------------------------------------------------------------------


def test_finishing_a_lesson_compacts_its_board_on_a_worker_after_commit(
    lesson: Lesson, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board is folded into its snapshot by a background task queued once the lesson's transaction
    has committed: not while the session and booking rows are locked, nor in the process that ended the
    lesson (which may be the socket server)."""
    doc: Doc = Doc()
    doc.get("elements", type=Map)["s1"] = Map({"type": "stroke", "page": "p1", "points": [0, 0, 5, 5]})
    board_append(updates={lesson.session.pk: doc.get_update()})
    with (
        time_machine.travel(lesson.booking.end + timedelta(minutes=11)),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        classroom_sessions_finish_due()
    assert BoardUpdate.objects.filter(session=lesson.session).count() == 1
    queued: list[int] = []
    monkeypatch.setattr(compact_board, "delay", queued.append)
    for callback in callbacks:  # what runs once the lesson's transaction has committed
        callback()
    assert queued == [lesson.session.pk]
    assert BoardUpdate.objects.filter(session=lesson.session).count() == 1  # not folded in this process
    compact_board(*queued)  # the worker
    assert BoardUpdate.objects.filter(session=lesson.session).count() == 0
    assert BoardSnapshot.objects.filter(session=lesson.session).exists()
    assert board_json(session_id=lesson.session.pk)["elements"]["s1"]["points"] == [0, 0, 5, 5]


def test_the_board_can_be_read_as_json(lesson: Lesson) -> None:
    doc: Doc = Doc()
    doc.get("elements", type=Map)["f1"] = Map({"type": "formula", "latex": "e^{i\\pi}+1=0", "page": "p1"})
    board_append(updates={lesson.session.pk: doc.get_update()})
    response = client_for(lesson.student).get(f"/api/v1/classroom/sessions/{lesson.session.pk}/board/")
    assert response.status_code == 200
    assert response.json()["elements"]["f1"]["latex"] == "e^{i\\pi}+1=0"
    assert_matches_schema(response, path="/api/v1/classroom/sessions/{session_id}/board/")


# --- materials --------------------------------------------------------------------------------------


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(pages: int) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", (200, 280), "white") for _ in range(pages)]
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def upload(client: APIClient, lesson: Lesson, name: str, content: bytes) -> Any:
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"/api/v1/classroom/sessions/{lesson.session.pk}/materials/", {"file": file}, format="multipart")


def test_the_tutor_uploads_an_image(lesson: Lesson, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = upload(client_for(lesson.tutor), lesson, "graph.png", png_bytes())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "ready" and body["pages"][0]["width"] == 40
    page = client_for(lesson.student).get(body["pages"][0]["url"])
    assert page.status_code == 200 and b"".join(page.streaming_content).startswith(b"\x89PNG")
    assert client_for(UserFactory()).get(body["pages"][0]["url"]).status_code == 404


def test_a_page_is_served_as_its_image_type_whatever_the_uploaded_name(
    lesson: Lesson, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    payload = png_bytes() + b"<script>alert(document.cookie)</script>"  # a valid PNG with HTML after it
    response = upload(client_for(lesson.tutor), lesson, "innocent.html", payload)
    assert response.status_code == 201, response.json()
    page = client_for(lesson.student).get(response.json()["pages"][0]["url"])
    assert page.status_code == 200
    assert page["Content-Type"] == "image/png"
    assert page["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db(transaction=True)
def test_a_pdf_is_rendered_to_pages(reference_data: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    lesson = make_lesson()
    response = upload(client_for(lesson.tutor), lesson, "worksheet.pdf", pdf_bytes(3))
    assert response.status_code == 201
    material = Material.objects.get(pk=response.json()["id"])
    assert material.status == "ready"
    listing = client_for(lesson.student).get(f"/api/v1/classroom/sessions/{lesson.session.pk}/materials/").json()
    assert [p["number"] for p in listing[0]["pages"]] == [1, 2, 3]


def test_material_rules(lesson: Lesson, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert upload(client_for(lesson.student), lesson, "a.png", png_bytes()).status_code == 403
    assert upload(client_for(UserFactory()), lesson, "a.png", png_bytes()).status_code == 404
    bad = upload(client_for(lesson.tutor), lesson, "notes.txt", b"just text")
    assert bad.status_code == 400 and bad.json()["code"] == "unsupported_type"
    settings.CLASSROOM_MATERIAL_MAX_BYTES = 10
    big = upload(client_for(lesson.tutor), lesson, "a.png", png_bytes())
    assert big.status_code == 400 and big.json()["code"] == "file_too_large"


def test_live_lessons_are_told_when_five_minutes_are_left(
    lesson: Lesson, django_capture_on_commit_callbacks: Any
) -> None:
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    from apps.classroom.realtime.events import room_group
    from apps.classroom.services.sessions import classroom_five_minute_warnings

    with time_machine.travel(lesson.booking.start):
        classroom_participant_join(session_id=lesson.session.pk, user_id=lesson.student.pk)

    def warn_twice() -> list[int]:
        with (
            time_machine.travel(lesson.booking.end - timedelta(minutes=4)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return [classroom_five_minute_warnings(), classroom_five_minute_warnings()]

    async def scenario() -> tuple[list[int], str]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(room_group(lesson.session.pk), channel)
        counts = await sync_to_async(warn_twice)()
        message = await asyncio.wait_for(layer.receive(channel), 2)
        return counts, str(message["event"])

    assert async_to_sync(scenario)() == ([1, 0], "five_minutes_left")  # sent once
