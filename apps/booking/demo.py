"""Demo availability for every demo tutor, and lessons for the demo student (idempotent): six weeks of
past lessons with the demo tutor, an upcoming one, a request waiting for an answer, and a lesson
starting within the hour."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.accounts.models import User
from apps.booking.models import Availability, Booking
from apps.booking.selectors import busy_intervals, holding, tutor_free_slots
from apps.booking.services import (
    availability_set,
    booking_cancel,
    booking_confirm,
    booking_create,
    lesson_price,
    lesson_review,
)
from apps.classroom.services.sessions import classroom_participant_join, classroom_session_end
from apps.marketplace.models import TutorProfile

WEEKLY = [
    *({"weekday": day, "start_minute": 9 * 60, "end_minute": 13 * 60} for day in range(5)),
    *({"weekday": day, "start_minute": 15 * 60, "end_minute": 20 * 60} for day in range(5)),
    {"weekday": 5, "start_minute": 10 * 60, "end_minute": 14 * 60},
]


def _first_free(tutor: TutorProfile, student: User, minutes: int) -> tuple[object, object] | None:
    now = timezone.now()
    slots = tutor_free_slots(
        tutor_id=tutor.pk,
        window_start=now + timedelta(hours=20),
        window_end=now + timedelta(days=8),
        duration=timedelta(minutes=minutes),
        now=now,
        student_id=student.pk,
    )
    return slots[0] if slots else None


def load() -> int:
    """Open hours for demo tutors without any; returns the number of demo lessons."""
    tutors = TutorProfile.objects.filter(user__email__endswith="@m4sh.demo").select_related("user")
    for tutor in tutors:
        if not Availability.objects.filter(tutor=tutor).exists():
            availability_set(
                user=tutor.user,
                timezone=tutor.user.timezone,
                weekly=WEEKLY,
                min_notice_minutes=120,
                max_advance_days=60,
                slot_step_minutes=30,
                buffer_minutes=10,
            )
    student = User.objects.get(email="student@m4sh.demo")
    student2 = User.objects.get(email="student2@m4sh.demo")
    tutor = TutorProfile.objects.get(user__email="tutor@m4sh.demo")
    if not Booking.objects.filter(tutor=tutor, student=student).exists():
        _history(student, tutor)
        slot = _first_free(tutor, student, 50)
        if slot is not None:
            booking = booking_create(student=student, tutor_id=tutor.pk, start=slot[0], duration_minutes=50)  # type: ignore[arg-type]
            booking_confirm(booking_id=booking.pk, tutor=tutor.user)
    if not Booking.objects.filter(tutor=tutor, student=student2).exists():
        slot = _first_free(tutor, student2, 25)
        if slot is not None:
            booking_create(
                student=student2,
                tutor_id=tutor.pk,
                start=slot[0],
                duration_minutes=25,
                message="Trial lesson, please",  # type: ignore[arg-type]
            )
    _lesson_soon(student, tutor)
    return Booking.objects.filter(student__email__endswith="@m4sh.demo").count()


def _lesson_soon(student: User, tutor: TutorProfile) -> None:
    """A lesson starting ten minutes from now, so the classroom can be tried at once after `make run`.

    It skips the tutor's booking rules (notice, hours) on purpose; confirming it goes through the usual
    service, which opens the classroom.
    """
    now = timezone.now()
    soon = Booking.objects.filter(
        holding(now), student=student, tutor=tutor, end__gt=now, start__lt=now + timedelta(hours=1)
    )
    if soon.exists():
        return
    start = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=50)
    if busy_intervals(start=start, end=end, now=now, tutor_id=tutor.pk) or busy_intervals(
        start=start, end=end, now=now, student_id=student.pk
    ):
        return
    booking = Booking.objects.create(
        student=student,
        tutor=tutor,
        start=start,
        end=end,
        duration_minutes=50,
        price=lesson_price(hourly_rate=tutor.hourly_rate, duration_minutes=50),
        currency=tutor.currency,
        message="Demo lesson: open the classroom from /lessons/",
        expires_at=start,
    )
    booking_confirm(booking_id=booking.pk, tutor=tutor.user)


# The past lessons, by weeks back and weekday (Monday 0): what happened and, for a completed one, the
# student's rating.
HISTORY_WEEKS = 6
HISTORY_DAYS = (1, 3)  # Tuesday and Thursday, 16:00 in the tutor's zone
CANCELLED_LATE = (3, 3)  # (weeks back, weekday): the student cancels three hours before
STUDENT_ABSENT = (2, 1)  # the student never comes
RATINGS = {(6, 1): 5, (5, 3): 4, (4, 1): 5, (1, 3): 5}


def _history(student: User, tutor: TutorProfile) -> None:
    """Six weeks of twice-weekly lessons, played through the booking and classroom services at the
    times they would have happened (each service is given its ``now``), so the dashboards, the
    assigned tutor and the tutor's stats have something to show."""
    zone = ZoneInfo(tutor.user.timezone)
    monday = timezone.now().astimezone(zone).date()
    monday -= timedelta(days=monday.weekday())
    for weeks in range(HISTORY_WEEKS, 0, -1):
        for weekday in HISTORY_DAYS:
            day = monday - timedelta(weeks=weeks) + timedelta(days=weekday)
            _past_lesson(student, tutor, _local(day, zone), (weeks, weekday))


def _local(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(16, 0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _past_lesson(student: User, tutor: TutorProfile, start: datetime, key: tuple[int, int]) -> None:
    asked = start - timedelta(days=2)
    booking = booking_create(student=student, tutor_id=tutor.pk, start=start, duration_minutes=50, now=asked)
    booking_confirm(booking_id=booking.pk, tutor=tutor.user, now=asked + timedelta(hours=2))
    if key == CANCELLED_LATE:
        booking_cancel(booking_id=booking.pk, user=student, reason="Sick today", now=start - timedelta(hours=3))
        return
    session_id = booking.classroom_session.pk
    classroom_participant_join(session_id=session_id, user_id=tutor.pk, now=start - timedelta(minutes=3))
    if key == STUDENT_ABSENT:
        classroom_session_end(session_id=session_id, user=tutor.user, now=start + timedelta(minutes=20))
        return
    classroom_participant_join(session_id=session_id, user_id=student.pk, now=start + timedelta(minutes=1))
    classroom_session_end(session_id=session_id, user=tutor.user, now=booking.end)
    if key in RATINGS:
        lesson_review(booking_id=booking.pk, student=student, rating=RATINGS[key], now=booking.end + timedelta(hours=1))
