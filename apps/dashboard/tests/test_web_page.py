"""The dashboard page shows the same selector's numbers as the API, to the signed-in student or tutor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import logged_in
from apps.dashboard.tests.conftest import NOW
from apps.dashboard.tests.factories import BookingFactory
from apps.marketplace.models import TutorProfile, TutorStudent
from apps.marketplace.tests.factories import make_tutor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def tutor() -> TutorProfile:
    return make_tutor(user=UserFactory(tutor=True, first_name="Oksana", last_name="Melnyk", timezone="Europe/Kyiv"))


def stat(page: str, name: str) -> str:
    return page.split(f'data-stat="{name}">')[1].split("<")[0].strip()


def test_a_student_sees_lessons_tutor_and_numbers(student: Any, tutor: TutorProfile) -> None:
    TutorStudent.objects.create(
        tutor=tutor, student=student, first_confirmed_at=NOW - timedelta(days=30), is_assigned=True
    )
    for days in (3, 10, 17):
        BookingFactory(student=student, tutor=tutor, completed=True, start=NOW - timedelta(days=days))
    BookingFactory(
        student=student, tutor=tutor, no_show=True, session__student_absent=True, start=NOW - timedelta(days=24)
    )
    soon = BookingFactory(student=student, tutor=tutor, confirmed=True, start=NOW + timedelta(minutes=10))
    later = BookingFactory(student=student, tutor=tutor, confirmed=True, start=NOW + timedelta(days=2))

    response = logged_in(student).get("/dashboard/")

    assert response.status_code == 200
    page = response.content.decode()
    assert stat(page, "lessons_completed") == "3" and stat(page, "attendance_rate") == "75.0 %"
    assert stat(page, "student_absent") == "1"
    assert "Oksana M." in page and "3 lessons together" in page
    assert f'href="/classroom/{soon.classroom_session.pk}/"' in page  # inside the join window
    assert f'href="/classroom/{later.classroom_session.pk}/"' not in page and "opens " in page


def test_a_tutor_sees_requests_students_and_numbers(student: Any, tutor: TutorProfile) -> None:
    TutorStudent.objects.create(tutor=tutor, student=student, first_confirmed_at=NOW - timedelta(days=30))
    BookingFactory(student=student, tutor=tutor, completed=True, start=NOW - timedelta(days=3), price="30.00")
    asking = UserFactory(first_name="Taras", last_name="Bondar")
    BookingFactory(student=asking, tutor=tutor, start=NOW + timedelta(days=3), expires_at=NOW + timedelta(hours=5))

    response = logged_in(tutor.user).get("/dashboard/?period=month")

    assert response.status_code == 200
    page = response.content.decode()
    assert stat(page, "lessons_taught") == "1" and stat(page, "earnings").startswith("30.00 ")
    assert "Taras B." in page and "5 h 00 min" in page  # the request and the time left to answer it
    assert f'data-student="{student.pk}"' in page
    assert 'class="current" aria-current="true">Month' in page


def test_the_page_needs_a_login_and_a_known_period(student: Any) -> None:
    assert Client().get("/dashboard/")["Location"].startswith("/login/")
    bad = logged_in(student).get("/dashboard/?period=decade")
    assert bad.status_code == 400 and b"Unknown period" in bad.content
