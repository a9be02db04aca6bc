from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.booking.models import Booking, BookingStatus
from apps.core.exceptions import NotFoundError
from apps.marketplace.models import LESSON_DURATIONS

# Any booking overlapping a window starts at most this long before it.
LONGEST_LESSON = timedelta(minutes=max(LESSON_DURATIONS))


def holding(now: datetime) -> Q:
    """Bookings that hold their slot: confirmed, or pending and not yet lapsed."""
    return Q(status=BookingStatus.CONFIRMED) | Q(status=BookingStatus.PENDING, expires_at__gt=now)


def busy_intervals(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    tutor_id: int | None = None,
    student_id: int | None = None,
    exclude_booking_id: int | None = None,
) -> list[tuple[datetime, datetime]]:
    """[start, end) of holding bookings of a tutor or a student that overlap the window.

    Bounded on both sides of ``start`` so the (tutor, start) and (student, start) indexes are used and
    the cost does not grow with bookings outside the window.
    """
    qs = Booking.objects.filter(holding(now), start__lt=end, start__gt=start - LONGEST_LESSON, end__gt=start)
    if tutor_id is not None:
        qs = qs.filter(tutor_id=tutor_id)
    if student_id is not None:
        qs = qs.filter(student_id=student_id)
    if exclude_booking_id is not None:
        qs = qs.exclude(pk=exclude_booking_id)
    return list(qs.values_list("start", "end"))


def _participant(user: User) -> Q:
    return Q(student=user) | Q(tutor_id=user.pk)


def booking_list(
    *,
    user: User,
    statuses: list[str] | None = None,
    start_from: datetime | None = None,
    start_to: datetime | None = None,
) -> QuerySet[Booking]:
    """The user's bookings, as student or tutor, soonest first."""
    qs = Booking.objects.filter(_participant(user)).select_related(
        "student", "tutor__user", "subject", "classroom_session"
    )
    if statuses:
        qs = qs.filter(status__in=statuses)
    if start_from is not None:
        qs = qs.filter(start__gte=start_from)
    if start_to is not None:
        qs = qs.filter(start__lt=start_to)
    return qs.order_by("start", "pk")


def booking_get_for_participant(*, user: User, booking_id: int) -> Booking:
    """The booking if ``user`` is its student or tutor; a 404 for anyone else."""
    booking = booking_list(user=user).filter(pk=booking_id).first()
    if booking is None:
        raise NotFoundError("No such booking.", code="booking_not_found")
    return booking


def open_request_count(*, student_id: int, now: datetime) -> int:
    return Booking.objects.filter(student_id=student_id, status=BookingStatus.PENDING, expires_at__gt=now).count()
