"""The tutor's dashboard: requests, upcoming lessons, students and statistics, against hand-computed fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import assert_matches_schema
from apps.dashboard.tests.conftest import NOW
from apps.dashboard.tests.factories import BookingFactory
from apps.marketplace.models import Review, TutorProfile, TutorStudent
from apps.marketplace.services.stats import tutor_rating_refresh
from apps.marketplace.tests.factories import make_tutor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BASE = "/api/v1/dashboard/tutor/"
UPCOMING = f"{BASE}upcoming/"
STUDENTS = f"{BASE}students/"
STATS = f"{BASE}stats/"


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def me() -> TutorProfile:
    """The tutor (Kyiv; now is Thursday 10 December 2026, 14:00 there)."""
    return make_tutor(user=UserFactory(tutor=True, timezone="Europe/Kyiv"))


@pytest.fixture
def me_client(make_client: Any, me: TutorProfile) -> APIClient:
    return make_client(me.user)


@pytest.fixture
def sofiia() -> Any:
    return UserFactory(student=True, first_name="Sofiia", last_name="Bondarenko", timezone="Europe/Kyiv")


@pytest.fixture
def oleh() -> Any:
    return UserFactory(student=True, first_name="Oleh", last_name="Kravchenko", timezone="America/New_York")


# --- upcoming -------------------------------------------------------------------------------------------


def test_upcoming_lists_requests_by_expiry_and_lessons_by_start(
    me: TutorProfile, me_client: APIClient, sofiia: Any, oleh: Any
) -> None:
    first = BookingFactory(
        tutor=me,
        student=sofiia,
        start=NOW + timedelta(days=3),
        expires_at=NOW + timedelta(hours=2, minutes=30),
        message="Fractions, please",
        requested_at=NOW - timedelta(hours=21, minutes=30),
    )
    second = BookingFactory(tutor=me, student=oleh, start=NOW + timedelta(days=1), expires_at=NOW + timedelta(hours=20))
    BookingFactory(tutor=me, student=oleh, start=NOW + timedelta(days=2), expires_at=NOW)  # lapsed
    live = BookingFactory(
        tutor=me, student=oleh, confirmed=True, start=NOW - timedelta(minutes=20), session__status="live"
    )
    upcoming = BookingFactory(
        tutor=me, student=sofiia, confirmed=True, start=NOW + timedelta(hours=5), duration_minutes=50, price="16.67"
    )
    BookingFactory(tutor=me, student=sofiia, completed=True, start=NOW - timedelta(days=1))
    BookingFactory(tutor=me, student=sofiia, cancelled=True, start=NOW + timedelta(days=4))
    BookingFactory(confirmed=True, start=NOW + timedelta(hours=1))  # another tutor's
    BookingFactory(start=NOW + timedelta(hours=1), expires_at=NOW + timedelta(minutes=30))  # another tutor's

    response = me_client.get(UPCOMING)

    assert response.status_code == 200
    body = response.json()
    requests, lessons = body["requests"], body["lessons"]
    assert requests["count"] == 2 and [r["booking_id"] for r in requests["results"]] == [first.pk, second.pk]
    request = requests["results"][0]
    assert request["expires_in_seconds"] == 9000 and request["expires_at"] == "2026-12-10T14:30:00Z"
    assert request["requested_at"] == "2026-12-09T14:30:00Z" and request["message"] == "Fractions, please"
    assert request["student"] == {"id": sofiia.pk, "display_name": "Sofiia B."}
    assert request["can_join"] is False and request["session_id"] is None
    assert lessons["count"] == 2 and [r["booking_id"] for r in lessons["results"]] == [live.pk, upcoming.pk]
    assert [r["can_join"] for r in lessons["results"]] == [True, False]
    assert lessons["results"][1]["price"] == "16.67" and lessons["results"][1]["currency"] == "EUR"
    assert lessons["results"][1]["end"] == "2026-12-10T17:50:00Z"
    assert_matches_schema(response, path=UPCOMING)

    limited = me_client.get(UPCOMING, {"limit": 1}).json()
    assert limited["requests"]["count"] == 2 and len(limited["requests"]["results"]) == 1
    assert limited["lessons"]["count"] == 2 and len(limited["lessons"]["results"]) == 1


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_bad_limits_are_400(me_client: APIClient, limit: str) -> None:
    response = me_client.get(UPCOMING, {"limit": limit})
    assert response.status_code == 400 and "limit" in response.json()["extra"]["fields"]
    assert_matches_schema(response, path=UPCOMING)


# --- students -------------------------------------------------------------------------------------------


def test_students_with_lessons_taken_last_and_next(
    me: TutorProfile, me_client: APIClient, make_client: Any, sofiia: Any, oleh: Any
) -> None:
    quiet = UserFactory(student=True, first_name="Anna", last_name="Nowak")
    for student, since, assigned in (
        (sofiia, utc(9, 1, 9), True),
        (oleh, utc(10, 1, 9), False),
        (quiet, utc(10, 5, 9), True),
    ):
        TutorStudent.objects.create(tutor=me, student=student, first_confirmed_at=since, is_assigned=assigned)
    for day in (2, 9, 16):
        BookingFactory(tutor=me, student=sofiia, completed=True, start=utc(11, day, 15))
    BookingFactory(tutor=me, student=sofiia, no_show=True, start=utc(11, 23, 15), session__student_absent=True)
    BookingFactory(tutor=me, student=sofiia, confirmed=True, start=utc(12, 14, 15))
    BookingFactory(tutor=me, student=sofiia, confirmed=True, start=utc(12, 21, 15))
    BookingFactory(tutor=me, student=oleh, completed=True, start=utc(12, 1, 15))
    BookingFactory(tutor=me, student=oleh, confirmed=True, start=utc(12, 11, 15))
    BookingFactory(tutor=me, student=oleh, start=utc(12, 10, 16), expires_at=utc(12, 10, 15))  # a request
    BookingFactory(student=oleh, completed=True, start=utc(11, 3, 15))  # with another tutor
    BookingFactory(  # Anna's one lesson was confirmed, then cancelled
        tutor=me, student=quiet, cancelled=True, confirmed_at=utc(10, 5, 9), start=utc(10, 20, 15)
    )
    stranger = UserFactory(student=True)
    BookingFactory(tutor=me, student=stranger, start=utc(12, 15, 15))  # only requested: not a student yet

    response = me_client.get(STUDENTS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["results"] == [
        {
            "id": oleh.pk,
            "display_name": "Oleh K.",
            "timezone": "America/New_York",
            "is_assigned": False,
            "since": "2026-10-01T09:00:00Z",
            "lessons_taken": 1,
            "last_lesson_at": "2026-12-01T15:00:00Z",
            "next_lesson_at": "2026-12-11T15:00:00Z",
        },
        {
            "id": sofiia.pk,
            "display_name": "Sofiia B.",
            "timezone": "Europe/Kyiv",
            "is_assigned": True,
            "since": "2026-09-01T09:00:00Z",
            "lessons_taken": 3,
            "last_lesson_at": "2026-11-16T15:00:00Z",
            "next_lesson_at": "2026-12-14T15:00:00Z",
        },
        {
            "id": quiet.pk,
            "display_name": "Anna N.",
            "timezone": "Europe/Kyiv",
            "is_assigned": True,
            "since": "2026-10-05T09:00:00Z",
            "lessons_taken": 0,
            "last_lesson_at": None,
            "next_lesson_at": None,
        },
    ]
    assert_matches_schema(response, path=STUDENTS)
    assert make_client(make_tutor().user).get(STUDENTS).json()["count"] == 0  # another tutor's view


def test_students_paginate(me: TutorProfile, me_client: APIClient) -> None:
    for day in range(1, 4):
        student = UserFactory(student=True)
        TutorStudent.objects.create(tutor=me, student=student, first_confirmed_at=utc(10, day, 9))
        BookingFactory(tutor=me, student=student, completed=True, start=utc(11, day, 15))
    body = me_client.get(STUDENTS, {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"] is not None
    assert me_client.get(STUDENTS, {"page": 3, "page_size": 2}).status_code == 404


# --- statistics -----------------------------------------------------------------------------------------


@pytest.fixture
def history(me: TutorProfile, sofiia: Any, oleh: Any) -> TutorProfile:
    """Twenty requests to the Kyiv tutor; the comments give the delay to the tutor's answer."""

    def lesson(student: Any, asked: datetime, answer: timedelta | None = None, **fields: Any) -> Any:
        if answer is not None and "declined" not in fields and "cancelled_at" not in fields:
            fields["confirmed_at"] = asked + answer
        return BookingFactory(tutor=me, student=student, requested_at=asked, **fields)

    s, o = sofiia, oleh
    s1 = lesson(s, utc(10, 30, 10), timedelta(minutes=60), completed=True, start=utc(11, 2, 15))
    s2 = lesson(
        s,
        utc(11, 5, 10),
        timedelta(minutes=30),
        completed=True,
        start=utc(11, 9, 15),
        duration_minutes=50,
        price="16.67",
    )
    lesson(
        s, utc(11, 12, 10), timedelta(minutes=120), no_show=True, start=utc(11, 16, 15), session__student_absent=True
    )
    lesson(s, utc(11, 20, 10), timedelta(minutes=10), cancelled=True, start=utc(11, 25, 15), late_cancellation=True)
    lesson(s, utc(11, 21, 10), timedelta(minutes=240), cancelled=True, start=utc(11, 26, 15))
    lesson(s, utc(11, 22, 10), declined=True, declined_at=utc(11, 22, 13), start=utc(11, 28, 15))  # 180
    lesson(s, utc(11, 23, 10), expired=True, start=utc(11, 29, 15))
    lesson(s, utc(12, 9, 10), timedelta(minutes=20), confirmed=True, start=utc(12, 11, 15))
    lesson(s, utc(12, 9, 11), start=utc(12, 13, 15), expires_at=utc(12, 10, 11))  # lapsed: counts as expired
    lesson(s, utc(12, 1, 10), timedelta(minutes=5), completed=True, start=utc(12, 8, 15))
    lesson(
        s,
        utc(11, 25, 9),
        timedelta(minutes=45),
        completed=True,
        start=utc(11, 30, 15),
        duration_minutes=30,
        price="10.00",
    )
    o1 = lesson(o, utc(10, 28, 10), timedelta(minutes=480), completed=True, start=utc(11, 3, 15))
    lesson(o, utc(12, 2, 10), timedelta(minutes=40), confirmed=True, start=utc(12, 11, 17))
    lesson(
        o, utc(10, 29, 10), timedelta(minutes=15), completed=True, start=utc(11, 4, 15), price="25.00", currency="USD"
    )
    lesson(o, utc(12, 10, 9), start=utc(12, 14, 15), expires_at=utc(12, 11, 9))  # pending
    lesson(  # cancelled by the tutor before answering: a refusal, 30 minutes
        o,
        utc(12, 10, 8),
        start=utc(12, 15, 15),
        status="cancelled",
        cancelled_at=utc(12, 10, 8, 30),
        cancelled_by_role="tutor",
    )
    lesson(  # withdrawn by the student before an answer
        o,
        utc(12, 10, 7),
        start=utc(12, 16, 15),
        status="cancelled",
        cancelled_at=utc(12, 10, 7, 30),
        cancelled_by_role="student",
    )
    lesson(
        o,
        utc(11, 30, 10),
        timedelta(minutes=50),
        cancelled=True,
        start=utc(12, 3, 15),
        cancelled_by_role="tutor",
        late_cancellation=True,
    )
    lesson(o, utc(11, 15, 10), timedelta(minutes=1), completed=True, start=utc(11, 20, 15))
    lesson(
        o,
        utc(11, 14, 10),
        timedelta(minutes=2),
        no_show=True,
        start=utc(11, 18, 15),
        session__student_absent=True,
        session__tutor_absent=True,
    )
    BookingFactory(student=s, completed=True, start=utc(11, 10, 15))  # with another tutor
    for booking, rating, written in ((s1, 5, utc(11, 3, 9)), (s2, 2, utc(12, 9, 9)), (o1, 3, utc(11, 4, 9))):
        Review.objects.create(
            booking=booking, tutor=me, student=booking.student, rating=rating, created_at=written, updated_at=written
        )
    tutor_rating_refresh(tutor_id=me.pk)
    return me


def test_tutor_stats_of_all_time(history: TutorProfile, me_client: APIClient) -> None:
    response = me_client.get(STATS)

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"name": "all", "timezone": "Europe/Kyiv", "from": None, "to": None}
    assert body["lessons_taught"] == 7
    assert body["hours_taught"] == "6.33"  # 60 + 50 + 60 + 30 + 60 + 60 + 60 minutes
    assert body["upcoming_lessons"] == 3  # two confirmed lessons and one request not lapsed
    assert body["earnings"] == [
        {"currency": "EUR", "amount": "106.67", "lessons": 6},
        {"currency": "USD", "amount": "25.00", "lessons": 1},
    ]
    assert body["active_students"] == 2  # completed lessons since 10 November 12:00Z
    assert body["rating"] == {"average": "3.33", "count": 3, "period_average": "3.33", "period_count": 3}
    assert body["requests"] == {
        "received": 20,
        "confirmed": 14,
        "declined": 2,
        "expired": 2,
        "withdrawn": 1,
        "pending": 1,
        "confirmation_rate": "0.778",  # 14 / 18
        # 16 answers: 1 2 5 10 15 20 30 30 | 40 45 50 60 120 180 240 480 minutes; (30 + 40) / 2
        "median_response_seconds": 35 * 60,
    }
    assert body["cancellations"] == {"by_student": 3, "by_student_late": 1, "by_tutor": 2, "by_tutor_late": 1}
    assert body["no_shows"] == {"student_absent": 2, "tutor_absent": 1}
    assert {w["week_start"]: (w["lessons"], w["hours"]) for w in body["lessons_per_week"] if w["lessons"]} == {
        "2026-11-02": (3, "3.00"),
        "2026-11-09": (1, "0.83"),
        "2026-11-16": (1, "1.00"),
        "2026-11-30": (1, "0.50"),
        "2026-12-07": (1, "1.00"),
    }
    assert_matches_schema(response, path=STATS)


def test_tutor_stats_of_the_current_month(history: TutorProfile, me_client: APIClient) -> None:
    """December in Kyiv starts at 30 November 22:00Z: the lesson at 17:00 Kyiv on 30 November is out."""
    response = me_client.get(STATS, {"period": "month"})

    body = response.json()
    assert body["period"] == {"name": "month", "timezone": "Europe/Kyiv", "from": "2026-12-01", "to": "2026-12-31"}
    assert body["lessons_taught"] == 1 and body["hours_taught"] == "1.00"
    assert body["earnings"] == [{"currency": "EUR", "amount": "20.00", "lessons": 1}]
    assert body["upcoming_lessons"] == 3
    assert body["active_students"] == 2
    assert body["rating"] == {"average": "3.33", "count": 3, "period_average": "2.00", "period_count": 1}
    assert body["requests"] == {
        "received": 7,
        "confirmed": 3,
        "declined": 1,
        "expired": 1,
        "withdrawn": 1,
        "pending": 1,
        "confirmation_rate": "0.600",
        "median_response_seconds": 25 * 60,  # 5 20 | 30 40 minutes
    }
    assert body["cancellations"] == {"by_student": 1, "by_student_late": 0, "by_tutor": 2, "by_tutor_late": 1}
    assert body["no_shows"] == {"student_absent": 0, "tutor_absent": 0}
    assert_matches_schema(response, path=STATS)


def test_median_of_an_odd_number_of_answers(history: TutorProfile, me_client: APIClient) -> None:
    """Requests made in November in Kyiv (31 October 22:00Z to 30 November 22:00Z): nine answered, one
    expired; the answers took 1 2 10 30 | 45 | 50 120 180 240 minutes."""
    body = me_client.get(STATS, {"from": "2026-11-01", "to": "2026-11-30"}).json()
    assert body["requests"]["received"] == 10
    assert body["requests"]["median_response_seconds"] == 45 * 60
    assert body["requests"]["confirmation_rate"] == "0.800"  # 8 / (8 + 1 + 1)


def test_a_tutor_without_a_profile_or_lessons_has_zeros(make_client: Any) -> None:
    response = make_client(UserFactory(tutor=True)).get(STATS)
    body = response.json()
    assert body["lessons_taught"] == 0 and body["earnings"] == [] and body["active_students"] == 0
    assert body["rating"] == {"average": None, "count": 0, "period_average": None, "period_count": 0}
    assert body["requests"]["confirmation_rate"] is None and body["requests"]["median_response_seconds"] is None
    assert_matches_schema(response, path=STATS)


def test_tutor_dashboard_holds_everything(history: TutorProfile, me_client: APIClient, sofiia: Any, oleh: Any) -> None:
    TutorStudent.objects.create(tutor=history, student=sofiia, first_confirmed_at=utc(10, 30, 11), is_assigned=True)
    TutorStudent.objects.create(tutor=history, student=oleh, first_confirmed_at=utc(10, 28, 18))

    response = me_client.get(BASE, {"period": "year"})

    assert response.status_code == 200
    body = response.json()
    assert body["upcoming"]["requests"]["count"] == 1 and body["upcoming"]["lessons"]["count"] == 2
    assert [row["id"] for row in body["students"]["results"]] == [sofiia.pk, oleh.pk]  # next lessons 15:00, 17:00
    assert body["students"]["count"] == 2
    assert body["stats"]["period"] == {
        "name": "year",
        "timezone": "Europe/Kyiv",
        "from": "2026-01-01",
        "to": "2026-12-31",
    }
    assert body["stats"]["lessons_taught"] == 7
    assert_matches_schema(response, path=BASE)
    assert Decimal(body["stats"]["earnings"][0]["amount"]) == Decimal("106.67")
