from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from apps.core.validators import available_timezones


class StrictInputMixin:
    """Reject keys the serializer does not accept, so a typo or a read-only field is a 400, not ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}  # type: ignore[attr-defined]
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: [ErrorDetail("This field is not accepted here.", code="unknown_field")] for key in unknown}
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class InputSerializer(StrictInputMixin, serializers.Serializer):
    """Base for request bodies."""


class ErrorSerializer(serializers.Serializer):
    """The shape of every API error."""

    message = serializers.CharField()
    code = serializers.CharField()
    extra = serializers.DictField()


class TimezoneField(serializers.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_length=64, **kwargs)  # type: ignore[arg-type]

    def to_internal_value(self, data: object) -> str:
        value = super().to_internal_value(data)
        if value not in available_timezones():
            raise serializers.ValidationError(
                "Unknown time zone; use an IANA name such as Europe/Kyiv.", code="invalid_timezone"
            )
        return value


def minutes_to_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:30"})
class ClockField(serializers.Field):
    """``"HH:MM"`` (00:00 to 24:00) as minutes from midnight."""

    default_error_messages = {"invalid": "Use HH:MM between 00:00 and 24:00."}

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str) or len(data) != 5 or data[2] != ":" or not (data[:2] + data[3:]).isdigit():
            self.fail("invalid")
        hours, minutes = int(data[:2]), int(data[3:])
        if minutes > 59 or hours * 60 + minutes > 1440:
            self.fail("invalid")
        return hours * 60 + minutes

    def to_representation(self, value: int) -> str:
        return minutes_to_hhmm(value)
