from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.accounts.models import Role
from apps.core.api.serializers import ClockField, InputSerializer, TimezoneField
from apps.marketplace.languages import is_language_code
from apps.marketplace.models import LESSON_DURATION_CHOICES, Currency, Level, Proficiency
from apps.marketplace.selectors import ORDERINGS, TutorSearchFilters

# --- input -----------------------------------------------------------------------------------------


class LanguageCodeField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=2, max_length=2, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).lower()
        if not is_language_code(code):
            raise serializers.ValidationError("Not an ISO 639-1 language code.", code="invalid_language")
        return code


class TutorSearchQuerySerializer(serializers.Serializer):
    subject = serializers.SlugField(
        required=False, max_length=64, help_text="Subject slug; a parent includes its children."
    )
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    language = LanguageCodeField(required=False, help_text="ISO 639-1 code of a language the tutor speaks.")
    native = serializers.ChoiceField(
        choices=["true", "false"], required=False, help_text="Only native (true) or non-native (false) speakers."
    )
    min_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    max_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    currency = serializers.ChoiceField(
        choices=Currency.choices, default=Currency.EUR, help_text="Currency of min_price and max_price."
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Full-text query.")
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), default="best_match")
    available_days = serializers.RegexField(
        r"^[0-6](,[0-6])*$",
        required=False,
        help_text="Free on these weekdays of the coming 14 days (comma-separated, Monday is 0), in `tz`.",
    )
    available_from = ClockField(required=False, help_text="Free from this time of day, in `tz`.")
    available_to = ClockField(required=False, help_text="Free until this time of day (24:00 allowed), in `tz`.")
    tz = TimezoneField(required=False, default="UTC", help_text="The student's IANA zone for the availability filter.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min_price": "min_price is above max_price."}, code="invalid_range")
        start, end = attrs.get("available_from", 0), attrs.get("available_to", 1440)
        if start >= end:
            raise serializers.ValidationError(
                {"available_to": "available_to must be after available_from."}, code="invalid_range"
            )
        return attrs

    def filters(self) -> TutorSearchFilters:
        data = dict(self.validated_data)
        native = data.pop("native", None)
        days = data.pop("available_days", None)
        return TutorSearchFilters(
            **data,
            native=None if native is None else native == "true",
            available_days=None if days is None else tuple(sorted({int(day) for day in days.split(",")})),
        )


class TutorSubjectInputSerializer(InputSerializer):
    subject = serializers.SlugField(max_length=64)
    levels = serializers.ListField(child=serializers.ChoiceField(choices=Level.choices), min_length=1, max_length=5)


class TutorLanguageInputSerializer(InputSerializer):
    code = LanguageCodeField()
    proficiency = serializers.ChoiceField(choices=Proficiency.choices, default=Proficiency.C2)
    native = serializers.BooleanField(default=False)


class TutorProfileUpdateSerializer(InputSerializer):
    headline = serializers.CharField(max_length=120, allow_blank=True, required=False)
    bio = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    hourly_rate = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=100000, required=False
    )
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    trial_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, max_value=100000, allow_null=True, required=False
    )
    trial_minutes = serializers.ChoiceField(choices=LESSON_DURATION_CHOICES, allow_null=True, required=False)
    intro_video_url = serializers.URLField(max_length=300, allow_blank=True, required=False)
    education = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    experience = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    experience_years = serializers.IntegerField(min_value=0, max_value=80, required=False)
    accepting_students = serializers.BooleanField(required=False)
    subjects = TutorSubjectInputSerializer(many=True, required=False, max_length=20)
    languages = TutorLanguageInputSerializer(many=True, required=False, max_length=10)
    status = serializers.ChoiceField(choices=["draft", "published"], required=False)


class ConversationStartSerializer(InputSerializer):
    tutor = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    body = serializers.CharField(max_length=4000)


class MessageInputSerializer(InputSerializer):
    body = serializers.CharField(max_length=4000)


# --- output (the views render selector rows; these document their shape) ---------------------------


class SubjectNodeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_en = serializers.CharField()
    name_uk = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField(), help_text="Subjects under this one (same shape).")


class LevelSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class TutorSubjectSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name_en = serializers.CharField()
    name_uk = serializers.CharField()
    levels = serializers.ListField(child=serializers.ChoiceField(choices=Level.choices))


class TutorLanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    proficiency = serializers.ChoiceField(choices=Proficiency.choices)
    native = serializers.BooleanField()


class TutorStatsSerializer(serializers.Serializer):
    rating_avg = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    rating_count = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    response_rate = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    response_time_minutes = serializers.IntegerField(allow_null=True, help_text="Median, over the last 90 days.")
    member_since = serializers.DateField()


class TutorCardSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The tutor's public id, used by booking, slots and dashboards too.")
    display_name = serializers.CharField()
    first_name = serializers.CharField()
    timezone = serializers.CharField()
    headline = serializers.CharField()
    subjects = TutorSubjectSerializer(many=True)
    languages = TutorLanguageSerializer(many=True)
    hourly_rate = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    currency = serializers.ChoiceField(choices=Currency.choices)
    trial_price = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    trial_minutes = serializers.IntegerField(allow_null=True)
    accepting_students = serializers.BooleanField()
    stats = TutorStatsSerializer()


class TutorDetailSerializer(TutorCardSerializer):
    bio = serializers.CharField()
    education = serializers.CharField()
    experience = serializers.CharField()
    experience_years = serializers.IntegerField()
    intro_video_url = serializers.CharField()
    status = serializers.ChoiceField(choices=["draft", "published", "suspended"])


class FavoriteSerializer(serializers.Serializer):
    tutor = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ConversationPartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tutor = serializers.IntegerField()
    student = serializers.IntegerField()
    other = ConversationPartySerializer(help_text="The other participant.")
    last_message = serializers.CharField(allow_null=True)
    last_message_from_me = serializers.BooleanField()
    last_message_at = serializers.DateTimeField()
    unread = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField(source="conversation_id")
    sender = serializers.IntegerField(source="sender_id")
    body = serializers.CharField()
    masked = serializers.BooleanField(help_text="Contact details were hidden (no confirmed lesson yet).")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class ConversationStartedSerializer(serializers.Serializer):
    conversation = ConversationSerializer()
    message = MessageSerializer()


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(allow_blank=True)
    author = serializers.CharField(help_text="First name and initial of the student.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reply = serializers.CharField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)


class ReviewUpdateSerializer(InputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
    text = serializers.CharField(max_length=3000, allow_blank=True, required=False)


class ReviewReplySerializer(InputSerializer):
    text = serializers.CharField(max_length=3000)
