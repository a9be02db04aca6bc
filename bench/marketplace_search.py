"""Tutor search with 10,000 published tutors: the platform's endpoint against the hand-written reference.

    .venv/bin/python bench/marketplace_search.py                       # embedded SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4sh_bench .venv/bin/python bench/marketplace_search.py

Prints p50/p95 latency and throughput of each endpoint and the reference, and their ratio.
Goal: ratio >= 0.7 and p95 < 50 ms on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import sys
from decimal import Decimal
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
from apps.marketplace.models import (
    ExchangeRate,
    Subject,
    TutorLanguage,
    TutorProfile,
    TutorStatus,
    TutorSubject,
)
from apps.marketplace.services import ranking_score, tutor_search_documents_refresh
from bench.harness import compare, report, server

TUTORS = int(os.environ.get("BENCH_TUTORS", "10000"))
ADJECTIVES = "patient friendly experienced certified creative structured calm energetic native bilingual".split()
WORDS = (
    "i have been teaching for many years and love helping students reach their goals my lessons are clear "
    "structured and fun we practise with real tasks homework is optional but recommended i prepare learners "
    "for exams interviews and everyday life each lesson starts with a short review then new material and "
    "practice i adapt to your pace and learning style my background includes school university and "
    "corporate training students say i explain difficult topics simply i use a shared whiteboard notes "
    "quizzes and spaced repetition book a trial lesson to discuss your level and plan together beginners "
    "welcome adults teenagers children confidence motivation progress feedback reading writing speaking "
    "listening problem solving projects olympiad portfolio deadlines career"
).split()
FIRST = ["Oksana", "Taras", "Iryna", "Dmytro", "Emily", "James", "Olivia", "Piotr", "Anna", "Lucas", "Sofiia"]
LAST = ["Bondarenko", "Melnyk", "Smith", "Nowak", "Patel", "Walker", "Kravchenko", "Becker", "Reid"]
LANGS = ["uk", "en", "de", "pl", "es", "fr"]
LEVELS = ["primary", "secondary", "exam_prep", "university", "adult"]


def seed() -> None:
    if TutorProfile.objects.filter(status=TutorStatus.PUBLISHED).count() >= TUTORS:
        return
    rng = random.Random(7)
    subjects = dict(Subject.objects.filter(parent__isnull=False).values_list("id", "name_en"))
    rates = dict(ExchangeRate.objects.values_list("currency", "per_eur"))
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{i}@bench.test",
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    role=Role.TUTOR,
                    password="!",
                )
                for i in range(TUTORS)
            ],
            batch_size=2000,
        )
        profiles, taught = [], {}
        for user in users:
            taught[user.pk] = rng.sample(list(subjects), 2)
            names = " and ".join(subjects[s] for s in taught[user.pk])
            currency = rng.choice(list(rates))
            rate = Decimal(rng.randrange(10, 60)) * rates[currency]
            count, avg = rng.randrange(0, 200), Decimal(rng.randrange(350, 500)) / 100
            response, lessons = Decimal(rng.randrange(50, 100)) / 100, rng.randrange(0, 2000)
            profiles.append(
                TutorProfile(
                    user=user,
                    status=TutorStatus.PUBLISHED,
                    headline=f"{rng.choice(ADJECTIVES).capitalize()} tutor: {names}",
                    bio=" ".join(rng.choices(WORDS, k=60)),
                    hourly_rate=rate.quantize(Decimal("0.01")),
                    currency=currency,
                    hourly_rate_eur=(rate / rates[currency]).quantize(Decimal("0.000001")),
                    rating_avg=avg if count else None,
                    rating_count=count,
                    response_rate=response,
                    lessons_completed=lessons,
                    ranking_score=ranking_score(
                        rating_avg=avg if count else None,
                        rating_count=count,
                        response_rate=response,
                        lessons_completed=lessons,
                    ),
                )
            )
        TutorProfile.objects.bulk_create(profiles, batch_size=2000)
        TutorSubject.objects.bulk_create(
            [TutorSubject(tutor_id=u.pk, subject_id=s, level=rng.choice(LEVELS)) for u in users for s in taught[u.pk]],
            batch_size=5000,
        )
        TutorLanguage.objects.bulk_create(
            [
                TutorLanguage(tutor_id=u.pk, code=c, is_native=i == 0)
                for u in users
                for i, c in enumerate(rng.sample(LANGS, 2))
            ],
            batch_size=5000,
        )
        tutor_search_documents_refresh(tutor_ids=[u.pk for u in users])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> int:
    call_command("migrate", verbosity=0)
    seed()
    print(f"{TutorProfile.objects.filter(status='published').count()} published tutors on {connection.vendor}")
    combined = "subject=mathematics&language=en&min_price=15&max_price=45&currency=EUR&q=algebra"
    cases = {
        "default listing": ("/api/v1/marketplace/tutors/", "/bench/reference/tutors/"),
        "combined filters + q": (f"/api/v1/marketplace/tutors/?{combined}", f"/bench/reference/tutors/?{combined}"),
    }
    env = {key: os.environ[key] for key in ("DATABASE_URL", "M4SH_VAR_DIR") if key in os.environ}
    env["DB_CONN_MAX_AGE"] = "60"  # persistent connections, as docs/operations.md sets for the WSGI server
    with server(env) as port:
        results = compare(port, cases, rounds=3, requests=100, seconds=3.0)
    ok = report(
        f"Tutor search, {TUTORS} tutors, {connection.vendor}, page 1 (20 results)",
        results,
        min_ratio=0.7,
        max_p95_ms=50,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
