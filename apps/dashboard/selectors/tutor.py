"""The tutor's dashboard: upcoming lessons and requests, students and statistics."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

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
    Q,
    QuerySet,
    Sum,
    When,
)

from apps.accounts.models import User
from apps.booking.models import Booking, BookingStatus
from apps.core.timeutils import iso_utc
from apps.dashboard.selectors.lessons import (
    CANCELLED,
    COMPLETED,
    cancellations,
    lesson_counts,
    no_shows,
    not_ended,
)
from apps.dashboard.selectors.periods import hours, lessons_per_week, period_resolve, ratio
from apps.dashboard.selectors.rows import (
    LESSON_FIELDS,
    MONEY_FIELDS,
    REQUEST_FIELDS,
    STUDENT_FIELDS,
    SUMMARY_LIMIT,
    MappedRows,
    each,
    lesson_row,
    preview,
    student_ref,
)
from apps.marketplace.models import Review, TutorStudent
from apps.marketplace.selectors import display_name

ACTIVE_STUDENT_WINDOW = timedelta(days=30)

# How the tutor answered a request (a booking, whatever happened to it later).
ANSWERED_YES = Q(confirmed_at__isnull=False)
ANSWERED_NO = Q(status=BookingStatus.DECLINED) | Q(
    status=CANCELLED, confirmed_at__isnull=True, cancelled_by_role="tutor"
)
WITHDRAWN = Q(status=CANCELLED, confirmed_at__isnull=True) & ~Q(cancelled_by_role="tutor")
ANSWERED_AT = Case(
    When(confirmed_at__isnull=False, then=F("confirmed_at")),
    When(status=BookingStatus.DECLINED, then=F("declined_at")),
    default=F("cancelled_at"),
    output_field=DateTimeField(),
)
RESPONSE_DELAY = ExpressionWrapper(ANSWERED_AT - F("created_at"), output_field=DurationField())


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the middle value, or the mean of the middle two."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _lesson_with_student(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    lesson = lesson_row(row, now)
    lesson["student"] = student_ref(row)
    lesson["price"] = str(row["price"])
    lesson["currency"] = row["currency"]
    return lesson


def tutor_upcoming_lessons(*, tutor: User, now: datetime) -> MappedRows:
    """Confirmed lessons of the tutor that have not ended, soonest first (``UpcomingLessonSerializer``)."""
    qs = Booking.objects.filter(not_ended(now), tutor_id=tutor.pk, status=BookingStatus.CONFIRMED).order_by(
        "start", "pk"
    )
    fields = (*LESSON_FIELDS, *STUDENT_FIELDS, *MONEY_FIELDS)
    return MappedRows(qs, fields, each(lambda row: _lesson_with_student(row, now)))


def tutor_pending_requests(*, tutor: User, now: datetime) -> MappedRows:
    """Requests waiting for the tutor's answer, the one lapsing first first (``PendingRequestSerializer``)."""
    qs = Booking.objects.filter(tutor_id=tutor.pk, status=BookingStatus.PENDING, expires_at__gt=now).order_by(
        "expires_at", "pk"
    )

    def build(row: dict[str, Any]) -> dict[str, Any]:
        request = _lesson_with_student(row, now)
        request["message"] = row["message"]
        request["requested_at"] = iso_utc(row["created_at"])
        request["expires_at"] = iso_utc(row["expires_at"])
        request["expires_in_seconds"] = max(0, int((row["expires_at"] - now).total_seconds()))
        return request

    return MappedRows(qs, (*LESSON_FIELDS, *STUDENT_FIELDS, *MONEY_FIELDS, *REQUEST_FIELDS), each(build))


def tutor_upcoming(*, tutor: User, now: datetime, limit: int) -> dict[str, Any]:
    """The first ``limit`` pending requests and upcoming lessons, with their counts (two queries)."""
    return {
        "requests": preview(tutor_pending_requests(tutor=tutor, now=now), limit),
        "lessons": preview(tutor_upcoming_lessons(tutor=tutor, now=now), limit),
    }


def tutor_students(*, tutor: User, now: datetime) -> MappedRows:
    """The tutor's students (everyone with a lesson confirmed by the tutor), the next lesson soonest
    first, then the most recent last lesson (``TutorStudentSerializer``).

    A page is one pass over the tutor's bookings grouped by student, plus one query for the page's
    names and links. Every link comes with the booking that made it, so the paginator counts the links.
    """
    links = TutorStudent.objects.filter(tutor_id=tutor.pk)
    grouped = (
        Booking.objects.filter(tutor_id=tutor.pk, student_id__in=links.values("student_id"))
        .values("student_id")
        .annotate(
            lessons_taken=Count("pk", filter=COMPLETED),
            last_lesson_at=Max("start", filter=COMPLETED),
            next_lesson_at=Min("start", filter=Q(not_ended(now), status=BookingStatus.CONFIRMED)),
        )
        .order_by(F("next_lesson_at").asc(nulls_last=True), F("last_lesson_at").desc(nulls_last=True), "student_id")
    )

    def build_page(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        details = {
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
        page = []
        for row in rows:
            link = details.get(row["student_id"])
            if link is None:  # not a student any more since the first query
                continue
            page.append(
                {
                    "id": row["student_id"],
                    "display_name": display_name(link["student__first_name"], link["student__last_name"]),
                    "timezone": link["student__timezone"],
                    "is_assigned": link["is_assigned"],
                    "since": iso_utc(link["first_confirmed_at"]),
                    "lessons_taken": row["lessons_taken"],
                    "last_lesson_at": iso_utc(row["last_lesson_at"]),
                    "next_lesson_at": iso_utc(row["next_lesson_at"]),
                }
            )
        return page

    fields = ("student_id", "lessons_taken", "last_lesson_at", "next_lesson_at")
    return MappedRows(grouped, fields, build_page, counted=links)


def _median_response_seconds(numbers: dict[str, Any], requests: QuerySet[Booking]) -> int | None:
    """The median of (answer - request) over the answered ``requests``.

    PostgreSQL computed it in the main aggregate (``Median``); elsewhere (SQLite) the database orders the
    delays and returns the middle one or two (one query).
    """
    if "median_response" in numbers:
        median = numbers["median_response"]
        return None if median is None else round(median.total_seconds())
    answered = numbers["confirmed"] + numbers["declined"]
    if not answered:
        return None
    delays = list(
        requests.filter(ANSWERED_YES | ANSWERED_NO)
        .annotate(delay=RESPONSE_DELAY)
        .order_by("delay")
        .values_list("delay", flat=True)[(answered - 1) // 2 : answered // 2 + 1]
    )
    if not delays:
        return None
    return round(sum(delays, timedelta()).total_seconds() / len(delays))


def _average(value: Any) -> str | None:
    return None if value is None else str(Decimal(str(value)).quantize(Decimal("0.01")))


def _rating(*, tutor_id: int, written: Q) -> dict[str, Any]:
    """The public rating, all time, and the reviews ``written`` in the period (one query over the tutor's
    reviews). The all-time numbers are those the profile shows: ``tutor_rating_refresh`` stores the same
    average and count of the same reviews."""
    row = Review.objects.filter(tutor_id=tutor_id).aggregate(
        average=Avg("rating"),
        count=Count("pk"),
        period_average=Avg("rating", filter=written),
        period_count=Count("pk", filter=written),
    )
    return {
        "average": _average(row["average"]),
        "count": row["count"],
        "period_average": _average(row["period_average"]),
        "period_count": row["period_count"],
    }


def tutor_stats(
    *,
    tutor: User,
    now: datetime,
    period: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> dict[str, Any]:
    """The tutor's numbers for a period in their time zone (five queries on PostgreSQL, six on SQLite; see
    docs/dashboard.md).

    Lessons, hours, earnings, cancellations and no-shows count lessons starting in the period; requests
    (confirmation rate, median response time) count bookings requested in the period.
    """
    span = period_resolve(timezone=tutor.timezone, now=now, period=period, first_day=first_day, last_day=last_day)
    mine = Booking.objects.filter(tutor_id=tutor.pk)
    inside = span.q("start")
    asked = span.q("created_at")
    median = {}
    if connection.vendor == "postgresql":
        median["median_response"] = Median(RESPONSE_DELAY, filter=asked & (ANSWERED_YES | ANSWERED_NO))
    numbers = mine.aggregate(
        **median,
        **lesson_counts(inside=inside, now=now),
        active_students=Count(
            "student_id", distinct=True, filter=COMPLETED & Q(start__gte=now - ACTIVE_STUDENT_WINDOW, start__lt=now)
        ),
        received=Count("pk", filter=asked),
        confirmed=Count("pk", filter=asked & ANSWERED_YES),
        declined=Count("pk", filter=asked & ANSWERED_NO),
        expired=Count(
            "pk",
            filter=asked & (Q(status=BookingStatus.EXPIRED) | Q(status=BookingStatus.PENDING, expires_at__lte=now)),
        ),
        pending=Count("pk", filter=asked & Q(status=BookingStatus.PENDING, expires_at__gt=now)),
        withdrawn=Count("pk", filter=asked & WITHDRAWN),
    )
    earnings = (
        mine.filter(inside & COMPLETED)
        .values("currency")
        .annotate(amount=Sum("price"), lessons=Count("pk"))
        .order_by("currency")
    )
    rating = _rating(tutor_id=tutor.pk, written=span.q("created_at"))
    decided = numbers["confirmed"] + numbers["declined"] + numbers["expired"]
    return {
        "period": span.as_dict(),
        "lessons_taught": numbers["completed"],
        "hours_taught": hours(numbers["minutes"]),
        "upcoming_lessons": numbers["upcoming"],
        "earnings": [
            {
                "currency": row["currency"],
                "amount": str(Decimal(row["amount"]).quantize(Decimal("0.01"))),
                "lessons": row["lessons"],
            }
            for row in earnings
        ],
        "active_students": numbers["active_students"],
        "rating": rating,
        "requests": {
            "received": numbers["received"],
            "confirmed": numbers["confirmed"],
            "declined": numbers["declined"],
            "expired": numbers["expired"],
            "withdrawn": numbers["withdrawn"],
            "pending": numbers["pending"],
            "confirmation_rate": ratio(numbers["confirmed"], decided),
            "median_response_seconds": _median_response_seconds(numbers, mine.filter(asked)),
        },
        "cancellations": cancellations(numbers),
        "no_shows": no_shows(bookings=Q(booking__tutor_id=tutor.pk), period=span),
        "lessons_per_week": lessons_per_week(mine.filter(COMPLETED), timezone=tutor.timezone, now=now),
    }


def tutor_dashboard(
    *,
    tutor: User,
    now: datetime,
    period: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> dict[str, Any]:
    """Everything the tutor's home page shows: the first requests, lessons and students, and the stats."""
    stats = tutor_stats(tutor=tutor, now=now, period=period, first_day=first_day, last_day=last_day)
    return {
        "upcoming": tutor_upcoming(tutor=tutor, now=now, limit=SUMMARY_LIMIT),
        "students": preview(tutor_students(tutor=tutor, now=now), SUMMARY_LIMIT),
        "stats": stats,
    }
