"""DashboardService: the read-only aggregation behind the student and tutor dashboards.

The spec's ``DashboardService`` is this package of selectors (functions, not a class). It composes the
other apps' models and selectors (booking's ``holding``, the classroom's join window, the marketplace's
tutor cards) and owns no models and no writes. Every function takes ``now``; every endpoint built on it
runs a fixed number of queries whatever the amount of data, aggregating in the database. Periods and
weekly buckets are in the user's time zone (``periods.py``); definitions are in docs/dashboard.md.
"""

from apps.dashboard.selectors.periods import CHART_WEEKS, DEFAULT_PERIOD, PERIODS, Period, period_resolve
from apps.dashboard.selectors.rows import SUMMARY_LIMIT
from apps.dashboard.selectors.student import (
    assigned_tutor,
    student_active_lessons,
    student_dashboard,
    student_stats,
)
from apps.dashboard.selectors.tutor import (
    ACTIVE_STUDENT_WINDOW,
    tutor_dashboard,
    tutor_pending_requests,
    tutor_stats,
    tutor_students,
    tutor_upcoming,
    tutor_upcoming_lessons,
)

__all__ = [
    "ACTIVE_STUDENT_WINDOW",
    "CHART_WEEKS",
    "DEFAULT_PERIOD",
    "PERIODS",
    "SUMMARY_LIMIT",
    "Period",
    "assigned_tutor",
    "period_resolve",
    "student_active_lessons",
    "student_dashboard",
    "student_stats",
    "tutor_dashboard",
    "tutor_pending_requests",
    "tutor_stats",
    "tutor_students",
    "tutor_upcoming",
    "tutor_upcoming_lessons",
]
