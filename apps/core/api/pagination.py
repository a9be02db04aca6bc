from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exceptions import InvalidInputError, NotFoundError


def _positive_int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInputError(f"{name} must be a positive integer.", code="invalid_pagination", extra={"param": name})
    return int(raw)


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=&page_size=`` (at most 100); a bad value is a 400, a page past the end a 404."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        size = _positive_int(request, self.page_size_query_param, self.page_size)
        if size > self.max_page_size:
            raise InvalidInputError(
                f"page_size must be at most {self.max_page_size}.",
                code="invalid_pagination",
                extra={"param": "page_size", "max": self.max_page_size},
            )
        return size

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: APIView | None = None) -> list[Any]:
        page_size = self.get_page_size(request)
        page_number = _positive_int(request, self.page_query_param, 1)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFoundError("That page does not exist.", code="invalid_page") from exc
        self.request = request
        return list(self.page)


def paginated_response(
    request: Request, view: APIView, rows: Any, render: Callable[[list[Any]], Any] | None = None
) -> Response:
    """``{count, next, previous, results}`` for one page of ``rows``, each page shaped by ``render``."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(page if render is None else render(page))
