"""Hand-written reference for ``GET /api/v1/dashboard/tutor/``: the same numbers from direct aggregate
queries, ``.values()`` and orjson, no framework layers (it authenticates the same Bearer token by hand).

Served by ``bench/dashboard_tutor.py`` through ``bench.dashboard_settings``, whose URLconf is this module:
the platform's URLs, the other references, and this one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import TruncWeek
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from apps.accounts.models import User
from apps.booking.models import Booking
from apps.classroom.models import ClassroomSession
from apps.marketplace.models import LESSON_DURATIONS, Review, TutorProfile, TutorStudent
from bench.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

LIMIT = 5


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def _name(first: str, last: str) -> str:
    return f"{first} {last[:1]}.".strip() if last else first


def _hours(minutes: int | None) -> str:
    return str((Decimal(minutes or 0) / 60).quantize(Decimal("0.01")))


def _lesson(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    opens = row["start"] - timedelta(minutes=15)
    return {
        "booking_id": row["pk"],
        "session_id": row["classroom_session__id"],
        "session_status": row["classroom_session__status"],
        "subject": None
        if row["subject__slug"] is None
        else {"slug": row["subject__slug"], "name_en": row["subject__name_en"], "name_uk": row["subject__name_uk"]},
        "start": _iso(row["start"]),
        "end": _iso(row["end"]),
        "duration_minutes": row["duration_minutes"],
        "joinable_from": _iso(opens),
        "can_join": row["status"] == "confirmed"
        and row["classroom_session__status"] in ("scheduled", "live")
        and opens <= now < row["end"],
        "student": {
            "id": row["student_id"],
            "display_name": _name(row["student__first_name"], row["student__last_name"]),
        },
        "price": str(row["price"]),
        "currency": row["currency"],
    }


LESSON_COLUMNS = (
    "pk",
    "status",
    "start",
    "end",
    "duration_minutes",
    "price",
    "currency",
    "subject__slug",
    "subject__name_en",
    "subject__name_uk",
    "classroom_session__id",
    "classroom_session__status",
    "student_id",
    "student__first_name",
    "student__last_name",
)


def _first(qs: Any, columns: tuple[str, ...]) -> tuple[list[dict[str, Any]], int]:
    rows = list(qs.annotate(total=Window(Count("*"))).values(*columns, "total")[:LIMIT])
    return rows, rows[0]["total"] if rows else 0


def _upcoming(tutor_id: int, now: datetime) -> dict[str, Any]:
    requests = Booking.objects.filter(tutor_id=tutor_id, status="pending", expires_at__gt=now).order_by(
        "expires_at", "pk"
    )
    rows, count = _first(requests, (*LESSON_COLUMNS, "message", "created_at", "expires_at"))
    request_rows = []
    for row in rows:
        item = _lesson(row, now)
        item.update(
            message=row["message"],
            requested_at=_iso(row["created_at"]),
            expires_at=_iso(row["expires_at"]),
            expires_in_seconds=max(0, int((row["expires_at"] - now).total_seconds())),
        )
        request_rows.append(item)
    lessons = Booking.objects.filter(
        tutor_id=tutor_id, status="confirmed", end__gt=now, start__gt=now - timedelta(minutes=max(LESSON_DURATIONS))
    ).order_by("start", "pk")
    lesson_rows, lesson_count = _first(lessons, LESSON_COLUMNS)
    return {
        "requests": {"count": count, "results": request_rows},
        "lessons": {"count": lesson_count, "results": [_lesson(row, now) for row in lesson_rows]},
    }


def _students(tutor_id: int, now: datetime) -> dict[str, Any]:
    links = TutorStudent.objects.filter(tutor_id=tutor_id)
    grouped = (
        Booking.objects.filter(tutor_id=tutor_id, student_id__in=links.values("student_id"))
        .values("student_id")
        .annotate(
            taken=Count("pk", filter=Q(status="completed")),
            last=Max("start", filter=Q(status="completed")),
            next=Min(
                "start",
                filter=Q(status="confirmed", end__gt=now, start__gt=now - timedelta(minutes=max(LESSON_DURATIONS))),
            ),
        )
        .order_by(F("next").asc(nulls_last=True), F("last").desc(nulls_last=True), "student_id")
    )
    rows, count = _first(grouped, ("student_id", "taken", "last", "next"))
    names = {
        link["student_id"]: link
        for link in links.filter(student_id__in=[row["student_id"] for row in rows]).values(
            "student_id",
            "student__first_name",
            "student__last_name",
            "student__timezone",
            "is_assigned",
            "first_confirmed_at",
        )
    }
    results = []
    for row in rows:
        link = names[row["student_id"]]
        results.append(
            {
                "id": row["student_id"],
                "display_name": _name(link["student__first_name"], link["student__last_name"]),
                "timezone": link["student__timezone"],
                "is_assigned": link["is_assigned"],
                "since": _iso(link["first_confirmed_at"]),
                "lessons_taken": row["taken"],
                "last_lesson_at": _iso(row["last"]),
                "next_lesson_at": _iso(row["next"]),
            }
        )
    return {"count": count, "results": results}


class _Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _stats(tutor_id: int, zone_name: str, now: datetime) -> dict[str, Any]:
    """All time (the dashboard's default period)."""
    zone = ZoneInfo(zone_name)
    mine = Booking.objects.filter(tutor_id=tutor_id)
    done = Q(status="completed")
    cancelled = Q(status="cancelled")
    yes = Q(confirmed_at__isnull=False)
    no = Q(status="declined") | Q(status="cancelled", confirmed_at__isnull=True, cancelled_by_role="tutor")
    answer = Case(
        When(confirmed_at__isnull=False, then=F("confirmed_at")),
        When(status="declined", then=F("declined_at")),
        default=F("cancelled_at"),
        output_field=DateTimeField(),
    )
    delay = ExpressionWrapper(answer - F("created_at"), output_field=DurationField())
    postgres = connection.vendor == "postgresql"
    n = mine.aggregate(
        **({"median": _Median(delay, filter=yes | no)} if postgres else {}),
        completed=Count("pk", filter=done),
        minutes=Sum("duration_minutes", filter=done),
        upcoming=Count(
            "pk",
            filter=(Q(status="confirmed") | Q(status="pending", expires_at__gt=now)) & Q(end__gt=now),
        ),
        by_student=Count("pk", filter=cancelled & Q(cancelled_by_role="student")),
        by_student_late=Count("pk", filter=cancelled & Q(cancelled_by_role="student", late_cancellation=True)),
        by_tutor=Count("pk", filter=cancelled & Q(cancelled_by_role="tutor")),
        by_tutor_late=Count("pk", filter=cancelled & Q(cancelled_by_role="tutor", late_cancellation=True)),
        active=Count("student_id", distinct=True, filter=done & Q(start__gte=now - timedelta(days=30), start__lt=now)),
        received=Count("pk"),
        confirmed=Count("pk", filter=yes),
        declined=Count("pk", filter=no),
        expired=Count("pk", filter=Q(status="expired") | Q(status="pending", expires_at__lte=now)),
        pending=Count("pk", filter=Q(status="pending", expires_at__gt=now)),
        withdrawn=Count("pk", filter=Q(status="cancelled", confirmed_at__isnull=True) & ~Q(cancelled_by_role="tutor")),
    )
    absent = ClassroomSession.objects.filter(booking__tutor_id=tutor_id, booking__status="no_show").aggregate(
        student=Count("pk", filter=Q(student_no_show=True)), tutor=Count("pk", filter=Q(tutor_no_show=True))
    )
    earnings = mine.filter(done).values("currency").annotate(amount=Sum("price"), lessons=Count("pk"))
    answered = n["confirmed"] + n["declined"]
    median = None
    if postgres and n["median"] is not None:
        median = round(n["median"].total_seconds())
    elif answered:
        middle = list(
            mine.filter(yes | no)
            .annotate(delay=delay)
            .order_by("delay")
            .values_list("delay", flat=True)[(answered - 1) // 2 : answered // 2 + 1]
        )
        median = round(sum(middle, timedelta()).total_seconds() / len(middle))
    reviews = Review.objects.filter(tutor_id=OuterRef("pk")).values("tutor_id")
    profile = (
        TutorProfile.objects.filter(pk=tutor_id)
        .annotate(
            average=Subquery(reviews.annotate(a=Avg("rating")).values("a")),
            count=Subquery(reviews.annotate(n=Count("pk")).values("n")),
        )
        .values_list("rating_avg", "rating_count", "average", "count")
        .first()
    )
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=11)
    weekly = {
        row["week"].astimezone(zone).date(): row
        for row in mine.filter(
            done,
            start__gte=datetime.combine(first, datetime.min.time(), zone),
            start__lt=datetime.combine(monday + timedelta(days=7), datetime.min.time(), zone),
        )
        .annotate(week=TruncWeek("start", tzinfo=zone))
        .values("week")
        .annotate(lessons=Count("pk"), minutes=Sum("duration_minutes"))
    }
    decided = n["confirmed"] + n["declined"] + n["expired"]
    weeks: list[date] = [first + timedelta(weeks=k) for k in range(12)]
    average = None if not profile or profile[2] is None else str(Decimal(str(profile[2])).quantize(Decimal("0.01")))
    return {
        "period": {"name": "all", "timezone": zone_name, "from": None, "to": None},
        "lessons_taught": n["completed"],
        "hours_taught": _hours(n["minutes"]),
        "upcoming_lessons": n["upcoming"],
        "earnings": [
            {
                "currency": row["currency"],
                "amount": str(Decimal(row["amount"]).quantize(Decimal("0.01"))),
                "lessons": row["lessons"],
            }
            for row in sorted(earnings, key=lambda row: row["currency"])
        ],
        "active_students": n["active"],
        "rating": {
            "average": None if not profile or profile[0] is None else str(profile[0]),
            "count": profile[1] if profile else 0,
            "period_average": average,
            "period_count": (profile[3] if profile else 0) or 0,
        },
        "requests": {
            "received": n["received"],
            "confirmed": n["confirmed"],
            "declined": n["declined"],
            "expired": n["expired"],
            "withdrawn": n["withdrawn"],
            "pending": n["pending"],
            "confirmation_rate": str((Decimal(n["confirmed"]) / decided).quantize(Decimal("0.001")))
            if decided
            else None,
            "median_response_seconds": median,
        },
        "cancellations": {
            "by_student": n["by_student"],
            "by_student_late": n["by_student_late"],
            "by_tutor": n["by_tutor"],
            "by_tutor_late": n["by_tutor_late"],
        },
        "no_shows": {"student_absent": absent["student"], "tutor_absent": absent["tutor"]},
        "lessons_per_week": [
            {
                "week_start": week.isoformat(),
                "lessons": weekly[week]["lessons"] if week in weekly else 0,
                "hours": _hours(weekly[week]["minutes"] if week in weekly else 0),
            }
            for week in weeks
        ],
    }


def tutor_dashboard(request: HttpRequest) -> HttpResponse:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer":
        return HttpResponse(status=401)
    user = User.objects.filter(pk=AccessToken(raw)["user_id"], is_active=True).values("pk", "role", "timezone").first()  # type: ignore[arg-type]
    if user is None or user["role"] != "tutor":
        return HttpResponse(status=403)
    now = timezone.now()
    body = {
        "upcoming": _upcoming(user["pk"], now),
        "students": _students(user["pk"], now),
        "stats": _stats(user["pk"], user["timezone"], now),
    }
    return HttpResponse(orjson.dumps(body), content_type="application/json")


urlpatterns = [*urlpatterns, path("bench/reference/dashboard/tutor/", tutor_dashboard)]
