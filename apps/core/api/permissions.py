from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class _HasRole(BasePermission):
    role = ""
    message = ""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "role", None) == self.role)


class IsStudent(_HasRole):
    role = "student"
    message = "Only students can do this."


class IsTutor(_HasRole):
    role = "tutor"
    message = "Only tutors can do this."
