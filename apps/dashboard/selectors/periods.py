"""Reporting periods and weekly buckets, in the user's time zone.

A period is a range of local dates, first and last day included, turned into the half-open UTC range
[first day 00:00 local, day after the last 00:00 local). A lesson belongs to a period when its start is
in that range, so a lesson at 23:30 local on the last day is in and one at 00:30 the next day is out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from apps.core.exceptions import InvalidInputError
from apps.core.timeutils import local_to_utc

PERIODS = ("week", "month", "year", "all")
DEFAULT_PERIOD = "all"
CUSTOM_PERIOD = "custom"
CHART_WEEKS = 12
# Dates outside these bounds are refused: far dates cannot be converted to UTC in every zone.
FIRST_DATE = date(1970, 1, 1)
LAST_DATE = date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    name: str  # week, month, year, all or custom
    timezone: str
    first_day: date | None  # local, inclusive; None is unbounded
    last_day: date | None  # local, inclusive; None is unbounded
    start: datetime | None  # UTC, inclusive
    end: datetime | None  # UTC, exclusive

    def q(self, field: str = "start") -> Q:
        """``field`` (a UTC datetime column) falls inside the period."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lt": self.end})
        return condition

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "timezone": self.timezone,
            "from": None if self.first_day is None else self.first_day.isoformat(),
            "to": None if self.last_day is None else self.last_day.isoformat(),
        }


def _calendar_range(name: str, today: date) -> tuple[date | None, date | None]:
    if name == "week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if name == "month":
        first = today.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if name == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if name == "all":
        return None, None
    raise InvalidInputError.for_field("period", f"Use one of {', '.join(PERIODS)}.", code="invalid_period")


def period_resolve(
    *,
    timezone: str,
    now: datetime,
    period: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> Period:
    """The period asked for: ``first_day``/``last_day`` (either may be open), or a calendar ``period``.

    ``week``, ``month`` and ``year`` are the whole current calendar week (Monday to Sunday), month or
    year in ``timezone``; ``all`` (the default) is unbounded.
    """
    zone = ZoneInfo(timezone)
    if first_day is not None or last_day is not None:
        if period is not None:
            raise InvalidInputError.for_field(
                "period", "Give either period or from/to, not both.", code="ambiguous_period"
            )
        name = CUSTOM_PERIOD
        for field, day in (("from", first_day), ("to", last_day)):
            if day is not None and not FIRST_DATE <= day <= LAST_DATE:
                raise InvalidInputError.for_field(
                    field, f"Use a date from {FIRST_DATE} to {LAST_DATE}.", code="date_out_of_range"
                )
        if first_day is not None and last_day is not None and first_day > last_day:
            raise InvalidInputError.for_field("to", "to must not be before from.", code="invalid_range")
    else:
        name = period or DEFAULT_PERIOD
        first_day, last_day = _calendar_range(name, now.astimezone(zone).date())
    return Period(
        name=name,
        timezone=timezone,
        first_day=first_day,
        last_day=last_day,
        start=None if first_day is None else local_to_utc(first_day, 0, zone),
        end=None if last_day is None else local_to_utc(last_day, 1440, zone),
    )


def hours(minutes: int | None) -> str:
    """Minutes as hours with two decimals (``"2.50"``)."""
    return str((Decimal(minutes or 0) / 60).quantize(Decimal("0.01")))


def ratio(part: int, whole: int) -> str | None:
    """``part / whole`` with three decimals, or None when there is nothing to divide."""
    return str((Decimal(part) / whole).quantize(Decimal("0.001"))) if whole else None


def lessons_per_week(lessons: QuerySet[Any], *, timezone: str, now: datetime) -> list[dict[str, Any]]:
    """Completed lessons of ``lessons`` (a Booking queryset) by local week (Monday first), the current
    week and the eleven before it, oldest first; weeks without lessons are zeros. One query."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    mondays = [today - timedelta(days=today.weekday(), weeks=back) for back in range(CHART_WEEKS - 1, -1, -1)]
    rows = (
        lessons.filter(
            start__gte=local_to_utc(mondays[0], 0, zone),
            start__lt=local_to_utc(mondays[-1] + timedelta(days=7), 0, zone),
        )
        .annotate(week=TruncWeek("start", tzinfo=zone))
        .values("week")
        .annotate(lessons=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("week")
    )
    by_week = {row["week"].astimezone(zone).date(): row for row in rows}
    return [
        {
            "week_start": monday.isoformat(),
            "lessons": by_week[monday]["lessons"] if monday in by_week else 0,
            "hours": hours(by_week[monday]["minutes"] if monday in by_week else 0),
        }
        for monday in mondays
    ]
