"""Carrying whiteboard traffic between server processes.

``RedisBus`` publishes each update and awareness change of a room on the Redis channel
``m4sh:board:<session id>`` and delivers what other processes publish to the local room. Messages a
process publishes itself are recognised by its node id and skipped. ``LocalBus`` is the single-process
default (embedded mode): nothing to carry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import Protocol

logger = logging.getLogger(__name__)

Handler = Callable[[int, bytes], None]  # (kind, payload)
KIND_UPDATE = 0
KIND_AWARENESS = 1
NODE_ID_BYTES = 16
PUBLISH_QUEUE = 10_000


class Bus(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def subscribe(self, session_id: int, handler: Handler) -> None: ...
    async def unsubscribe(self, session_id: int) -> None: ...
    def publish(self, session_id: int, kind: int, payload: bytes) -> None: ...
    @property
    def distributed(self) -> bool: ...


class LocalBus:
    distributed = False

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def subscribe(self, session_id: int, handler: Handler) -> None:
        return None

    async def unsubscribe(self, session_id: int) -> None:
        return None

    def publish(self, session_id: int, kind: int, payload: bytes) -> None:
        return None


def channel(session_id: int) -> str:
    return f"m4sh:board:{session_id}"


class RedisBus:
    distributed = True

    def __init__(self, url: str) -> None:
        self.url = url
        self.node_id = os.urandom(NODE_ID_BYTES)
        self.handlers: dict[int, Handler] = {}
        self._outbox: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(PUBLISH_QUEUE)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(self.url)
        self._pubsub = self._redis.pubsub()
        await self._pubsub.subscribe(f"m4sh:board-node:{self.node_id.hex()}")  # keeps the connection listening
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._write())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
            await self._redis.aclose()

    async def subscribe(self, session_id: int, handler: Handler) -> None:
        self.handlers[session_id] = handler
        await self._pubsub.subscribe(channel(session_id))

    async def unsubscribe(self, session_id: int) -> None:
        self.handlers.pop(session_id, None)
        await self._pubsub.unsubscribe(channel(session_id))

    def publish(self, session_id: int, kind: int, payload: bytes) -> None:
        try:
            self._outbox.put_nowait((channel(session_id), self.node_id + bytes((kind,)) + payload))
        except asyncio.QueueFull:  # the periodic resync from the database repairs what is dropped here
            logger.warning("board bus outbox full: dropping a message for session %s", session_id)

    async def _write(self) -> None:
        while True:
            name, message = await self._outbox.get()
            try:
                await self._redis.publish(name, message)
            except Exception:
                logger.exception("board bus: publish failed")

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except Exception:
                logger.exception("board bus: read failed")
                await asyncio.sleep(1)
                continue
            if message is None or message["type"] != "message":
                continue
            data: bytes = message["data"]
            if data[:NODE_ID_BYTES] == self.node_id or len(data) <= NODE_ID_BYTES:
                continue
            session_id = int(message["channel"].rsplit(b":", 1)[1])
            handler = self.handlers.get(session_id)
            if handler is not None:
                handler(data[NODE_ID_BYTES], data[NODE_ID_BYTES + 1 :])
