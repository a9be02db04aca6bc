"""A tutor's booking rules: weekly hours, date overrides and time off."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.db import transaction

from apps.accounts.models import User
from apps.booking.models import Availability, AvailabilityOverride, WeeklyHours
from apps.booking.services.free_slots import free_slot_index_refresh_later
from apps.core.exceptions import InvalidInputError, NotFoundError, PermissionDeniedError
from apps.core.validators import available_timezones
from apps.marketplace.services import tutor_profile_get_or_create

MAX_OVERRIDE_DAYS = 366


def _check_ranges(ranges: list[tuple[int, int]], *, field: str) -> list[tuple[int, int]]:
    ordered = sorted(ranges)
    for start, end in ordered:
        if not (0 <= start < end <= 1440):
            raise InvalidInputError.for_field(
                field, "Each range must end after it starts, within the day.", code="invalid_range"
            )
    for (_, previous_end), (start, _) in itertools.pairwise(ordered):
        if start < previous_end:
            raise InvalidInputError.for_field(field, "Ranges of one day must not overlap.", code="overlapping_ranges")
    return ordered


def _tutor_availability(user: User) -> Availability:
    if not user.is_tutor:
        raise PermissionDeniedError("Only tutors have availability.", code="not_a_tutor")
    profile = tutor_profile_get_or_create(user=user)
    availability, _ = Availability.objects.get_or_create(tutor=profile, defaults={"timezone": user.timezone})
    return availability


@transaction.atomic
def availability_set(
    *,
    user: User,
    timezone: str,
    weekly: list[dict[str, Any]],
    min_notice_minutes: int,
    max_advance_days: int,
    slot_step_minutes: int,
    buffer_minutes: int,
) -> Availability:
    """Replace the tutor's rules and weekly hours (``weekly``: ``[{weekday, start_minute, end_minute}]``)."""
    if timezone not in available_timezones():
        raise InvalidInputError.for_field("timezone", "Unknown time zone.", code="invalid_timezone")
    if slot_step_minutes not in (15, 30, 60):
        raise InvalidInputError.for_field("slot_step_minutes", "Use 15, 30 or 60.", code="invalid_step")
    if not 1 <= max_advance_days <= 365:
        raise InvalidInputError.for_field("max_advance_days", "Between 1 and 365.", code="out_of_range")
    by_day: dict[int, list[tuple[int, int]]] = {}
    for entry in weekly:
        by_day.setdefault(entry["weekday"], []).append((entry["start_minute"], entry["end_minute"]))
    for day, ranges in by_day.items():
        if not 0 <= day <= 6:
            raise InvalidInputError.for_field("weekly", "Weekdays are 0 (Monday) to 6.", code="invalid_weekday")
        by_day[day] = _check_ranges(ranges, field="weekly")

    availability = _tutor_availability(user)
    availability = Availability.objects.select_for_update().get(pk=availability.pk)
    availability.timezone = timezone
    availability.min_notice_minutes = min_notice_minutes
    availability.max_advance_days = max_advance_days
    availability.slot_step_minutes = slot_step_minutes
    availability.buffer_minutes = buffer_minutes
    availability.save()
    availability.weekly.all().delete()
    WeeklyHours.objects.bulk_create(
        [
            WeeklyHours(availability=availability, weekday=day, start_minute=start, end_minute=end)
            for day, ranges in sorted(by_day.items())
            for start, end in ranges
        ]
    )
    free_slot_index_refresh_later(tutor_id=availability.pk)
    return availability


@transaction.atomic
def override_create(
    *, user: User, start_date: date, end_date: date | None, intervals: list[tuple[int, int]], note: str = ""
) -> AvailabilityOverride:
    """Other hours (or, with no intervals, time off) for a date or a range of dates."""
    end_date = end_date or start_date
    if end_date < start_date:
        raise InvalidInputError.for_field("end_date", "end_date is before start_date.", code="invalid_range")
    if (end_date - start_date).days >= MAX_OVERRIDE_DAYS:
        raise InvalidInputError.for_field("end_date", "At most a year at once.", code="out_of_range")
    ranges = _check_ranges(intervals, field="intervals")
    availability = Availability.objects.select_for_update().get(pk=_tutor_availability(user).pk)
    clash = AvailabilityOverride.objects.filter(
        availability=availability, start_date__lte=end_date, end_date__gte=start_date
    ).exists()
    if clash:
        raise InvalidInputError.for_field(
            "start_date", "These dates already have an override; delete it first.", code="overlapping_override"
        )
    override = AvailabilityOverride.objects.create(
        availability=availability,
        start_date=start_date,
        end_date=end_date,
        intervals=[list(r) for r in ranges],
        note=note,
    )
    free_slot_index_refresh_later(tutor_id=availability.pk)
    return override


def override_delete(*, user: User, override_id: int) -> None:
    deleted, _ = AvailabilityOverride.objects.filter(pk=override_id, availability__tutor_id=user.pk).delete()
    if not deleted:
        raise NotFoundError("No such override.", code="override_not_found")
    free_slot_index_refresh_later(tutor_id=user.pk)
