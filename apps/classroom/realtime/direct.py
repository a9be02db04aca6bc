"""uvicorn's sans-I/O WebSocket protocol, plus a way for the board socket to skip the ASGI messages.

Under ASGI every received frame becomes a message dict in a queue, pauses and resumes the socket's
reads, and wakes the app's task; every write is an awaited message. For the board that is about a third
of the server's CPU per relayed update (``bench/board_floor_raw.py`` beside ``bench/board_floor.py``).
This protocol offers an accepted socket's app the ASGI extension ``m4sh.frames`` (a ``FrameTap``): the
app may take the socket's binary messages as plain calls, made from ``data_received``, and write binary
messages at once. Everything else (the handshake, accept and close, text and fragmented messages,
ping/pong and keepalive, the disconnect message, shutdown) stays uvicorn's. Without the extension (another
ASGI server, the test communicator) the board runs on ASGI messages as usual.

    uvicorn config.asgi:application --ws apps.classroom.realtime.direct:DirectFramesProtocol

Built on uvicorn's ``WebSocketsSansIOProtocol`` internals; uvicorn is pinned in requirements/base.txt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.frames import Frame
from websockets.http11 import Request
from websockets.protocol import State

logger = logging.getLogger(__name__)

FRAMES_EXTENSION = "m4sh.frames"
PROTOCOL_PATH = "apps.classroom.realtime.direct:DirectFramesProtocol"  # uvicorn's --ws
CLOSE_INTERNAL_ERROR = 1011


class FrameTap:
    """One accepted socket's binary messages as calls, and its writes without a task."""

    def __init__(self, protocol: DirectFramesProtocol) -> None:
        self._protocol = protocol

    def divert(self, handler: Callable[[bytes], None] | None) -> None:
        """Hand each complete binary message to ``handler`` instead of ``receive`` (None: stop). Messages
        already waiting stay for ``receive``: an app that reads them before it next awaits anything else
        (``receive`` returns at once while messages wait) keeps them in order with the diverted ones."""
        self._protocol.frame_handler = handler

    def send(self, data: bytes, *, backlog: int) -> bool:
        """Write a binary message now. False, writing nothing, when the client is not reading: ``backlog``
        messages have been written since the transport's buffer went over its high-water mark."""
        return self._protocol.send_binary_now(data, backlog)

    def close(self, code: int) -> None:
        """Send the close frame now, without waiting for the transport to take writes (a client that is not
        reading gets it after what is buffered; uvicorn closes the transport after its close timeout if no
        reply comes)."""
        self._protocol.send_close_now(code)


class DirectFramesProtocol(WebSocketsSansIOProtocol):
    """uvicorn's protocol, offering each accepted socket's app a ``FrameTap`` in ``scope["extensions"]``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frame_handler: Callable[[bytes], None] | None = None
        self.written_while_paused: int | None = None  # None while the transport takes writes

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        if self.response.status_code == 101:  # the app runs next: the scope is its to read from then
            extensions: dict[str, Any] = self.scope["extensions"]
            extensions[FRAMES_EXTENSION] = FrameTap(self)

    def handle_bytes(self, event: Frame) -> None:
        if self.frame_handler is None or not event.fin or self.close_sent:  # fragments go the ASGI way
            super().handle_bytes(event)
        else:
            self.deliver(bytes(event.data))

    def deliver(self, data: bytes) -> None:
        assert self.frame_handler is not None
        try:
            self.frame_handler(data)
        except Exception:
            logger.exception("board socket: the frame handler failed; closing the socket")
            self.frame_handler = None
            self.send_close_now(CLOSE_INTERNAL_ERROR)

    def pause_writing(self) -> None:
        super().pause_writing()
        self.written_while_paused = 0

    def resume_writing(self) -> None:
        super().resume_writing()
        self.written_while_paused = None

    def send_binary_now(self, data: bytes, backlog: int) -> bool:
        if self.close_sent or self.disconnected:
            return True  # the socket is closing: nothing more reaches the client anyway
        if self.written_while_paused is not None:
            if self.written_while_paused >= backlog:
                return False
            self.written_while_paused += 1
        try:
            self.conn.send_binary(data)
        except InvalidState:  # the client's close frame arrived first
            return True
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True

    def send_close_now(self, code: int) -> None:
        """Start the closing handshake as uvicorn does for the ASGI ``websocket.close`` message, without
        first waiting for the transport to take writes again. Nothing to do once either side has started
        closing (uvicorn answers a client's close frame itself)."""
        if self.close_sent or self.disconnected or self.conn.state is not State.OPEN:
            return
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": ""})
        self.conn.send_close(code)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.close)
