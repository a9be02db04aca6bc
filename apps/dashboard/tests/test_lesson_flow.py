"""The dashboards follow a lesson through the real services: request, confirm, classroom, completion, no-show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from apps.booking.services import booking_confirm, booking_create
from apps.booking.tests.factories import make_bookable_tutor
from apps.classroom.services.sessions import classroom_participant_join, classroom_sessions_finish_due
from apps.dashboard.tests.conftest import NOW
from apps.marketplace.models import TutorProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
# Friday 11 December 2026, 09:00Z = 11:00 in Kyiv, inside the tutor's weekday hours 09:00-18:00.
FRIDAY = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
MONDAY = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def teacher() -> TutorProfile:
    return make_bookable_tutor()


@pytest.fixture
def teacher_client(make_client: Any, teacher: TutorProfile) -> APIClient:
    return make_client(teacher.user)


def test_a_lesson_from_request_to_completion(
    student: Any,
    student_client: APIClient,
    teacher: TutorProfile,
    teacher_client: APIClient,
    frozen: time_machine.Coordinates,
) -> None:
    booking = booking_create(student=student, tutor_id=teacher.pk, start=FRIDAY, duration_minutes=50)

    request = teacher_client.get("/api/v1/dashboard/tutor/upcoming/").json()["requests"]["results"][0]
    assert request["booking_id"] == booking.pk
    assert request["expires_in_seconds"] == 21 * 3600  # lapses at the start, before 24 hours have passed
    assert student_client.get("/api/v1/dashboard/student/teacher/").status_code == 204
    pending = student_client.get("/api/v1/dashboard/student/active-lessons/").json()["results"][0]
    assert pending["status"] == "pending" and pending["session_id"] is None

    frozen.move_to(NOW + timedelta(minutes=30))
    booking_confirm(booking_id=booking.pk, tutor=teacher.user)

    lesson = student_client.get("/api/v1/dashboard/student/active-lessons/").json()["results"][0]
    assert lesson["status"] == "confirmed" and lesson["session_id"] == booking.classroom_session.pk
    assert lesson["can_join"] is False
    teacher_card = student_client.get("/api/v1/dashboard/student/teacher/")
    assert teacher_card.status_code == 200 and teacher_card.json()["id"] == teacher.pk  # assigned on confirm
    upcoming = teacher_client.get("/api/v1/dashboard/tutor/upcoming/").json()
    assert upcoming["requests"]["count"] == 0 and upcoming["lessons"]["results"][0]["booking_id"] == booking.pk

    frozen.move_to(FRIDAY - timedelta(minutes=15))
    assert student_client.get("/api/v1/dashboard/student/active-lessons/").json()["results"][0]["can_join"] is True
    assert teacher_client.get("/api/v1/dashboard/tutor/upcoming/").json()["lessons"]["results"][0]["can_join"] is True
    classroom_participant_join(session_id=lesson["session_id"], user_id=teacher.pk)
    classroom_participant_join(session_id=lesson["session_id"], user_id=student.pk)
    live = student_client.get("/api/v1/dashboard/student/").json()["active_lessons"]["results"][0]
    assert live["session_status"] == "live"

    frozen.move_to(FRIDAY + timedelta(minutes=60))
    assert classroom_sessions_finish_due() == 1

    student_stats = student_client.get("/api/v1/dashboard/student/stats/").json()
    assert student_stats["lessons_completed"] == 1 and student_stats["hours_learned"] == "0.83"
    assert student_stats["attendance_rate"] == "1.000" and student_stats["upcoming_lessons"] == 0
    tutor_stats = teacher_client.get("/api/v1/dashboard/tutor/stats/").json()
    assert tutor_stats["lessons_taught"] == 1
    assert tutor_stats["earnings"] == [{"currency": "EUR", "amount": "16.67", "lessons": 1}]
    assert tutor_stats["requests"]["confirmation_rate"] == "1.000"
    assert tutor_stats["requests"]["median_response_seconds"] == 30 * 60
    student_row = teacher_client.get("/api/v1/dashboard/tutor/students/").json()["results"][0]
    assert student_row["id"] == student.pk and student_row["lessons_taken"] == 1 and student_row["is_assigned"]


def test_a_student_who_never_joins_is_absent(
    student: Any,
    student_client: APIClient,
    teacher: TutorProfile,
    teacher_client: APIClient,
    frozen: time_machine.Coordinates,
) -> None:
    booking = booking_create(student=student, tutor_id=teacher.pk, start=MONDAY, duration_minutes=50)
    booking_confirm(booking_id=booking.pk, tutor=teacher.user)
    frozen.move_to(MONDAY - timedelta(minutes=5))
    classroom_participant_join(session_id=booking.classroom_session.pk, user_id=teacher.pk)
    frozen.move_to(MONDAY + timedelta(minutes=60))
    classroom_sessions_finish_due()

    student_stats = student_client.get("/api/v1/dashboard/student/stats/").json()
    assert student_stats["no_shows"] == {"student_absent": 1, "tutor_absent": 0}
    assert student_stats["lessons_completed"] == 0 and student_stats["attendance_rate"] == "0.000"
    tutor_stats = teacher_client.get("/api/v1/dashboard/tutor/stats/").json()
    assert tutor_stats["no_shows"] == {"student_absent": 1, "tutor_absent": 0} and tutor_stats["lessons_taught"] == 0
