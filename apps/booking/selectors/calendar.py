from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings

from apps.accounts.models import User
from apps.booking.ics import CalendarEvent, calendar_document
from apps.booking.models import Booking, BookingStatus, CalendarFeed
from apps.booking.selectors.bookings import booking_list

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=366)
ICS_STATUS: dict[str, str] = {
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.COMPLETED: "CONFIRMED",
    BookingStatus.PENDING: "TENTATIVE",
}


def calendar_feed_user(*, token: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return feed.user if feed else None


def calendar_feed_url(feed: CalendarFeed) -> str:
    return f"{settings.PUBLIC_URL}/calendar/{feed.token}.ics"


def _events(bookings: Iterable[Booking], viewer: User) -> list[CalendarEvent]:
    events = []
    for booking in bookings:
        tutor = booking.tutor.user
        other = booking.student if viewer.pk == tutor.pk else tutor
        subject = booking.subject.name_en if booking.subject else "Lesson"
        events.append(
            CalendarEvent(
                uid=f"booking-{booking.pk}@m4sh",
                start=booking.start,
                end=booking.end,
                summary=f"M4SH: {subject} with {other.first_name}",
                description=f"{booking.duration_minutes}-minute lesson ({booking.status}).",
                status=ICS_STATUS.get(booking.status, "CANCELLED"),
                url=f"{settings.PUBLIC_URL}/api/v1/booking/bookings/{booking.pk}/",
                updated=booking.updated_at,
            )
        )
    return events


def calendar_for_user(*, user: User, now: datetime) -> str:
    """The user's confirmed and completed lessons from 90 days back to a year ahead."""
    bookings = booking_list(
        user=user,
        statuses=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED],
        start_from=now - FEED_PAST,
        start_to=now + FEED_FUTURE,
    )
    return calendar_document(_events(bookings, user), name="M4SH lessons", zone=user.timezone, now=now)


def calendar_for_booking(*, booking: Booking, viewer: User, now: datetime) -> str:
    return calendar_document(_events([booking], viewer), name="M4SH lesson", zone=viewer.timezone, now=now)
