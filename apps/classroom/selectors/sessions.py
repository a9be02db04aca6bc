from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from apps.accounts.models import User
from apps.booking.models import Booking, BookingStatus
from apps.classroom.models import ClassroomSession, SessionStatus
from apps.core.exceptions import NotFoundError


@dataclass(frozen=True)
class JoinWindow:
    opens_at: datetime
    closes_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at


def join_window(*, start: datetime, end: datetime) -> JoinWindow:
    """The one join window: from 15 minutes before the start until the end.

    The API, the dashboards, the web page and the sockets all ask this function.
    """
    return JoinWindow(opens_at=start - timedelta(minutes=settings.CLASSROOM_JOIN_BEFORE_MINUTES), closes_at=end)


def can_join(*, booking_status: str, session_status: str | None, start: datetime, end: datetime, now: datetime) -> bool:
    """Whether a participant may enter the classroom now: a confirmed lesson with an open classroom, in its window."""
    return (
        booking_status == BookingStatus.CONFIRMED
        and session_status in (SessionStatus.SCHEDULED, SessionStatus.LIVE)
        and join_window(start=start, end=end).contains(now)
    )


def can_join_booking(booking: Booking, now: datetime) -> bool:
    session = getattr(booking, "classroom_session", None)
    return can_join(
        booking_status=booking.status,
        session_status=session.status if session else None,
        start=booking.start,
        end=booking.end,
        now=now,
    )


def session_get_for_participant(*, user: User, session_id: int) -> ClassroomSession:
    """The session, with its booking, if ``user`` is its student or tutor; a 404 for anyone else."""
    session = (
        ClassroomSession.objects.select_related("booking__student", "booking__tutor__user")
        .filter(Q(booking__student=user) | Q(booking__tutor_id=user.pk), pk=session_id)
        .first()
    )
    if session is None:
        raise NotFoundError("No such classroom.", code="classroom_not_found")
    return session


def participant_role(session: ClassroomSession, user_id: int) -> str | None:
    if user_id == session.booking.student_id:
        return "student"
    if user_id == session.booking.tutor_id:
        return "tutor"
    return None
