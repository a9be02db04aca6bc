"""Who may open a classroom socket: a valid classroom token for this session, of a participant, in the
join window. Checked once, at connect, before any lesson data is sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from django.utils import timezone

from apps.classroom.models import ClassroomSession
from apps.classroom.selectors.sessions import can_join, participant_role
from apps.classroom.tokens import ClassroomTokenError, ClassroomTokenService

SUBPROTOCOL = "m4sh.classroom"
CLOSE_UNAUTHENTICATED = 4401  # missing, invalid or expired token
CLOSE_FORBIDDEN = 4403  # a token for another classroom, not a participant, or the classroom is closed
CLOSE_NOT_FOUND = 4404  # no such classroom


@dataclass(frozen=True)
class SocketUser:
    user_id: int
    session_id: int
    role: str


@dataclass(frozen=True)
class Refused:
    code: int
    reason: str


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """The token from ``?token=`` or from a WebSocket subprotocol (any offered protocol but ours)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    for protocol in scope.get("subprotocols") or []:
        if protocol != SUBPROTOCOL:
            return str(protocol)
    return None


def accepted_subprotocol(scope: dict[str, Any]) -> str | None:
    """Echo only the fixed protocol name, never the token."""
    return SUBPROTOCOL if SUBPROTOCOL in (scope.get("subprotocols") or []) else None


def authenticate_socket(*, token: str | None, session_id: int) -> SocketUser | Refused:
    """Synchronous (database): call through a thread from async code."""
    if not token:
        return Refused(CLOSE_UNAUTHENTICATED, "token_missing")
    try:
        claims = ClassroomTokenService.verify(token)
    except ClassroomTokenError as exc:
        return Refused(CLOSE_UNAUTHENTICATED, exc.code)
    session = ClassroomSession.objects.select_related("booking").filter(pk=session_id).first()
    if session is None:
        return Refused(CLOSE_NOT_FOUND, "classroom_not_found")
    if claims.session_id != session_id:
        return Refused(CLOSE_FORBIDDEN, "token_for_another_classroom")
    role = participant_role(session, claims.user_id)
    if role is None:
        return Refused(CLOSE_FORBIDDEN, "not_a_participant")
    booking = session.booking
    if not can_join(
        booking_status=booking.status,
        session_status=session.status,
        start=booking.start,
        end=booking.end,
        now=timezone.now(),
    ):
        return Refused(CLOSE_FORBIDDEN, "classroom_closed")
    return SocketUser(user_id=claims.user_id, session_id=session_id, role=role)
