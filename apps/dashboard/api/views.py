"""Dashboard API: thin read-only views over ``apps.dashboard.selectors`` (the spec's DashboardService).

Students get 403 on the tutor endpoints and tutors on the student ones; anonymous requests get 401.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.pagination import paginated_response
from apps.core.api.permissions import IsStudent, IsTutor
from apps.core.api.schema import ERROR_DESCRIPTIONS
from apps.core.api.schema_helpers import PAGE_PARAMETERS, paginated
from apps.core.api.serializers import ErrorSerializer
from apps.dashboard import selectors
from apps.dashboard.api import serializers as s
from apps.marketplace.services import assigned_tutor_set

TAGS = ["dashboard"]
PERIOD_NOTE = (
    " Numbers count lessons starting in the period, taken in your time zone (`user.timezone`): `period` "
    "(week, month, year, all; default all) or `from`/`to` (local dates, both included). See docs/dashboard.md."
)


def period_query(request: Request) -> s.PeriodQuerySerializer:
    query = s.PeriodQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query


# --- student ---------------------------------------------------------------------------------------


class StudentDashboardView(APIView):
    permission_classes = [IsStudent]

    @extend_schema(
        tags=TAGS,
        parameters=[s.PeriodQuerySerializer],
        responses={200: s.StudentDashboardSerializer},
        summary="Student dashboard: active lessons, assigned tutor and stats",
        description="The first active lessons, the assigned tutor (null if none) and the statistics, in one "
        "response." + PERIOD_NOTE,
    )
    def get(self, request: Request) -> Response:
        query = period_query(request)
        return Response(
            selectors.student_dashboard(student=request.user, now=timezone.now(), **query.selector_kwargs())  # type: ignore[arg-type]
        )


class StudentActiveLessonsView(APIView):
    permission_classes = [IsStudent]

    @extend_schema(
        tags=TAGS,
        parameters=PAGE_PARAMETERS,
        responses={200: paginated(s.ActiveLessonSerializer)},
        summary="My upcoming and live lessons",
        description="Pending (not lapsed) and confirmed lessons that have not ended, soonest first. `can_join` "
        "is true inside the join window (15 minutes before the start until the end) of a confirmed lesson.",
    )
    def get(self, request: Request) -> Response:
        rows = selectors.student_active_lessons(student=request.user, now=timezone.now())  # type: ignore[arg-type]
        return paginated_response(request, self, rows)


class StudentTeacherView(APIView):
    permission_classes = [IsStudent]

    @extend_schema(
        tags=TAGS,
        responses={200: s.AssignedTutorSerializer, 204: None},
        summary="My assigned tutor",
        description="The tutor of your first confirmed lesson unless you chose another; 204 when there is none.",
    )
    def get(self, request: Request) -> Response:
        card = selectors.assigned_tutor(student=request.user)  # type: ignore[arg-type]
        if card is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(card)

    @extend_schema(
        tags=TAGS,
        request=s.AssignedTutorInputSerializer,
        responses={
            200: s.AssignedTutorSerializer,
            404: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[404]),
        },
        summary="Choose my assigned tutor",
        description="One of the tutors you have had a lesson confirmed with (404 `tutor_not_linked` otherwise).",
    )
    def put(self, request: Request) -> Response:
        data = s.AssignedTutorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assigned_tutor_set(student=request.user, tutor_id=data.validated_data["tutor"])  # type: ignore[arg-type]
        return Response(selectors.assigned_tutor(student=request.user))  # type: ignore[arg-type]


class StudentStatsView(APIView):
    permission_classes = [IsStudent]

    @extend_schema(
        tags=TAGS,
        parameters=[s.PeriodQuerySerializer],
        responses={200: s.StudentStatsSerializer},
        summary="My learning statistics",
        description="Lessons, hours, upcoming lessons, cancellations, no-shows, attendance rate, tutors and "
        "lessons per week (the last 12 local weeks, whatever the period)." + PERIOD_NOTE,
    )
    def get(self, request: Request) -> Response:
        query = period_query(request)
        return Response(
            selectors.student_stats(student=request.user, now=timezone.now(), **query.selector_kwargs())  # type: ignore[arg-type]
        )


# --- tutor -----------------------------------------------------------------------------------------


class TutorDashboardView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(
        tags=TAGS,
        parameters=[s.PeriodQuerySerializer],
        responses={200: s.TutorDashboardSerializer},
        summary="Tutor dashboard: requests, upcoming lessons, students and stats",
        description="The first pending requests, upcoming lessons and students, and the statistics, in one "
        "response." + PERIOD_NOTE,
    )
    def get(self, request: Request) -> Response:
        query = period_query(request)
        return Response(
            selectors.tutor_dashboard(tutor=request.user, now=timezone.now(), **query.selector_kwargs())  # type: ignore[arg-type]
        )


class TutorUpcomingView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(
        tags=TAGS,
        parameters=[s.UpcomingQuerySerializer],
        responses={200: s.TutorUpcomingSerializer},
        summary="My pending requests and upcoming lessons",
        description="Requests waiting for your answer (with the time left before they expire) and confirmed "
        "lessons that have not ended; each list holds its first `limit` rows and its total `count`.",
    )
    def get(self, request: Request) -> Response:
        query = s.UpcomingQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        return Response(
            selectors.tutor_upcoming(tutor=request.user, now=timezone.now(), limit=query.validated_data["limit"])  # type: ignore[arg-type]
        )


class TutorStudentsView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(
        tags=TAGS,
        parameters=PAGE_PARAMETERS,
        responses={200: paginated(s.TutorStudentSerializer)},
        summary="My students",
        description="Everyone you have confirmed a lesson with: completed lessons, the last and the next "
        "lesson; the next lesson soonest first, then the latest last lesson.",
    )
    def get(self, request: Request) -> Response:
        rows = selectors.tutor_students(tutor=request.user, now=timezone.now())  # type: ignore[arg-type]
        return paginated_response(request, self, rows)


class TutorStatsView(APIView):
    permission_classes = [IsTutor]

    @extend_schema(
        tags=TAGS,
        parameters=[s.PeriodQuerySerializer],
        responses={200: s.TutorStatsSerializer},
        summary="My teaching statistics",
        description="Lessons, hours, earnings per currency, active students, rating, requests (confirmation "
        "rate, median response time), cancellations, no-shows and lessons per week (the last 12 local weeks, "
        "whatever the period). Request numbers count requests made in the period." + PERIOD_NOTE,
    )
    def get(self, request: Request) -> Response:
        query = period_query(request)
        return Response(
            selectors.tutor_stats(tutor=request.user, now=timezone.now(), **query.selector_kwargs())  # type: ignore[arg-type]
        )
