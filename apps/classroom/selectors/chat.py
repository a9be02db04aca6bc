from __future__ import annotations

from typing import Any

from apps.classroom.models import ChatMessage
from apps.core.timeutils import iso_utc

HISTORY_LIMIT = 200


def chat_entry(message: ChatMessage, sender_name: str | None = None) -> dict[str, Any]:
    return {
        "id": message.pk,
        "sender": message.sender_id,
        "sender_name": sender_name if sender_name is not None else message.sender.first_name,
        "body": message.body,
        "created_at": iso_utc(message.created_at),
    }


def chat_history(*, session_id: int, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The last ``limit`` chat messages of a classroom, oldest first."""
    latest = (
        ChatMessage.objects.filter(session_id=session_id)
        .select_related("sender")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [chat_entry(message) for message in reversed(list(latest))]
