from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from apps.accounts.models import User
from apps.booking.selectors import booking_get_for_participant
from apps.classroom.ice import ice_servers
from apps.classroom.models import ClassroomSession
from apps.classroom.selectors.sessions import can_join, join_window
from apps.classroom.tokens import ClassroomTokenService
from apps.core.exceptions import NotFoundError


@dataclass(frozen=True)
class ClassroomAccess:
    session_id: int
    token: str | None
    url: str
    ws: dict[str, str]
    status: str
    joinable_from: datetime
    ends_at: datetime
    ice_servers: list[dict[str, Any]]


def classroom_paths(session_id: int) -> dict[str, str]:
    return {"board": f"/ws/classroom/{session_id}/board", "room": f"/ws/classroom/{session_id}/"}


def classroom_access(*, user: User, booking_id: int, now: datetime) -> ClassroomAccess:
    """How a participant enters the lesson's classroom; the token is issued only inside the join window."""
    booking = booking_get_for_participant(user=user, booking_id=booking_id)
    session = ClassroomSession.objects.filter(booking=booking).first()
    if session is None:
        raise NotFoundError("This lesson has no classroom (it is not confirmed).", code="classroom_not_found")
    window = join_window(start=booking.start, end=booking.end)
    role = "tutor" if user.pk == booking.tutor_id else "student"
    token = None
    if can_join(
        booking_status=booking.status, session_status=session.status, start=booking.start, end=booking.end, now=now
    ):
        token = ClassroomTokenService.issue(
            user_id=user.pk, session_id=session.pk, role=role, not_before=window.opens_at, expires=window.closes_at
        )
    return ClassroomAccess(
        session_id=session.pk,
        token=token,
        url=f"{settings.PUBLIC_URL}/classroom/{session.pk}/",
        ws=classroom_paths(session.pk),
        status=session.status,
        joinable_from=window.opens_at,
        ends_at=window.closes_at,
        ice_servers=ice_servers(user_id=user.pk, expires=window.closes_at) if token else [],
    )
