"""The classroom room socket ``ws/classroom/<session_id>/`` (JSON frames, a Channels consumer).

Client → server: ``{"type": "signal", "data": {...}}`` (WebRTC offer, answer or ICE candidate, relayed
to the other participant only), ``{"type": "chat", "body": "..."}``, ``{"type": "end_lesson"}`` (tutor),
``{"type": "ping"}``.
Server → client: ``welcome`` (who you are, the lesson, the chat history), ``presence`` (joined, here,
left), ``signal``, ``chat``, ``lesson`` (started, five_minutes_left, ended), ``pong``, ``error``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from apps.classroom.realtime.auth import (
    Refused,
    SocketUser,
    accepted_subprotocol,
    authenticate_socket,
    token_from_scope,
)
from apps.classroom.realtime.events import room_group
from apps.classroom.selectors.chat import chat_entry, chat_history
from apps.classroom.services.chat import chat_message_post
from apps.classroom.services.sessions import (
    classroom_participant_join,
    classroom_participant_leave,
    classroom_session_end,
)
from apps.core.exceptions import ApplicationError

MAX_FRAME = 64 * 1024
SIGNAL_KINDS = {"offer", "answer", "candidate", "hangup"}


class ClassroomRoomConsumer(AsyncJsonWebsocketConsumer):
    user: SocketUser
    attendance_id: int | None = None

    async def connect(self) -> None:
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        verdict = await database_sync_to_async(authenticate_socket)(
            token=token_from_scope(self.scope), session_id=session_id
        )
        await self.accept(subprotocol=accepted_subprotocol(self.scope))
        if isinstance(verdict, Refused):
            await self.close(code=verdict.code, reason=verdict.reason)
            return
        self.user = verdict
        self.group = room_group(session_id)
        self.allowance, self.checked_at = float(settings.BOARD_MAX_MESSAGES_PER_SECOND), time.monotonic()
        await self.channel_layer.group_add(self.group, self.channel_name)  # first: "started" goes to the group
        try:
            joined = await database_sync_to_async(classroom_participant_join)(
                session_id=session_id, user_id=verdict.user_id
            )
        except ApplicationError as exc:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.close(code=4403, reason=exc.code)
            return
        self.attendance_id = joined.attendance_id
        welcome = await database_sync_to_async(self._welcome)()
        await self.send_json(welcome)
        await self._group("presence", event="joined", user=welcome["you"], reply_to=self.channel_name)

    def _welcome(self) -> dict[str, Any]:
        from apps.accounts.models import User
        from apps.classroom.models import ClassroomSession

        session = ClassroomSession.objects.select_related("booking").get(pk=self.user.session_id)
        me = User.objects.only("first_name").get(pk=self.user.user_id)
        return {
            "type": "welcome",
            "you": {"id": self.user.user_id, "role": self.user.role, "name": me.first_name},
            "lesson": {
                "session_id": session.pk,
                "status": session.status,
                "start": session.booking.start.isoformat(),
                "end": session.booking.end.isoformat(),
            },
            "chat": chat_history(session_id=session.pk),
        }

    async def disconnect(self, code: int) -> None:
        if self.attendance_id is None:
            return
        await database_sync_to_async(classroom_participant_leave)(attendance_id=self.attendance_id)
        await self._group("presence", event="left", user={"id": self.user.user_id, "role": self.user.role})
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.close(code=1009)
            return
        if not self._allow():
            await self.close(code=1008)
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "code": "malformed_json"})
            return
        await self.receive_json(content)

    def _allow(self) -> bool:
        now = time.monotonic()
        rate = float(settings.BOARD_MAX_MESSAGES_PER_SECOND)
        self.allowance = min(rate * 2, self.allowance + (now - self.checked_at) * rate)
        self.checked_at = now
        if self.allowance < 1:
            return False
        self.allowance -= 1
        return True

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.attendance_id is None:
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "signal" and isinstance(content.get("data"), dict) and content["data"].get("kind") in SIGNAL_KINDS:
            await self._group("signal", data=content["data"], sender=self.channel_name, user=self.user.user_id)
        elif kind == "chat" and isinstance(content.get("body"), str):
            await self._chat(content["body"])
        elif kind == "end_lesson":
            await self._end_lesson()
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    async def _chat(self, body: str) -> None:
        try:
            message = await database_sync_to_async(chat_message_post)(
                session_id=self.user.session_id, sender_id=self.user.user_id, body=body
            )
        except ApplicationError as exc:
            await self.send_json({"type": "error", "code": exc.code})
            return
        entry = await database_sync_to_async(chat_entry)(message)
        await self._group("chat", message=entry)

    async def _end_lesson(self) -> None:
        try:
            await database_sync_to_async(classroom_session_end)(
                session_id=self.user.session_id, user=await database_sync_to_async(self._user)()
            )
        except ApplicationError as exc:
            await self.send_json({"type": "error", "code": exc.code})

    def _user(self) -> Any:
        from apps.accounts.models import User

        return User.objects.get(pk=self.user.user_id)

    async def _group(self, kind: str, **payload: Any) -> None:
        await self.channel_layer.group_send(self.group, {"type": f"room.{kind}", **payload})

    # --- group events --------------------------------------------------------------------------

    async def room_presence(self, event: dict[str, Any]) -> None:
        if event.get("reply_to") == self.channel_name:
            return
        await self.send_json({"type": "presence", "event": event["event"], "user": event["user"]})
        if event["event"] == "joined" and event.get("reply_to"):  # tell the newcomer who is already here
            here = {"id": self.user.user_id, "role": self.user.role}
            await self.channel_layer.send(event["reply_to"], {"type": "room.here", "user": here})

    async def room_here(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "presence", "event": "here", "user": event["user"]})

    async def room_signal(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self.send_json({"type": "signal", "from": event["user"], "data": event["data"]})

    async def room_chat(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "chat", "message": event["message"]})

    async def lesson_event(self, event: dict[str, Any]) -> None:
        payload = {k: v for k, v in event.items() if k not in ("type", "event")}
        await self.send_json({"type": "lesson", "event": event["event"], **payload})
        if event["event"] == "ended":
            await self.close(code=1000)
