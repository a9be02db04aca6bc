"""The lesson lifecycle over the API: slots, requests, answers, cancellations, moves, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking
from apps.booking.services import bookings_expire_due
from apps.booking.tests.conftest import NOW
from apps.booking.tests.factories import iso, make_bookable_tutor
from apps.classroom.services.sessions import classroom_participant_join, classroom_sessions_finish_due
from apps.core.testing import assert_matches_schema
from apps.marketplace.models import TutorProfile, TutorResponse, TutorStudent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BOOKINGS = "/api/v1/booking/bookings/"
# Wednesday 2 December 2026, 09:00 UTC = 11:00 in Kyiv, inside the tutor's 09:00-18:00.
SLOT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def tutor() -> TutorProfile:
    return make_bookable_tutor()


@pytest.fixture
def tutor_api(make_client: Any, tutor: TutorProfile) -> APIClient:
    return make_client(tutor.user)


def request_lesson(client: APIClient, tutor: TutorProfile, start: datetime = SLOT, **extra: Any) -> Any:
    body = {"tutor": tutor.pk, "start": iso(start), "duration_minutes": 50, **extra}
    return client.post(BOOKINGS, body, format="json")


def slots(client: APIClient, tutor: TutorProfile, **params: Any) -> Any:
    query = {"start": "2026-12-02T00:00:00Z", "end": "2026-12-03T00:00:00Z", "duration": 50, **params}
    return client.get(f"/api/v1/booking/tutors/{tutor.pk}/slots/", query)


# --- slots ------------------------------------------------------------------------------------------


def test_anyone_sees_free_slots_in_utc(api_client: APIClient, tutor: TutorProfile) -> None:
    response = slots(api_client, tutor)
    assert response.status_code == 200
    body = response.json()
    assert body["tutor"] == tutor.pk and body["duration"] == 50
    starts = [slot["start"] for slot in body["slots"]]
    assert starts[0] == "2026-12-02T07:00:00Z" and starts[-1] == "2026-12-02T15:00:00Z"  # 09:00-17:50 Kyiv
    assert starts == sorted(set(starts))
    assert body["slots"][0]["end"] == "2026-12-02T07:50:00Z"
    assert_matches_schema(response, path="/api/v1/booking/tutors/{tutor_id}/slots/")


def test_no_slot_in_the_past_or_inside_the_notice(api_client: APIClient, tutor: TutorProfile) -> None:
    body = slots(api_client, tutor, start="2026-11-30T00:00:00Z", end="2026-12-02T00:00:00Z").json()
    # now is 10:00 Kyiv on 1 December with 60 minutes' notice: the first slot is 11:00 Kyiv (09:00Z)
    assert body["slots"][0]["start"] == "2026-12-01T09:00:00Z"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"end": "2027-01-10T00:00:00Z"}, "end"),
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-12-02T00:00:00"}, "start"),
        ({"duration": 45}, "duration"),
        ({"end": "2026-12-01T00:00:00Z"}, "end"),
    ],
)
def test_bad_slot_queries_are_400(
    api_client: APIClient, tutor: TutorProfile, params: dict[str, Any], field: str
) -> None:
    response = slots(api_client, tutor, **params)
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


def test_slots_of_an_unknown_tutor_are_404(api_client: APIClient) -> None:
    response = api_client.get(
        "/api/v1/booking/tutors/999999/slots/",
        {"start": "2026-12-02T00:00:00Z", "end": "2026-12-03T00:00:00Z", "duration": 50},
    )
    assert response.status_code == 404


# --- request and answer -----------------------------------------------------------------------------


def test_full_lifecycle(
    student_client: APIClient,
    student: Any,
    tutor_api: APIClient,
    tutor: TutorProfile,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = request_lesson(student_client, tutor, subject="algebra", message="Quadratic equations, please")
    assert created.status_code == 201, created.json()
    booking = created.json()
    assert booking["status"] == "pending" and booking["my_role"] == "student"
    assert booking["start"] == "2026-12-02T09:00:00Z" and booking["end"] == "2026-12-02T09:50:00Z"
    assert booking["price"] == "16.67" and booking["currency"] == "EUR"
    assert booking["expires_at"] == "2026-12-02T08:00:00Z"  # 24 hours after the request
    assert booking["subject"]["slug"] == "algebra"
    assert_matches_schema(created, path=BOOKINGS, method="post", status=201)
    assert "New lesson request" in mail.outbox[-1].subject and mail.outbox[-1].to == [tutor.user.email]

    held = [s["start"] for s in slots(APIClient(), tutor).json()["slots"]]
    assert "2026-12-02T09:00:00Z" not in held and "2026-12-02T08:30:00Z" not in held

    confirmed = tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert TutorStudent.objects.filter(tutor=tutor, student=student, is_assigned=True).exists()
    again = tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    assert again.status_code == 200 and again.json()["confirmed_at"] == confirmed.json()["confirmed_at"]
    assert Booking.objects.get(pk=booking["id"]).events.filter(kind="confirmed").count() == 1
    assert TutorResponse.objects.get(kind="request", ref_id=booking["id"]).answered_at is not None

    listing = student_client.get(BOOKINGS)
    assert [b["id"] for b in listing.json()["results"]] == [booking["id"]]
    assert_matches_schema(listing, path=BOOKINGS)
    assert tutor_api.get(f"{BOOKINGS}{booking['id']}/").json()["my_role"] == "tutor"


def test_a_held_slot_is_409_for_another_student(
    student_client: APIClient, make_client: Any, tutor: TutorProfile
) -> None:
    assert request_lesson(student_client, tutor).status_code == 201
    second = request_lesson(make_client(UserFactory()), tutor)
    assert second.status_code == 409 and second.json()["code"] == "slot_unavailable"
    overlapping = request_lesson(make_client(UserFactory()), tutor, start=SLOT + timedelta(minutes=30))
    assert overlapping.status_code == 409


def test_a_student_cannot_be_in_two_lessons_at_once(student_client: APIClient, tutor: TutorProfile) -> None:
    other_tutor = make_bookable_tutor()
    assert request_lesson(student_client, tutor).status_code == 201
    response = request_lesson(student_client, other_tutor, start=SLOT + timedelta(minutes=30))
    assert response.status_code == 409


@pytest.mark.parametrize(
    "start, code",
    [
        (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "start_in_past"),
        (datetime(2026, 12, 1, 8, 30, tzinfo=UTC), "too_soon"),
        (datetime(2026, 12, 2, 9, 10, tzinfo=UTC), "outside_availability"),  # off the 30-minute grid
        (datetime(2026, 12, 2, 17, 0, tzinfo=UTC), "outside_availability"),  # 19:00 Kyiv
        (datetime(2026, 12, 5, 9, 0, tzinfo=UTC), "outside_availability"),  # Saturday
        (datetime(2027, 6, 1, 9, 0, tzinfo=UTC), "too_far_ahead"),
    ],
)
def test_bad_starts_are_400(student_client: APIClient, tutor: TutorProfile, start: datetime, code: str) -> None:
    response = request_lesson(student_client, tutor, start=start)
    assert response.status_code == 400
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    "body, field",
    [
        ({"duration_minutes": 45}, "duration_minutes"),
        ({"start": "2026-12-02T09:00:00"}, "start"),
        ({"tutor": "abc"}, "tutor"),
        ({"subject": "alchemy"}, "subject"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_booking_bodies_are_400(
    student_client: APIClient, tutor: TutorProfile, body: dict[str, Any], field: str
) -> None:
    payload = {"tutor": tutor.pk, "start": iso(SLOT), "duration_minutes": 50, **body}
    response = student_client.post(BOOKINGS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"].get("fields", {})


def test_unknown_tutor_is_404(student_client: APIClient) -> None:
    response = student_client.post(
        BOOKINGS, {"tutor": 987654, "start": iso(SLOT), "duration_minutes": 50}, format="json"
    )
    assert response.status_code == 404


def test_tutors_do_not_book(tutor_api: APIClient, tutor: TutorProfile) -> None:
    assert request_lesson(tutor_api, make_bookable_tutor()).status_code == 403


def test_only_participants_see_a_booking(student_client: APIClient, make_client: Any, tutor: TutorProfile) -> None:
    booking_id = request_lesson(student_client, tutor).json()["id"]
    stranger = make_client(UserFactory())
    other_tutor = make_client(make_bookable_tutor().user)
    for client in (stranger, other_tutor):
        assert client.get(f"{BOOKINGS}{booking_id}/").status_code == 404
        assert client.post(f"{BOOKINGS}{booking_id}/cancel/", {}, format="json").status_code == 404
        assert client.post(f"{BOOKINGS}{booking_id}/confirm/").status_code == 404
        assert client.get(f"{BOOKINGS}{booking_id}/ics/").status_code == 404
        assert client.get(BOOKINGS).json()["count"] == 0


def test_only_the_tutor_confirms_or_declines(student_client: APIClient, tutor: TutorProfile) -> None:
    booking_id = request_lesson(student_client, tutor).json()["id"]
    assert student_client.post(f"{BOOKINGS}{booking_id}/confirm/").status_code == 403
    assert student_client.post(f"{BOOKINGS}{booking_id}/decline/", {}, format="json").status_code == 403


def test_decline_frees_the_slot(
    student_client: APIClient, make_client: Any, tutor_api: APIClient, tutor: TutorProfile
) -> None:
    booking_id = request_lesson(student_client, tutor).json()["id"]
    declined = tutor_api.post(f"{BOOKINGS}{booking_id}/decline/", {"reason": "Away that day"}, format="json")
    assert declined.json()["status"] == "declined" and declined.json()["decline_reason"] == "Away that day"
    assert tutor_api.post(f"{BOOKINGS}{booking_id}/decline/", {}, format="json").status_code == 200
    confirm = tutor_api.post(f"{BOOKINGS}{booking_id}/confirm/")
    assert confirm.status_code == 409 and confirm.json()["code"] == "invalid_transition"
    assert request_lesson(make_client(UserFactory()), tutor).status_code == 201


def test_cancel_then_rebook_the_same_slot(student_client: APIClient, tutor: TutorProfile) -> None:
    first = request_lesson(student_client, tutor).json()
    cancelled = student_client.post(
        f"{BOOKINGS}{first['id']}/cancel/", {"reason": "Changed plans"}, format="json"
    ).json()
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_by_role"] == "student"
    assert student_client.post(f"{BOOKINGS}{first['id']}/cancel/", {}, format="json").json()["status"] == "cancelled"
    second = request_lesson(student_client, tutor)
    assert second.status_code == 201 and second.json()["id"] != first["id"]


def test_late_cancellation_is_recorded_with_who(
    student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile
) -> None:
    soon = request_lesson(student_client, tutor, start=datetime(2026, 12, 1, 12, 0, tzinfo=UTC)).json()  # in 4 hours
    later = request_lesson(student_client, tutor).json()  # in 25 hours
    for booking in (soon, later):
        tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    late = tutor_api.post(f"{BOOKINGS}{soon['id']}/cancel/", {}, format="json").json()
    on_time = student_client.post(f"{BOOKINGS}{later['id']}/cancel/", {}, format="json").json()
    assert (late["late_cancellation"], late["cancelled_by_role"]) == (True, "tutor")
    assert (on_time["late_cancellation"], on_time["cancelled_by_role"]) == (False, "student")


def test_a_started_lesson_cannot_be_cancelled(
    student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile, frozen: Any
) -> None:
    booking = request_lesson(student_client, tutor).json()
    tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    frozen.move_to(SLOT + timedelta(minutes=5))
    response = student_client.post(f"{BOOKINGS}{booking['id']}/cancel/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "lesson_started"


def test_confirm_after_cancel_is_a_conflict_and_cancel_after_confirm_works(
    student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile
) -> None:
    first = request_lesson(student_client, tutor).json()
    student_client.post(f"{BOOKINGS}{first['id']}/cancel/", {}, format="json")
    assert tutor_api.post(f"{BOOKINGS}{first['id']}/confirm/").status_code == 409
    second = request_lesson(student_client, tutor).json()
    tutor_api.post(f"{BOOKINGS}{second['id']}/confirm/")
    assert student_client.post(f"{BOOKINGS}{second['id']}/cancel/", {}, format="json").json()["status"] == "cancelled"


def test_reschedule_rules(student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile) -> None:
    booking = request_lesson(student_client, tutor).json()
    tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    moved_by_tutor = tutor_api.post(
        f"{BOOKINGS}{booking['id']}/reschedule/", {"start": "2026-12-02T10:00:00Z"}, format="json"
    ).json()
    assert (moved_by_tutor["status"], moved_by_tutor["start"]) == ("confirmed", "2026-12-02T10:00:00Z")
    moved_by_student = student_client.post(
        f"{BOOKINGS}{booking['id']}/reschedule/", {"start": "2026-12-03T10:00:00Z"}, format="json"
    ).json()
    assert moved_by_student["status"] == "pending" and moved_by_student["reschedule_count"] == 2
    same = student_client.post(
        f"{BOOKINGS}{booking['id']}/reschedule/", {"start": "2026-12-03T10:00:00Z"}, format="json"
    ).json()
    assert same["reschedule_count"] == 2
    # the old time is free again; a move onto an occupied slot is a conflict
    other = request_lesson(APIClient(), tutor)  # anonymous: 401
    assert other.status_code == 401
    taken = tutor_api.post(f"{BOOKINGS}{booking['id']}/reschedule/", {"start": "2026-12-03T10:30:00Z"}, format="json")
    assert taken.status_code == 200  # overlapping only itself is fine
    off_grid = student_client.post(
        f"{BOOKINGS}{booking['id']}/reschedule/", {"start": "2026-12-03T10:05:00Z"}, format="json"
    )
    assert off_grid.status_code == 400


def test_two_bookings_cannot_be_moved_onto_each_other(make_client: Any, tutor: TutorProfile) -> None:
    a, b = make_client(UserFactory()), make_client(UserFactory())
    first = request_lesson(a, tutor).json()
    request_lesson(b, tutor, start=SLOT + timedelta(hours=2))
    response = a.post(f"{BOOKINGS}{first['id']}/reschedule/", {"start": iso(SLOT + timedelta(hours=2))}, format="json")
    assert response.status_code == 409


def test_pending_requests_expire_and_free_the_slot(
    student_client: APIClient, make_client: Any, tutor_api: APIClient, tutor: TutorProfile, frozen: Any
) -> None:
    booking = request_lesson(student_client, tutor, start=datetime(2026, 12, 3, 9, 0, tzinfo=UTC)).json()
    frozen.move_to(NOW + timedelta(hours=24, minutes=1))
    assert bookings_expire_due() == 1
    assert student_client.get(f"{BOOKINGS}{booking['id']}/").json()["status"] == "expired"
    confirm = make_client(tutor.user).post(f"{BOOKINGS}{booking['id']}/confirm/")
    assert confirm.status_code == 409
    assert (
        request_lesson(make_client(UserFactory()), tutor, start=datetime(2026, 12, 3, 9, 0, tzinfo=UTC)).status_code
        == 201
    )


def test_a_lapsed_request_frees_its_slot_even_before_the_job_runs(
    student_client: APIClient, make_client: Any, tutor: TutorProfile, frozen: Any
) -> None:
    request_lesson(student_client, tutor, start=datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    frozen.move_to(NOW + timedelta(hours=25))
    response = request_lesson(make_client(UserFactory()), tutor, start=datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    assert response.status_code == 201
    assert Booking.objects.filter(status="expired").count() == 1


def test_a_request_expires_at_the_start_when_that_is_sooner(student_client: APIClient, tutor: TutorProfile) -> None:
    booking = request_lesson(student_client, tutor, start=datetime(2026, 12, 1, 12, 0, tzinfo=UTC)).json()
    assert booking["expires_at"] == "2026-12-01T12:00:00Z"


def test_open_request_limit(student_client: APIClient, settings: Any) -> None:
    settings.BOOKING_MAX_OPEN_REQUESTS = 2
    tutors = [make_bookable_tutor() for _ in range(3)]
    assert request_lesson(student_client, tutors[0]).status_code == 201
    assert request_lesson(student_client, tutors[1], start=SLOT + timedelta(hours=1)).status_code == 201
    third = request_lesson(student_client, tutors[2], start=SLOT + timedelta(hours=2))
    assert third.status_code == 409 and third.json()["code"] == "too_many_open_requests"


def test_idempotency_key_returns_the_first_response(student_client: APIClient, tutor: TutorProfile) -> None:
    body = {"tutor": tutor.pk, "start": iso(SLOT), "duration_minutes": 50}
    first = student_client.post(BOOKINGS, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    retry = student_client.post(BOOKINGS, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry.headers["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1
    other_body = student_client.post(
        BOOKINGS, {**body, "duration_minutes": 25}, format="json", HTTP_IDEMPOTENCY_KEY="abc-123"
    )
    assert other_body.status_code == 409 and other_body.json()["code"] == "idempotency_key_reused"


def test_a_failed_request_is_not_replayed(student_client: APIClient, tutor: TutorProfile) -> None:
    body = {"tutor": tutor.pk, "start": iso(SLOT + timedelta(minutes=10)), "duration_minutes": 50}
    assert student_client.post(BOOKINGS, body, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 400
    body["start"] = iso(SLOT)
    assert student_client.post(BOOKINGS, body, format="json", HTTP_IDEMPOTENCY_KEY="k2").status_code == 201


def test_listing_filters(student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile) -> None:
    a = request_lesson(student_client, tutor).json()
    b = request_lesson(student_client, tutor, start=datetime(2026, 12, 3, 9, 0, tzinfo=UTC)).json()
    tutor_api.post(f"{BOOKINGS}{a['id']}/confirm/")
    assert [x["id"] for x in student_client.get(BOOKINGS, {"status": "confirmed"}).json()["results"]] == [a["id"]]
    both = student_client.get(f"{BOOKINGS}?status=confirmed&status=pending").json()["results"]
    assert [x["id"] for x in both] == [a["id"], b["id"]]
    later = student_client.get(BOOKINGS, {"start_from": "2026-12-03T00:00:00Z"}).json()["results"]
    assert [x["id"] for x in later] == [b["id"]]
    assert student_client.get(BOOKINGS, {"status": "lost"}).status_code == 400


def test_finished_lessons_complete_and_can_be_reviewed_once(
    student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile, frozen: Any, api_client: APIClient
) -> None:
    booking = request_lesson(student_client, tutor).json()
    assert student_client.post(f"{BOOKINGS}{booking['id']}/review/", {"rating": 5}, format="json").status_code == 409
    tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    session_id = Booking.objects.get(pk=booking["id"]).classroom_session.pk
    frozen.move_to(SLOT)
    classroom_participant_join(session_id=session_id, user_id=tutor.pk)
    classroom_participant_join(session_id=session_id, user_id=Booking.objects.get(pk=booking["id"]).student_id)
    frozen.move_to(SLOT + timedelta(minutes=61))  # the end plus the 10-minute grace
    assert classroom_sessions_finish_due() == 1
    assert classroom_sessions_finish_due() == 0
    assert student_client.get(f"{BOOKINGS}{booking['id']}/").json()["status"] == "completed"
    review = student_client.post(
        f"{BOOKINGS}{booking['id']}/review/", {"rating": 4, "text": "Clear explanations"}, format="json"
    )
    assert review.status_code == 201 and review.json()["rating"] == 4
    stats = api_client.get(f"/api/v1/marketplace/tutors/{tutor.pk}/").json()["stats"]
    assert (stats["rating_avg"], stats["rating_count"], stats["lessons_completed"]) == ("4.00", 1, 1)
    again = student_client.post(f"{BOOKINGS}{booking['id']}/review/", {"rating": 1}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"
    assert tutor_api.post(f"{BOOKINGS}{booking['id']}/review/", {"rating": 5}, format="json").status_code == 403

    review_id = review.json()["id"]
    edited = student_client.patch(f"/api/v1/marketplace/reviews/{review_id}/", {"rating": 5}, format="json")
    assert edited.status_code == 200
    assert api_client.get(f"/api/v1/marketplace/tutors/{tutor.pk}/").json()["stats"]["rating_avg"] == "5.00"
    reply = tutor_api.post(f"/api/v1/marketplace/reviews/{review_id}/reply/", {"text": "Thank you!"}, format="json")
    assert reply.status_code == 200 and reply.json()["reply"] == "Thank you!"
    assert (
        tutor_api.post(f"/api/v1/marketplace/reviews/{review_id}/reply/", {"text": "Again"}, format="json").status_code
        == 409
    )
    listing = api_client.get(f"/api/v1/marketplace/tutors/{tutor.pk}/reviews/")
    assert listing.json()["results"][0]["author"].endswith(".")
    assert_matches_schema(listing, path="/api/v1/marketplace/tutors/{tutor_id}/reviews/")
    frozen.move_to(SLOT + timedelta(days=15))
    locked = student_client.patch(f"/api/v1/marketplace/reviews/{review_id}/", {"rating": 1}, format="json")
    assert locked.status_code == 409 and locked.json()["code"] == "review_locked"


def test_calendar_exports(
    student_client: APIClient, tutor_api: APIClient, tutor: TutorProfile, api_client: APIClient
) -> None:
    booking = request_lesson(student_client, tutor).json()
    tutor_api.post(f"{BOOKINGS}{booking['id']}/confirm/")
    ics = student_client.get(f"{BOOKINGS}{booking['id']}/ics/")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert "DTSTART:20261202T090000Z" in text and "DTEND:20261202T095000Z" in text and "STATUS:CONFIRMED" in text
    feed_url = student_client.get("/api/v1/booking/calendar/").json()["url"]
    path = feed_url.split("8000", 1)[-1]
    feed = api_client.get(path)
    assert feed.status_code == 200 and f"UID:booking-{booking['id']}@m4sh" in feed.content.decode()
    new_url = student_client.post("/api/v1/booking/calendar/regenerate/").json()["url"]
    assert new_url != feed_url
    assert api_client.get(path).status_code == 404
    assert api_client.get(new_url.split("8000", 1)[-1]).status_code == 200
