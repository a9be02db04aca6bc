from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking, BookingStatus
from apps.classroom.models import ClassroomSession
from apps.classroom.services.sessions import classroom_session_open
from apps.classroom.tokens import ClassroomTokenService
from apps.marketplace.tests.factories import make_tutor


@dataclass
class Lesson:
    session: ClassroomSession
    booking: Booking
    student: User
    tutor: User

    def token(
        self, user: User | None = None, *, role: str = "student", session_id: int | None = None, **times: object
    ) -> str:
        user = user or self.student
        return ClassroomTokenService.issue(
            user_id=user.pk,
            session_id=session_id or self.session.pk,
            role=role,
            not_before=times.get("not_before", self.booking.start - timedelta(minutes=15)),  # type: ignore[arg-type]
            expires=times.get("expires", self.booking.end),  # type: ignore[arg-type]
        )


def make_lesson(*, starts_in: timedelta = timedelta(minutes=5), minutes: int = 50) -> Lesson:
    """A confirmed lesson whose classroom is open now (the start is a few minutes away)."""
    tutor = make_tutor()
    student = UserFactory()
    start = timezone.now() + starts_in
    booking = Booking.objects.create(
        student=student,
        tutor=tutor,
        start=start,
        end=start + timedelta(minutes=minutes),
        duration_minutes=minutes,
        price=20,
        currency="EUR",
        status=BookingStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    session = classroom_session_open(booking=booking)
    return Lesson(session=session, booking=booking, student=student, tutor=tutor.user)
