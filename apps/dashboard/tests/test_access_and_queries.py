"""Who may see which dashboard, and the fixed number of queries of every endpoint whatever the data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import assert_matches_schema
from apps.dashboard.tests.conftest import NOW
from apps.dashboard.tests.factories import BookingFactory
from apps.marketplace.models import Review, TutorProfile, TutorStudent
from apps.marketplace.tests.factories import make_tutor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
STUDENT_PATHS = [
    "/api/v1/dashboard/student/",
    "/api/v1/dashboard/student/active-lessons/",
    "/api/v1/dashboard/student/teacher/",
    "/api/v1/dashboard/student/stats/",
]
TUTOR_PATHS = [
    "/api/v1/dashboard/tutor/",
    "/api/v1/dashboard/tutor/upcoming/",
    "/api/v1/dashboard/tutor/students/",
    "/api/v1/dashboard/tutor/stats/",
]


@pytest.mark.parametrize("path", STUDENT_PATHS + TUTOR_PATHS)
def test_anonymous_requests_are_401(api_client: APIClient, path: str) -> None:
    response = api_client.get(path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_matches_schema(response, path=path)


def test_anonymous_cannot_choose_a_tutor(api_client: APIClient) -> None:
    response = api_client.put("/api/v1/dashboard/student/teacher/", {"tutor": 1}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("path", TUTOR_PATHS)
def test_students_get_403_on_tutor_dashboards(student_client: APIClient, path: str) -> None:
    response = student_client.get(path)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert response.json()["message"] == "Only tutors can do this."
    assert_matches_schema(response, path=path)


@pytest.mark.parametrize("path", STUDENT_PATHS)
def test_tutors_get_403_on_student_dashboards(tutor_client: APIClient, path: str) -> None:
    response = tutor_client.get(path)
    assert response.status_code == 403 and response.json()["message"] == "Only students can do this."
    assert_matches_schema(response, path=path)


def test_tutors_cannot_choose_a_tutor(tutor_client: APIClient) -> None:
    response = tutor_client.put("/api/v1/dashboard/student/teacher/", {"tutor": 1}, format="json")
    assert response.status_code == 403


def test_a_student_never_sees_another_students_lessons(make_client: Any) -> None:
    tutor = make_tutor()
    mine, theirs = UserFactory(student=True), UserFactory(student=True)
    BookingFactory(student=theirs, tutor=tutor, confirmed=True, start=NOW + timedelta(hours=2))
    BookingFactory(student=theirs, tutor=tutor, completed=True, start=NOW - timedelta(days=2))
    BookingFactory(student=theirs, tutor=tutor, start=NOW + timedelta(days=2), expires_at=NOW + timedelta(hours=3))
    TutorStudent.objects.create(tutor=tutor, student=theirs, first_confirmed_at=NOW, is_assigned=True)
    client = make_client(mine)

    assert client.get(STUDENT_PATHS[1]).json()["count"] == 0
    assert client.get(STUDENT_PATHS[2]).status_code == 204
    stats = client.get(STUDENT_PATHS[3]).json()
    assert stats["lessons_completed"] == 0 and stats["upcoming_lessons"] == 0
    summary = client.get(STUDENT_PATHS[0]).json()
    assert summary["active_lessons"]["count"] == 0 and summary["teacher"] is None
    assert client.put(STUDENT_PATHS[2], {"tutor": tutor.pk}, format="json").status_code == 404


# --- query counts -------------------------------------------------------------------------------------


def populate(tutor: TutorProfile, student: Any, size: int) -> None:
    """``size`` students of the tutor, each with lessons in every state (``student`` among them); the
    tutor's holding lessons never overlap (PostgreSQL's exclusion constraints)."""
    students = [student] + [UserFactory(student=True) for _ in range(size - 1)]
    for index, someone in enumerate(students):
        hour = timedelta(hours=3 * index)
        TutorStudent.objects.create(tutor=tutor, student=someone, first_confirmed_at=NOW, is_assigned=True)
        done = BookingFactory(tutor=tutor, student=someone, completed=True, start=NOW - timedelta(days=3) - hour)
        Review.objects.create(booking=done, tutor=tutor, student=someone, rating=4, created_at=NOW, updated_at=NOW)
        BookingFactory(
            tutor=tutor, student=someone, completed=True, start=NOW - timedelta(days=40) - hour, currency="USD"
        )
        BookingFactory(tutor=tutor, student=someone, no_show=True, start=NOW - timedelta(days=5) - hour)
        BookingFactory(tutor=tutor, student=someone, cancelled=True, start=NOW - timedelta(days=6) - hour)
        BookingFactory(tutor=tutor, student=someone, declined=True, start=NOW - timedelta(days=7) - hour)
        BookingFactory(tutor=tutor, student=someone, confirmed=True, start=NOW + timedelta(days=1) + hour)
        BookingFactory(
            tutor=tutor, student=someone, start=NOW + timedelta(days=5) + hour, expires_at=NOW + timedelta(hours=5)
        )
    for day in range(size):  # the student's lessons with other tutors
        BookingFactory(student=student, completed=True, start=NOW - timedelta(days=10 + day))


# Bounds: the stats are three queries for a student (aggregate, no-shows, weeks) and at most six for a
# tutor (aggregate, no-shows, earnings, rating, weeks, and on SQLite the median); a paginated list is a
# count and a page, a preview one query (a window count); the tutor's students add their names; a tutor
# card is the profile row, its subjects and its languages; choosing a tutor adds the service's lock and
# updates.
QUERY_BOUNDS = [
    ("student", "get", STUDENT_PATHS[0], 7),
    ("student", "get", STUDENT_PATHS[1], 2),
    ("student", "get", STUDENT_PATHS[2], 3),
    ("student", "get", STUDENT_PATHS[3], 3),
    ("student", "put", STUDENT_PATHS[2], 8),
    ("tutor", "get", TUTOR_PATHS[0], 10),
    ("tutor", "get", TUTOR_PATHS[1], 2),
    ("tutor", "get", TUTOR_PATHS[2], 3),
    ("tutor", "get", TUTOR_PATHS[3], 6),
]


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("role, method, path, bound", QUERY_BOUNDS)
def test_queries_do_not_grow_with_the_data(
    make_client: Any, django_assert_max_num_queries: Any, size: int, role: str, method: str, path: str, bound: int
) -> None:
    tutor = make_tutor()
    student = UserFactory(student=True)
    populate(tutor, student, size)
    client = make_client(student if role == "student" else tutor.user)

    with django_assert_max_num_queries(bound):
        if method == "put":
            response = client.put(path, {"tutor": tutor.pk}, format="json")
        else:
            response = client.get(
                path, {"period": "year"} if path.endswith(("/student/", "/tutor/", "/stats/")) else {}
            )

    assert response.status_code == 200
    body = response.json()
    if path == TUTOR_PATHS[3]:
        assert body["lessons_taught"] == 2 * size
    if path == STUDENT_PATHS[1]:
        assert body["count"] == 2
    if path == TUTOR_PATHS[2]:
        assert body["count"] == size
    if path == TUTOR_PATHS[0]:
        assert body["students"]["count"] == size and len(body["students"]["results"]) == min(size, 5)
        assert body["upcoming"]["requests"]["count"] == body["upcoming"]["lessons"]["count"] == size
