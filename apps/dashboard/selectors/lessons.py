"""The lessons both dashboards count: what "not ended", "active", completed, cancelled and no-show mean."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, Sum

from apps.booking.models import BookingStatus
from apps.booking.selectors import LONGEST_LESSON, holding
from apps.classroom.models import ClassroomSession
from apps.dashboard.selectors.periods import Period

COMPLETED = Q(status=BookingStatus.COMPLETED)
CANCELLED = BookingStatus.CANCELLED


def not_ended(now: datetime) -> Q:
    """Lessons that have not ended. The bound on the start (no lesson is longer than ``LONGEST_LESSON``)
    lets the (tutor, start) and (student, start) indexes skip the past."""
    return Q(end__gt=now, start__gt=now - LONGEST_LESSON)


def active(now: datetime) -> Q:
    """Upcoming and live: pending (not lapsed) or confirmed, and not ended."""
    return holding(now) & not_ended(now)


def no_shows(*, bookings: Q, period: Period) -> dict[str, int]:
    """``{student_absent, tutor_absent}``: no-shows among the ``bookings`` starting in ``period`` whose
    classroom recorded that the student (the tutor) never joined. One query from the classrooms' side,
    which touches only the no-show lessons (joining every booking to its classroom would not)."""
    return ClassroomSession.objects.filter(
        bookings, period.q("booking__start"), booking__status=BookingStatus.NO_SHOW
    ).aggregate(
        student_absent=Count("pk", filter=Q(student_no_show=True)),
        tutor_absent=Count("pk", filter=Q(tutor_no_show=True)),
    )


def lesson_counts(*, inside: Q, now: datetime) -> dict[str, Any]:
    """The aggregates both dashboards count over the lessons starting in the period (``inside``):
    completed lessons and their minutes, upcoming lessons, and cancellations by side (see ``cancellations``)."""
    cancelled = inside & Q(status=CANCELLED)
    return {
        "completed": Count("pk", filter=inside & COMPLETED),
        "minutes": Sum("duration_minutes", filter=inside & COMPLETED),
        "upcoming": Count("pk", filter=inside & active(now)),
        "by_student": Count("pk", filter=cancelled & Q(cancelled_by_role="student")),
        "by_student_late": Count("pk", filter=cancelled & Q(cancelled_by_role="student", late_cancellation=True)),
        "by_tutor": Count("pk", filter=cancelled & Q(cancelled_by_role="tutor")),
        "by_tutor_late": Count("pk", filter=cancelled & Q(cancelled_by_role="tutor", late_cancellation=True)),
    }


def cancellations(numbers: dict[str, Any]) -> dict[str, int]:
    """The ``cancellations`` object of both dashboards' stats, from the ``lesson_counts`` results."""
    return {key: numbers[key] for key in ("by_student", "by_student_late", "by_tutor", "by_tutor_late")}
