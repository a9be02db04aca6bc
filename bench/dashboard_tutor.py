"""The tutor dashboard of a busy tutor (5,000 lessons, 300 students) against a hand-written reference.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4sh_bench .venv/bin/python bench/dashboard_tutor.py
    .venv/bin/python bench/dashboard_tutor.py                       # embedded SQLite (var/bench)

Seeds the tutor's lessons afresh around the current time (bulk inserts; holding lessons never overlap,
as PostgreSQL's exclusion constraints require), serves the app with gunicorn (one sync worker) and
requests ``GET /api/v1/dashboard/tutor/`` and the reference (``bench/dashboard_reference.py``) with the
same real JWT, after checking that both answer the same numbers. Prints p50/p95 latency, throughput and
their ratio. Goal: ratio >= 0.7 and p95 < 50 ms on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SETTINGS = "bench.dashboard_settings"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
os.environ.setdefault("JWT_ACCESS_MINUTES", str(24 * 60))  # the token outlives the run
if "DATABASE_URL" not in os.environ:
    os.environ["M4SH_VAR_DIR"] = str(ROOT / "var" / "bench")

import django

django.setup()

import orjson
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.services import token_pair_issue
from apps.booking.models import Booking
from apps.classroom.models import ClassroomSession
from apps.marketplace.models import Review, Subject, TutorStudent
from apps.marketplace.services import tutor_profile_update
from apps.marketplace.services.stats import tutor_rating_refresh
from bench.harness import compare, get, report, server

LESSONS = int(os.environ.get("BENCH_LESSONS", "5000"))
STUDENTS = int(os.environ.get("BENCH_STUDENTS", "300"))
CONFIRMED_AHEAD = 400  # upcoming confirmed lessons
REQUESTS = 60  # pending requests
SPACING = timedelta(hours=3)  # between two lessons of the tutor: holding lessons never overlap
TUTOR_EMAIL = "dashboard-tutor@bench.test"


def tutor() -> User:
    user, created = User.objects.get_or_create(
        email=TUTOR_EMAIL,
        defaults={"first_name": "Dashboard", "last_name": "Bench", "role": Role.TUTOR, "timezone": "Europe/Kyiv"},
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
    return user


def students() -> list[int]:
    emails = [f"dashboard-student{i}@bench.test" for i in range(STUDENTS)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    zones = ["Europe/Kyiv", "America/New_York", "Europe/Warsaw", "Asia/Tokyo"]
    User.objects.bulk_create(
        [
            User(email=email, first_name=f"Student{i}", last_name="Bench", role=Role.STUDENT, timezone=zones[i % 4])
            for i, email in enumerate(emails)
            if email not in existing
        ]
    )
    by_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    return [by_email[email] for email in emails]


def lesson_rows(tutor_id: int, student_ids: list[int], now: datetime) -> list[Booking]:
    """The tutor's lessons: past ones in every state, upcoming confirmed ones and pending requests."""
    rng = random.Random(11)
    base = now.replace(minute=0, second=0, microsecond=0)
    subject_id = Subject.objects.get(slug="algebra").pk
    rows = []
    past = LESSONS - CONFIRMED_AHEAD - REQUESTS
    for i in range(LESSONS):
        start = base - SPACING * (i + 1) if i < past else base + SPACING * (i - past + 1)
        minutes = rng.choice([30, 50, 60])
        usd = i % 10 == 0
        booking = Booking(
            tutor_id=tutor_id,
            student_id=student_ids[i % len(student_ids)],
            subject_id=subject_id if i % 3 else None,
            start=start,
            end=start + timedelta(minutes=minutes),
            duration_minutes=minutes,
            price=Decimal("25.00") if usd else (Decimal(20 * minutes) / 60).quantize(Decimal("0.01")),
            currency="USD" if usd else "EUR",
        )
        booking.created_at = min(start - timedelta(days=3), now - timedelta(hours=12))
        answered = booking.created_at + timedelta(minutes=rng.randrange(1, 600))
        booking.expires_at = min(booking.created_at + timedelta(hours=24), start)
        draw = rng.random()
        if i >= past + CONFIRMED_AHEAD:  # a request waiting for an answer
            booking.created_at = now - timedelta(minutes=rng.randrange(1, 1200))
            booking.expires_at = booking.created_at + timedelta(hours=24)
        elif i >= past:
            booking.status, booking.confirmed_at = "confirmed", answered
        elif draw < 0.80:
            booking.status, booking.confirmed_at, booking.completed_at = "completed", answered, booking.end
        elif draw < 0.86:
            booking.status = "cancelled"
            booking.cancelled_by_role = "student" if rng.random() < 0.7 else "tutor"
            booking.confirmed_at = answered if rng.random() < 0.7 else None
            booking.late_cancellation = booking.confirmed_at is not None and rng.random() < 0.3
            booking.cancelled_at = start - (timedelta(hours=2) if booking.late_cancellation else timedelta(days=1))
        elif draw < 0.90:
            booking.status, booking.confirmed_at, booking.completed_at = "no_show", answered, booking.end
        elif draw < 0.95:
            booking.status, booking.declined_at = "declined", answered
        else:
            booking.status = "expired"
        rows.append(booking)
    return rows


def seed(tutor_id: int, student_ids: list[int]) -> None:
    now = timezone.now()
    rows = lesson_rows(tutor_id, student_ids, now)
    with transaction.atomic():
        Booking.objects.filter(tutor_id=tutor_id).delete()
        TutorStudent.objects.filter(tutor_id=tutor_id).delete()
        Booking.objects.bulk_create(rows, batch_size=2000)  # with the request times set above
        rng = random.Random(5)
        sessions = []
        for booking in rows:
            if booking.status in ("confirmed", "completed", "no_show"):
                absent = booking.status == "no_show"
                student_absent = absent and rng.random() < 0.7
                sessions.append(
                    ClassroomSession(
                        booking=booking,
                        status="scheduled" if booking.status == "confirmed" else "completed",
                        student_no_show=student_absent,
                        tutor_no_show=absent and not student_absent,
                    )
                )
        ClassroomSession.objects.bulk_create(sessions, batch_size=2000)
        Review.objects.bulk_create(
            [
                Review(
                    booking=booking,
                    tutor_id=tutor_id,
                    student_id=booking.student_id,
                    rating=rng.choice([3, 4, 5, 5, 5]),
                    created_at=booking.end + timedelta(hours=1),
                    updated_at=booking.end + timedelta(hours=1),
                )
                for index, booking in enumerate(rows)
                if booking.status == "completed" and index % 4 == 0
            ],
            batch_size=2000,
        )
        TutorStudent.objects.bulk_create(
            [
                TutorStudent(
                    tutor_id=tutor_id, student_id=pk, first_confirmed_at=now - timedelta(days=700), is_assigned=True
                )
                for pk in student_ids
            ]
        )
        tutor_rating_refresh(tutor_id=tutor_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def same_numbers(port: int, headers: dict[str, str]) -> None:
    """The endpoint and the reference answer the same body (the seconds left on requests may tick)."""
    bodies = []
    for path in ("/api/v1/dashboard/tutor/", "/bench/reference/dashboard/tutor/"):
        status, raw = get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {raw[:300]!r}")
        body = orjson.loads(raw)
        for request in body["upcoming"]["requests"]["results"]:
            request.pop("expires_in_seconds")
        bodies.append(body)
    if bodies[0] != bodies[1]:
        raise RuntimeError(f"the endpoint and the reference disagree:\n{bodies[0]}\n{bodies[1]}")


def main() -> int:
    call_command("migrate", verbosity=0)
    user = tutor()
    student_ids = students()
    seed(user.pk, student_ids)
    print(
        f"{Booking.objects.filter(tutor_id=user.pk).count()} lessons, "
        f"{TutorStudent.objects.filter(tutor_id=user.pk).count()} students on {connection.vendor}"
    )
    headers = {"Authorization": f"Bearer {token_pair_issue(user=user).access}"}
    env = {key: os.environ[key] for key in ("DATABASE_URL", "M4SH_VAR_DIR", "JWT_ACCESS_MINUTES") if key in os.environ}
    env["DB_CONN_MAX_AGE"] = "60"  # persistent connections, as docs/operations.md sets for the WSGI server
    cases = {"tutor dashboard": ("/api/v1/dashboard/tutor/", "/bench/reference/dashboard/tutor/")}
    with server(env, SETTINGS) as port:
        same_numbers(port, headers)
        results = compare(port, cases, rounds=3, requests=100, seconds=3.0, headers=headers)
    ok = report(
        f"Tutor dashboard, {LESSONS} lessons and {STUDENTS} students, {connection.vendor}",
        results,
        min_ratio=0.7,
        max_p95_ms=50,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
