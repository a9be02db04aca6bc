from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail


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
