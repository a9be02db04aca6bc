"""The whiteboard socket: a lean ASGI y-websocket server (no Channels consumer on the hot path).

One pycrdt document per live session per process (a ``Room``), loaded from storage before the first
sync. A client's step 1 is answered to that client only; its updates are applied, relayed to the other
connections (never echoed), published to other processes, and appended to the log in batches at most
``BOARD_FLUSH_MS`` apart. Awareness (cursors, names) is relayed and cleaned up on disconnect. A room is
flushed when its last participant leaves and unloaded (after compaction) ``BOARD_UNLOAD_SECONDS`` later.
Compaction writes the document held here as the snapshot, after applying what the log holds, so the
server never merges a whole board (which would hold the GIL, and every room, for as long).

Served by uvicorn with ``realtime.direct.DirectFramesProtocol``, a socket's binary frames reach the room
as calls and frames to it are written at once (``TappedConnection``); on plain ASGI each connection has
a bounded send queue and a writer task (``QueuedConnection``). The rules are the same either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from pycrdt import Doc, merge_updates

from apps.classroom.realtime import protocol as y
from apps.classroom.realtime.auth import (
    Refused,
    SocketUser,
    accepted_subprotocol,
    authenticate_socket,
    token_from_scope,
)
from apps.classroom.realtime.bus import KIND_AWARENESS, KIND_UPDATE, Bus, LocalBus
from apps.classroom.realtime.direct import FRAMES_EXTENSION, FrameTap
from apps.classroom.services.board import (
    board_append,
    board_snapshot_replace,
    board_stored,
    board_updates_since,
)

logger = logging.getLogger(__name__)

CLOSE_SLOW_CLIENT = 1013  # "try again later": the client reconnects and resyncs
CLOSE_SERVER_RESTART = 1012
CLOSE_TOO_BIG = 1009
CLOSE_POLICY = 1008
CLOSE_BAD_DATA = 1007
EMPTY_UPDATE = b"\x00\x00"
RESYNC_MARGIN = timedelta(seconds=5)
COMPACT_ATTEMPTS = 3
ABSORB_BATCH = 32  # stored updates applied between two turns of the event loop


def _in_thread(function: Any) -> Any:
    return sync_to_async(function, thread_sensitive=False)


def compaction_threshold() -> int:
    """Log rows before a live room compacts: between half and all of ``BOARD_COMPACT_EVERY``, at random,
    so that rooms which started together (lessons on the hour) do not all compact at the same moment."""
    every = max(1, settings.BOARD_COMPACT_EVERY)
    return random.randint(max(1, every // 2), every)  # noqa: S311 (spreading work, not a secret)


class Connection(ABC):
    """One client socket: its user, its awareness entries, a rate limit, and a way to write frames."""

    def __init__(self, user: SocketUser) -> None:
        self.user = user
        self.awareness: dict[int, y.AwarenessEntry] = {}
        self.closing = False
        self.close_code = 1000
        self.rate = float(settings.BOARD_MAX_MESSAGES_PER_SECOND)
        self.allowance = self.rate * 2
        self.checked_at = time.monotonic()

    @abstractmethod
    def push(self, frame: bytes) -> bool:
        """Send a frame to the client; False (sending nothing) when the client is not keeping up."""

    @abstractmethod
    def close(self, code: int) -> None:
        """Close the socket with ``code`` (once); frames pushed afterwards are dropped."""

    def allow_message(self) -> bool:
        now = time.monotonic()
        self.allowance = min(self.rate * 2, self.allowance + (now - self.checked_at) * self.rate)
        self.checked_at = now
        if self.allowance < 1:
            return False
        self.allowance -= 1
        return True


class QueuedConnection(Connection):
    """A socket on plain ASGI: a bounded send queue drained by its own writer task."""

    def __init__(self, send: Any, user: SocketUser) -> None:
        super().__init__(user)
        self.send = send
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(settings.BOARD_SEND_QUEUE)

    def push(self, frame: bytes) -> bool:
        if self.closing:
            return True
        try:
            self.queue.put_nowait(frame)
            return True
        except asyncio.QueueFull:
            return False

    def close(self, code: int) -> None:
        if self.closing:
            return
        self.closing, self.close_code = True, code
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    async def write_loop(self) -> None:
        try:
            while True:
                frame = await self.queue.get()
                if frame is None:
                    await self.send({"type": "websocket.close", "code": self.close_code})
                    return
                await self.send({"type": "websocket.send", "bytes": frame})
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went away mid-send
            self.closing = True


class TappedConnection(Connection):
    """A socket served by ``DirectFramesProtocol``: frames are written at once, with no queue or task.
    A client that stops reading is closed once ``BOARD_SEND_QUEUE`` frames wait beyond what the
    transport's buffer takes, as the queue would."""

    def __init__(self, tap: FrameTap, user: SocketUser) -> None:
        super().__init__(user)
        self.tap = tap

    def push(self, frame: bytes) -> bool:
        return self.closing or self.tap.send(frame, backlog=settings.BOARD_SEND_QUEUE)

    def close(self, code: int) -> None:
        if self.closing:
            return
        self.closing, self.close_code = True, code
        self.tap.divert(None)
        self.tap.close(code)


class Room:
    def __init__(self, hub: BoardHub, session_id: int, doc: Doc) -> None:
        self.hub = hub
        self.session_id = session_id
        self.doc = doc
        self.connections: set[Connection] = set()
        self.awareness: dict[int, y.AwarenessEntry] = {}
        self.pending: list[bytes] = []
        self.logged = 0  # rows in the log (at load, plus what this process appended since)
        self.compact_at = compaction_threshold()
        self.version = 0  # of the stored snapshot that the document holds
        self.flush_lock = asyncio.Lock()
        self.unload_task: asyncio.Task[None] | None = None
        self.resync_task: asyncio.Task[None] | None = None
        self.last_resync = timezone.now()
        self.unloaded = False

    # --- connections ---------------------------------------------------------------------------

    def join(self, conn: Connection) -> None:
        if self.unload_task is not None:
            self.unload_task.cancel()
            self.unload_task = None
        self.connections.add(conn)
        conn.push(y.sync_message(y.SYNC_STEP1, self.doc.get_state()))
        if self.awareness:
            conn.push(y.awareness_message(y.encode_awareness(list(self.awareness.values()))))

    def leave(self, conn: Connection) -> None:
        self.connections.discard(conn)
        if conn.awareness:
            for client_id in conn.awareness:
                self.awareness.pop(client_id, None)
            removal = y.awareness_removal(list(conn.awareness.values()))
            self.broadcast(y.awareness_message(removal))
            self.hub.bus.publish(self.session_id, KIND_AWARENESS, removal)
        if not self.connections:
            self.unload_task = asyncio.create_task(self.hub.unload_later(self))

    def broadcast(self, frame: bytes, exclude: Connection | None = None) -> None:
        for conn in list(self.connections):
            if conn is not exclude and not conn.push(frame):
                logger.info("board %s: closing a slow client", self.session_id)
                conn.close(CLOSE_SLOW_CLIENT)

    # --- messages from local clients -----------------------------------------------------------

    def handle(self, conn: Connection, frame: bytes) -> None:
        kind, pos = y.read_var_uint(frame, 0)
        if kind == y.MESSAGE_SYNC:
            step, pos = y.read_var_uint(frame, pos)
            payload, end = y.read_var_bytes(frame, pos)
            if step == y.SYNC_STEP1:
                conn.push(y.sync_message(y.SYNC_STEP2, self.doc.get_update(payload)))
            elif step in (y.SYNC_STEP2, y.SYNC_UPDATE) and payload != EMPTY_UPDATE:
                # an update frame with nothing after its payload is relayed as it came
                relay = frame if step == y.SYNC_UPDATE and end == len(frame) else None
                self.apply_local(conn, payload, relay)
        elif kind == y.MESSAGE_AWARENESS:
            payload, _ = y.read_var_bytes(frame, pos)
            for entry in y.parse_awareness(payload):
                if entry.state == "null":
                    conn.awareness.pop(entry.client_id, None)
                    self.awareness.pop(entry.client_id, None)
                else:
                    conn.awareness[entry.client_id] = entry
                    self.awareness[entry.client_id] = entry
            self.broadcast(frame, exclude=conn)
            self.hub.bus.publish(self.session_id, KIND_AWARENESS, payload)
        elif kind == y.MESSAGE_QUERY_AWARENESS:
            conn.push(y.awareness_message(y.encode_awareness(list(self.awareness.values()))))

    def apply_local(self, conn: Connection, update: bytes, frame: bytes | None = None) -> None:
        self.doc.apply_update(update)  # ValueError for a malformed update: the caller closes the socket
        if not self.pending:
            self.hub.mark_dirty(self)
        self.pending.append(update)
        self.broadcast(frame or y.sync_message(y.SYNC_UPDATE, update), exclude=conn)
        self.hub.bus.publish(self.session_id, KIND_UPDATE, update)

    # --- messages from other processes ---------------------------------------------------------

    def apply_remote(self, kind: int, payload: bytes) -> None:
        try:
            if kind == KIND_UPDATE:
                self.doc.apply_update(payload)
                self.broadcast(y.sync_message(y.SYNC_UPDATE, payload))
            elif kind == KIND_AWARENESS:
                for entry in y.parse_awareness(payload):
                    if entry.state == "null":
                        self.awareness.pop(entry.client_id, None)
                    else:
                        self.awareness[entry.client_id] = entry
                self.broadcast(y.awareness_message(payload))
        except (ValueError, y.ProtocolError):
            logger.warning("board %s: ignoring a malformed message from another process", self.session_id)

    async def resync_loop(self) -> None:
        """Apply what other processes logged, in case a pub/sub message was lost; relay what was new."""
        while True:
            await asyncio.sleep(settings.BOARD_RESYNC_SECONDS)
            started = timezone.now()
            try:
                updates = await _in_thread(board_updates_since)(
                    session_id=self.session_id, since=self.last_resync - RESYNC_MARGIN
                )
            except Exception:
                logger.exception("board %s: resync failed", self.session_id)
                continue
            self.last_resync = started
            self.absorb(updates)

    async def absorb_stored(self, updates: list[bytes]) -> None:
        """``absorb`` a whole stored board (up to ``BOARD_COMPACT_EVERY`` rows and the snapshot) a batch at a
        time, letting the event loop relay the other rooms' frames in between."""
        for start in range(0, len(updates), ABSORB_BATCH):
            self.absorb(updates[start : start + ABSORB_BATCH])
            await asyncio.sleep(0)

    def absorb(self, updates: Iterable[bytes]) -> None:
        """Apply stored updates (of this or another process) in one transaction; relay to the local
        clients what was new to the document, erasures included (they add no items, so comparing state
        vectors would miss them), as pycrdt reports it on commit."""
        changes: list[bytes] = []
        watching = self.doc.observe(lambda event: changes.append(event.update)) if self.connections else None
        try:
            with self.doc.transaction():
                for update in updates:
                    self.doc.apply_update(update)
        finally:
            if watching is not None:
                self.doc.unobserve(watching)
        for change in changes:
            self.broadcast(y.sync_message(y.SYNC_UPDATE, change))

    # --- persistence ---------------------------------------------------------------------------

    async def flush(self) -> None:
        async with self.flush_lock:
            await self.hub.store([self])

    async def compact(self) -> None:
        """Fold the log into the snapshot: apply what is stored (a no-op for what the document has), then
        write the document as the snapshot and delete the rows applied, unless another process replaced the
        snapshot meanwhile (then again, with that snapshot). One room at a time per process: applying
        the log and encoding the document take milliseconds per thousand elements, and rooms that reach
        the threshold together must not stall the others' frames together."""
        async with self.hub.compacting, self.flush_lock:
            for _ in range(COMPACT_ATTEMPTS):
                stored = await _in_thread(board_stored)(session_id=self.session_id, known_version=self.version)
                await self.absorb_stored(stored.updates())
                folded = [pk for pk, _ in stored.rows]
                state = self.doc.get_update()
                if await _in_thread(board_snapshot_replace)(
                    session_id=self.session_id, state=state, version=stored.version, folded=folded
                ):
                    self.version, self.logged = stored.version + 1, 0
                    return
            logger.warning("board %s: the snapshot kept changing; compacting later", self.session_id)


class BoardHub:
    """The rooms of this process, and the bus to the other processes."""

    def __init__(self, bus: Bus | None = None) -> None:
        self.bus: Bus = bus if bus is not None else LocalBus()
        self.rooms: dict[int, Room] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._started = False
        self._start_lock = asyncio.Lock()
        self.dirty: dict[int, Room] = {}  # rooms with updates not yet stored
        self._flusher: asyncio.Task[None] | None = None
        self._compactions: set[asyncio.Task[None]] = set()
        self.compacting = asyncio.Semaphore(1)  # one room compacts at a time

    async def start(self) -> None:
        async with self._start_lock:
            if not self._started:
                await self.bus.start()
                self._started = True

    def _lock(self, session_id: int) -> asyncio.Lock:
        return self._locks.setdefault(session_id, asyncio.Lock())

    async def room(self, session_id: int) -> Room:
        """The session's room, loading the stored board first (so nobody is served an empty board)."""
        await self.start()
        async with self._lock(session_id):
            room = self.rooms.get(session_id)
            if room is None:
                stored = await _in_thread(board_stored)(session_id=session_id)
                room = Room(self, session_id, Doc())
                await room.absorb_stored(stored.updates())
                room.version, room.logged = stored.version, len(stored.rows)
                self.rooms[session_id] = room
                await self.bus.subscribe(session_id, room.apply_remote)
                if self.bus.distributed:
                    room.resync_task = asyncio.create_task(room.resync_loop())
            return room

    # --- storing the rooms' updates: every BOARD_FLUSH_MS, one INSERT for all the rooms that changed ---

    def mark_dirty(self, room: Room) -> None:
        self.dirty[room.session_id] = room
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush_loop())

    async def _flush_loop(self) -> None:
        """While some room has updates to store: wait BOARD_FLUSH_MS, then store them all."""
        try:
            while self.dirty:
                await asyncio.sleep(settings.BOARD_FLUSH_MS / 1000)
                if not await self.flush_dirty():
                    await asyncio.sleep(1.0)  # the database failed: try again later
        finally:
            self._flusher = None

    async def flush_dirty(self) -> bool:
        rooms, self.dirty = self.dirty, {}
        return await self.store(rooms.values())

    async def store(self, rooms: Iterable[Room]) -> bool:
        """Store what the rooms have pending: one merged update per room, one statement in all.

        On failure the updates go back to their rooms, to be stored by the next flush.
        """
        batch: dict[Room, bytes] = {}
        for room in rooms:
            if room.pending:
                updates, room.pending = room.pending, []
                batch[room] = merge_updates(*updates) if len(updates) > 1 else updates[0]
        if not batch:
            return True
        try:
            await _in_thread(board_append)(updates={room.session_id: update for room, update in batch.items()})
        except Exception:
            logger.exception("board: could not store the updates of %d rooms; retrying", len(batch))
            for room, update in batch.items():
                room.pending.insert(0, update)
                self.mark_dirty(room)
            return False
        for room in batch:
            room.logged += 1
            if room.logged >= room.compact_at and not room.unloaded:
                room.logged, room.compact_at = 0, compaction_threshold()
                task = asyncio.create_task(room.compact())
                self._compactions.add(task)
                task.add_done_callback(self._compactions.discard)
        return True

    async def unload_later(self, room: Room) -> None:
        """The last participant left: store the room now, and unload it unless someone comes back."""
        await asyncio.shield(room.flush())  # a participant coming back cancels the unload, not the store
        await asyncio.sleep(settings.BOARD_UNLOAD_SECONDS)
        await self.unload(room)

    async def unload(self, room: Room) -> None:
        """Fold the room into its snapshot and forget it, unless someone came back."""
        async with self._lock(room.session_id):
            if room.connections or room.unloaded:
                return
            await room.flush()
            await room.compact()
            room.unloaded = True
            if room.resync_task is not None:
                room.resync_task.cancel()
            self.rooms.pop(room.session_id, None)
            await self.bus.unsubscribe(room.session_id)

    async def close(self) -> None:
        """Shutdown: ask every client to reconnect elsewhere and store every room."""
        if self._flusher is not None:
            self._flusher.cancel()
        for room in list(self.rooms.values()):
            for conn in list(room.connections):
                conn.close(CLOSE_SERVER_RESTART)
            try:
                await room.flush()
                await room.compact()
            except Exception:
                logger.exception("board %s: could not store the board at shutdown", room.session_id)
        await self.bus.stop()


class BoardApp:
    """ASGI application for ``ws/classroom/<session_id>/board``."""

    def __init__(self, hub: BoardHub) -> None:
        self.hub = hub

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        session_id = int(scope["url_route"]["kwargs"]["session_id"])
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        verdict = await _in_thread(authenticate_socket)(token=token_from_scope(scope), session_id=session_id)
        await send({"type": "websocket.accept", "subprotocol": accepted_subprotocol(scope)})
        if isinstance(verdict, Refused):
            await send({"type": "websocket.close", "code": verdict.code, "reason": verdict.reason})
            return
        room = await self.hub.room(session_id)
        tap: FrameTap | None = scope.get("extensions", {}).get(FRAMES_EXTENSION)
        conn: Connection
        writer: asyncio.Task[None] | None = None
        if tap is not None:  # binary messages arrive as calls, written at once
            conn = TappedConnection(tap, verdict)
            # Frames that came before this are read by the receive loop below before anything is awaited,
            # so they are handled ahead of the diverted ones.
            tap.divert(lambda frame: self._frame(room, conn, frame))
        else:
            conn = queued = QueuedConnection(send, verdict)
            writer = asyncio.create_task(queued.write_loop())
        room.join(conn)
        try:
            await self._receive_loop(room, conn, receive)
        finally:
            if tap is not None:
                tap.divert(None)
            room.leave(conn)
            conn.close(1000)
            if writer is not None:
                writer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await writer

    async def _receive_loop(self, room: Room, conn: Connection, receive: Any) -> None:
        """Until the client leaves: the messages that come as ASGI messages (on a tapped socket, only text
        and fragmented ones)."""
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if message["type"] == "websocket.receive":
                self._frame(room, conn, message.get("bytes"))

    def _frame(self, room: Room, conn: Connection, frame: bytes | None) -> None:
        if conn.closing:
            return
        if frame is None:
            conn.close(CLOSE_BAD_DATA)  # the protocol is binary
        elif len(frame) > settings.BOARD_MAX_FRAME_BYTES:
            conn.close(CLOSE_TOO_BIG)
        elif not conn.allow_message():
            conn.close(CLOSE_POLICY)
        else:
            try:
                room.handle(conn, frame)
            except (ValueError, y.ProtocolError):
                conn.close(CLOSE_BAD_DATA)
