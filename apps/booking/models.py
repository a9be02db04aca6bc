from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel
from apps.core.validators import validate_timezone
from apps.marketplace.models import Subject, TutorProfile

# A pending or confirmed booking holds its slot.
HOLDING_STATUSES = ("pending", "confirmed")


class Availability(TimeStampedModel):
    """A tutor's booking rules. Weekly hours and overrides are in ``timezone``, the tutor's zone."""

    tutor = models.OneToOneField(TutorProfile, primary_key=True, related_name="availability", on_delete=models.CASCADE)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    min_notice_minutes = models.PositiveIntegerField(default=12 * 60)
    max_advance_days = models.PositiveSmallIntegerField(default=90)
    slot_step_minutes = models.PositiveSmallIntegerField(default=30)
    buffer_minutes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "availabilities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_advance_days__gte=1, max_advance_days__lte=365), name="bk_advance_range"
            ),
            models.CheckConstraint(condition=models.Q(slot_step_minutes__in=(15, 30, 60)), name="bk_step_valid"),
        ]

    def __str__(self) -> str:
        return f"Availability of tutor {self.tutor_id}"


class WeeklyHours(models.Model):
    """One range of a weekday (Monday is 0) in the tutor's zone, in minutes from midnight (end up to 1440).

    Ranges of a day never overlap.
    """

    availability = models.ForeignKey(Availability, related_name="weekly", on_delete=models.CASCADE)
    weekday = models.PositiveSmallIntegerField()
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="bk_weekday_range"),
            models.CheckConstraint(
                condition=models.Q(end_minute__gt=models.F("start_minute"), end_minute__lte=1440),
                name="bk_weekly_minutes_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start_minute}-{self.end_minute}"


class AvailabilityOverride(models.Model):
    """Other hours for the dates ``start_date``..``end_date`` (tutor's zone), replacing the weekly hours.

    ``intervals`` is a list of ``[start_minute, end_minute]`` pairs (minutes from midnight, end up to
    1440); an empty list is time off.
    """

    availability = models.ForeignKey(Availability, related_name="overrides", on_delete=models.CASCADE)
    start_date = models.DateField()
    end_date = models.DateField()
    intervals = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="bk_override_dates"),
        ]
        indexes = [models.Index(fields=["availability", "start_date", "end_date"], name="bk_override_range")]

    def __str__(self) -> str:
        return f"{self.start_date}..{self.end_date}"


class BookingStatus(models.TextChoices):
    PENDING = "pending", "Pending (waiting for the tutor)"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined by the tutor"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired unanswered"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "No-show"


class Booking(TimeStampedModel):
    """A lesson between a student and a tutor, from request to completion.

    Only the booking services change it, each transition under a row lock. On PostgreSQL exclusion
    constraints (migration 0002) make two holding bookings of one tutor or one student overlap impossible.
    """

    student = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="bookings", on_delete=models.PROTECT)
    tutor = models.ForeignKey(TutorProfile, related_name="bookings", on_delete=models.PROTECT)
    subject = models.ForeignKey(Subject, null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    start = models.DateTimeField()
    end = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    message = models.TextField(max_length=2000, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)

    expires_at = models.DateTimeField(null=True, blank=True)  # when a pending request lapses
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    cancelled_by_role = models.CharField(max_length=16, blank=True)  # student, tutor or system
    cancellation_reason = models.CharField(max_length=500, blank=True)
    late_cancellation = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["tutor", "start"], name="bk_tutor_start"),
            models.Index(fields=["student", "start"], name="bk_student_start"),
            models.Index(fields=["status", "expires_at"], name="bk_status_expiry"),
            models.Index(fields=["status", "end"], name="bk_status_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="bk_end_after_start"),
            models.CheckConstraint(condition=models.Q(status__in=BookingStatus.values), name="bk_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} ({self.status})"


class BookingEvent(models.Model):
    """The history of a booking: every transition, who made it and when."""

    booking = models.ForeignKey(Booking, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]  # the order the transitions committed in (``at`` is read before the row lock)

    def __str__(self) -> str:
        return f"{self.kind} of booking {self.booking_id}"


class CalendarFeed(models.Model):
    """A user's private ICS feed; the token in its URL is the only credential and can be regenerated."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="calendar_feed", on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user_id}"
