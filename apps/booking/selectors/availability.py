from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from apps.booking.models import Availability, AvailabilityOverride
from apps.booking.slots import Schedule


def availability_get(*, tutor_id: int) -> Availability | None:
    return Availability.objects.filter(tutor_id=tutor_id).prefetch_related("weekly").first()


def override_list(*, tutor_id: int, from_date: date | None = None) -> list[AvailabilityOverride]:
    qs = AvailabilityOverride.objects.filter(availability__tutor_id=tutor_id)
    if from_date is not None:
        qs = qs.filter(end_date__gte=from_date)
    return list(qs.order_by("start_date"))


def tutor_schedule(*, tutor_id: int, first_day: date, last_day: date) -> Schedule | None:
    """The tutor's schedule with the overrides that touch ``first_day``..``last_day`` (two queries)."""
    availability = availability_get(tutor_id=tutor_id)
    if availability is None:
        return None
    weekly: dict[int, list[tuple[int, int]]] = {}
    for rule in availability.weekly.all():
        weekly.setdefault(rule.weekday, []).append((rule.start_minute, rule.end_minute))
    overrides = [
        (o.start_date, o.end_date, [(int(s), int(e)) for s, e in o.intervals])
        for o in AvailabilityOverride.objects.filter(
            availability=availability,
            start_date__lte=last_day + timedelta(days=2),
            end_date__gte=first_day - timedelta(days=2),
        )
    ]
    return Schedule(
        zone=ZoneInfo(availability.timezone),
        weekly=weekly,
        overrides=overrides,
        step_minutes=availability.slot_step_minutes,
        min_notice=timedelta(minutes=availability.min_notice_minutes),
        max_advance=timedelta(days=availability.max_advance_days),
        buffer=timedelta(minutes=availability.buffer_minutes),
    )
