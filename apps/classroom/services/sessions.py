"""Classroom sessions: opened once when a lesson is confirmed, live when someone joins, finished by the
tutor or after the end plus a grace period (which completes the booking or records a no-show)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.booking.models import Booking
from apps.classroom.models import Attendance, ClassroomSession, SessionStatus
from apps.classroom.realtime.events import broadcast_after_commit
from apps.classroom.selectors.sessions import can_join, participant_role
from apps.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError

OPEN = (SessionStatus.SCHEDULED, SessionStatus.LIVE)


def classroom_session_open(*, booking: Booking) -> ClassroomSession:
    """The booking's classroom, created if missing (called inside the confirm transaction; idempotent).

    The one-to-one column makes a second session for a booking impossible.
    """
    session, _ = ClassroomSession.objects.get_or_create(booking=booking)
    if session.status == SessionStatus.CANCELLED:  # a cancelled lesson moved back to confirmed
        session.status = SessionStatus.SCHEDULED
        session.save(update_fields=["status"])
    return session


def classroom_session_cancel(*, booking: Booking) -> None:
    """Close the classroom of a cancelled or declined booking."""
    ClassroomSession.objects.filter(booking=booking, status__in=OPEN).update(status=SessionStatus.CANCELLED)


@dataclass(frozen=True)
class Joined:
    attendance_id: int
    role: str
    started: bool  # this join made the lesson live


@transaction.atomic
def classroom_participant_join(*, session_id: int, user_id: int, now: datetime | None = None) -> Joined:
    """Record that a participant entered; the first entry inside the window makes the lesson live."""
    now = now or timezone.now()
    session = ClassroomSession.objects.select_for_update().select_related("booking").filter(pk=session_id).first()
    if session is None:
        raise NotFoundError("No such classroom.", code="classroom_not_found")
    role = participant_role(session, user_id)
    if role is None:
        raise PermissionDeniedError("You do not take part in this lesson.", code="not_a_participant")
    booking = session.booking
    if not can_join(
        booking_status=booking.status, session_status=session.status, start=booking.start, end=booking.end, now=now
    ):
        raise ConflictError("The classroom is not open now.", code="classroom_closed")
    started = session.status == SessionStatus.SCHEDULED
    if started:
        session.status = SessionStatus.LIVE
        session.started_at = now
        session.save(update_fields=["status", "started_at"])
        broadcast_after_commit(session.pk, "started", at=now.isoformat())
    attendance = Attendance.objects.create(session=session, user_id=user_id, role=role, joined_at=now)
    return Joined(attendance_id=attendance.pk, role=role, started=started)


def classroom_participant_leave(*, attendance_id: int, now: datetime | None = None) -> None:
    Attendance.objects.filter(pk=attendance_id, left_at__isnull=True).update(left_at=now or timezone.now())


def _absent(session: ClassroomSession, role: str) -> bool:
    """Never joined by the no-show deadline (15 minutes after the start)."""
    deadline = session.booking.start + timedelta(minutes=settings.CLASSROOM_NO_SHOW_MINUTES)
    return not session.attendance.filter(role=role, joined_at__lte=deadline).exists()


def _finish(session: ClassroomSession, *, now: datetime, ended_by: User | None) -> ClassroomSession:
    from apps.booking.services import booking_complete, booking_mark_no_show  # booking calls classroom too
    from apps.classroom.tasks import compact_board  # the tasks call these services

    Attendance.objects.filter(session=session, left_at__isnull=True).update(left_at=now)
    session.student_no_show = _absent(session, "student")
    session.tutor_no_show = _absent(session, "tutor")
    session.status = SessionStatus.COMPLETED
    session.ended_at = now
    session.ended_by = ended_by
    session.save(update_fields=["status", "ended_at", "ended_by", "student_no_show", "tutor_no_show"])
    if session.student_no_show or session.tutor_no_show:
        booking_mark_no_show(
            booking_id=session.booking_id,
            student_absent=session.student_no_show,
            tutor_absent=session.tutor_no_show,
            now=now,
        )
    else:
        booking_complete(booking_id=session.booking_id, now=now)
    # The finished board becomes one snapshot (the student's notes), after commit and in its own
    # transaction, so the session and booking rows are not kept locked meanwhile, and on a worker: the
    # tutor may end the lesson from the room socket, and merging a large board in the socket server would
    # hold up its other rooms. Should it fail, the log still holds every update and the next compaction
    # folds it.
    session_id = session.pk
    transaction.on_commit(lambda: compact_board.delay(session_id), robust=True)
    broadcast_after_commit(session.pk, "ended", at=now.isoformat())
    return session


@transaction.atomic
def classroom_session_end(*, session_id: int, user: User, now: datetime | None = None) -> ClassroomSession:
    """The tutor ends the lesson (idempotent once ended)."""
    now = now or timezone.now()
    session = ClassroomSession.objects.select_for_update().select_related("booking").filter(pk=session_id).first()
    if session is None or participant_role(session, user.pk) is None:
        raise NotFoundError("No such classroom.", code="classroom_not_found")
    if participant_role(session, user.pk) != "tutor":
        raise PermissionDeniedError("Only the tutor ends the lesson.", code="not_the_tutor")
    if session.status == SessionStatus.COMPLETED:
        return session
    if session.status != SessionStatus.LIVE:
        raise ConflictError(
            "Only a live lesson can be ended.", code="lesson_not_live", extra={"status": session.status}
        )
    return _finish(session, now=now, ended_by=user)


def classroom_sessions_finish_due(*, now: datetime | None = None) -> int:
    """Finish every open classroom whose lesson ended more than the grace period ago."""
    now = now or timezone.now()
    due = ClassroomSession.objects.filter(
        status__in=OPEN, booking__end__lte=now - timedelta(minutes=settings.CLASSROOM_GRACE_MINUTES)
    ).values_list("pk", flat=True)[:500]
    finished = 0
    for session_id in list(due):
        with transaction.atomic():
            session = ClassroomSession.objects.select_for_update().select_related("booking").get(pk=session_id)
            if session.status in OPEN:
                _finish(session, now=now, ended_by=None)
                finished += 1
    return finished


def classroom_five_minute_warnings(*, now: datetime | None = None) -> int:
    """Tell live lessons that five minutes are left (once each)."""
    now = now or timezone.now()
    due = list(
        ClassroomSession.objects.filter(
            status=SessionStatus.LIVE,
            five_minute_warning_sent=False,
            booking__end__lte=now + timedelta(minutes=5),
            booking__end__gt=now,
        ).values_list("pk", "booking__end")
    )
    for session_id, end in due:
        with transaction.atomic():
            if ClassroomSession.objects.filter(pk=session_id, five_minute_warning_sent=False).update(
                five_minute_warning_sent=True
            ):
                broadcast_after_commit(session_id, "five_minutes_left", ends_at=end.isoformat())
    return len(due)
