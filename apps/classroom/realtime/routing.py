"""WebSocket routing: the whiteboard on the lean ASGI path, the room on a Channels consumer."""

from __future__ import annotations

import re
from typing import Any

from apps.classroom.realtime.board import BoardApp, BoardHub
from apps.classroom.realtime.room import ClassroomRoomConsumer

BOARD_PATH = re.compile(r"^/ws/classroom/(?P<session_id>[0-9]{1,18})/board/?$")
ROOM_PATH = re.compile(r"^/ws/classroom/(?P<session_id>[0-9]{1,18})/?$")


class WebSocketRouter:
    def __init__(self, hub: BoardHub) -> None:
        self.board = BoardApp(hub)
        self.room = ClassroomRoomConsumer.as_asgi()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope["path"]
        for pattern, app in ((BOARD_PATH, self.board), (ROOM_PATH, self.room)):
            match = pattern.match(path)
            if match:
                route = {"args": (), "kwargs": {"session_id": int(match["session_id"])}}
                await app({**scope, "url_route": route}, receive, send)
                return
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 4404})


def board_bus() -> Any:
    from django.conf import settings

    from apps.classroom.realtime.bus import LocalBus, RedisBus

    return RedisBus(settings.REDIS_URL) if settings.REDIS_URL else LocalBus()
