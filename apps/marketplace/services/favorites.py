from __future__ import annotations

from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core.exceptions import NotFoundError
from apps.marketplace.models import Favorite
from apps.marketplace.selectors.tutors import tutor_published_exists


def favorite_add(*, student: User, tutor_id: int) -> tuple[Favorite, bool]:
    """Save a published tutor to the student's favourites; returns (favourite, created)."""
    if not tutor_published_exists(tutor_id=tutor_id):
        raise NotFoundError("No such tutor.", code="tutor_not_found")
    try:
        with transaction.atomic():
            return Favorite.objects.get_or_create(student=student, tutor_id=tutor_id)
    except IntegrityError:  # a concurrent request saved it first
        return Favorite.objects.get(student=student, tutor_id=tutor_id), False


def favorite_remove(*, student: User, tutor_id: int) -> None:
    """Remove the tutor from the student's favourites (nothing happens if it was not there)."""
    Favorite.objects.filter(student=student, tutor_id=tutor_id).delete()
