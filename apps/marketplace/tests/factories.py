from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.accounts.models import User
from apps.accounts.tests.factories import UserFactory
from apps.marketplace.models import TutorProfile
from apps.marketplace.services import tutor_profile_update


def make_tutor(
    *,
    user: User | None = None,
    publish: bool = True,
    subjects: list[dict[str, Any]] | None = None,
    languages: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> TutorProfile:
    """A tutor profile built through the same service the API uses (so search documents are real)."""
    user = user or UserFactory(tutor=True)
    data: dict[str, Any] = {
        "headline": "Patient maths tutor",
        "bio": "I help students understand mathematics step by step.",
        "hourly_rate": Decimal("20.00"),
        "currency": "EUR",
        "subjects": subjects if subjects is not None else [{"subject": "algebra", "levels": ["secondary"]}],
        "languages": languages if languages is not None else [{"code": "uk", "proficiency": "c2", "native": True}],
        **fields,
    }
    if publish:
        data["status"] = "published"
    return tutor_profile_update(user=user, data=data)
