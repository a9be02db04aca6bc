"""The booking lifecycle. Every transition is one function here: it locks the booking row, compares the
current status, changes it, and schedules its side effects after commit.

Confirming opens the lesson's classroom in the same transaction (``classroom_session_open``, the only
place a classroom is created); declining or cancelling closes it. The classroom finishes lessons
(``booking_complete``, ``booking_mark_no_show``).

Rule for rescheduling: a student who moves a confirmed lesson sends it back to pending (the tutor must
confirm the new time); a tutor who moves a lesson keeps its status.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.booking.models import Availability, Booking, BookingEvent, BookingStatus
from apps.booking.notifications import notify_after_commit
from apps.booking.selectors.availability import tutor_schedule
from apps.booking.selectors.bookings import open_request_count
from apps.booking.selectors.slots import tutor_free_slots
from apps.booking.services.free_slots import free_slot_index_refresh_later
from apps.booking.slots import candidate_slots
from apps.classroom.services.sessions import classroom_session_cancel, classroom_session_open
from apps.core.exceptions import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from apps.marketplace.models import LESSON_DURATIONS, TutorProfile, TutorResponse, TutorStatus, TutorSubject
from apps.marketplace.selectors.catalogue import subjects_by_slug
from apps.marketplace.services import (
    tutor_lessons_completed_add,
    tutor_response_close,
    tutor_response_open,
    tutor_student_link,
)

CHANGEABLE = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


def _record(booking: Booking, kind: str, actor: User | None, at: datetime, **data: object) -> None:
    BookingEvent.objects.create(booking=booking, kind=kind, actor=actor, at=at, data=data)


def _transition_error(booking: Booking, action: str) -> ConflictError:
    return ConflictError(
        f"A {booking.status} booking cannot be {action}.",
        code="invalid_transition",
        extra={"status": booking.status, "action": action},
    )


def booking_locked_for_participant(booking_id: int, user: User) -> Booking:
    """The booking, locked for update, if ``user`` takes part in it (404 otherwise)."""
    booking = Booking.objects.select_for_update().filter(Q(student=user) | Q(tutor_id=user.pk), pk=booking_id).first()
    if booking is None:
        raise NotFoundError("No such booking.", code="booking_not_found")
    return booking


def _request_expiry(created: datetime, start: datetime) -> datetime:
    return min(created + timedelta(hours=settings.BOOKING_REQUEST_TTL_HOURS), start)


def _check_slot(
    *, tutor_id: int, student_id: int, start: datetime, duration: timedelta, now: datetime, exclude: int | None = None
) -> None:
    """400 unless ``start`` is on the tutor's grid inside their hours, notice and horizon; 409 if it is held."""
    if start <= now:
        raise InvalidInputError.for_field("start", "The start is in the past.", code="start_in_past")
    schedule = tutor_schedule(tutor_id=tutor_id, first_day=start.date(), last_day=start.date())
    window_end = start + timedelta(seconds=1)
    if schedule is None or (start, start + duration) not in set(
        candidate_slots(schedule, start, window_end, duration, now)
    ):
        if schedule is not None and start < now + schedule.min_notice:
            raise InvalidInputError.for_field("start", "The tutor needs more notice.", code="too_soon")
        if schedule is not None and start > now + schedule.max_advance:
            raise InvalidInputError.for_field("start", "That is too far ahead to book.", code="too_far_ahead")
        raise InvalidInputError.for_field(
            "start", "The tutor does not offer a lesson starting then.", code="outside_availability"
        )
    free = tutor_free_slots(
        tutor_id=tutor_id,
        window_start=start,
        window_end=window_end,
        duration=duration,
        now=now,
        student_id=student_id,
        exclude_booking_id=exclude,
    )
    if (start, start + duration) not in free:
        raise ConflictError("That time is no longer free.", code="slot_unavailable")


def _save_holding(booking: Booking, **kwargs: object) -> None:
    """Save a booking that holds a slot; on PostgreSQL the exclusion constraints have the last word."""
    try:
        with transaction.atomic():
            booking.save(**kwargs)  # type: ignore[arg-type]
    except IntegrityError as exc:
        raise ConflictError("That time is no longer free.", code="slot_unavailable") from exc


def _expire_due(*, now: datetime, tutor_id: int | None = None, student_id: int | None = None) -> int:
    due = Booking.objects.filter(status=BookingStatus.PENDING, expires_at__lte=now)
    if tutor_id is not None:
        due = due.filter(tutor_id=tutor_id)
    if student_id is not None:
        due = due.filter(student_id=student_id)
    ids = list(due.values_list("pk", flat=True))
    if ids:
        Booking.objects.filter(pk__in=ids, status=BookingStatus.PENDING).update(status=BookingStatus.EXPIRED)
        BookingEvent.objects.bulk_create([BookingEvent(booking_id=pk, kind="expired", at=now) for pk in ids])
    return len(ids)


def _normalise_start(start: datetime) -> datetime:
    if start.tzinfo is None:
        raise InvalidInputError.for_field("start", "Give the start with a time zone or Z.", code="naive_datetime")
    return start.astimezone(UTC)


def lesson_price(*, hourly_rate: Decimal, duration_minutes: int) -> Decimal:
    """What a lesson of ``duration_minutes`` costs at ``hourly_rate``, to the cent."""
    return (hourly_rate * Decimal(duration_minutes) / Decimal(60)).quantize(Decimal("0.01"))


def booking_create(
    *,
    student: User,
    tutor_id: int,
    start: datetime,
    duration_minutes: int,
    subject: str | None = None,
    message: str = "",
    now: datetime | None = None,
) -> Booking:
    """A student requests a lesson; the pending request holds the slot until the tutor answers or it lapses."""
    now = now or timezone.now()
    if not student.is_student:
        raise PermissionDeniedError("Only students book lessons.", code="not_a_student")
    if duration_minutes not in LESSON_DURATIONS:
        raise InvalidInputError.for_field(
            "duration_minutes", f"Lessons last one of {list(LESSON_DURATIONS)} minutes.", code="unsupported_duration"
        )
    start = _normalise_start(start)
    tutor = TutorProfile.objects.filter(pk=tutor_id, status=TutorStatus.PUBLISHED).first()
    if tutor is None or tutor.hourly_rate is None:
        raise NotFoundError("No such tutor.", code="tutor_not_found")
    subject_id = None
    if subject:
        subject_id = subjects_by_slug([subject]).get(subject)
        if subject_id is None or not TutorSubject.objects.filter(tutor=tutor, subject_id=subject_id).exists():
            raise InvalidInputError.for_field(
                "subject", "The tutor does not teach this subject.", code="subject_not_taught"
            )
    duration = timedelta(minutes=duration_minutes)
    price = lesson_price(hourly_rate=tutor.hourly_rate, duration_minutes=duration_minutes)

    with transaction.atomic():
        # One writer per tutor at a time (a no-op lock on SQLite, whose write transactions are serial).
        if Availability.objects.select_for_update().filter(tutor_id=tutor_id).first() is None:
            raise InvalidInputError.for_field(
                "start", "The tutor has not opened any hours.", code="outside_availability"
            )
        _expire_due(now=now, tutor_id=tutor_id)
        _expire_due(now=now, student_id=student.pk)
        if not tutor.accepting_students and not tutor.student_links.filter(student=student).exists():
            raise ConflictError("The tutor is not taking new students.", code="tutor_not_accepting")
        if open_request_count(student_id=student.pk, now=now) >= settings.BOOKING_MAX_OPEN_REQUESTS:
            raise ConflictError(
                "Too many requests are waiting for an answer.",
                code="too_many_open_requests",
                extra={"limit": settings.BOOKING_MAX_OPEN_REQUESTS},
            )
        _check_slot(tutor_id=tutor_id, student_id=student.pk, start=start, duration=duration, now=now)
        booking = Booking(
            student=student,
            tutor=tutor,
            subject_id=subject_id,
            start=start,
            end=start + duration,
            duration_minutes=duration_minutes,
            message=message,
            price=price,
            currency=tutor.currency,
            expires_at=_request_expiry(now, start),
            created_at=now,
        )
        _save_holding(booking)
        _record(booking, "requested", student, now, start=start.isoformat())
        tutor_response_open(tutor_id=tutor_id, kind=TutorResponse.Kind.REQUEST, ref_id=booking.pk, asked_at=now)
        notify_after_commit(booking, "requested", to_tutor=True)
        free_slot_index_refresh_later(tutor_id=tutor_id)
    return booking


@transaction.atomic
def booking_confirm(*, booking_id: int, tutor: User, now: datetime | None = None) -> Booking:
    """The tutor accepts a pending request. Confirming twice returns the confirmed booking."""
    now = now or timezone.now()
    booking = booking_locked_for_participant(booking_id, tutor)
    if booking.tutor_id != tutor.pk:
        raise PermissionDeniedError("Only the tutor confirms a lesson.", code="not_the_tutor")
    if booking.status == BookingStatus.CONFIRMED:
        return booking
    if booking.status != BookingStatus.PENDING:
        raise _transition_error(booking, "confirmed")
    if booking.expires_at is not None and booking.expires_at <= now:
        raise ConflictError("The request has expired.", code="request_expired", extra={"status": "expired"})
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    booking.save(update_fields=["status", "confirmed_at", "updated_at"])
    _record(booking, "confirmed", tutor, now)
    classroom_session_open(booking=booking)
    tutor_student_link(tutor_id=booking.tutor_id, student_id=booking.student_id, confirmed_at=now)
    tutor_response_close(kind=TutorResponse.Kind.REQUEST, ref_id=booking.pk, answered_at=now)
    notify_after_commit(booking, "confirmed", to_tutor=False)
    return booking


@transaction.atomic
def booking_decline(*, booking_id: int, tutor: User, reason: str = "", now: datetime | None = None) -> Booking:
    """The tutor turns a pending request down; the slot is free again."""
    now = now or timezone.now()
    booking = booking_locked_for_participant(booking_id, tutor)
    if booking.tutor_id != tutor.pk:
        raise PermissionDeniedError("Only the tutor declines a request.", code="not_the_tutor")
    if booking.status == BookingStatus.DECLINED:
        return booking
    if booking.status != BookingStatus.PENDING:
        raise _transition_error(booking, "declined")
    booking.status = BookingStatus.DECLINED
    booking.declined_at = now
    booking.decline_reason = reason
    booking.save(update_fields=["status", "declined_at", "decline_reason", "updated_at"])
    _record(booking, "declined", tutor, now, reason=reason)
    classroom_session_cancel(booking=booking)
    tutor_response_close(kind=TutorResponse.Kind.REQUEST, ref_id=booking.pk, answered_at=now)
    notify_after_commit(booking, "declined", to_tutor=False)
    free_slot_index_refresh_later(tutor_id=booking.tutor_id)
    return booking


@transaction.atomic
def booking_cancel(*, booking_id: int, user: User, reason: str = "", now: datetime | None = None) -> Booking:
    """Either side cancels before the start. Inside the policy window a confirmed lesson's cancellation is late."""
    now = now or timezone.now()
    booking = booking_locked_for_participant(booking_id, user)
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.status not in CHANGEABLE:
        raise _transition_error(booking, "cancelled")
    if booking.start <= now:
        raise ConflictError("The lesson has already started.", code="lesson_started")
    role = "tutor" if user.pk == booking.tutor_id else "student"
    window = timedelta(hours=settings.BOOKING_LATE_CANCELLATION_HOURS)
    booking.late_cancellation = booking.status == BookingStatus.CONFIRMED and booking.start - now < window
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = user
    booking.cancelled_by_role = role
    booking.cancellation_reason = reason
    booking.save()
    _record(booking, "cancelled", user, now, reason=reason, late=booking.late_cancellation, role=role)
    classroom_session_cancel(booking=booking)
    if role == "tutor":
        tutor_response_close(kind=TutorResponse.Kind.REQUEST, ref_id=booking.pk, answered_at=now)
    notify_after_commit(booking, "cancelled", to_tutor=role == "student")
    free_slot_index_refresh_later(tutor_id=booking.tutor_id)
    return booking


@transaction.atomic
def booking_reschedule(*, booking_id: int, user: User, start: datetime, now: datetime | None = None) -> Booking:
    """Move a pending or confirmed lesson to another free slot of the tutor (same length)."""
    now = now or timezone.now()
    start = _normalise_start(start)
    booking = booking_locked_for_participant(booking_id, user)
    if booking.status in CHANGEABLE and booking.start == start:
        return booking
    if booking.status not in CHANGEABLE:
        raise _transition_error(booking, "rescheduled")
    if booking.start <= now:
        raise ConflictError("The lesson has already started.", code="lesson_started")
    Availability.objects.select_for_update().filter(tutor_id=booking.tutor_id).first()
    duration = timedelta(minutes=booking.duration_minutes)
    _check_slot(
        tutor_id=booking.tutor_id,
        student_id=booking.student_id,
        start=start,
        duration=duration,
        now=now,
        exclude=booking.pk,
    )
    moved_by_student = user.pk == booking.student_id
    previous = booking.start
    booking.start, booking.end = start, start + duration
    booking.reschedule_count += 1
    if moved_by_student:
        booking.status = BookingStatus.PENDING
        booking.confirmed_at = None
        booking.expires_at = _request_expiry(now, start)
    elif booking.status == BookingStatus.PENDING:
        booking.expires_at = _request_expiry(now, start)
    _save_holding(booking)
    _record(booking, "rescheduled", user, now, previous=previous.isoformat(), start=start.isoformat())
    if moved_by_student and booking.status == BookingStatus.PENDING:
        tutor_response_open(tutor_id=booking.tutor_id, kind=TutorResponse.Kind.REQUEST, ref_id=booking.pk, asked_at=now)
    notify_after_commit(booking, "rescheduled", to_tutor=moved_by_student)
    free_slot_index_refresh_later(tutor_id=booking.tutor_id)
    return booking


@transaction.atomic
def bookings_expire_due(*, now: datetime | None = None) -> int:
    """Pending requests unanswered 24 hours after they were made, or at their start, expire and free the slot."""
    return _expire_due(now=now or timezone.now())


@transaction.atomic
def booking_complete(*, booking_id: int, now: datetime | None = None) -> Booking | None:
    """The classroom finished a lesson both sides attended: it is completed (idempotent)."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return booking
    booking.status = BookingStatus.COMPLETED
    booking.completed_at = now
    booking.save(update_fields=["status", "completed_at", "updated_at"])
    _record(booking, "completed", None, now)
    tutor_lessons_completed_add(tutor_id=booking.tutor_id)
    return booking


@transaction.atomic
def booking_mark_no_show(
    *, booking_id: int, student_absent: bool, tutor_absent: bool, now: datetime | None = None
) -> Booking | None:
    """The classroom finished a lesson one side (or both) never joined (idempotent)."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return booking
    booking.status = BookingStatus.NO_SHOW
    booking.completed_at = now
    booking.save(update_fields=["status", "completed_at", "updated_at"])
    _record(booking, "no_show", None, now, student_absent=student_absent, tutor_absent=tutor_absent)
    return booking
