from __future__ import annotations

from typing import Any

from apps.core.selectors import ValuesRows
from apps.marketplace.models import Review
from apps.marketplace.selectors.tutors import display_name

REVIEW_FIELDS = (
    "id",
    "rating",
    "text",
    "created_at",
    "updated_at",
    "reply",
    "replied_at",
    "student__first_name",
    "student__last_name",
)


def tutor_reviews(*, tutor_id: int) -> ValuesRows:
    """The tutor's reviews, newest first, as rows of ``REVIEW_FIELDS``."""
    return ValuesRows(Review.objects.filter(tutor_id=tutor_id).order_by("-created_at", "-pk"), REVIEW_FIELDS)


def review_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Public review entries: the author as first name and initial only."""
    return [
        {
            "id": row["id"],
            "rating": row["rating"],
            "text": row["text"],
            "author": display_name(row["student__first_name"], row["student__last_name"]),
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "reply": row["reply"] or None,
            "replied_at": row["replied_at"],
        }
        for row in rows
    ]


def review_public(*, review_id: int) -> dict[str, Any]:
    row = Review.objects.filter(pk=review_id).values(*REVIEW_FIELDS).get()
    return review_rows([row])[0]
