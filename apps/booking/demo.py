"""Demo availability for every demo tutor, and a few lessons for the demo student (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.booking.models import Availability, Booking
from apps.booking.selectors import tutor_free_slots
from apps.booking.services import availability_set, booking_confirm, booking_create
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
    return Booking.objects.filter(student__email__endswith="@m4sh.demo").count()
