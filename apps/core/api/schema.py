"""OpenAPI generation: every operation documents the errors it can answer with, in the one error shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from rest_framework.permissions import AllowAny

from apps.core.api.serializers import ErrorSerializer

ERROR_DESCRIPTIONS = {
    400: "Invalid input (per-field details in `extra.fields`) or malformed body.",
    401: "Not authenticated, or the token is invalid or expired.",
    403: "Authenticated, but not allowed to do this.",
    404: "Not found, or not visible to this user.",
    409: "The current state of the object forbids this.",
    429: "Too many requests; `extra.retry_after` says when to retry.",
}


class AutoSchema(openapi.AutoSchema):
    def get_operation_id(self) -> str:
        """``..._list`` for GETs answering a paginated envelope, as for DRF's generic list views."""
        operation_id = super().get_operation_id()
        responses = self.get_response_serializers()
        ok = responses.get(200) if isinstance(responses, dict) else responses
        name = ok.__name__ if isinstance(ok, type) else type(ok).__name__
        if self.method == "GET" and name.startswith("Paginated") and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def _error_statuses(self, operation: dict[str, Any]) -> set[int]:
        statuses = set(getattr(self.view, "error_statuses", ()))
        has_query = any(param.get("in") == "query" for param in operation.get("parameters", []))
        if self.method in {"POST", "PUT", "PATCH"} or has_query:
            statuses.add(400)
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            statuses.update({401, 403})
        if "{" in self.path:
            statuses.add(404)
        if self.view.get_throttles():
            statuses.add(429)
        return statuses

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for status_code in sorted(self._error_statuses(operation)):
            if str(status_code) not in responses:
                response = self._get_response_for_code(ErrorSerializer, str(status_code))
                response["description"] = ERROR_DESCRIPTIONS[status_code]
                responses[str(status_code)] = response
        return operation
