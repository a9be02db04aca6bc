"""Reads of tutor profiles: search, public cards and profiles.

A page of search results costs a fixed number of queries: the count, the page of profile rows, the
page's subjects and the page's languages, whatever the page size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone

from apps.accounts.models import User
from apps.core.selectors import ValuesRows
from apps.core.timeutils import local_to_utc
from apps.marketplace.models import FreeSlot, TutorLanguage, TutorProfile, TutorStatus, TutorSubject
from apps.marketplace.selectors.catalogue import subject_ids_with_descendants, to_eur

ORDERINGS: dict[str, tuple[str, ...]] = {
    "best_match": ("-ranking_score", "pk"),
    "price": ("hourly_rate_eur", "pk"),
    "-price": ("-hourly_rate_eur", "pk"),
    "rating": (F("rating_avg").desc(nulls_last=True), "-rating_count", "pk"),  # type: ignore[dict-item]
    "reviews": ("-rating_count", "-ranking_score", "pk"),
    "newest": ("-published_at", "pk"),
}
# Converted prices are stored to 6 decimals; a bound this small absorbs the rounding of the conversion.
PRICE_TOLERANCE_EUR = Decimal("0.00001")
MAX_QUERY_TERMS = 8
AVAILABILITY_HORIZON = timedelta(days=14)

CARD_FIELDS = (
    "pk",
    "user__first_name",
    "user__last_name",
    "user__timezone",
    "user__date_joined",
    "headline",
    "hourly_rate",
    "currency",
    "trial_price",
    "trial_minutes",
    "accepting_students",
    "rating_avg",
    "rating_count",
    "lessons_completed",
    "response_rate",
    "response_time_seconds",
)
DETAIL_FIELDS = (*CARD_FIELDS, "bio", "education", "experience", "experience_years", "intro_video_url", "status")


@dataclass(frozen=True)
class TutorSearchFilters:
    subject: str | None = None
    level: str | None = None
    language: str | None = None
    native: bool | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    currency: str = "EUR"
    q: str | None = None
    ordering: str = "best_match"
    # "Free in this part of the week", in the student's zone ``tz``: weekdays (Monday 0) and minutes.
    available_days: tuple[int, ...] | None = None
    available_from: int | None = None
    available_to: int | None = None
    tz: str = "UTC"

    @property
    def wants_availability(self) -> bool:
        return self.available_days is not None or self.available_from is not None or self.available_to is not None


def query_terms(q: str | None) -> list[str]:
    """Lower-cased word terms of a free-text query (letters and digits only, so safe in a tsquery)."""
    return re.findall(r"\w+", (q or "").lower())[:MAX_QUERY_TERMS]


def _full_text(qs: QuerySet[TutorProfile], terms: list[str]) -> QuerySet[TutorProfile]:
    """Filter by every term (as a prefix) and annotate ``relevance``.

    PostgreSQL: the weighted tsvector (name, headline and subjects weigh A, the rest C) and ts_rank.
    SQLite: substring matches in the two lower-cased search texts, weighted 2 and 1.
    """
    if connection.vendor == "postgresql":
        query = SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple")
        return qs.filter(search_document=query).annotate(relevance=SearchRank(F("search_document"), query))
    relevance: Combinable = Value(0.0)
    for term in terms:
        qs = qs.filter(Q(search_text__contains=term) | Q(search_text_extra__contains=term))
        relevance = (
            relevance
            + Case(When(search_text__contains=term, then=Value(2.0)), default=Value(0.0), output_field=FloatField())
            + Case(
                When(search_text_extra__contains=term, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
            )
        )
    return qs.annotate(relevance=relevance)


def availability_ranges(filters: TutorSearchFilters, now: datetime) -> list[tuple[datetime, datetime]]:
    """The UTC ranges of the coming 14 days that fall in the student's chosen days and hours."""
    zone = ZoneInfo(filters.tz)
    days = set(filters.available_days if filters.available_days is not None else range(7))
    start_minute = filters.available_from or 0
    end_minute = 1440 if filters.available_to is None else filters.available_to
    horizon = now + AVAILABILITY_HORIZON
    today = now.astimezone(zone).date()
    ranges = []
    for offset in range(AVAILABILITY_HORIZON.days + 1):
        day = today + timedelta(days=offset)
        if day.weekday() in days:
            start = max(local_to_utc(day, start_minute, zone), now)
            end = min(local_to_utc(day, end_minute, zone), horizon)
            if start < end:
                ranges.append((start, end))
    return ranges


def tutor_search(*, filters: TutorSearchFilters, now: datetime | None = None) -> ValuesRows:
    """Published tutors matching ``filters``, ordered; pages are rows of the public card fields."""
    qs = TutorProfile.objects.filter(status=TutorStatus.PUBLISHED)
    if filters.wants_availability:
        ranges = availability_ranges(filters, now or timezone.now())
        window = Q(pk__in=[])
        for start, end in ranges:
            window |= Q(start__gte=start, start__lt=end)
        qs = qs.filter(Exists(FreeSlot.objects.filter(window, tutor=OuterRef("pk"))))
    if filters.subject or filters.level:
        taught = TutorSubject.objects.filter(tutor=OuterRef("pk"))
        if filters.subject:
            taught = taught.filter(subject_id__in=subject_ids_with_descendants(filters.subject))
        if filters.level:
            taught = taught.filter(level=filters.level)
        qs = qs.filter(Exists(taught))
    if filters.language or filters.native is not None:
        spoken = TutorLanguage.objects.filter(tutor=OuterRef("pk"))
        if filters.language:
            spoken = spoken.filter(code=filters.language)
        if filters.native is not None:
            spoken = spoken.filter(is_native=filters.native)
        qs = qs.filter(Exists(spoken))
    if filters.min_price is not None:
        qs = qs.filter(hourly_rate_eur__gte=to_eur(filters.min_price, filters.currency) - PRICE_TOLERANCE_EUR)
    if filters.max_price is not None:
        qs = qs.filter(hourly_rate_eur__lte=to_eur(filters.max_price, filters.currency) + PRICE_TOLERANCE_EUR)

    ordering = ORDERINGS[filters.ordering]
    terms = query_terms(filters.q)
    if terms:
        qs = _full_text(qs, terms)
        if filters.ordering == "best_match":
            ordering = ("-relevance", *ordering)
    return ValuesRows(qs.order_by(*ordering), CARD_FIELDS)


def display_name(first_name: str, last_name: str) -> str:
    """First name and last initial, as tutors are shown publicly."""
    return f"{first_name} {last_name[:1]}.".strip() if last_name else first_name


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _card(row: dict[str, Any], subjects: list[dict[str, Any]], languages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row["pk"],
        "display_name": display_name(row["user__first_name"], row["user__last_name"]),
        "first_name": row["user__first_name"],
        "timezone": row["user__timezone"],
        "headline": row["headline"],
        "subjects": subjects,
        "languages": languages,
        "hourly_rate": _decimal(row["hourly_rate"]),
        "currency": row["currency"],
        "trial_price": _decimal(row["trial_price"]),
        "trial_minutes": row["trial_minutes"],
        "accepting_students": row["accepting_students"],
        "stats": {
            "rating_avg": _decimal(row["rating_avg"]),
            "rating_count": row["rating_count"],
            "lessons_completed": row["lessons_completed"],
            "response_rate": _decimal(row["response_rate"]),
            "response_time_minutes": None
            if row["response_time_seconds"] is None
            else round(row["response_time_seconds"] / 60),
            "member_since": row["user__date_joined"].date().isoformat(),
        },
    }


def _subjects_by_tutor(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    rows = (
        TutorSubject.objects.filter(tutor_id__in=ids)
        .order_by("subject__position", "level")
        .values_list("tutor_id", "subject__slug", "subject__name_en", "subject__name_uk", "level")
    )
    for tutor_id, slug, name_en, name_uk, level in rows:
        entry = grouped[tutor_id].setdefault(slug, {"slug": slug, "name_en": name_en, "name_uk": name_uk, "levels": []})
        entry["levels"].append(level)
    return {tutor_id: list(entries.values()) for tutor_id, entries in grouped.items()}


def _languages_by_tutor(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        TutorLanguage.objects.filter(tutor_id__in=ids)
        .order_by("-is_native", "code")
        .values_list("tutor_id", "code", "proficiency", "is_native")
    )
    for tutor_id, code, proficiency, is_native in rows:
        grouped[tutor_id].append({"code": code, "proficiency": proficiency, "native": is_native})
    return grouped


def tutor_cards(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Public cards for rows of ``CARD_FIELDS``, with subjects and languages (two queries in all)."""
    ids = [row["pk"] for row in rows]
    if not ids:
        return []
    subjects, languages = _subjects_by_tutor(ids), _languages_by_tutor(ids)
    return [_card(row, subjects.get(row["pk"], []), languages.get(row["pk"], [])) for row in rows]


def tutor_profile_visible(*, tutor_id: int, viewer: User | Any) -> dict[str, Any] | None:
    """The full public profile, or None when it does not exist or is not visible to ``viewer``.

    Draft and suspended profiles are visible only to their owner and to staff.
    """
    qs = TutorProfile.objects.filter(pk=tutor_id)
    if not getattr(viewer, "is_staff", False):
        qs = qs.filter(Q(status=TutorStatus.PUBLISHED) | Q(pk=getattr(viewer, "pk", None) or 0))
    row = qs.values(*DETAIL_FIELDS).first()
    if row is None:
        return None
    card = tutor_cards([row])[0]
    card.update(
        bio=row["bio"],
        education=row["education"],
        experience=row["experience"],
        experience_years=row["experience_years"],
        intro_video_url=row["intro_video_url"],
        status=row["status"],
    )
    return card


def tutor_published_exists(*, tutor_id: int) -> bool:
    return TutorProfile.objects.filter(pk=tutor_id, status=TutorStatus.PUBLISHED).exists()
