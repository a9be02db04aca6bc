from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.booking.models import Availability, AvailabilityOverride, Booking, BookingStatus
from apps.classroom.selectors import can_join_booking
from apps.core.api.serializers import ClockField, InputSerializer, minutes_to_hhmm
from apps.marketplace.models import LESSON_DURATION_CHOICES
from apps.marketplace.selectors import display_name

MAX_SLOT_WINDOW_DAYS = 31


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 instant that names its offset (``Z`` or ``+02:00``); a naive time is a 400."""

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str) and not (value.endswith(("Z", "z")) or "+" in value[10:] or "-" in value[10:]):
            raise serializers.ValidationError("Give the time with an offset or Z.", code="naive_datetime")
        return super().to_internal_value(value).astimezone(UTC)


# --- availability -----------------------------------------------------------------------------------


class WeeklyRangeSerializer(InputSerializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="Monday is 0.")
    start = ClockField()
    end = ClockField()


class AvailabilitySerializer(InputSerializer):
    timezone = serializers.CharField(max_length=64, help_text="IANA zone the weekly hours and overrides are in.")
    min_notice_minutes = serializers.IntegerField(min_value=0, max_value=30 * 24 * 60, default=12 * 60)
    max_advance_days = serializers.IntegerField(min_value=1, max_value=365, default=90)
    slot_step_minutes = serializers.ChoiceField(choices=[15, 30, 60], default=30)
    buffer_minutes = serializers.IntegerField(min_value=0, max_value=240, default=0)
    weekly = WeeklyRangeSerializer(many=True, max_length=100)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data["weekly"] = [
            {"weekday": r["weekday"], "start_minute": r["start"], "end_minute": r["end"]} for r in data["weekly"]
        ]
        return data


def availability_representation(availability: Availability | None, user: User) -> dict[str, Any]:
    if availability is None:
        return {
            "timezone": user.timezone,
            "min_notice_minutes": 12 * 60,
            "max_advance_days": 90,
            "slot_step_minutes": 30,
            "buffer_minutes": 0,
            "weekly": [],
        }
    return {
        "timezone": availability.timezone,
        "min_notice_minutes": availability.min_notice_minutes,
        "max_advance_days": availability.max_advance_days,
        "slot_step_minutes": availability.slot_step_minutes,
        "buffer_minutes": availability.buffer_minutes,
        "weekly": [
            {"weekday": r.weekday, "start": minutes_to_hhmm(r.start_minute), "end": minutes_to_hhmm(r.end_minute)}
            for r in availability.weekly.all()
        ],
    }


class ClockRangeSerializer(InputSerializer):
    start = ClockField()
    end = ClockField()


class OverrideInputSerializer(InputSerializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, help_text="Last date (inclusive); defaults to start_date.")
    intervals = ClockRangeSerializer(
        many=True, max_length=20, help_text="Open hours on these dates; empty means the whole time off."
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OverrideSerializer(serializers.ModelSerializer[AvailabilityOverride]):
    intervals = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()

    class Meta:
        model = AvailabilityOverride
        fields = ["id", "start_date", "end_date", "intervals", "kind", "note"]

    @extend_schema_field(ClockRangeSerializer(many=True))
    def get_intervals(self, obj: AvailabilityOverride) -> list[dict[str, str]]:
        return [{"start": minutes_to_hhmm(s), "end": minutes_to_hhmm(e)} for s, e in obj.intervals]

    @extend_schema_field(serializers.ChoiceField(choices=["hours", "time_off"]))
    def get_kind(self, obj: AvailabilityOverride) -> str:
        return "hours" if obj.intervals else "time_off"


# --- slots ------------------------------------------------------------------------------------------


class SlotQuerySerializer(serializers.Serializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    duration = serializers.ChoiceField(choices=LESSON_DURATION_CHOICES, help_text="Lesson length in minutes.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "end must be after start."}, code="invalid_range")
        if (attrs["end"] - attrs["start"]).total_seconds() > MAX_SLOT_WINDOW_DAYS * 86400:
            raise serializers.ValidationError(
                {"end": f"At most {MAX_SLOT_WINDOW_DAYS} days at once."}, code="window_too_long"
            )
        return attrs


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SlotsSerializer(serializers.Serializer):
    tutor = serializers.IntegerField()
    duration = serializers.IntegerField()
    slots = SlotSerializer(many=True)


# --- bookings ---------------------------------------------------------------------------------------


class BookingCreateSerializer(InputSerializer):
    tutor = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    start = AwareDateTimeField()
    duration_minutes = serializers.ChoiceField(choices=LESSON_DURATION_CHOICES)
    subject = serializers.SlugField(max_length=64, required=False)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(InputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RescheduleSerializer(InputSerializer):
    start = AwareDateTimeField()


class BookingQuerySerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=BookingStatus.choices, required=False)
    start_from = AwareDateTimeField(required=False, help_text="Lessons starting at or after.")
    start_to = AwareDateTimeField(required=False, help_text="Lessons starting before.")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class SubjectRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_en = serializers.CharField()
    name_uk = serializers.CharField()


class BookingSerializer(serializers.ModelSerializer[Booking]):
    tutor = serializers.SerializerMethodField()
    student = serializers.SerializerMethodField()
    subject = SubjectRefSerializer(allow_null=True)
    my_role = serializers.SerializerMethodField()
    classroom_session_id = serializers.SerializerMethodField()
    can_join_classroom = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "status",
            "my_role",
            "classroom_session_id",
            "can_join_classroom",
            "tutor",
            "student",
            "subject",
            "start",
            "end",
            "duration_minutes",
            "price",
            "currency",
            "message",
            "expires_at",
            "confirmed_at",
            "declined_at",
            "decline_reason",
            "cancelled_at",
            "cancelled_by_role",
            "cancellation_reason",
            "late_cancellation",
            "completed_at",
            "reschedule_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_classroom_session_id(self, obj: Booking) -> int | None:
        session = getattr(obj, "classroom_session", None)
        return session.pk if session else None

    @extend_schema_field(serializers.BooleanField(help_text="Inside the join window of a confirmed lesson."))
    def get_can_join_classroom(self, obj: Booking) -> bool:
        return can_join_booking(obj, self.context.get("now") or timezone.now())

    @extend_schema_field(PersonSerializer)
    def get_tutor(self, obj: Booking) -> dict[str, Any]:
        user = obj.tutor.user
        return {"id": obj.tutor_id, "display_name": display_name(user.first_name, user.last_name)}

    @extend_schema_field(PersonSerializer)
    def get_student(self, obj: Booking) -> dict[str, Any]:
        return {"id": obj.student_id, "display_name": display_name(obj.student.first_name, obj.student.last_name)}

    @extend_schema_field(serializers.ChoiceField(choices=["student", "tutor"]))
    def get_my_role(self, obj: Booking) -> str | None:
        viewer = self.context.get("viewer")
        if viewer is None:
            return None
        return "tutor" if viewer.pk == obj.tutor_id else "student"


class ReviewInputSerializer(InputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Secret ICS address with your confirmed lessons; keep it private.")


class ClassroomSocketsSerializer(serializers.Serializer):
    board = serializers.CharField(help_text="y-websocket whiteboard socket path.")
    room = serializers.CharField(help_text="JSON room socket path (presence, signalling, chat, events).")


class ClassroomAccessSerializer(serializers.Serializer):
    session_id = serializers.IntegerField()
    token = serializers.CharField(allow_null=True, help_text="Classroom join token; null outside the join window.")
    url = serializers.URLField()
    ws = ClassroomSocketsSerializer()
    status = serializers.ChoiceField(choices=["scheduled", "live", "completed", "cancelled"])
    joinable_from = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    ice_servers = serializers.ListField(child=serializers.DictField(), help_text="RTCPeerConnection iceServers.")
