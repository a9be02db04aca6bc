"""The public statistics of a tutor profile: written here and nowhere else.

Best match ranking (``ranking_score``, 0..1), documented in docs/marketplace.md::

    rating   = (4.5 * 5 + rating_avg * rating_count) / (5 + rating_count) / 5   # Bayesian, prior 4.5 worth 5 reviews
    reviews  = min(1, ln(1 + rating_count) / ln(101))
    response = response_rate, or 0.5 while unknown
    lessons  = min(1, ln(1 + lessons_completed) / ln(501))
    score    = 0.45 rating + 0.20 reviews + 0.15 response + 0.20 lessons
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone

from apps.marketplace.models import Review, TutorProfile, TutorResponse

PRIOR_RATING = 4.5
PRIOR_WEIGHT = 5
RESPONSE_WINDOW = timedelta(hours=24)
RESPONSE_LOOKBACK = timedelta(days=90)


def ranking_score(
    *, rating_avg: Decimal | None, rating_count: int, response_rate: Decimal | None, lessons_completed: int
) -> float:
    rating_sum = float(rating_avg or 0) * rating_count
    rating = (PRIOR_RATING * PRIOR_WEIGHT + rating_sum) / (PRIOR_WEIGHT + rating_count) / 5
    reviews = min(1.0, math.log1p(rating_count) / math.log(101))
    response = 0.5 if response_rate is None else float(response_rate)
    lessons = min(1.0, math.log1p(lessons_completed) / math.log(501))
    return round(0.45 * rating + 0.20 * reviews + 0.15 * response + 0.20 * lessons, 6)


def tutor_ranking_refresh(*, tutor_id: int) -> None:
    profile = (
        TutorProfile.objects.filter(pk=tutor_id)
        .only("rating_avg", "rating_count", "response_rate", "lessons_completed")
        .first()
    )
    if profile is None:
        return
    score = ranking_score(
        rating_avg=profile.rating_avg,
        rating_count=profile.rating_count,
        response_rate=profile.response_rate,
        lessons_completed=profile.lessons_completed,
    )
    TutorProfile.objects.filter(pk=tutor_id).update(ranking_score=score)


def tutor_rating_refresh(*, tutor_id: int) -> None:
    """Recompute the rating average and count from the tutor's reviews, in the caller's transaction."""
    result = Review.objects.filter(tutor_id=tutor_id).aggregate(average=Avg("rating"), count=Count("pk"))
    average = None if result["average"] is None else Decimal(str(result["average"])).quantize(Decimal("0.01"))
    TutorProfile.objects.filter(pk=tutor_id).update(rating_avg=average, rating_count=result["count"])
    tutor_ranking_refresh(tutor_id=tutor_id)


def tutor_lessons_completed_add(*, tutor_id: int, count: int = 1) -> None:
    TutorProfile.objects.filter(pk=tutor_id).update(lessons_completed=F("lessons_completed") + count)
    tutor_ranking_refresh(tutor_id=tutor_id)


def tutor_response_open(*, tutor_id: int, kind: str, ref_id: int, asked_at: datetime) -> None:
    """Record that the tutor has something to answer (idempotent per ``kind`` and ``ref_id``)."""
    TutorResponse.objects.get_or_create(kind=kind, ref_id=ref_id, defaults={"tutor_id": tutor_id, "asked_at": asked_at})


def tutor_response_close(*, kind: str, ref_id: int, answered_at: datetime) -> None:
    """Record the tutor's first answer and refresh their response stats after commit."""
    response = TutorResponse.objects.filter(kind=kind, ref_id=ref_id, answered_at__isnull=True).first()
    if response is None:
        return
    response.answered_at = answered_at
    response.save(update_fields=["answered_at"])
    tutor_id = response.tutor_id
    transaction.on_commit(lambda: tutor_response_stats_refresh(tutor_id=tutor_id))


def tutor_response_stats_refresh(*, tutor_id: int, now: datetime | None = None) -> None:
    """Response rate (answered within 24 hours) and median response time over the last 90 days.

    Asks younger than 24 hours that are still open do not count yet.
    """
    now = now or timezone.now()
    rows = TutorResponse.objects.filter(tutor_id=tutor_id, asked_at__gte=now - RESPONSE_LOOKBACK).values_list(
        "asked_at", "answered_at"
    )
    delays = []
    eligible = 0
    for asked_at, answered_at in rows:
        if answered_at is None and now - asked_at < RESPONSE_WINDOW:
            continue
        eligible += 1
        if answered_at is not None:
            delays.append((answered_at - asked_at).total_seconds())
    in_time = sum(1 for delay in delays if delay <= RESPONSE_WINDOW.total_seconds())
    rate = (Decimal(in_time) / eligible).quantize(Decimal("0.001")) if eligible else None
    median = int(statistics.median(delays)) if delays else None
    TutorProfile.objects.filter(pk=tutor_id).update(response_rate=rate, response_time_seconds=median)
    tutor_ranking_refresh(tutor_id=tutor_id)
