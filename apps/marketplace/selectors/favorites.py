from __future__ import annotations

from django.db.models import OuterRef, Subquery

from apps.accounts.models import User
from apps.core.selectors import ValuesRows
from apps.marketplace.models import Favorite, TutorProfile, TutorStatus
from apps.marketplace.selectors.tutors import CARD_FIELDS


def favorite_tutors(*, student: User) -> ValuesRows:
    """Rows of ``CARD_FIELDS`` for the student's favourite tutors that are still published, latest saved first."""
    saved = Favorite.objects.filter(student=student, tutor=OuterRef("pk")).values("created_at")[:1]
    favorites = TutorProfile.objects.filter(
        status=TutorStatus.PUBLISHED, pk__in=Favorite.objects.filter(student=student).values("tutor_id")
    )
    return ValuesRows(favorites.annotate(saved_at=Subquery(saved)).order_by("-saved_at", "pk"), CARD_FIELDS)
