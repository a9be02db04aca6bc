"""Booking from web pages: a student finds a tutor and requests a free time, the tutor answers from the
dashboard; the same selectors and services as the API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking
from apps.booking.services import booking_create
from apps.booking.tests.factories import make_bookable_tutor
from apps.core.testing import logged_in
from apps.marketplace.models import TutorProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SLOT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 11:00 in Kyiv, inside the tutor's hours


@pytest.fixture
def tutor() -> TutorProfile:
    return make_bookable_tutor()


@pytest.fixture
def request_(tutor: TutorProfile) -> Booking:
    return booking_create(student=UserFactory(student=True), tutor_id=tutor.pk, start=SLOT, duration_minutes=50)


def test_the_tutor_confirms_from_the_dashboard(tutor: TutorProfile, request_: Booking) -> None:
    client = logged_in(tutor.user)
    assert f'action="/lessons/{request_.pk}/confirm/"' in client.get("/dashboard/").content.decode()

    response = client.post(f"/lessons/{request_.pk}/confirm/", {"next": "/dashboard/?period=week"})

    assert response.status_code == 302 and response["Location"] == "/dashboard/?period=week"
    request_.refresh_from_db()
    assert request_.status == "confirmed" and request_.classroom_session.status == "scheduled"
    assert "is confirmed." in client.get("/dashboard/").content.decode()


def test_declining_and_answering_twice(tutor: TutorProfile, request_: Booking) -> None:
    client = logged_in(tutor.user)
    assert client.post(f"/lessons/{request_.pk}/decline/", {"next": "https://evil.test/"})["Location"] == "/dashboard/"
    request_.refresh_from_db()
    assert request_.status == "declined"
    client.post(f"/lessons/{request_.pk}/confirm/")
    request_.refresh_from_db()
    assert request_.status == "declined"  # a declined request cannot be confirmed: the page says why
    assert "errors" in client.get("/dashboard/").content.decode()


def test_only_the_tutor_answers(tutor: TutorProfile, request_: Booking) -> None:
    assert logged_in(make_bookable_tutor().user).post(f"/lessons/{request_.pk}/confirm/").status_code == 404
    assert logged_in(request_.student).post(f"/lessons/{request_.pk}/confirm/").status_code == 302
    assert logged_in(tutor.user).get(f"/lessons/{request_.pk}/confirm/").status_code == 405
    assert Client().post(f"/lessons/{request_.pk}/confirm/")["Location"].startswith("/login/")
    request_.refresh_from_db()
    assert request_.status == "pending"


# --- finding a tutor and requesting a time --------------------------------------------------------


def test_anyone_finds_published_tutors(tutor: TutorProfile) -> None:
    TutorProfile.objects.filter(pk=tutor.pk).update(headline="Algebra for exams")
    hidden = make_bookable_tutor()
    TutorProfile.objects.filter(pk=hidden.pk).update(status="suspended")

    page = Client().get("/tutors/").content.decode()
    assert f'data-tutor="{tutor.pk}"' in page and f'data-tutor="{hidden.pk}"' not in page
    assert f'data-tutor="{tutor.pk}"' in Client().get("/tutors/", {"q": "algebra"}).content.decode()
    assert f'data-tutor="{tutor.pk}"' not in Client().get("/tutors/", {"q": "violin"}).content.decode()
    assert Client().get(f"/tutors/{hidden.pk}/").status_code == 404


def test_a_student_requests_a_free_time_from_the_tutors_page(tutor: TutorProfile) -> None:
    student = UserFactory(student=True)
    client = logged_in(student)
    page = client.get(f"/tutors/{tutor.pk}/", {"duration": 50}).content.decode()
    assert f'data-start="{SLOT.isoformat()}"' in page  # 11:00 in Kyiv on Wednesday is free

    response = client.post(f"/tutors/{tutor.pk}/request/", {"start": SLOT.isoformat(), "duration_minutes": 50})

    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    booking = Booking.objects.get(student=student)
    assert (booking.tutor_id, booking.start, booking.duration_minutes, booking.status) == (
        tutor.pk,
        SLOT,
        50,
        "pending",
    )
    assert "Request sent" in client.get("/dashboard/").content.decode()
    assert f'data-start="{SLOT.isoformat()}"' not in client.get(f"/tutors/{tutor.pk}/").content.decode()


def test_a_time_that_is_taken_or_made_up_is_refused_with_a_reason(tutor: TutorProfile, request_: Booking) -> None:
    client = logged_in(UserFactory(student=True))
    taken = client.post(f"/tutors/{tutor.pk}/request/", {"start": SLOT.isoformat(), "duration_minutes": 50})
    assert taken.status_code == 302 and taken["Location"] == f"/tutors/{tutor.pk}/"
    for body in ({"start": "tomorrow", "duration_minutes": 50}, {"start": SLOT.isoformat(), "duration_minutes": 7}):
        assert client.post(f"/tutors/{tutor.pk}/request/", body)["Location"] == f"/tutors/{tutor.pk}/"
    assert Booking.objects.count() == 1
    assert "errors" in client.get(f"/tutors/{tutor.pk}/").content.decode()


def test_only_signed_in_students_request(tutor: TutorProfile) -> None:
    page = Client().get(f"/tutors/{tutor.pk}/").content.decode()
    assert "Log in</a> as a student" in page and 'name="start"' not in page
    assert Client().post(f"/tutors/{tutor.pk}/request/", {"start": SLOT.isoformat()})["Location"].startswith("/login/")
    other_tutor = logged_in(make_bookable_tutor().user)
    other_tutor.post(f"/tutors/{tutor.pk}/request/", {"start": SLOT.isoformat(), "duration_minutes": 50})
    assert not Booking.objects.exists()


def test_either_side_cancels_from_the_dashboard(tutor: TutorProfile, request_: Booking) -> None:
    logged_in(tutor.user).post(f"/lessons/{request_.pk}/confirm/")
    student = logged_in(request_.student)
    assert f'action="/lessons/{request_.pk}/cancel/"' in student.get("/dashboard/").content.decode()
    assert logged_in(UserFactory(student=True)).post(f"/lessons/{request_.pk}/cancel/").status_code == 404

    response = student.post(f"/lessons/{request_.pk}/cancel/", {"next": "/dashboard/"})

    assert response["Location"] == "/dashboard/"
    request_.refresh_from_db()
    assert (request_.status, request_.cancelled_by_role) == ("cancelled", "student")
    assert "is cancelled." in student.get("/dashboard/").content.decode()
    logged_in(tutor.user).post(f"/lessons/{request_.pk}/cancel/")  # cancelling again changes nothing
    request_.refresh_from_db()
    assert request_.cancelled_by_role == "student"
