"""Typed errors raised by services and selectors.

The domain never imports the API layer: each error carries a stable machine-readable ``code`` and a
``kind``; the one API exception handler maps the kind to an HTTP status.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the platform refused the operation."""

    kind = "invalid"
    default_code = "invalid"
    default_message = "The request cannot be processed."

    def __init__(self, message: str | None = None, *, code: str | None = None, extra: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.extra = extra or {}
        super().__init__(self.message)


class InvalidInputError(ApplicationError):
    """The input breaks a rule (400)."""

    kind = "invalid"

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str) -> InvalidInputError:
        """An error on one input field, in the same ``extra.fields`` shape as serializer validation."""
        return cls(message, code=code, extra={"fields": {field: [{"message": message, "code": code}]}})


class AuthenticationError(ApplicationError):
    """Credentials or a token were refused (401)."""

    kind = "unauthenticated"
    default_code = "authentication_failed"
    default_message = "Authentication failed."


class PermissionDeniedError(ApplicationError):
    """The user may not do this (403)."""

    kind = "forbidden"
    default_code = "permission_denied"
    default_message = "You do not have permission to perform this action."


class NotFoundError(ApplicationError):
    """The object does not exist or is not visible to this user (404)."""

    kind = "not_found"
    default_code = "not_found"
    default_message = "Not found."


class ConflictError(ApplicationError):
    """The current state of an object forbids the operation (409)."""

    kind = "conflict"
    default_code = "conflict"
    default_message = "The request conflicts with the current state."
