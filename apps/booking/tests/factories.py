from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.accounts.tests.factories import UserFactory
from apps.booking.services import availability_set
from apps.marketplace.models import TutorProfile
from apps.marketplace.tests.factories import make_tutor

WEEKDAYS_9_TO_18 = [{"weekday": day, "start_minute": 9 * 60, "end_minute": 18 * 60} for day in range(5)]


def make_bookable_tutor(
    *,
    zone: str = "Europe/Kyiv",
    weekly: list[dict[str, int]] | None = None,
    min_notice_minutes: int = 60,
    max_advance_days: int = 90,
    slot_step_minutes: int = 30,
    buffer_minutes: int = 0,
    **profile: Any,
) -> TutorProfile:
    """A published tutor (20 EUR/hour) with weekly hours, through the same services the API uses."""
    tutor = make_tutor(user=UserFactory(tutor=True, timezone=zone), **profile)
    availability_set(
        user=tutor.user,
        timezone=zone,
        weekly=WEEKDAYS_9_TO_18 if weekly is None else weekly,
        min_notice_minutes=min_notice_minutes,
        max_advance_days=max_advance_days,
        slot_step_minutes=slot_step_minutes,
        buffer_minutes=buffer_minutes,
    )
    return tutor


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
