from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.marketplace.models.tutors import TutorProfile


class Review(models.Model):
    """A student's review of a completed lesson (one per lesson), with the tutor's single reply."""

    booking = models.OneToOneField("booking.Booking", related_name="review", on_delete=models.CASCADE)
    tutor = models.ForeignKey(TutorProfile, related_name="reviews", on_delete=models.CASCADE)
    student = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="reviews_written", on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=3000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    reply = models.TextField(max_length=3000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tutor", "-created_at"], name="mkt_review_tutor_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="mkt_review_rating_range")
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ for tutor {self.tutor_id}"
