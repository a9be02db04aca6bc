from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.marketplace.models.tutors import TutorProfile


class Conversation(models.Model):
    """The one thread between a student and a tutor."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="conversations", on_delete=models.CASCADE)
    tutor = models.ForeignKey(TutorProfile, related_name="conversations", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "tutor"], name="mkt_conversation_pair_unique")]
        indexes = [
            models.Index(fields=["student", "-last_message_at"], name="mkt_conv_student_recent"),
            models.Index(fields=["tutor", "-last_message_at"], name="mkt_conv_tutor_recent"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} (student {self.student_id}, tutor {self.tutor_id})"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, related_name="messages", on_delete=models.CASCADE)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    body = models.TextField(max_length=4000)
    masked = models.BooleanField(default=False)  # contact details were hidden when it was sent
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-created_at"], name="mkt_message_recent"),
            models.Index(
                fields=["conversation", "sender"], condition=models.Q(read_at__isnull=True), name="mkt_message_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in conversation {self.conversation_id}"


class TutorResponse(models.Model):
    """Something a tutor is expected to answer (a first message, a lesson request) and when they did.

    The response rate and median response time shown on the profile come from these rows.
    """

    class Kind(models.TextChoices):
        MESSAGE = "message", "First message of a conversation"
        REQUEST = "request", "Lesson request"

    tutor = models.ForeignKey(TutorProfile, related_name="responses", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    ref_id = models.BigIntegerField()
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "ref_id"], name="mkt_response_ref_unique")]
        indexes = [models.Index(fields=["tutor", "-asked_at"], name="mkt_response_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref_id} for tutor {self.tutor_id}"
