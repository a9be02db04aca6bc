"""Slot computation cost does not grow with bookings outside the asked window.

    .venv/bin/python bench/booking_slots.py                       # embedded SQLite (var/bench)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4sh_bench .venv/bin/python bench/booking_slots.py

Two tutors with the same hours and the same lessons inside a 31-day window; one has 100 bookings
outside it, the other 100,000. Prints the p50 time of computing the window's slots for each and their
ratio (goal <= 1.5), and the p50/p95 of the slots endpoint for the 100,000-booking tutor.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["M4SH_VAR_DIR"] = str(ROOT / "var" / "bench")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from apps.accounts.models import Role, User
from apps.booking.models import Booking
from apps.booking.selectors import tutor_free_slots
from apps.booking.services import availability_set
from apps.marketplace.services import tutor_profile_update
from bench.harness import latency, server

SIZES = {"small": 100, "large": 100_000}
WEEKLY = [{"weekday": d, "start_minute": 8 * 60, "end_minute": 20 * 60} for d in range(7)]
WINDOW_START = datetime(2027, 3, 1, tzinfo=UTC)
WINDOW = timedelta(days=31)


def tutor(name: str) -> int:
    user, created = User.objects.get_or_create(
        email=f"slots-{name}@bench.test",
        defaults={"first_name": name, "last_name": "Bench", "role": Role.TUTOR, "timezone": "Europe/Kyiv"},
    )
    if created:
        data = {
            "headline": "Bench",
            "bio": "Bench tutor",
            "hourly_rate": 20,
            "currency": "EUR",
            "subjects": [{"subject": "algebra", "levels": ["adult"]}],
            "languages": [{"code": "en"}],
            "status": "published",
        }
        tutor_profile_update(user=user, data=data)
        availability_set(
            user=user,
            timezone="Europe/Kyiv",
            weekly=WEEKLY,
            min_notice_minutes=0,
            max_advance_days=365,
            slot_step_minutes=15,
            buffer_minutes=10,
        )
    return user.pk


def seed(tutor_id: int, outside: int) -> None:
    if Booking.objects.filter(tutor_id=tutor_id).count() >= outside:
        return
    student, _ = User.objects.get_or_create(
        email=f"slots-student-{tutor_id}@bench.test",
        defaults={"first_name": "S", "last_name": "B", "role": Role.STUDENT},
    )
    common = {"tutor_id": tutor_id, "student": student, "duration_minutes": 50, "price": 10, "currency": "EUR"}
    rows = []
    for i in range(outside):  # before the window (completed) and after it (confirmed), an hour apart
        if i % 10:
            start = WINDOW_START - timedelta(hours=2 + i)
            rows.append(Booking(start=start, end=start + timedelta(minutes=50), status="completed", **common))
        else:
            start = WINDOW_START + WINDOW + timedelta(days=2, hours=i)
            rows.append(Booking(start=start, end=start + timedelta(minutes=50), status="confirmed", **common))
    for day in range(31):  # the same lessons inside the window for both tutors
        start = WINDOW_START + timedelta(days=day, hours=9)
        rows.append(Booking(start=start, end=start + timedelta(minutes=50), status="confirmed", **common))
    with transaction.atomic():
        Booking.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE booking_booking")


def compute(tutor_id: int) -> float:
    started = time.perf_counter()
    slots = tutor_free_slots(
        tutor_id=tutor_id,
        window_start=WINDOW_START,
        window_end=WINDOW_START + WINDOW,
        duration=timedelta(minutes=50),
        now=WINDOW_START - timedelta(days=1),
    )
    elapsed = (time.perf_counter() - started) * 1000
    assert slots, "no slots computed"
    return elapsed


def main() -> int:
    call_command("migrate", verbosity=0)
    ids = {name: tutor(name) for name in SIZES}
    for name, count in SIZES.items():
        seed(ids[name], count)
    timings: dict[str, list[float]] = {name: [] for name in SIZES}
    for _ in range(5):
        compute(ids["small"]), compute(ids["large"])  # warm-up
    for _ in range(60):
        for name in SIZES:
            timings[name].append(compute(ids[name]))
    small, large = statistics.median(timings["small"]), statistics.median(timings["large"])
    ratio = large / small
    print(f"\nSlots of a 31-day window, 50-minute lessons, step 15, on {connection.vendor}")
    print(f"{'bookings outside the window':<30}{'p50 ms':>9}{'p95 ms':>9}")
    for name, count in SIZES.items():
        p95 = statistics.quantiles(timings[name], n=20)[-1]
        print(f"{count:<30}{statistics.median(timings[name]):>9.2f}{p95:>9.2f}")
    print(f"ratio 100,000 / 100: {ratio:.2f} (goal <= 1.5)")

    env = {key: os.environ[key] for key in ("DATABASE_URL", "M4SH_VAR_DIR") if key in os.environ}
    env["DB_CONN_MAX_AGE"] = "60"
    end = WINDOW_START + WINDOW
    path = (
        f"/api/v1/booking/tutors/{ids['large']}/slots/?start={WINDOW_START:%Y-%m-%dT%H:%M:%SZ}"
        f"&end={end:%Y-%m-%dT%H:%M:%SZ}&duration=50"
    )
    with server(env) as port:
        latency(port, path, 20)
        samples = latency(port, path, 200)
    p95 = statistics.quantiles(samples, n=20)[-1]
    print(f"slots endpoint at 100,000 bookings: p50 {statistics.median(samples):.2f} ms, p95 {p95:.2f} ms")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
