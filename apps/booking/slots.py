"""Turning a tutor's weekly hours and date overrides into bookable slots (pure functions, no database).

Hours are expanded date by date in the tutor's zone and only then converted to UTC, so a DST change
or a half-hour zone moves the UTC times and never the local ones. Ranges that touch across midnight
merge, so a lesson may run from 23:30 into the next day when both days are open.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apps.core.timeutils import local_to_utc

Minutes = tuple[int, int]  # [start, end) in minutes from local midnight; end up to 1440
Interval = tuple[datetime, datetime]  # [start, end) in UTC


@dataclass(frozen=True)
class Schedule:
    zone: ZoneInfo
    weekly: dict[int, list[Minutes]]  # weekday (Monday 0) -> ranges
    overrides: list[tuple[date, date, list[Minutes]]] = field(default_factory=list)  # inclusive dates
    step_minutes: int = 30
    min_notice: timedelta = timedelta(0)
    max_advance: timedelta = timedelta(days=90)
    buffer: timedelta = timedelta(0)

    def ranges_on(self, day: date) -> list[Minutes]:
        """The open ranges of a local date: an override covering it wins over the weekly hours."""
        for first, last, ranges in self.overrides:
            if first <= day <= last:
                return ranges
        return self.weekly.get(day.weekday(), [])


def open_intervals(schedule: Schedule, window_start: datetime, window_end: datetime) -> list[Interval]:
    """Open UTC intervals around a window, merged where they touch or overlap."""
    first = window_start.astimezone(schedule.zone).date() - timedelta(days=1)
    last = window_end.astimezone(schedule.zone).date() + timedelta(days=1)
    intervals: list[Interval] = []
    day = first
    while day <= last:
        for start, end in schedule.ranges_on(day):
            intervals.append((local_to_utc(day, start, schedule.zone), local_to_utc(day, end, schedule.zone)))
        day += timedelta(days=1)
    intervals.sort()
    merged: list[Interval] = []
    for start, end in intervals:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def candidate_slots(
    schedule: Schedule, window_start: datetime, window_end: datetime, duration: timedelta, now: datetime
) -> Iterator[Interval]:
    """Slots on the tutor's grid inside the open hours whose start is in [window_start, window_end),
    respecting minimum notice and the booking horizon (bookings are not considered here)."""
    step = timedelta(minutes=schedule.step_minutes)
    earliest = max(window_start, now + schedule.min_notice)
    latest = min(window_end, now + schedule.max_advance)
    for start, end in open_intervals(schedule, window_start, window_end):
        slot = start
        if slot < earliest:  # jump to the first grid point at or after the earliest start
            slot += step * -(-(earliest - slot) // step)
        while slot + duration <= end and slot < latest:
            yield slot, slot + duration
            slot += step


class BusyTimes:
    """Sorted busy intervals, for asking quickly whether a slot collides with any of them."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        merged: list[Interval] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._starts = [start for start, _ in merged]
        self._intervals = merged

    def collides(self, start: datetime, end: datetime) -> bool:
        index = bisect.bisect_left(self._starts, end)  # intervals starting before the slot ends
        return index > 0 and self._intervals[index - 1][1] > start


def free_slots(
    schedule: Schedule,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    now: datetime,
    tutor_busy: Iterable[Interval],
    student_busy: Iterable[Interval] = (),
) -> list[Interval]:
    """Bookable slots: candidates that keep the tutor's buffer around their lessons and do not collide
    with the student's own lessons."""
    busy = BusyTimes(
        [(start - schedule.buffer, end + schedule.buffer) for start, end in tutor_busy] + list(student_busy)
    )
    return [
        (start, end)
        for start, end in candidate_slots(schedule, window_start, window_end, duration, now)
        if not busy.collides(start, end)
    ]
