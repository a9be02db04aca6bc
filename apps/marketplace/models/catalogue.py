from __future__ import annotations

from django.db import models

# Lesson lengths in minutes that tutors offer and students book (trial lessons included).
LESSON_DURATIONS = (25, 30, 50, 60)
LESSON_DURATION_CHOICES = [(minutes, f"{minutes} minutes") for minutes in LESSON_DURATIONS]


class Level(models.TextChoices):
    PRIMARY = "primary", "Primary school"
    SECONDARY = "secondary", "Secondary school"
    EXAM_PREP = "exam_prep", "Exam preparation"
    UNIVERSITY = "university", "University"
    ADULT = "adult", "Adult learners"


class Currency(models.TextChoices):
    """ISO 4217 codes a tutor may price lessons in (each has an exchange rate row)."""

    UAH = "UAH", "Ukrainian hryvnia"
    EUR = "EUR", "Euro"
    USD = "USD", "US dollar"
    GBP = "GBP", "Pound sterling"
    PLN = "PLN", "Polish złoty"


class Subject(models.Model):
    """A node of the subject catalogue (e.g. mathematics → algebra)."""

    slug = models.SlugField(max_length=64, unique=True)
    name_en = models.CharField(max_length=100)
    name_uk = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug


class ExchangeRate(models.Model):
    """How many units of ``currency`` make one euro; staff keep these up to date."""

    currency = models.CharField(max_length=3, choices=Currency.choices, primary_key=True)
    per_eur = models.DecimalField(max_digits=18, decimal_places=6)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(per_eur__gt=0), name="marketplace_rate_positive")]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_eur} {self.currency}"
