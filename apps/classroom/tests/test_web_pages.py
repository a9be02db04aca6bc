from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from apps.accounts.tests.factories import PASSWORD, UserFactory
from apps.classroom.tests.factories import make_lesson
from apps.core.testing import logged_in

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password() -> None:
    UserFactory(email="olena@example.test")
    client = Client()
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "olena@example.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    bad = Client().post("/login/", {"username": "olena@example.test", "password": "wrong"})
    assert bad.status_code == 200 and b"Wrong e-mail or password" in bad.content


def test_lessons_page_offers_joining_inside_the_window() -> None:
    lesson = make_lesson()
    later = make_lesson(starts_in=timedelta(days=1))
    page = logged_in(lesson.student).get("/lessons/").content.decode()
    assert f"/classroom/{lesson.session.pk}/" in page
    page = logged_in(later.student).get("/lessons/").content.decode()
    assert f"/classroom/{later.session.pk}/" not in page and "opens 15 min before" in page


def test_the_classroom_page_is_for_its_participants() -> None:
    lesson = make_lesson()
    assert Client().get(f"/classroom/{lesson.session.pk}/").status_code == 302  # to the login page
    assert logged_in(UserFactory()).get(f"/classroom/{lesson.session.pk}/").status_code == 404
    response = logged_in(lesson.tutor).get(f"/classroom/{lesson.session.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    config = json.loads(content.split('id="classroom-config" type="application/json">')[1].split("</script>")[0])
    assert config == {
        "bookingId": lesson.booking.pk,
        "sessionId": lesson.session.pk,
        "userId": lesson.tutor.pk,
        "userName": lesson.tutor.first_name,
        "role": "tutor",
        "accessUrl": f"/api/v1/booking/bookings/{lesson.booking.pk}/classroom/",
    }
    assert "classroom/classroom.js" in content and 'id="end-lesson"' in content


def test_a_closed_classroom_says_when_it_opens() -> None:
    later = make_lesson(starts_in=timedelta(hours=5))
    response = logged_in(later.student).get(f"/classroom/{later.session.pk}/")
    assert response.status_code == 200 and b"classroom-closed" in response.content
