"""Hand-written reference views: the same queries as the platform's endpoints, ``.values()`` and orjson,
no framework layers. They are the floor the benchmarks compare the real endpoints against."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import orjson
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.http import HttpRequest, HttpResponse

from apps.marketplace.models import ExchangeRate, Subject, TutorLanguage, TutorProfile, TutorSubject

_subjects: dict[str, list[int]] = {}
_rates: dict[str, Decimal] = {}


def _subject_ids(slug: str) -> list[int]:
    if not _subjects:
        rows = list(Subject.objects.values_list("id", "slug", "parent_id"))
        for pk, s, _ in rows:
            _subjects.setdefault(s, []).append(pk)
        for pk, _, parent in rows:
            if parent is not None:
                parent_slug = next(s for p, s, _ in rows if p == parent)
                _subjects[parent_slug].append(pk)
    return _subjects[slug]


def _rate(currency: str) -> Decimal:
    if not _rates:
        _rates.update(ExchangeRate.objects.values_list("currency", "per_eur"))
    return _rates[currency]


def tutor_search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    qs = TutorProfile.objects.filter(status="published")
    if "subject" in params:
        qs = qs.filter(
            Exists(TutorSubject.objects.filter(tutor=OuterRef("pk"), subject_id__in=_subject_ids(params["subject"])))
        )
    if "language" in params:
        qs = qs.filter(Exists(TutorLanguage.objects.filter(tutor=OuterRef("pk"), code=params["language"])))
    currency = params.get("currency", "EUR")
    if "min_price" in params:
        qs = qs.filter(hourly_rate_eur__gte=Decimal(params["min_price"]) / _rate(currency) - Decimal("0.00001"))
    if "max_price" in params:
        qs = qs.filter(hourly_rate_eur__lte=Decimal(params["max_price"]) / _rate(currency) + Decimal("0.00001"))
    ordering: list = ["-ranking_score", "pk"]
    terms = re.findall(r"\w+", params.get("q", "").lower())
    if terms:
        if connection.vendor == "postgresql":
            query = SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config="simple")
            qs = qs.filter(search_document=query).annotate(relevance=SearchRank(F("search_document"), query))
            ordering.insert(0, "-relevance")
        else:
            for term in terms:
                qs = qs.filter(search_text__contains=term) | qs.filter(search_text_extra__contains=term)
    count = qs.count()
    page_size = int(params.get("page_size", 20))
    rows = list(
        qs.order_by(*ordering).values(
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
        )[:page_size]
    )
    ids = [row["pk"] for row in rows]
    subjects: dict[int, list] = defaultdict(list)
    for tutor_id, slug, level in TutorSubject.objects.filter(tutor_id__in=ids).values_list(
        "tutor_id", "subject__slug", "level"
    ):
        subjects[tutor_id].append({"slug": slug, "level": level})
    languages: dict[int, list] = defaultdict(list)
    for tutor_id, code, prof, native in TutorLanguage.objects.filter(tutor_id__in=ids).values_list(
        "tutor_id", "code", "proficiency", "is_native"
    ):
        languages[tutor_id].append({"code": code, "proficiency": prof, "native": native})
    for row in rows:
        row["subjects"] = subjects[row["pk"]]
        row["languages"] = languages[row["pk"]]
    body = orjson.dumps({"count": count, "results": rows}, default=str)
    return HttpResponse(body, content_type="application/json")
