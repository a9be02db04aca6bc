"""The slot engine against the bugs calendars are known for: DST weeks, half-hour zones, overrides
around midnight, buffers and notice. Pure functions: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apps.booking.slots import Schedule, free_slots

HOUR = timedelta(hours=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def starts(slots: list[tuple[datetime, datetime]]) -> list[str]:
    return [start.strftime("%m-%d %H:%M") for start, _ in slots]


LONG_AGO = utc(2026, 1, 1)


def schedule(zone: str, weekly: dict[int, list[tuple[int, int]]], **rules: object) -> Schedule:
    """A schedule whose booking horizon reaches every date used here from ``LONG_AGO``."""
    rules.setdefault("max_advance", timedelta(days=3650))
    return Schedule(zone=ZoneInfo(zone), weekly=weekly, **rules)  # type: ignore[arg-type]


def test_us_dst_change_keeps_local_times() -> None:
    # New York moves to EDT on Sunday 8 March 2026: Monday 9:00 is 14:00Z before and 13:00Z after.
    s = schedule("America/New_York", {0: [(9 * 60, 10 * 60)]}, step_minutes=60)
    slots = free_slots(s, utc(2026, 3, 1), utc(2026, 3, 15), HOUR, LONG_AGO, [])
    assert starts(slots) == ["03-02 14:00", "03-09 13:00"]


def test_eu_spring_forward_skips_the_missing_hour() -> None:
    # Kyiv jumps from 03:00 to 04:00 on Sunday 29 March 2026: 02:00-05:00 local holds only two real hours.
    s = schedule("Europe/Kyiv", {6: [(2 * 60, 5 * 60)]}, step_minutes=60)
    slots = free_slots(s, utc(2026, 3, 28), utc(2026, 3, 30), HOUR, LONG_AGO, [])
    assert starts(slots) == ["03-29 00:00", "03-29 01:00"]  # 02:00 EET and 04:00 EEST


def test_eu_fall_back_offers_the_repeated_hour_twice() -> None:
    # Kyiv goes from 04:00 back to 03:00 on Sunday 25 October 2026: 02:00-05:00 local is four real hours.
    s = schedule("Europe/Kyiv", {6: [(2 * 60, 5 * 60)]}, step_minutes=60)
    slots = free_slots(s, utc(2026, 10, 24), utc(2026, 10, 26), HOUR, LONG_AGO, [])
    assert starts(slots) == ["10-24 23:00", "10-25 00:00", "10-25 01:00", "10-25 02:00"]


def test_half_hour_zone() -> None:
    s = schedule("Asia/Kolkata", {0: [(9 * 60, 11 * 60)]}, step_minutes=30)
    slots = free_slots(s, utc(2026, 12, 7), utc(2026, 12, 8), timedelta(minutes=50), LONG_AGO, [])
    assert starts(slots) == ["12-07 03:30", "12-07 04:00", "12-07 04:30"]


def test_late_evening_override_crosses_utc_midnight() -> None:
    # Los Angeles, Friday 4 December: 18:00-22:00 local is 02:00-06:00Z on the 5th; weekly Friday hours are replaced.
    s = schedule(
        "America/Los_Angeles",
        {4: [(9 * 60, 10 * 60)]},
        overrides=[(date(2026, 12, 4), date(2026, 12, 4), [(18 * 60, 22 * 60)])],
        step_minutes=60,
    )
    slots = free_slots(s, utc(2026, 12, 4), utc(2026, 12, 6), HOUR, LONG_AGO, [])
    assert starts(slots) == ["12-05 02:00", "12-05 03:00", "12-05 04:00", "12-05 05:00"]


def test_whole_day_override_closes_the_day() -> None:
    s = schedule(
        "Europe/Kyiv",
        {0: [(9 * 60, 11 * 60)], 1: [(9 * 60, 10 * 60)]},
        overrides=[(date(2026, 12, 7), date(2026, 12, 7), [])],
        step_minutes=60,
    )
    slots = free_slots(s, utc(2026, 12, 7), utc(2026, 12, 9), HOUR, LONG_AGO, [])
    assert starts(slots) == ["12-08 07:00"]


def test_time_off_over_several_days() -> None:
    s = schedule(
        "Europe/Kyiv",
        {day: [(9 * 60, 10 * 60)] for day in range(7)},
        overrides=[(date(2026, 12, 24), date(2026, 12, 27), [])],
        step_minutes=60,
    )
    slots = free_slots(s, utc(2026, 12, 23), utc(2026, 12, 29), HOUR, LONG_AGO, [])
    assert starts(slots) == ["12-23 07:00", "12-28 07:00"]


def test_buffers_keep_distance_from_other_lessons() -> None:
    s = schedule("UTC", {0: [(8 * 60, 13 * 60)]}, step_minutes=15, buffer=timedelta(minutes=15))
    busy = [(utc(2026, 12, 7, 10), utc(2026, 12, 7, 11))]
    slots = free_slots(s, utc(2026, 12, 7), utc(2026, 12, 8), HOUR, LONG_AGO, busy)
    taken = set(starts(slots))
    assert "12-07 08:45" in taken  # ends 09:45, buffer kept
    assert "12-07 09:00" not in taken and "12-07 11:00" not in taken
    assert "12-07 11:15" in taken


def test_minimum_notice_around_midnight() -> None:
    s = schedule("Europe/Kyiv", {day: [(0, 24 * 60)] for day in range(7)}, min_notice=timedelta(minutes=30))
    now = datetime(2026, 12, 7, 23, 50, tzinfo=ZoneInfo("Europe/Kyiv"))
    slots = free_slots(s, now - HOUR, now + 2 * HOUR, HOUR, now, [])
    first = slots[0][0].astimezone(ZoneInfo("Europe/Kyiv"))
    assert (first.day, first.hour, first.minute) == (8, 0, 30)


def test_ranges_touching_at_midnight_merge() -> None:
    s = schedule("UTC", {0: [(22 * 60, 24 * 60)], 1: [(0, 2 * 60)]}, step_minutes=30)
    slots = free_slots(s, utc(2026, 12, 7), utc(2026, 12, 9), HOUR, LONG_AGO, [])
    assert "12-07 23:30" in starts(slots)


def test_the_students_own_lessons_are_excluded_without_buffer() -> None:
    s = schedule("UTC", {0: [(8 * 60, 12 * 60)]}, step_minutes=60, buffer=timedelta(minutes=30))
    mine = [(utc(2026, 12, 7, 9), utc(2026, 12, 7, 10))]
    slots = free_slots(s, utc(2026, 12, 7), utc(2026, 12, 8), HOUR, LONG_AGO, [], mine)
    assert starts(slots) == ["12-07 08:00", "12-07 10:00", "12-07 11:00"]


def test_slots_are_sorted_unique_and_in_the_window() -> None:
    s = schedule("UTC", {day: [(8 * 60, 12 * 60), (14 * 60, 16 * 60)] for day in range(7)}, step_minutes=30)
    window = (utc(2026, 12, 7, 9), utc(2026, 12, 9, 9))
    slots = free_slots(s, *window, HOUR, LONG_AGO, [])
    assert slots == sorted(set(slots))
    assert all(window[0] <= start < window[1] for start, _ in slots)
