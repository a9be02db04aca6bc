"""E-mails about bookings, sent after the transaction that caused them commits."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from apps.booking.models import Booking

logger = logging.getLogger(__name__)

SUBJECTS = {
    "requested": "New lesson request",
    "confirmed": "Your lesson is confirmed",
    "declined": "Your lesson request was declined",
    "cancelled": "A lesson was cancelled",
    "rescheduled": "A lesson was moved",
    "expired": "A lesson request expired",
}


def _local(booking: Booking, zone: str) -> str:
    return booking.start.astimezone(ZoneInfo(zone)).strftime("%A %d %B %Y, %H:%M") + f" ({zone})"


def _send(booking_id: int, event: str, to_tutor: bool) -> None:
    booking = Booking.objects.select_related("student", "tutor__user").filter(pk=booking_id).first()
    if booking is None:
        return
    recipient = booking.tutor.user if to_tutor else booking.student
    other = booking.student if to_tutor else booking.tutor.user
    body = (
        f"Hello {recipient.first_name},\n\n"
        f"{SUBJECTS[event]}: {booking.duration_minutes}-minute lesson with {other.first_name} "
        f"on {_local(booking, recipient.timezone)}.\n"
        f"Status: {booking.status}.\n\n{settings.PUBLIC_URL}/api/v1/booking/bookings/{booking.pk}/\n"
    )
    try:
        send_mail(f"M4SH: {SUBJECTS[event]}", body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    except Exception:  # a mail server outage must not undo a committed booking change
        logger.exception("could not e-mail %s about booking %s", recipient.pk, booking.pk)


def notify_after_commit(booking: Booking, event: str, *, to_tutor: bool) -> None:
    booking_id = booking.pk
    transaction.on_commit(lambda: _send(booking_id, event, to_tutor))
