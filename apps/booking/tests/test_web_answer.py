"""The tutor answers a request from a web page: the same services as the API, then back to the page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking
from apps.booking.services import booking_create
from apps.booking.tests.factories import make_bookable_tutor
from apps.marketplace.models import TutorProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SLOT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 11:00 in Kyiv, inside the tutor's hours


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


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
