"""Filters that show the dashboard selectors' JSON-ready values (ISO times, decimal strings) to people."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def local(moment: str | None, zone: str) -> datetime | None:
    """An ISO 8601 UTC time (``2026-11-27T17:15:00Z``) in the IANA ``zone``."""
    parsed = parse_datetime(moment) if moment else None
    return None if parsed is None else parsed.astimezone(ZoneInfo(zone))


@register.filter
def percent(rate: str | None) -> str:
    """A rate string (``"0.909"``) as a percentage (``90.9 %``); a dash when there is none."""
    return "–" if rate is None else f"{(Decimal(rate) * 100).quantize(Decimal('0.1'))} %"


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds as hours and minutes (``2 h 05 min``); a dash when there are none."""
    if seconds is None:
        return "–"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@register.filter
def bar(lessons: int, weeks: list[dict[str, object]]) -> int:
    """The height of a week's bar, in percent of the busiest of ``weeks``."""
    busiest = max((int(week["lessons"]) for week in weeks), default=0)  # type: ignore[call-overload]
    return round(100 * lessons / busiest) if busiest else 0
