"""Helpers for documenting responses that views build from selector rows."""

from __future__ import annotations

from functools import cache

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Results per page, 1 to 100 (default 20)."),
]


@cache
def paginated(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The ``{count, next, previous, results}`` envelope around ``item``, named ``Paginated<Item>``."""
    name = "Paginated" + item.__name__.removesuffix("Serializer")
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
            "__module__": item.__module__,
        },
    )
