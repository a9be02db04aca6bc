"""Web pages of the marketplace: find a tutor, and a tutor's page with free times to request."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.booking.selectors import tutor_free_slots
from apps.marketplace.models import LESSON_DURATIONS
from apps.marketplace.selectors import tutor_cards, tutor_profile_visible, tutor_search
from apps.marketplace.selectors.tutors import TutorSearchFilters

PAGE_SIZE = 20
SLOT_DAYS = 7
DEFAULT_DURATION = 50


@require_GET
def tutors(request: HttpRequest) -> HttpResponse:
    """Published tutors, best match first, optionally matching the words of ``q``."""
    q = request.GET.get("q", "").strip()[:200]
    rows = tutor_search(filters=TutorSearchFilters(q=q or None))
    context = {"q": q, "count": rows.count(), "tutors": tutor_cards(rows[0:PAGE_SIZE])}
    return render(request, "marketplace/tutors.html", context)


@require_GET
def tutor(request: HttpRequest, tutor_id: int) -> HttpResponse:
    """The tutor's public profile and free start times over the next week, by day in the viewer's zone,
    for a lesson of ``duration`` minutes; a signed-in student requests one with a button."""
    profile = tutor_profile_visible(tutor_id=tutor_id, viewer=request.user)
    if profile is None:
        raise Http404("No such tutor.")
    try:
        duration = int(request.GET.get("duration", DEFAULT_DURATION))
    except ValueError:
        duration = DEFAULT_DURATION
    if duration not in LESSON_DURATIONS:
        duration = DEFAULT_DURATION
    user = request.user
    student = user if getattr(user, "is_student", False) else None
    zone = ZoneInfo(user.timezone if user.is_authenticated else profile["timezone"])  # type: ignore[union-attr]
    now = timezone.now()
    slots = tutor_free_slots(
        tutor_id=tutor_id,
        window_start=now,
        window_end=now + timedelta(days=SLOT_DAYS),
        duration=timedelta(minutes=duration),
        now=now,
        student_id=student.pk if student else None,
    )
    days: dict[str, list[dict[str, object]]] = defaultdict(list)
    for start, _ in slots:
        local = start.astimezone(zone)
        days[local.strftime("%A %d %B")].append({"start": start.isoformat(), "label": local.strftime("%H:%M")})
    context = {
        "tutor": profile,
        "days": dict(days),
        "duration": duration,
        "durations": LESSON_DURATIONS,
        "zone": zone.key,
        "can_request": student is not None,
    }
    return render(request, "marketplace/tutor.html", context)
