"""Double booking under concurrency: real connections racing on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking
from apps.booking.services import booking_create
from apps.booking.tests.factories import iso, make_bookable_tutor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def race(actions: list[Any]) -> list[Any]:
    """Run the callables at the same moment, each on its own thread and database connection."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = actions[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_students_race_for_one_slot() -> None:
    tutor = make_bookable_tutor(min_notice_minutes=0)
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    students = [UserFactory() for _ in range(20)]

    def attempt(student: Any) -> int:
        client = APIClient()
        client.force_authenticate(user=student)
        body = {"tutor": tutor.pk, "start": iso(start), "duration_minutes": 50}
        return client.post("/api/v1/booking/bookings/", body, format="json").status_code

    statuses = race([lambda s=s: attempt(s) for s in students])
    assert Counter(statuses) == {201: 1, 409: 19}
    assert Booking.objects.filter(tutor=tutor, status="pending").count() == 1


def test_the_exclusion_constraint_stops_overlaps_that_skip_the_services() -> None:
    tutor = make_bookable_tutor(min_notice_minutes=0)
    start = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    common = {"tutor": tutor, "duration_minutes": 50, "price": 10, "currency": "EUR", "status": "confirmed"}
    Booking.objects.create(student=UserFactory(), start=start, end=start + timedelta(minutes=50), **common)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Booking.objects.create(
            student=UserFactory(), start=start + timedelta(minutes=20), end=start + timedelta(minutes=70), **common
        )
    # back to back is fine, and cancelled bookings do not hold their time
    Booking.objects.create(
        student=UserFactory(), start=start + timedelta(minutes=50), end=start + timedelta(minutes=100), **common
    )
    Booking.objects.create(
        student=UserFactory(), start=start, end=start + timedelta(minutes=50), **{**common, "status": "cancelled"}
    )


def test_confirm_racing_cancel_ends_in_one_consistent_state() -> None:
    from apps.booking.services import booking_cancel, booking_confirm
    from apps.core.exceptions import ConflictError

    tutor = make_bookable_tutor(min_notice_minutes=0)
    student = UserFactory()
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    while start.weekday() >= 5:
        start += timedelta(days=1)
    booking = booking_create(student=student, tutor_id=tutor.pk, start=start, duration_minutes=50)

    def attempt(action: Any) -> str:
        try:
            action()
            return "ok"
        except ConflictError as exc:
            return exc.code

    outcomes = race(
        [
            lambda: attempt(lambda: booking_confirm(booking_id=booking.pk, tutor=tutor.user)),
            lambda: attempt(lambda: booking_cancel(booking_id=booking.pk, user=student)),
        ]
    )
    booking.refresh_from_db()
    events = list(booking.events.values_list("kind", flat=True))
    if outcomes == ["ok", "ok"]:  # confirmed first, then cancelled
        assert booking.status == "cancelled" and events == ["requested", "confirmed", "cancelled"]
    else:  # cancelled first: the confirmation found a cancelled booking
        assert outcomes == ["invalid_transition", "ok"]
        assert booking.status == "cancelled" and events == ["requested", "cancelled"]
