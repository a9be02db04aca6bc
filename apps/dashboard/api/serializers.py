"""Dashboard API shapes. The selectors build JSON-ready rows; these serializers parse the query
parameters and document the responses (the tests check every response against the schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.booking.api.serializers import PersonSerializer, SubjectRefSerializer
from apps.booking.models import BookingStatus
from apps.core.api.serializers import InputSerializer
from apps.dashboard.selectors import CHART_WEEKS, PERIODS, SUMMARY_LIMIT
from apps.dashboard.selectors.periods import CUSTOM_PERIOD
from apps.marketplace.api.serializers import TutorCardSerializer
from apps.marketplace.models import Currency

MAX_LIMIT = 100

# --- input -----------------------------------------------------------------------------------------


class PeriodQuerySerializer(serializers.Serializer):
    """``period``, or ``from``/``to``: the statistics' period in the user's time zone."""

    period = serializers.ChoiceField(
        choices=PERIODS,
        required=False,
        help_text="The current calendar week (Monday to Sunday), month or year in your time zone, or all "
        "time (the default). Not together with from/to.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # ``from`` is a Python keyword: declared here rather than as a class attribute.
        fields["from"] = serializers.DateField(
            required=False, help_text="First day (YYYY-MM-DD, local, included); open-ended if omitted."
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Last day (YYYY-MM-DD, local, included); open-ended if omitted."
        )
        return fields

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.validated_data
        return {"period": data.get("period"), "first_day": data.get("from"), "last_day": data.get("to")}


class UpcomingQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=20, help_text=f"Rows per list, 1 to {MAX_LIMIT} (default 20)."
    )


class AssignedTutorInputSerializer(InputSerializer):
    tutor = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Id of a tutor you have had a lesson confirmed with."
    )


# --- lessons -----------------------------------------------------------------------------------------


class LessonSerializer(serializers.Serializer):
    booking_id = serializers.IntegerField()
    session_id = serializers.IntegerField(allow_null=True, help_text="The lesson's classroom; null if none yet.")
    session_status = serializers.CharField(
        allow_null=True, help_text="The classroom's status (scheduled, live); null while there is no classroom."
    )
    subject = SubjectRefSerializer(allow_null=True)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    joinable_from = serializers.DateTimeField(help_text="The classroom opens 15 minutes before the start.")
    can_join = serializers.BooleanField(help_text="A confirmed lesson with an open classroom, inside its join window.")


class ActiveLessonSerializer(LessonSerializer):
    """An upcoming or live lesson of the student."""

    status = serializers.ChoiceField(choices=[BookingStatus.PENDING.value, BookingStatus.CONFIRMED.value])
    tutor = PersonSerializer(help_text="`id` is the marketplace tutor id.")
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When a pending request lapses unanswered; null once confirmed."
    )


class UpcomingLessonSerializer(LessonSerializer):
    """A confirmed lesson of the tutor that has not ended."""

    student = PersonSerializer()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.ChoiceField(choices=Currency.choices)


class PendingRequestSerializer(UpcomingLessonSerializer):
    """A lesson request waiting for the tutor's answer."""

    message = serializers.CharField(allow_blank=True)
    requested_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="Unanswered by then, the request expires.")
    expires_in_seconds = serializers.IntegerField(help_text="Seconds left before expires_at.")


def preview(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """``{count, results}``: the first rows of a list and how many there are, named ``<Item>Preview``."""
    return type(
        item.__name__.removesuffix("Serializer") + "PreviewSerializer",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "results": item(many=True),
            "__module__": item.__module__,
            "__doc__": f"The first {item.__name__.removesuffix('Serializer')} rows and the total count.",
        },
    )


ActiveLessonPreviewSerializer = preview(ActiveLessonSerializer)
UpcomingLessonPreviewSerializer = preview(UpcomingLessonSerializer)
PendingRequestPreviewSerializer = preview(PendingRequestSerializer)


class TutorUpcomingSerializer(serializers.Serializer):
    requests = PendingRequestPreviewSerializer(help_text="Pending requests, the one lapsing first first.")
    lessons = UpcomingLessonPreviewSerializer(help_text="Confirmed lessons not ended yet, soonest first.")


class TutorStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    timezone = serializers.CharField()
    is_assigned = serializers.BooleanField(help_text="You are this student's assigned tutor.")
    since = serializers.DateTimeField(help_text="When your first lesson with the student was confirmed.")
    lessons_taken = serializers.IntegerField(help_text="Completed lessons with you.")
    last_lesson_at = serializers.DateTimeField(allow_null=True, help_text="Start of the last completed lesson.")
    next_lesson_at = serializers.DateTimeField(allow_null=True, help_text="Start of the next confirmed lesson.")


TutorStudentPreviewSerializer = preview(TutorStudentSerializer)


class AssignedTutorSerializer(TutorCardSerializer):
    """The student's assigned tutor: the public card (``id`` is the marketplace tutor id)."""

    linked_since = serializers.DateTimeField(help_text="When your first lesson with this tutor was confirmed.")
    lessons_together = serializers.IntegerField(help_text="Completed lessons with this tutor.")
    bookable = serializers.BooleanField(
        help_text="False while the tutor's profile is not published (suspended by staff or back to draft): "
        "the card stays, but new lessons cannot be requested."
    )


# --- statistics ---------------------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[*PERIODS, CUSTOM_PERIOD], help_text="`custom` for from/to.")
    timezone = serializers.CharField(help_text="Your IANA zone: the days below are local days in it.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(allow_null=True, help_text="First day included; null if unbounded.")
        fields["to"] = serializers.DateField(allow_null=True, help_text="Last day included; null if unbounded.")
        return fields


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="Monday of the local week.")
    lessons = serializers.IntegerField(help_text="Completed lessons starting that week.")
    hours = serializers.DecimalField(max_digits=8, decimal_places=2)


class CancellationsSerializer(serializers.Serializer):
    by_student = serializers.IntegerField()
    by_student_late = serializers.IntegerField(help_text="Of by_student: confirmed lessons cancelled late.")
    by_tutor = serializers.IntegerField()
    by_tutor_late = serializers.IntegerField(help_text="Of by_tutor: confirmed lessons cancelled late.")


class NoShowsSerializer(serializers.Serializer):
    student_absent = serializers.IntegerField(help_text="No-shows where the student never joined.")
    tutor_absent = serializers.IntegerField(help_text="No-shows where the tutor never joined.")


class StudentStatsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    lessons_completed = serializers.IntegerField()
    hours_learned = serializers.DecimalField(max_digits=12, decimal_places=2)
    upcoming_lessons = serializers.IntegerField(help_text="Pending or confirmed lessons in the period not ended yet.")
    cancellations = CancellationsSerializer()
    no_shows = NoShowsSerializer()
    attendance_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        allow_null=True,
        help_text="completed / (completed + no-shows where you were absent); null without such lessons.",
    )
    tutors_studied_with = serializers.IntegerField(help_text="Distinct tutors of your completed lessons.")
    lessons_per_week = WeekSerializer(
        many=True, help_text=f"The current local week and the {CHART_WEEKS - 1} before it, oldest first."
    )


class EarningSerializer(serializers.Serializer):
    currency = serializers.ChoiceField(choices=Currency.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    lessons = serializers.IntegerField()


class RatingSummarySerializer(serializers.Serializer):
    average = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, help_text="Public rating, all time."
    )
    count = serializers.IntegerField(help_text="Reviews, all time.")
    period_average = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, help_text="Of the reviews written in the period."
    )
    period_count = serializers.IntegerField(help_text="Reviews written in the period.")


class RequestStatsSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="Lesson requests made in the period.")
    confirmed = serializers.IntegerField()
    declined = serializers.IntegerField(help_text="Declined, or cancelled by you before confirming.")
    expired = serializers.IntegerField(help_text="Lapsed unanswered.")
    withdrawn = serializers.IntegerField(help_text="Cancelled by the student before your answer.")
    pending = serializers.IntegerField(help_text="Still waiting for your answer.")
    confirmation_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        allow_null=True,
        help_text="confirmed / (confirmed + declined + expired); null without such requests.",
    )
    median_response_seconds = serializers.IntegerField(
        allow_null=True, help_text="Median time from request to your answer (confirm or decline)."
    )


@extend_schema_serializer(component_name="DashboardTutorStats")
class TutorStatsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    lessons_taught = serializers.IntegerField()
    hours_taught = serializers.DecimalField(max_digits=12, decimal_places=2)
    upcoming_lessons = serializers.IntegerField(help_text="Pending or confirmed lessons in the period not ended yet.")
    earnings = EarningSerializer(many=True, help_text="Prices of completed lessons, per currency.")
    active_students = serializers.IntegerField(
        help_text="Students with a completed lesson in the last 30 days (whatever the period)."
    )
    rating = RatingSummarySerializer()
    requests = RequestStatsSerializer()
    cancellations = CancellationsSerializer()
    no_shows = NoShowsSerializer()
    lessons_per_week = WeekSerializer(
        many=True, help_text=f"The current local week and the {CHART_WEEKS - 1} before it, oldest first."
    )


# --- dashboards ----------------------------------------------------------------------------------------


class StudentDashboardSerializer(serializers.Serializer):
    active_lessons = ActiveLessonPreviewSerializer(
        help_text=f"The first {SUMMARY_LIMIT} upcoming or live lessons, as in active-lessons/."
    )
    teacher = AssignedTutorSerializer(allow_null=True, help_text="Your assigned tutor; null if none.")
    stats = StudentStatsSerializer()


class TutorDashboardSerializer(serializers.Serializer):
    upcoming = TutorUpcomingSerializer(help_text=f"The first {SUMMARY_LIMIT} requests and lessons, as in upcoming/.")
    students = TutorStudentPreviewSerializer(help_text=f"The first {SUMMARY_LIMIT} students, as in students/.")
    stats = TutorStatsSerializer()
