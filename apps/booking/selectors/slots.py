from __future__ import annotations

from datetime import datetime, timedelta

from apps.booking.selectors.availability import tutor_schedule
from apps.booking.selectors.bookings import busy_intervals
from apps.booking.slots import Interval, free_slots


def tutor_free_slots(
    *,
    tutor_id: int,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    now: datetime,
    student_id: int | None = None,
    exclude_booking_id: int | None = None,
) -> list[Interval]:
    """Free slots of ``duration`` starting in the window, for the asking student if given.

    A fixed number of queries: the schedule (2), the tutor's bookings near the window and the student's.
    """
    window_start = max(window_start, now)
    if window_end <= window_start:
        return []
    schedule = tutor_schedule(tutor_id=tutor_id, first_day=window_start.date(), last_day=window_end.date())
    if schedule is None:
        return []
    margin = schedule.buffer + duration
    tutor_busy = busy_intervals(
        tutor_id=tutor_id,
        start=window_start - margin,
        end=window_end + margin,
        now=now,
        exclude_booking_id=exclude_booking_id,
    )
    student_busy = (
        busy_intervals(
            student_id=student_id,
            start=window_start - duration,
            end=window_end + duration,
            now=now,
            exclude_booking_id=exclude_booking_id,
        )
        if student_id is not None
        else []
    )
    return free_slots(schedule, window_start, window_end, duration, now, tutor_busy, student_busy)
