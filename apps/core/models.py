from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Base for domain models: creation and last-change times, both UTC.

    ``created_at`` defaults to the current time; a service that is given ``now`` sets it to that.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """The first response to a request sent with an ``Idempotency-Key`` header, replayed on retries."""

    user = models.ForeignKey("accounts.User", related_name="+", on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=100)  # the operation, e.g. "booking.create"
    fingerprint = models.CharField(max_length=64)  # sha256 of the request body
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="core_idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
