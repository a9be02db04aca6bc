"""Demo marketplace for `make run`: 44 published tutors over many subjects, languages, prices and zones.

Deterministic and idempotent: tutors are keyed by e-mail and only created when missing.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from apps.accounts.demo import demo_user_create
from apps.accounts.models import Role, User
from apps.marketplace.models import TutorProfile
from apps.marketplace.services import tutor_profile_update

UA_FIRST = [
    "Oksana",
    "Taras",
    "Iryna",
    "Dmytro",
    "Kateryna",
    "Bohdan",
    "Sofiia",
    "Yurii",
    "Nataliia",
    "Maksym",
    "Olha",
    "Serhii",
    "Khrystyna",
    "Volodymyr",
    "Yuliia",
    "Ostap",
    "Mariia",
    "Roman",
    "Halyna",
    "Vasyl",
]
UA_LAST = [
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Melnyk",
    "Shevchuk",
    "Polishchuk",
    "Lysenko",
    "Marchenko",
    "Savchenko",
    "Rudenko",
    "Moroz",
    "Pavlenko",
    "Kovalchuk",
    "Hnatiuk",
    "Zinchenko",
    "Lytvyn",
]
EN_FIRST = [
    "Emily",
    "James",
    "Olivia",
    "Daniel",
    "Sophie",
    "Michael",
    "Grace",
    "Thomas",
    "Hannah",
    "Lucas",
    "Chloe",
    "Ethan",
    "Priya",
    "Arjun",
    "Anna",
    "Piotr",
]
EN_LAST = [
    "Smith",
    "Walker",
    "Turner",
    "Bennett",
    "Hughes",
    "Foster",
    "Morgan",
    "Patel",
    "Sharma",
    "Kowalski",
    "Nowak",
    "Becker",
    "Wright",
    "Reid",
]

OFFERS: list[dict[str, Any]] = [
    {
        "subject": "algebra",
        "levels": ["secondary", "exam_prep"],
        "en": "Algebra for the NMT and school exams",
        "uk": "Алгебра для НМТ та шкільних іспитів",
    },
    {
        "subject": "geometry",
        "levels": ["secondary"],
        "en": "Geometry that finally makes sense",
        "uk": "Геометрія, яка нарешті зрозуміла",
    },
    {
        "subject": "calculus",
        "levels": ["university"],
        "en": "University calculus without fear",
        "uk": "Матаналіз для студентів без страху",
    },
    {
        "subject": "statistics",
        "levels": ["university", "adult"],
        "en": "Statistics for research and work",
        "uk": "Статистика для досліджень і роботи",
    },
    {
        "subject": "english",
        "levels": ["adult", "exam_prep"],
        "en": "IELTS and conversational English",
        "uk": "IELTS та розмовна англійська",
    },
    {
        "subject": "english",
        "levels": ["primary", "secondary"],
        "en": "English for kids and teens",
        "uk": "Англійська для дітей і підлітків",
    },
    {
        "subject": "ukrainian",
        "levels": ["secondary", "exam_prep"],
        "en": "Ukrainian language for the NMT",
        "uk": "Українська мова для НМТ",
    },
    {
        "subject": "ukrainian",
        "levels": ["adult"],
        "en": "Ukrainian for foreigners, from zero",
        "uk": "Українська для іноземців з нуля",
    },
    {
        "subject": "german",
        "levels": ["adult"],
        "en": "German A1–B2 for work and study",
        "uk": "Німецька A1–B2 для роботи та навчання",
    },
    {"subject": "polish", "levels": ["adult"], "en": "Polish for life in Poland", "uk": "Польська для життя в Польщі"},
    {
        "subject": "spanish",
        "levels": ["adult", "secondary"],
        "en": "Spanish through conversation",
        "uk": "Іспанська через розмову",
    },
    {
        "subject": "physics",
        "levels": ["secondary", "exam_prep"],
        "en": "Physics problems step by step",
        "uk": "Задачі з фізики крок за кроком",
    },
    {
        "subject": "chemistry",
        "levels": ["secondary"],
        "en": "Chemistry with experiments at home",
        "uk": "Хімія з домашніми дослідами",
    },
    {
        "subject": "biology",
        "levels": ["secondary", "exam_prep"],
        "en": "Biology for medical school entrance",
        "uk": "Біологія для вступу на медичний",
    },
    {
        "subject": "python",
        "levels": ["adult", "university"],
        "en": "Python from first script to first job",
        "uk": "Python від першого скрипта до першої роботи",
    },
    {
        "subject": "javascript",
        "levels": ["adult"],
        "en": "JavaScript and web development",
        "uk": "JavaScript і веброзробка",
    },
    {
        "subject": "computer-science",
        "levels": ["secondary", "university"],
        "en": "Algorithms and olympiad informatics",
        "uk": "Алгоритми та олімпіадна інформатика",
    },
    {
        "subject": "history",
        "levels": ["secondary", "exam_prep"],
        "en": "History of Ukraine for the NMT",
        "uk": "Історія України для НМТ",
    },
    {
        "subject": "piano",
        "levels": ["primary", "adult"],
        "en": "Piano for beginners of any age",
        "uk": "Фортепіано для початківців будь-якого віку",
    },
    {
        "subject": "guitar",
        "levels": ["adult"],
        "en": "Guitar: chords, rhythm, songs",
        "uk": "Гітара: акорди, ритм, пісні",
    },
    {
        "subject": "literature",
        "levels": ["secondary"],
        "en": "Literature essays that score",
        "uk": "Твори з літератури на високий бал",
    },
]
UA_ZONES = ["Europe/Kyiv", "Europe/Kyiv", "Europe/Warsaw", "Europe/Berlin"]
EN_ZONES = [
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "America/Toronto",
]
PRICES = {"UAH": (300, 1200, 50), "EUR": (12, 45, 1), "USD": (15, 60, 5), "GBP": (15, 50, 5), "PLN": (60, 200, 10)}

DEMO_TUTOR_COUNT = 44


def _profile_data(rng: random.Random, index: int, ukrainian: bool) -> dict[str, Any]:
    offer = OFFERS[index % len(OFFERS)]
    second = OFFERS[(index * 7 + 3) % len(OFFERS)]
    subjects = [{"subject": offer["subject"], "levels": offer["levels"]}]
    if second["subject"] != offer["subject"] and rng.random() < 0.4:
        subjects.append({"subject": second["subject"], "levels": second["levels"][:1]})
    currency = rng.choice(["UAH", "UAH", "EUR", "PLN"]) if ukrainian else rng.choice(["USD", "EUR", "GBP"])
    low, high, step = PRICES[currency]
    rate = Decimal(rng.randrange(low, high + 1, step))
    if ukrainian:
        languages = [{"code": "uk", "native": True}, {"code": "en", "proficiency": rng.choice(["b2", "c1", "c2"])}]
        if offer["subject"] in {"german", "polish", "spanish"}:
            languages.append(
                {"code": {"german": "de", "polish": "pl", "spanish": "es"}[offer["subject"]], "proficiency": "c1"}
            )
        headline = offer["uk"]
        bio = (
            f"Викладаю {rng.randint(2, 15)} років. {offer['uk']}: пояснюю просто, даю домашні завдання "
            "і відстежую прогрес. Перший урок: знайомство, діагностика рівня і план занять."
        )
    else:
        languages = [{"code": "en", "native": True}]
        if rng.random() < 0.5:
            languages.append(
                {"code": rng.choice(["de", "fr", "es", "pl", "hi"]), "proficiency": rng.choice(["b1", "b2", "c1"])}
            )
        headline = offer["en"]
        bio = (
            f"I have taught for {rng.randint(2, 15)} years. {offer['en']}: clear explanations, practice between "
            "lessons and regular progress checks. The first lesson is for getting to know your goals and level."
        )
    return {
        "headline": headline,
        "bio": bio,
        "hourly_rate": rate,
        "currency": currency,
        "trial_price": (rate / 2).quantize(Decimal("1")),
        "trial_minutes": rng.choice([25, 30]),
        "education": "MSc, Taras Shevchenko National University of Kyiv" if ukrainian else "MA in Education",
        "experience": "School teacher and private tutor.",
        "experience_years": rng.randint(2, 15),
        "accepting_students": rng.random() > 0.1,
        "subjects": subjects,
        "languages": languages,
        "status": "published",
    }


def load() -> int:
    """Create the demo tutors that are missing; returns how many published demo profiles exist."""
    rng = random.Random(2026)
    for index in range(DEMO_TUTOR_COUNT):
        ukrainian = index % 3 != 2
        first = rng.choice(UA_FIRST if ukrainian else EN_FIRST)
        last = rng.choice(UA_LAST if ukrainian else EN_LAST)
        zone = rng.choice(UA_ZONES if ukrainian else EN_ZONES)
        data = _profile_data(rng, index, ukrainian)
        email = f"tutor{index + 1:02d}@m4sh.demo"
        if User.objects.filter(email=email).exists():
            continue
        user = demo_user_create(email, first, last, Role.TUTOR, zone, "uk" if ukrainian else "en")
        tutor_profile_update(user=user, data=data)
    for email, index in (("tutor@m4sh.demo", 0), ("tutor2@m4sh.demo", 4)):
        user = User.objects.get(email=email)
        if not TutorProfile.objects.filter(pk=user.pk).exists():
            tutor_profile_update(user=user, data=_profile_data(random.Random(index), index, user.locale == "uk"))
    return TutorProfile.objects.filter(user__email__endswith="@m4sh.demo", status="published").count()
