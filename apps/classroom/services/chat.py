from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from apps.classroom.models import ChatMessage
from apps.core.exceptions import InvalidInputError

MAX_CHAT = 2000


def chat_message_post(*, session_id: int, sender_id: int, body: str, now: datetime | None = None) -> ChatMessage:
    """Store a chat message of a participant (the socket has checked who is speaking)."""
    body = body.strip()
    if not body or len(body) > MAX_CHAT:
        raise InvalidInputError.for_field("body", f"1 to {MAX_CHAT} characters.", code="invalid_length")
    return ChatMessage.objects.create(
        session_id=session_id, sender_id=sender_id, body=body, created_at=now or timezone.now()
    )
