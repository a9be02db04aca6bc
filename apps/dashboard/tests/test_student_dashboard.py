"""The student's dashboard: active lessons, the assigned tutor and statistics, against hand-computed fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import assert_matches_schema
from apps.dashboard.tests.conftest import NOW
from apps.dashboard.tests.factories import BookingFactory
from apps.marketplace.models import TutorProfile, TutorStatus, TutorStudent
from apps.marketplace.tests.factories import make_tutor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BASE = "/api/v1/dashboard/student/"
ACTIVE = f"{BASE}active-lessons/"
TEACHER = f"{BASE}teacher/"
STATS = f"{BASE}stats/"


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def tutor_one() -> TutorProfile:
    return make_tutor(user=UserFactory(tutor=True, first_name="Oksana", last_name="Melnyk"))


@pytest.fixture
def tutor_two() -> TutorProfile:
    return make_tutor(user=UserFactory(tutor=True, first_name="James", last_name="Walker"))


# --- active lessons -----------------------------------------------------------------------------------


def test_active_lessons_are_pending_and_confirmed_lessons_not_ended(
    student: Any, student_client: APIClient, tutor_one: TutorProfile
) -> None:
    """Live and upcoming lessons, soonest first; ended, lapsed, cancelled and declined ones are not listed."""
    live = BookingFactory(
        student=student,
        tutor=tutor_one,
        confirmed=True,
        start=NOW - timedelta(minutes=20),
        duration_minutes=25,
        session__status="live",
    )
    soon = BookingFactory(
        student=student, tutor=tutor_one, confirmed=True, start=NOW + timedelta(minutes=10), duration_minutes=25
    )
    later = BookingFactory(student=student, tutor=tutor_one, confirmed=True, start=NOW + timedelta(minutes=40))
    requested = BookingFactory(
        student=student, tutor=tutor_one, start=NOW + timedelta(days=2), expires_at=NOW + timedelta(hours=5)
    )
    BookingFactory(student=student, tutor=tutor_one, confirmed=True, start=NOW - timedelta(hours=2))  # ended
    BookingFactory(  # lapsed, not yet marked expired by the job
        student=student, tutor=tutor_one, start=NOW + timedelta(days=3), expires_at=NOW - timedelta(seconds=1)
    )
    BookingFactory(student=student, tutor=tutor_one, cancelled=True, start=NOW + timedelta(days=4))
    BookingFactory(student=student, tutor=tutor_one, declined=True, start=NOW + timedelta(days=5))
    BookingFactory(tutor=tutor_one, confirmed=True, start=NOW + timedelta(hours=3))  # another student's

    response = student_client.get(ACTIVE)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    rows = body["results"]
    assert [row["booking_id"] for row in rows] == [live.pk, soon.pk, later.pk, requested.pk]
    assert [row["can_join"] for row in rows] == [True, True, False, False]
    assert [row["status"] for row in rows] == ["confirmed", "confirmed", "confirmed", "pending"]
    assert rows[0]["session_status"] == "live" and rows[0]["session_id"] == live.classroom_session.pk
    assert rows[3]["session_id"] is None and rows[3]["session_status"] is None
    assert rows[3]["expires_at"] == "2026-12-10T17:00:00Z" and rows[1]["expires_at"] is None
    assert rows[1]["joinable_from"] == "2026-12-10T11:55:00Z"
    assert rows[1]["start"] == "2026-12-10T12:10:00Z" and rows[1]["end"] == "2026-12-10T12:35:00Z"
    assert rows[1]["tutor"] == {"id": tutor_one.pk, "display_name": "Oksana M."}
    assert rows[1]["subject"] is None
    assert_matches_schema(response, path=ACTIVE)


def test_can_join_opens_fifteen_minutes_before_the_start(
    student: Any, student_client: APIClient, tutor_one: TutorProfile, frozen: time_machine.Coordinates
) -> None:
    BookingFactory(student=student, tutor=tutor_one, confirmed=True, start=NOW + timedelta(minutes=30))
    assert student_client.get(ACTIVE).json()["results"][0]["can_join"] is False
    frozen.move_to(NOW + timedelta(minutes=15))
    assert student_client.get(ACTIVE).json()["results"][0]["can_join"] is True
    frozen.move_to(NOW + timedelta(minutes=90) - timedelta(seconds=1))
    assert student_client.get(ACTIVE).json()["results"][0]["can_join"] is True
    frozen.move_to(NOW + timedelta(minutes=90))
    assert student_client.get(ACTIVE).json()["count"] == 0


def test_active_lessons_paginate(student: Any, student_client: APIClient, tutor_one: TutorProfile) -> None:
    for day in range(1, 4):
        BookingFactory(student=student, tutor=tutor_one, confirmed=True, start=NOW + timedelta(days=day))
    body = student_client.get(ACTIVE, {"page_size": 2, "page": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 1 and body["previous"] is not None
    assert student_client.get(ACTIVE, {"page_size": 0}).status_code == 400


# --- assigned tutor -----------------------------------------------------------------------------------


def test_no_assigned_tutor_is_204(student_client: APIClient) -> None:
    response = student_client.get(TEACHER)
    assert response.status_code == 204 and response.content == b""


def test_the_assigned_tutor_is_the_public_card(
    student: Any, student_client: APIClient, tutor_one: TutorProfile, tutor_two: TutorProfile
) -> None:
    TutorStudent.objects.create(tutor=tutor_one, student=student, first_confirmed_at=utc(11, 1, 9), is_assigned=True)
    TutorStudent.objects.create(tutor=tutor_two, student=student, first_confirmed_at=utc(11, 5, 9))
    BookingFactory(student=student, tutor=tutor_one, completed=True, start=utc(11, 2, 15))
    BookingFactory(student=student, tutor=tutor_one, completed=True, start=utc(11, 9, 15))
    BookingFactory(student=student, tutor=tutor_one, cancelled=True, start=utc(11, 12, 15))
    BookingFactory(student=student, tutor=tutor_two, completed=True, start=utc(11, 3, 15))
    BookingFactory(tutor=tutor_one, completed=True, start=utc(11, 4, 15))  # another student's

    response = student_client.get(TEACHER)

    assert response.status_code == 200
    card = response.json()
    assert card["id"] == tutor_one.pk == tutor_one.user.pk
    assert card["display_name"] == "Oksana M."
    assert card["subjects"][0]["slug"] == "algebra"
    assert card["linked_since"] == "2026-11-01T09:00:00Z"
    assert card["lessons_together"] == 2
    assert card["bookable"] is True
    assert_matches_schema(response, path=TEACHER)


@pytest.mark.parametrize("status", [TutorStatus.SUSPENDED, TutorStatus.DRAFT])
def test_an_assigned_tutor_who_cannot_be_booked_stays_on_the_card(
    student: Any, student_client: APIClient, tutor_one: TutorProfile, status: str
) -> None:
    """A suspended or unpublished tutor is still the student's tutor, marked as not bookable, and a
    request to them is refused as the card says."""
    TutorStudent.objects.create(tutor=tutor_one, student=student, first_confirmed_at=utc(11, 1, 9), is_assigned=True)
    TutorProfile.objects.filter(pk=tutor_one.pk).update(status=status)

    response = student_client.get(TEACHER)

    assert response.status_code == 200
    assert response.json()["id"] == tutor_one.pk and response.json()["bookable"] is False
    assert_matches_schema(response, path=TEACHER)
    request = student_client.post(
        "/api/v1/booking/bookings/",
        {"tutor": tutor_one.pk, "start": "2026-12-20T10:00:00Z", "duration_minutes": 60},
        format="json",
    )
    assert request.status_code == 404 and request.json()["code"] == "tutor_not_found"


def test_a_student_changes_the_assigned_tutor(
    student: Any, student_client: APIClient, tutor_one: TutorProfile, tutor_two: TutorProfile
) -> None:
    TutorStudent.objects.create(tutor=tutor_one, student=student, first_confirmed_at=utc(11, 1, 9), is_assigned=True)
    TutorStudent.objects.create(tutor=tutor_two, student=student, first_confirmed_at=utc(11, 5, 9))

    response = student_client.put(TEACHER, {"tutor": tutor_two.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["id"] == tutor_two.pk and response.json()["lessons_together"] == 0
    assert_matches_schema(response, path=TEACHER, method="put")
    assert student_client.get(TEACHER).json()["id"] == tutor_two.pk
    assert list(TutorStudent.objects.filter(student=student, is_assigned=True).values_list("tutor_id", flat=True)) == [
        tutor_two.pk
    ]


def test_only_a_tutor_with_a_confirmed_lesson_can_be_assigned(
    student: Any, student_client: APIClient, tutor_one: TutorProfile, tutor_two: TutorProfile
) -> None:
    TutorStudent.objects.create(tutor=tutor_one, student=student, first_confirmed_at=utc(11, 1, 9), is_assigned=True)
    BookingFactory(student=student, tutor=tutor_two, start=NOW + timedelta(days=1))  # only requested
    TutorStudent.objects.create(tutor=tutor_two, student=UserFactory(), first_confirmed_at=utc(11, 1, 9))

    response = student_client.put(TEACHER, {"tutor": tutor_two.pk}, format="json")

    assert response.status_code == 404 and response.json()["code"] == "tutor_not_linked"
    assert_matches_schema(response, path=TEACHER, method="put")
    assert student_client.get(TEACHER).json()["id"] == tutor_one.pk


@pytest.mark.parametrize(
    "body, field",
    [({}, "tutor"), ({"tutor": "abc"}, "tutor"), ({"tutor": 0}, "tutor"), ({"tutor": 1, "extra": 1}, "extra")],
)
def test_bad_assigned_tutor_bodies_are_400(student_client: APIClient, body: dict[str, Any], field: str) -> None:
    response = student_client.put(TEACHER, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


# --- statistics -----------------------------------------------------------------------------------------


@pytest.fixture
def history(student: Any, tutor_one: TutorProfile, tutor_two: TutorProfile) -> Any:
    """The New York student's lessons (now is Thursday 10 December 2026, 07:00 in New York)."""
    student.timezone = "America/New_York"
    student.save(update_fields=["timezone"])
    lesson = BookingFactory
    lesson(student=student, tutor=tutor_one, completed=True, start=utc(11, 2, 15), duration_minutes=60)
    lesson(student=student, tutor=tutor_one, completed=True, start=utc(11, 9, 15), duration_minutes=50)
    lesson(student=student, tutor=tutor_two, completed=True, start=utc(11, 20, 15), duration_minutes=30)
    lesson(student=student, tutor=tutor_one, completed=True, start=utc(12, 8, 15), duration_minutes=60)
    lesson(student=student, tutor=tutor_one, no_show=True, start=utc(11, 16, 15), session__student_absent=True)
    lesson(student=student, tutor=tutor_two, no_show=True, start=utc(11, 23, 15), session__tutor_absent=True)
    lesson(student=student, tutor=tutor_one, cancelled=True, start=utc(11, 25, 15), late_cancellation=True)
    lesson(student=student, tutor=tutor_one, cancelled=True, start=utc(11, 26, 15))
    lesson(student=student, tutor=tutor_two, cancelled=True, start=utc(11, 27, 15), cancelled_by_role="tutor")
    lesson(student=student, tutor=tutor_one, declined=True, start=utc(11, 28, 15))
    lesson(student=student, tutor=tutor_one, expired=True, start=utc(11, 29, 15))
    lesson(student=student, tutor=tutor_one, confirmed=True, start=utc(12, 11, 15))
    lesson(student=student, tutor=tutor_two, start=utc(12, 12, 15), expires_at=utc(12, 11, 12))
    lesson(student=student, tutor=tutor_one, start=utc(12, 13, 15), expires_at=utc(12, 10, 11))  # lapsed
    other = UserFactory(student=True)
    lesson(student=other, tutor=tutor_one, completed=True, start=utc(11, 3, 15))
    lesson(student=other, tutor=tutor_one, no_show=True, start=utc(11, 4, 15), session__student_absent=True)
    lesson(student=other, tutor=tutor_one, confirmed=True, start=utc(12, 11, 17))
    return student


def weeks(body: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {
        week["week_start"]: (week["lessons"], week["hours"]) for week in body["lessons_per_week"] if week["lessons"]
    }


def test_student_stats_of_all_time(history: Any, student_client: APIClient) -> None:
    response = student_client.get(STATS)

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"name": "all", "timezone": "America/New_York", "from": None, "to": None}
    assert body["lessons_completed"] == 4
    assert body["hours_learned"] == "3.33"  # 60 + 50 + 30 + 60 minutes
    assert body["upcoming_lessons"] == 2  # the confirmed lesson and the request not lapsed
    assert body["cancellations"] == {"by_student": 2, "by_student_late": 1, "by_tutor": 1, "by_tutor_late": 0}
    assert body["no_shows"] == {"student_absent": 1, "tutor_absent": 1}
    assert body["attendance_rate"] == "0.800"  # 4 / (4 + 1): the tutor's absence does not count
    assert body["tutors_studied_with"] == 2
    assert len(body["lessons_per_week"]) == 12
    assert body["lessons_per_week"][0]["week_start"] == "2026-09-21"
    assert body["lessons_per_week"][-1]["week_start"] == "2026-12-07"
    assert weeks(body) == {
        "2026-11-02": (1, "1.00"),
        "2026-11-09": (1, "0.83"),
        "2026-11-16": (1, "0.50"),
        "2026-12-07": (1, "1.00"),
    }
    assert_matches_schema(response, path=STATS)


def test_student_stats_of_a_month_of_dates(history: Any, student_client: APIClient) -> None:
    body = student_client.get(STATS, {"from": "2026-11-01", "to": "2026-11-30"}).json()

    assert body["period"] == {
        "name": "custom",
        "timezone": "America/New_York",
        "from": "2026-11-01",
        "to": "2026-11-30",
    }
    assert body["lessons_completed"] == 3
    assert body["hours_learned"] == "2.33"
    assert body["upcoming_lessons"] == 0
    assert body["attendance_rate"] == "0.750"
    assert body["cancellations"]["by_student"] == 2
    assert body["tutors_studied_with"] == 2
    assert len(weeks(body)) == 4  # the chart is the last 12 weeks, whatever the period


def test_student_stats_of_the_current_month(history: Any, student_client: APIClient) -> None:
    body = student_client.get(STATS, {"period": "month"}).json()

    assert body["period"] == {"name": "month", "timezone": "America/New_York", "from": "2026-12-01", "to": "2026-12-31"}
    assert body["lessons_completed"] == 1
    assert body["hours_learned"] == "1.00"
    assert body["upcoming_lessons"] == 2
    assert body["cancellations"] == {"by_student": 0, "by_student_late": 0, "by_tutor": 0, "by_tutor_late": 0}
    assert body["attendance_rate"] == "1.000"
    assert body["tutors_studied_with"] == 1


def test_a_student_without_lessons_has_zeros(student_client: APIClient) -> None:
    response = student_client.get(STATS, {"period": "week"})
    body = response.json()
    assert body["period"] == {"name": "week", "timezone": "Europe/Kyiv", "from": "2026-12-07", "to": "2026-12-13"}
    assert body["lessons_completed"] == 0 and body["hours_learned"] == "0.00"
    assert body["attendance_rate"] is None
    assert [week["lessons"] for week in body["lessons_per_week"]] == [0] * 12
    assert_matches_schema(response, path=STATS)


# Eight lessons at the same UTC instants for a New York student and a Kyiv student; the period is
# November 2026 (New York: 1 Nov 00:00 EDT = 04:00Z to 1 Dec 00:00 EST = 05:00Z; Kyiv: 31 Oct 22:00Z
# to 30 Nov 22:00Z).
EDGE_LESSONS = {
    utc(10, 31, 21, 30): (False, False),  # Kyiv 31 Oct 23:30
    utc(10, 31, 22, 30): (False, True),  # Kyiv 1 Nov 00:30
    utc(11, 1, 3, 30): (False, True),  # New York 31 Oct 23:30
    utc(11, 1, 4, 30): (True, True),  # New York 1 Nov 00:30
    utc(11, 30, 21, 30): (True, True),  # Kyiv 30 Nov 23:30
    utc(11, 30, 22, 30): (True, False),  # Kyiv 1 Dec 00:30
    utc(12, 1, 4, 30): (True, False),  # New York 30 Nov 23:30
    utc(12, 1, 5, 30): (False, False),  # New York 1 Dec 00:30
}


@pytest.mark.parametrize("zone, column", [("America/New_York", 0), ("Europe/Kyiv", 1)])
def test_period_edges_are_local_days(make_client: Any, tutor_one: TutorProfile, zone: str, column: int) -> None:
    """23:30 local on the last day is in, 00:30 local the next day is out; the same on the first day."""
    student = UserFactory(student=True, timezone=zone)
    for minutes, start in enumerate(EDGE_LESSONS, start=1):
        BookingFactory(student=student, tutor=tutor_one, completed=True, start=start, duration_minutes=minutes)
    inside = [minutes for minutes, flags in enumerate(EDGE_LESSONS.values(), start=1) if flags[column]]

    body = make_client(student).get(STATS, {"from": "2026-11-01", "to": "2026-11-30"}).json()

    assert body["lessons_completed"] == len(inside) == 4
    assert body["hours_learned"] == f"{sum(inside) / 60:.2f}"


@pytest.mark.parametrize(
    "zone, month, completed",
    [("America/New_York", ("2026-11-01", "2026-11-30"), 2), ("Europe/Kyiv", ("2026-12-01", "2026-12-31"), 1)],
)
def test_the_current_month_is_the_users_month(
    make_client: Any,
    tutor_one: TutorProfile,
    frozen: time_machine.Coordinates,
    zone: str,
    month: tuple[str, str],
    completed: int,
) -> None:
    """At 03:00Z on 1 December it is still November in New York and already December in Kyiv."""
    frozen.move_to(utc(12, 1, 3))
    student = UserFactory(student=True, timezone=zone)
    BookingFactory(student=student, tutor=tutor_one, completed=True, start=utc(11, 15, 12))
    BookingFactory(student=student, tutor=tutor_one, completed=True, start=utc(11, 30, 22, 30))  # Kyiv 1 Dec

    body = make_client(student).get(STATS, {"period": "month"}).json()

    assert (body["period"]["from"], body["period"]["to"]) == month
    assert body["lessons_completed"] == completed


@pytest.mark.parametrize(
    "zone, expected",
    [
        ("America/New_York", {"2026-11-30": 1, "2026-12-07": 1}),
        ("Europe/Kyiv", {"2026-09-21": 1, "2026-12-07": 2}),
    ],
)
def test_weekly_buckets_are_local_weeks(
    make_client: Any, tutor_one: TutorProfile, zone: str, expected: dict[str, int]
) -> None:
    student = UserFactory(student=True, timezone=zone)
    for start in (
        utc(12, 7, 4, 30),  # New York: Sunday 6 Dec 23:30; Kyiv: Monday 7 Dec 06:30
        utc(12, 7, 5, 30),  # New York: Monday 7 Dec 00:30
        utc(9, 21, 3, 30),  # New York: Sunday 20 Sep 23:30 (before the chart); Kyiv: Monday 21 Sep 06:30
        utc(9, 20, 12),  # Sunday 20 Sep everywhere: before the first week of the chart
    ):
        BookingFactory(student=student, tutor=tutor_one, completed=True, start=start)
    BookingFactory(student=student, tutor=tutor_one, cancelled=True, start=utc(12, 8, 12))

    body = make_client(student).get(STATS).json()

    assert {week: lessons for week, (lessons, _) in weeks(body).items()} == expected


@pytest.mark.parametrize(
    "params, field, code",
    [
        ({"period": "decade"}, "period", "invalid_choice"),
        ({"from": "yesterday"}, "from", "invalid"),
        ({"to": "2026-02-30"}, "to", "invalid"),
        ({"from": "2026-12-01", "to": "2026-11-30"}, "to", "invalid_range"),
        ({"period": "month", "from": "2026-11-01"}, "period", "ambiguous_period"),
        ({"from": "0001-01-01"}, "from", "date_out_of_range"),
        ({"to": "9999-12-31"}, "to", "date_out_of_range"),
    ],
)
def test_bad_periods_are_400(student_client: APIClient, params: dict[str, str], field: str, code: str) -> None:
    for path in (STATS, BASE):
        response = student_client.get(path, params)
        assert response.status_code == 400, response.json()
        body = response.json()
        serializer_error = code in ("invalid", "invalid_choice")
        assert body["code"] == ("invalid" if serializer_error else code)
        assert body["extra"]["fields"][field][0]["code"] == code
        assert_matches_schema(response, path=path)


def test_open_ended_dates(history: Any, student_client: APIClient) -> None:
    assert student_client.get(STATS, {"from": "2026-12-01"}).json()["lessons_completed"] == 1
    assert student_client.get(STATS, {"to": "2026-11-08"}).json()["lessons_completed"] == 1


# --- the whole dashboard --------------------------------------------------------------------------------


def test_student_dashboard_holds_everything(history: Any, student_client: APIClient, tutor_one: TutorProfile) -> None:
    TutorStudent.objects.create(tutor=tutor_one, student=history, first_confirmed_at=utc(10, 30, 9), is_assigned=True)
    for day in range(20, 26):
        BookingFactory(student=history, tutor=tutor_one, confirmed=True, start=utc(12, day, 15))

    response = student_client.get(BASE, {"period": "month"})

    assert response.status_code == 200
    body = response.json()
    assert body["active_lessons"]["count"] == 8
    assert len(body["active_lessons"]["results"]) == 5
    assert body["active_lessons"]["results"][0]["start"] == "2026-12-11T15:00:00Z"
    assert body["teacher"]["id"] == tutor_one.pk and body["teacher"]["lessons_together"] == 3
    assert body["stats"]["period"]["name"] == "month" and body["stats"]["upcoming_lessons"] == 8
    assert_matches_schema(response, path=BASE)


def test_student_dashboard_without_a_teacher(student_client: APIClient) -> None:
    response = student_client.get(BASE)
    body = response.json()
    assert body["teacher"] is None and body["active_lessons"] == {"count": 0, "results": []}
    assert_matches_schema(response, path=BASE)
