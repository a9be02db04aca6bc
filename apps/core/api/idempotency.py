"""``Idempotency-Key`` for creating requests: a retry returns the first response instead of acting twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.renderers import json_dumps
from apps.core.exceptions import ConflictError, InvalidInputError
from apps.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def idempotent(request: Request, scope: str, action: Callable[[], Response]) -> Response:
    """Run ``action`` once per (user, scope, key); replay its response for the same key and body.

    The key row is written in the action's transaction, so a failed action (an error response) leaves no
    trace and may be retried; two concurrent requests with one key wait for each other on the unique index.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return action()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInputError(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters.", code="invalid_idempotency_key")
    fingerprint = hashlib.sha256(json_dumps(request.data)).hexdigest()
    try:
        with transaction.atomic():
            record, created = IdempotencyKey.objects.select_for_update().get_or_create(
                user=request.user, scope=scope, key=key, defaults={"fingerprint": fingerprint}
            )
            if created:
                response = action()
                record.status_code, record.body = response.status_code, response.data
                record.save(update_fields=["status_code", "body"])
                return response
    except IntegrityError:  # the same key was committed meanwhile by a concurrent request
        record = IdempotencyKey.objects.get(user=request.user, scope=scope, key=key)
    if record.fingerprint != fingerprint:
        raise ConflictError(f"This {HEADER} was used with another request body.", code="idempotency_key_reused")
    replay: Any = record.body
    return Response(replay, status=record.status_code, headers={"Idempotent-Replayed": "true"})
