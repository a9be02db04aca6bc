"""Reviews of completed lessons; the tutor's rating stats change in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.exceptions import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from apps.marketplace.models import Review
from apps.marketplace.services.stats import tutor_rating_refresh


def _check_rating(rating: int) -> None:
    if not 1 <= rating <= 5:
        raise InvalidInputError.for_field("rating", "Rate from 1 to 5.", code="invalid_rating")


@transaction.atomic
def review_create(
    *, booking_id: int, tutor_id: int, student_id: int, rating: int, text: str, now: datetime | None = None
) -> Review:
    """Record the review of a completed lesson. The booking services check the lesson; this checks the review."""
    now = now or timezone.now()
    _check_rating(rating)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                booking_id=booking_id,
                tutor_id=tutor_id,
                student_id=student_id,
                rating=rating,
                text=text.strip(),
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise ConflictError("This lesson already has a review.", code="already_reviewed") from exc
    tutor_rating_refresh(tutor_id=tutor_id)
    return review


@transaction.atomic
def review_update(
    *, review_id: int, student: User, rating: int | None = None, text: str | None = None, now: datetime | None = None
) -> Review:
    """The author edits a review within the editing window (14 days by default)."""
    now = now or timezone.now()
    review = Review.objects.select_for_update().filter(pk=review_id, student=student).first()
    if review is None:
        raise NotFoundError("No such review.", code="review_not_found")
    if now - review.created_at > timedelta(days=settings.BOOKING_REVIEW_EDIT_DAYS):
        raise ConflictError("Reviews can be edited for 14 days.", code="review_locked")
    if rating is not None:
        _check_rating(rating)
        review.rating = rating
    if text is not None:
        review.text = text.strip()
    review.updated_at = now
    review.save()
    tutor_rating_refresh(tutor_id=review.tutor_id)
    return review


@transaction.atomic
def review_reply(*, review_id: int, tutor: User, text: str, now: datetime | None = None) -> Review:
    """The reviewed tutor answers once."""
    now = now or timezone.now()
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFoundError("No such review.", code="review_not_found")
    if review.tutor_id != tutor.pk:
        raise PermissionDeniedError("Only the reviewed tutor can reply.", code="not_the_tutor")
    if review.replied_at is not None:
        raise ConflictError("You have already replied.", code="already_replied")
    if not text.strip():
        raise InvalidInputError.for_field("text", "A reply cannot be empty.", code="blank")
    review.reply = text.strip()
    review.replied_at = now
    review.save(update_fields=["reply", "replied_at"])
    return review
