from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet


class ValuesRows:
    """A filtered, ordered queryset that counts itself as it is and yields pages as ``.values(*fields)``.

    Paginating it costs two queries, and the count carries no joins that only the listed fields need.
    """

    def __init__(self, queryset: QuerySet[Any], fields: Sequence[str]) -> None:
        self.queryset = queryset
        self.fields = tuple(fields)

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return list(self.queryset.values(*self.fields)[item])
