"""Lessons in any state at exact times, for hand-computed dashboard fixtures.

The lifecycle itself is tested through the booking services (and once here, end to end); these rows let
a test put a completed lesson at 23:30 local on the last day of a period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import factory

from apps.accounts.tests.factories import UserFactory
from apps.booking.models import Booking, BookingStatus
from apps.classroom.models import ClassroomSession, SessionStatus
from apps.dashboard.tests.conftest import NOW
from apps.marketplace.tests.factories import make_tutor

SESSION_STATUS = {
    BookingStatus.CONFIRMED: SessionStatus.SCHEDULED,
    BookingStatus.COMPLETED: SessionStatus.COMPLETED,
    BookingStatus.NO_SHOW: SessionStatus.COMPLETED,
}


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking; pending unless a trait says otherwise. Confirmed, completed and no-show lessons get their
    classroom (``session=False`` for none; ``session__status``, ``session__student_absent`` and
    ``session__tutor_absent`` set it up). ``requested_at`` sets ``created_at``."""

    class Meta:
        model = Booking
        skip_postgeneration_save = True

    student = factory.SubFactory(UserFactory, student=True)
    tutor = factory.LazyFunction(make_tutor)
    start = NOW + timedelta(days=1)
    duration_minutes = 60
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=o.duration_minutes))
    price = Decimal("20.00")
    currency = "EUR"
    status = BookingStatus.PENDING
    expires_at = factory.LazyAttribute(lambda o: o.start - timedelta(hours=1))

    class Params:
        confirmed = factory.Trait(
            status=BookingStatus.CONFIRMED, confirmed_at=factory.LazyAttribute(lambda o: o.start - timedelta(days=2))
        )
        completed = factory.Trait(
            status=BookingStatus.COMPLETED,
            confirmed_at=factory.LazyAttribute(lambda o: o.start - timedelta(days=2)),
            completed_at=factory.SelfAttribute("end"),
        )
        no_show = factory.Trait(
            status=BookingStatus.NO_SHOW,
            confirmed_at=factory.LazyAttribute(lambda o: o.start - timedelta(days=2)),
            completed_at=factory.SelfAttribute("end"),
        )
        cancelled = factory.Trait(
            status=BookingStatus.CANCELLED,
            cancelled_at=factory.LazyAttribute(lambda o: o.start - timedelta(days=1)),
            cancelled_by_role="student",
        )
        declined = factory.Trait(
            status=BookingStatus.DECLINED, declined_at=factory.LazyAttribute(lambda o: o.start - timedelta(days=2))
        )
        expired = factory.Trait(status=BookingStatus.EXPIRED)

    @factory.post_generation
    def session(obj: Booking, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False or obj.status not in SESSION_STATUS:
            return
        ClassroomSession.objects.create(
            booking=obj,
            status=kwargs.get("status", SESSION_STATUS[obj.status]),
            student_no_show=kwargs.get("student_absent", False),
            tutor_no_show=kwargs.get("tutor_absent", False),
        )

    @factory.post_generation
    def requested_at(obj: Booking, create: bool, extracted: datetime | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            Booking.objects.filter(pk=obj.pk).update(created_at=extracted)
            obj.created_at = extracted
