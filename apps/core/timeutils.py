from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """A local wall time (minutes from midnight, 1440 is the next midnight) to UTC.

    A wall time skipped by a DST change moves forward; a repeated one means its first occurrence.
    """
    if minute >= 1440:
        day, minute = day + timedelta(days=1), minute - 1440
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone).astimezone(UTC)


def iso_utc(moment: datetime | None) -> str | None:
    """``2026-12-02T09:00:00Z``."""
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
