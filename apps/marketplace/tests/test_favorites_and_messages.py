from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import assert_matches_schema
from apps.marketplace.masking import HIDDEN
from apps.marketplace.models import TutorProfile
from apps.marketplace.services import tutor_response_stats_refresh, tutor_student_link
from apps.marketplace.tests.factories import make_tutor

pytestmark = pytest.mark.django_db
CONVERSATIONS = "/api/v1/marketplace/conversations/"


@pytest.fixture
def profile() -> TutorProfile:
    return make_tutor()


# --- favourites -------------------------------------------------------------------------------------


def test_a_student_saves_and_removes_favourites(student_client: APIClient, profile: TutorProfile) -> None:
    url = f"/api/v1/marketplace/tutors/{profile.pk}/favorite/"
    assert student_client.post(url).status_code == 201
    assert student_client.post(url).status_code == 200  # already saved: no duplicate
    listing = student_client.get("/api/v1/marketplace/favorites/")
    assert [row["id"] for row in listing.json()["results"]] == [profile.pk]
    assert_matches_schema(listing, path="/api/v1/marketplace/favorites/")
    assert student_client.delete(url).status_code == 204
    assert student_client.delete(url).status_code == 204
    assert student_client.get("/api/v1/marketplace/favorites/").json()["count"] == 0


def test_favourites_are_private_to_each_student(make_client: Any, profile: TutorProfile) -> None:
    make_client(UserFactory()).post(f"/api/v1/marketplace/tutors/{profile.pk}/favorite/")
    assert make_client(UserFactory()).get("/api/v1/marketplace/favorites/").json()["count"] == 0


def test_favourites_are_for_students(tutor_client: APIClient, api_client: APIClient, profile: TutorProfile) -> None:
    assert tutor_client.post(f"/api/v1/marketplace/tutors/{profile.pk}/favorite/").status_code == 403
    assert api_client.post(f"/api/v1/marketplace/tutors/{profile.pk}/favorite/").status_code == 401


def test_an_unpublished_tutor_cannot_be_saved(student_client: APIClient) -> None:
    draft = make_tutor(publish=False)
    response = student_client.post(f"/api/v1/marketplace/tutors/{draft.pk}/favorite/")
    assert response.status_code == 404
    assert student_client.post("/api/v1/marketplace/tutors/987654/favorite/").status_code == 404


# --- messages ---------------------------------------------------------------------------------------


def start(client: APIClient, tutor_id: int, body: str) -> dict[str, Any]:
    response = client.post(CONVERSATIONS, {"tutor": tutor_id, "body": body}, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_a_student_writes_to_a_tutor_and_the_tutor_replies(
    student_client: APIClient, make_client: Any, profile: TutorProfile
) -> None:
    started = student_client.post(
        CONVERSATIONS, {"tutor": profile.pk, "body": "Hello! Can you help with algebra?"}, format="json"
    )
    assert started.status_code == 201
    assert_matches_schema(started, path=CONVERSATIONS, method="post", status=201)
    conversation_id = started.json()["conversation"]["id"]
    again = student_client.post(CONVERSATIONS, {"tutor": profile.pk, "body": "Also geometry."}, format="json")
    assert again.status_code == 200 and again.json()["conversation"]["id"] == conversation_id

    tutor = make_client(profile.user)
    assert tutor.get("/api/v1/marketplace/conversations/unread/").json() == {"unread": 2}
    inbox = tutor.get(CONVERSATIONS).json()["results"]
    assert inbox[0]["unread"] == 2 and inbox[0]["last_message"] == "Also geometry."
    assert inbox[0]["other"]["role"] == "student"
    reply = tutor.post(
        f"{CONVERSATIONS}{conversation_id}/messages/", {"body": "Sure, let's book a trial."}, format="json"
    )
    assert reply.status_code == 201
    assert tutor.post(f"{CONVERSATIONS}{conversation_id}/read/").json() == {"marked": 2}
    assert tutor.get("/api/v1/marketplace/conversations/unread/").json() == {"unread": 0}

    messages = student_client.get(f"{CONVERSATIONS}{conversation_id}/messages/")
    assert [m["body"] for m in messages.json()["results"]] == [
        "Sure, let's book a trial.",
        "Also geometry.",
        "Hello! Can you help with algebra?",
    ]
    assert_matches_schema(messages, path="/api/v1/marketplace/conversations/{conversation_id}/messages/")
    assert student_client.get(f"{CONVERSATIONS}{conversation_id}/").json()["unread"] == 1


def test_only_the_two_participants_can_read_a_conversation(
    student_client: APIClient, make_client: Any, profile: TutorProfile
) -> None:
    conversation_id = start(student_client, profile.pk, "Hi")["conversation"]["id"]
    other_student = make_client(UserFactory())
    other_tutor = make_client(make_tutor().user)
    for client in (other_student, other_tutor):
        assert client.get(f"{CONVERSATIONS}{conversation_id}/").status_code == 404
        assert client.get(f"{CONVERSATIONS}{conversation_id}/messages/").status_code == 404
        assert (
            client.post(f"{CONVERSATIONS}{conversation_id}/messages/", {"body": "x"}, format="json").status_code == 404
        )
        assert client.post(f"{CONVERSATIONS}{conversation_id}/read/").status_code == 404
        assert client.get(CONVERSATIONS).json()["count"] == 0


def test_tutors_do_not_start_conversations(tutor_client: APIClient, profile: TutorProfile) -> None:
    response = tutor_client.post(CONVERSATIONS, {"tutor": profile.pk, "body": "Hi"}, format="json")
    assert response.status_code == 403


def test_contact_details_are_masked_until_a_lesson_is_confirmed(
    student_client: APIClient, student: Any, make_client: Any, profile: TutorProfile
) -> None:
    first = start(student_client, profile.pk, "Mail me at olena@gmail.com or call +380 67 123 45 67")
    assert first["message"]["masked"] is True
    assert "gmail" not in first["message"]["body"] and "123" not in first["message"]["body"]
    assert first["message"]["body"].count(HIDDEN) == 2
    conversation_id = first["conversation"]["id"]
    tutor = make_client(profile.user)
    reply = tutor.post(
        f"{CONVERSATIONS}{conversation_id}/messages/", {"body": "See https://zoom.us/j/1"}, format="json"
    ).json()
    assert reply["masked"] is True and "zoom" not in reply["body"]

    tutor_student_link(tutor_id=profile.pk, student_id=student.pk, confirmed_at=timezone.now())
    after = tutor.post(
        f"{CONVERSATIONS}{conversation_id}/messages/", {"body": "Zoom: https://zoom.us/j/1"}, format="json"
    ).json()
    assert after["masked"] is False and after["body"] == "Zoom: https://zoom.us/j/1"


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_bad_message_bodies_are_400(student_client: APIClient, profile: TutorProfile, body: str) -> None:
    response = student_client.post(CONVERSATIONS, {"tutor": profile.pk, "body": body}, format="json")
    assert response.status_code == 400


def test_response_rate_and_time_come_from_first_replies(
    make_client: Any, profile: TutorProfile, api_client: APIClient
) -> None:
    start_time = timezone.now()
    with time_machine.travel(start_time, tick=False):
        answered = start(make_client(UserFactory()), profile.pk, "Hi")["conversation"]["id"]
        start(make_client(UserFactory()), profile.pk, "Hello?")  # never answered
    with time_machine.travel(start_time + timedelta(minutes=30), tick=False):
        reply = make_client(profile.user).post(f"{CONVERSATIONS}{answered}/messages/", {"body": "Hi!"}, format="json")
        assert reply.status_code == 201
    tutor_response_stats_refresh(tutor_id=profile.pk, now=start_time + timedelta(hours=1))
    stats = api_client.get(f"/api/v1/marketplace/tutors/{profile.pk}/").json()["stats"]
    assert stats["response_rate"] == "1.000"  # the unanswered one is younger than 24 hours
    assert stats["response_time_minutes"] == 30
    tutor_response_stats_refresh(tutor_id=profile.pk, now=start_time + timedelta(hours=25))
    stats = api_client.get(f"/api/v1/marketplace/tutors/{profile.pk}/").json()["stats"]
    assert Decimal(stats["response_rate"]) == Decimal("0.500")


def test_renaming_a_tutor_updates_search(
    make_client: Any, api_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    profile = make_tutor()
    with django_capture_on_commit_callbacks(execute=True):
        make_client(profile.user).patch("/api/v1/auth/me/", {"first_name": "Zoryana"}, format="json")
    found = api_client.get("/api/v1/marketplace/tutors/", {"q": "zoryana"}).json()["results"]
    assert [row["id"] for row in found] == [profile.pk]
