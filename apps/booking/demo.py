"""Demo availability for every demo tutor, and a few lessons for the demo student (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.booking.models import Availability, Booking
from apps.booking.selectors import busy_intervals, holding, tutor_free_slots
from apps.booking.services import availability_set, booking_confirm, booking_create, lesson_price
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
