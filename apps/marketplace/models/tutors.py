from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from apps.core.models import TimeStampedModel
from apps.marketplace.models.catalogue import Currency, Level, Subject


class TutorStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUSPENDED = "suspended", "Suspended by staff"


class Proficiency(models.TextChoices):
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2 = "b2", "B2"
    C1 = "c1", "C1"
    C2 = "c2", "C2"


class TutorProfile(TimeStampedModel):
    """A tutor's public offer. Its primary key is the tutor user's id: one id for the tutor everywhere."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, related_name="tutor_profile", on_delete=models.CASCADE
    )
    headline = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=5000, blank=True)
    hourly_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    # hourly_rate in euros through the current exchange rate: price filters and ordering across currencies.
    hourly_rate_eur = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    trial_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    trial_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    intro_video_url = models.URLField(max_length=300, blank=True)
    education = models.TextField(max_length=2000, blank=True)
    experience = models.TextField(max_length=2000, blank=True)
    experience_years = models.PositiveSmallIntegerField(default=0)
    accepting_students = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=TutorStatus.choices, default=TutorStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)

    # Public statistics, written only by the marketplace's stats services.
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    lessons_completed = models.PositiveIntegerField(default=0)
    response_rate = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    response_time_seconds = models.PositiveIntegerField(null=True, blank=True)
    ranking_score = models.FloatField(default=0.0)

    # Search documents, rebuilt by services whenever their sources change.
    search_text = models.TextField(blank=True, editable=False)  # lower-cased name, headline, subjects
    search_text_extra = models.TextField(blank=True, editable=False)  # lower-cased bio, education, experience
    search_document = SearchVectorField(null=True, editable=False)  # PostgreSQL full-text (GIN-indexed there)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-ranking_score"], name="mkt_tutor_status_rank"),
            models.Index(fields=["status", "hourly_rate_eur"], name="mkt_tutor_status_price"),
            models.Index(fields=["status", "-rating_avg"], name="mkt_tutor_status_rating"),
            models.Index(fields=["status", "-published_at"], name="mkt_tutor_status_new"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(hourly_rate__gte=0), name="mkt_tutor_rate_nonnegative"),
            models.CheckConstraint(condition=models.Q(trial_price__gte=0), name="mkt_tutor_trial_nonnegative"),
            models.CheckConstraint(condition=models.Q(status__in=TutorStatus.values), name="mkt_tutor_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Tutor {self.pk}"


class TutorSubject(models.Model):
    """A subject a tutor teaches at one level (one row per subject and level)."""

    tutor = models.ForeignKey(TutorProfile, related_name="subject_levels", on_delete=models.CASCADE)
    subject = models.ForeignKey(Subject, related_name="+", on_delete=models.PROTECT)
    level = models.CharField(max_length=16, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tutor", "subject", "level"], name="mkt_tutor_subject_level_unique")
        ]
        indexes = [models.Index(fields=["subject", "level"], name="mkt_subject_level")]

    def __str__(self) -> str:
        return f"{self.subject_id}/{self.level}"


class TutorLanguage(models.Model):
    """A language a tutor speaks (ISO 639-1), with a CEFR level or as a native speaker."""

    tutor = models.ForeignKey(TutorProfile, related_name="languages", on_delete=models.CASCADE)
    code = models.CharField(max_length=2)
    proficiency = models.CharField(max_length=2, choices=Proficiency.choices, default=Proficiency.C2)
    is_native = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tutor", "code"], name="mkt_tutor_language_unique")]
        indexes = [models.Index(fields=["code", "is_native"], name="mkt_language_native")]

    def __str__(self) -> str:
        return f"{self.code} ({'native' if self.is_native else self.proficiency})"


class Favorite(models.Model):
    student = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="favorite_tutors", on_delete=models.CASCADE)
    tutor = models.ForeignKey(TutorProfile, related_name="+", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "tutor"], name="mkt_favorite_unique")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.student_id} ♥ {self.tutor_id}"


class TutorStudent(models.Model):
    """A student who has had a lesson confirmed with a tutor; unlocks contact details between them.

    ``is_assigned`` marks the student's assigned tutor (at most one per student).
    """

    tutor = models.ForeignKey(TutorProfile, related_name="student_links", on_delete=models.CASCADE)
    student = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="tutor_links", on_delete=models.CASCADE)
    first_confirmed_at = models.DateTimeField()
    is_assigned = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tutor", "student"], name="mkt_tutor_student_unique"),
            models.UniqueConstraint(
                fields=["student"], condition=models.Q(is_assigned=True), name="mkt_one_assigned_tutor_per_student"
            ),
        ]

    def __str__(self) -> str:
        return f"student {self.student_id} with tutor {self.tutor_id}"


class FreeSlot(models.Model):
    """Start of a free slot of the shortest lesson in the coming two weeks: the search index behind the
    filter "available in this part of the week". The booking services rebuild a tutor's rows when their
    hours or lessons change, and every tutor's periodically as time passes."""

    tutor = models.ForeignKey(TutorProfile, related_name="+", on_delete=models.CASCADE)
    start = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["tutor", "start"], name="mkt_freeslot_tutor_start")]

    def __str__(self) -> str:
        return f"{self.tutor_id} {self.start}"
