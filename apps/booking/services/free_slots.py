"""Keeping the marketplace's free-slot index (filter "available in this part of the week") current."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.booking.models import Availability
from apps.booking.selectors.slots import tutor_free_slots
from apps.marketplace.models import LESSON_DURATIONS
from apps.marketplace.services import tutor_free_slots_set

HORIZON = timedelta(days=15)
INDEXED_DURATION = timedelta(minutes=min(LESSON_DURATIONS))


def free_slot_index_refresh(*, tutor_id: int, now: datetime | None = None) -> int:
    """Rebuild the tutor's free slot starts for the coming 15 days; returns how many there are."""
    now = now or timezone.now()
    slots = tutor_free_slots(
        tutor_id=tutor_id, window_start=now, window_end=now + HORIZON, duration=INDEXED_DURATION, now=now
    )
    return tutor_free_slots_set(tutor_id=tutor_id, starts=[start for start, _ in slots])


def free_slot_index_refresh_later(*, tutor_id: int) -> None:
    """Refresh the tutor's index once the current transaction commits (in the background when a worker runs)."""
    from apps.booking.tasks import refresh_free_slots_for_tutor

    transaction.on_commit(lambda: refresh_free_slots_for_tutor.delay(tutor_id))


def free_slot_index_refresh_all(*, now: datetime | None = None) -> int:
    """Refresh every tutor with availability (periodically: slots pass and new days come into view)."""
    now = now or timezone.now()
    tutor_ids = list(Availability.objects.values_list("tutor_id", flat=True))
    for tutor_id in tutor_ids:
        free_slot_index_refresh(tutor_id=tutor_id, now=now)
    return len(tutor_ids)
