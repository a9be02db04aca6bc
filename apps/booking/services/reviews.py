from __future__ import annotations

from datetime import datetime

from django.db import transaction

from apps.accounts.models import User
from apps.booking.models import BookingStatus
from apps.booking.services.bookings import booking_locked_for_participant
from apps.core.exceptions import ConflictError, PermissionDeniedError
from apps.marketplace.models import Review
from apps.marketplace.services import review_create


@transaction.atomic
def lesson_review(
    *, booking_id: int, student: User, rating: int, text: str = "", now: datetime | None = None
) -> Review:
    """The student reviews the tutor of a completed lesson, once."""
    booking = booking_locked_for_participant(booking_id, student)
    if booking.student_id != student.pk:
        raise PermissionDeniedError("Only the student reviews a lesson.", code="not_the_student")
    if booking.status != BookingStatus.COMPLETED:
        raise ConflictError("Only completed lessons can be reviewed.", code="lesson_not_completed")
    return review_create(
        booking_id=booking.pk, tutor_id=booking.tutor_id, student_id=student.pk, rating=rating, text=text, now=now
    )
