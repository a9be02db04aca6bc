"""Rows as the dashboards show them: ``.values()`` queries paged and turned into JSON-ready dicts.

A lesson's ``can_join`` always comes from the classroom's one join-window selector.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet, Window

from apps.classroom.selectors import can_join, join_window
from apps.core.selectors import ValuesRows
from apps.core.timeutils import iso_utc
from apps.marketplace.selectors import display_name

SUMMARY_LIMIT = 5
TOTAL = "rows_in_all"

LESSON_FIELDS = (
    "pk",
    "status",
    "start",
    "end",
    "duration_minutes",
    "subject__slug",
    "subject__name_en",
    "subject__name_uk",
    "classroom_session__pk",
    "classroom_session__status",
)
TUTOR_FIELDS = ("tutor_id", "tutor__user__first_name", "tutor__user__last_name")
STUDENT_FIELDS = ("student_id", "student__first_name", "student__last_name")
MONEY_FIELDS = ("price", "currency")
REQUEST_FIELDS = ("message", "created_at", "expires_at")


PageBuilder = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


class MappedRows(ValuesRows):
    """``ValuesRows`` whose pages come out through ``build_page`` (which may run one more query per page),
    counted by ``counted`` when a cheaper queryset gives the same count."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        fields: Sequence[str],
        build_page: PageBuilder,
        *,
        counted: QuerySet[Any] | None = None,
    ) -> None:
        super().__init__(queryset, fields)
        self.build_page = build_page
        self.counted = queryset if counted is None else counted

    def count(self) -> int:
        return self.counted.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        rows = super().__getitem__(item)
        return self.build_page(rows) if rows else []

    def head(self, limit: int) -> tuple[list[dict[str, Any]], int]:
        """The first ``limit`` rows and the number of rows, in one query (a window count)."""
        rows = list(self.queryset.annotate(**{TOTAL: Window(Count("*"))}).values(*self.fields, TOTAL)[:limit])
        total = rows[0][TOTAL] if rows else 0
        return (self.build_page(rows) if rows else []), total


def each(build: Callable[[dict[str, Any]], dict[str, Any]]) -> PageBuilder:
    """A page builder that maps every row on its own."""
    return lambda rows: [build(row) for row in rows]


def preview(rows: MappedRows, limit: int) -> dict[str, Any]:
    """``{"count", "results"}``: the first ``limit`` rows and how many there are."""
    results, count = rows.head(limit)
    return {"count": count, "results": results}


def _subject(row: dict[str, Any]) -> dict[str, str] | None:
    if row["subject__slug"] is None:
        return None
    return {"slug": row["subject__slug"], "name_en": row["subject__name_en"], "name_uk": row["subject__name_uk"]}


def lesson_row(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The fields every dashboard lesson has (``LESSON_FIELDS``)."""
    return {
        "booking_id": row["pk"],
        "session_id": row["classroom_session__pk"],
        "session_status": row["classroom_session__status"],
        "subject": _subject(row),
        "start": iso_utc(row["start"]),
        "end": iso_utc(row["end"]),
        "duration_minutes": row["duration_minutes"],
        "joinable_from": iso_utc(join_window(start=row["start"], end=row["end"]).opens_at),
        "can_join": can_join(
            booking_status=row["status"],
            session_status=row["classroom_session__status"],
            start=row["start"],
            end=row["end"],
            now=now,
        ),
    }


def tutor_ref(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["tutor_id"],
        "display_name": display_name(row["tutor__user__first_name"], row["tutor__user__last_name"]),
    }


def student_ref(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["student_id"],
        "display_name": display_name(row["student__first_name"], row["student__last_name"]),
    }
