"""Pushing lesson events to everyone in a classroom's room socket (through the channel layer)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def room_group(session_id: int) -> str:
    return f"classroom.{session_id}"


def broadcast(session_id: int, event: str, **payload: Any) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(room_group(session_id), {"type": "lesson.event", "event": event, **payload})


def broadcast_after_commit(session_id: int, event: str, **payload: Any) -> None:
    transaction.on_commit(lambda: broadcast(session_id, event, **payload))
