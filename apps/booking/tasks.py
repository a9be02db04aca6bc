"""Background and periodic booking work: each task loads ids and calls a service."""

from __future__ import annotations

from celery import shared_task

from apps.booking.services.bookings import bookings_expire_due
from apps.booking.services.free_slots import free_slot_index_refresh, free_slot_index_refresh_all


@shared_task(name="booking.expire_pending")
def expire_pending() -> int:
    return bookings_expire_due()


@shared_task(name="booking.refresh_free_slots")
def refresh_free_slots() -> int:
    return free_slot_index_refresh_all()


@shared_task(name="booking.refresh_free_slots_for_tutor")
def refresh_free_slots_for_tutor(tutor_id: int) -> int:
    return free_slot_index_refresh(tutor_id=tutor_id)
