"""The student's dashboard: active lessons, the assigned tutor and statistics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from apps.accounts.models import User
from apps.booking.models import Booking, BookingStatus
from apps.core.timeutils import iso_utc
from apps.dashboard.selectors.lessons import COMPLETED, active, cancellations, lesson_counts, no_shows
from apps.dashboard.selectors.periods import hours, lessons_per_week, period_resolve, ratio
from apps.dashboard.selectors.rows import (
    LESSON_FIELDS,
    SUMMARY_LIMIT,
    TUTOR_FIELDS,
    MappedRows,
    each,
    lesson_row,
    preview,
    tutor_ref,
)
from apps.marketplace.models import TutorProfile, TutorStatus, TutorStudent
from apps.marketplace.selectors import tutor_cards
from apps.marketplace.selectors.tutors import CARD_FIELDS


def student_active_lessons(*, student: User, now: datetime) -> MappedRows:
    """The student's upcoming and live lessons, soonest first (rows of ``ActiveLessonSerializer``)."""
    qs = Booking.objects.filter(active(now), student_id=student.pk).order_by("start", "pk")

    def build(row: dict[str, Any]) -> dict[str, Any]:
        lesson = lesson_row(row, now)
        lesson["status"] = row["status"]
        lesson["tutor"] = tutor_ref(row)
        lesson["expires_at"] = iso_utc(row["expires_at"]) if row["status"] == BookingStatus.PENDING else None
        return lesson

    return MappedRows(qs, (*LESSON_FIELDS, *TUTOR_FIELDS, "expires_at"), each(build))


def assigned_tutor(*, student: User) -> dict[str, Any] | None:
    """The public card of the student's assigned tutor, with ``linked_since`` (their first confirmed
    lesson), ``lessons_together`` (completed lessons) and ``bookable`` (the profile is published: booking
    takes requests for published tutors only, so a suspended or unpublished tutor stays on the card but
    cannot be booked); None when the student has none. Three queries."""
    links = TutorStudent.objects.filter(student_id=student.pk, tutor=OuterRef("pk"))
    together = (
        Booking.objects.filter(COMPLETED, student_id=student.pk, tutor=OuterRef("pk"))
        .values("tutor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        TutorProfile.objects.filter(Exists(links.filter(is_assigned=True)))
        .annotate(
            linked_since=Subquery(links.values("first_confirmed_at")[:1]),
            lessons_together=Coalesce(Subquery(together, output_field=IntegerField()), Value(0)),
        )
        .values(*CARD_FIELDS, "status", "linked_since", "lessons_together")
        .first()
    )
    if row is None:
        return None
    card = tutor_cards([row])[0]
    card["linked_since"] = iso_utc(row["linked_since"])
    card["lessons_together"] = row["lessons_together"]
    card["bookable"] = row["status"] == TutorStatus.PUBLISHED
    return card


def student_stats(
    *,
    student: User,
    now: datetime,
    period: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> dict[str, Any]:
    """The student's numbers for a period in their time zone (three queries; see docs/dashboard.md).

    Attendance rate = completed / (completed + no-shows where the student was absent); no-shows where
    only the tutor was absent do not count against the student.
    """
    span = period_resolve(timezone=student.timezone, now=now, period=period, first_day=first_day, last_day=last_day)
    mine = Booking.objects.filter(student_id=student.pk)
    inside = span.q("start")
    numbers = mine.aggregate(
        **lesson_counts(inside=inside, now=now),
        tutors=Count("tutor_id", distinct=True, filter=inside & COMPLETED),
    )
    missed = no_shows(bookings=Q(booking__student_id=student.pk), period=span)
    return {
        "period": span.as_dict(),
        "lessons_completed": numbers["completed"],
        "hours_learned": hours(numbers["minutes"]),
        "upcoming_lessons": numbers["upcoming"],
        "cancellations": cancellations(numbers),
        "no_shows": missed,
        "attendance_rate": ratio(numbers["completed"], numbers["completed"] + missed["student_absent"]),
        "tutors_studied_with": numbers["tutors"],
        "lessons_per_week": lessons_per_week(mine.filter(COMPLETED), timezone=student.timezone, now=now),
    }


def student_dashboard(
    *,
    student: User,
    now: datetime,
    period: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> dict[str, Any]:
    """Everything the student's home page shows: the first active lessons, the assigned tutor, the stats."""
    stats = student_stats(student=student, now=now, period=period, first_day=first_day, last_day=last_day)
    return {
        "active_lessons": preview(student_active_lessons(student=student, now=now), SUMMARY_LIMIT),
        "teacher": assigned_tutor(student=student),
        "stats": stats,
    }
