"""Two server processes, one lesson: clients on different processes converge through Redis, and the
periodic resync repairs an update (a stroke or an erasure) whose pub/sub message never arrived."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from pycrdt import Doc, Map

from apps.classroom.realtime import protocol as y
from apps.classroom.realtime.direct import PROTOCOL_PATH
from apps.classroom.services.board import board_append
from apps.classroom.tests.factories import Lesson, make_lesson
from apps.core.tests.live import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def servers() -> Iterator[list[int]]:
    """Two uvicorn processes on the test database and the test Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "PUBLIC_URL": settings.PUBLIC_URL,
        "BOARD_RESYNC_SECONDS": "1",
        "BOARD_FLUSH_MS": "50",
        "SCHEDULER_IN_PROCESS": "0",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)),
                *("--log-level", "warning", "--ws", PROTOCOL_PATH),
            ],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.1)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


class Peer:
    """A pycrdt y-websocket client on a real socket."""

    def __init__(self, socket_: Any) -> None:
        self.socket = socket_
        self.doc: Doc = Doc()

    @classmethod
    async def open(cls, port: int, lesson: Lesson, token: str) -> Peer:
        url = f"ws://127.0.0.1:{port}/ws/classroom/{lesson.session.pk}/board?token={token}"
        peer = cls(await websockets.connect(url))
        await peer.socket.send(y.sync_message(y.SYNC_STEP1, peer.doc.get_state()))
        await peer.pump(0.3)
        return peer

    async def pump(self, quiet: float) -> None:
        while True:
            try:
                frame = await asyncio.wait_for(self.socket.recv(), quiet)
            except TimeoutError:
                return
            kind, pos = y.read_var_uint(frame, 0)
            if kind != y.MESSAGE_SYNC:
                continue
            step, pos = y.read_var_uint(frame, pos)
            payload, _ = y.read_var_bytes(frame, pos)
            if step == y.SYNC_STEP1:
                await self.socket.send(y.sync_message(y.SYNC_STEP2, self.doc.get_update(payload)))
            else:
                self.doc.apply_update(payload)

    async def draw(self, element_id: str) -> None:
        before = self.doc.get_state()
        self.doc.get("elements", type=Map)[element_id] = Map({"type": "stroke", "page": "p1", "points": [1, 2, 3, 4]})
        await self.socket.send(y.sync_message(y.SYNC_UPDATE, self.doc.get_update(before)))

    def elements(self) -> set[str]:
        return set(self.doc.get("elements", type=Map).to_py() or {})

    async def until(self, wanted: set[str], timeout: float) -> set[str]:
        deadline = time.monotonic() + timeout
        while not wanted <= self.elements() and time.monotonic() < deadline:
            await self.pump(0.1)
        return self.elements()


async def test_clients_on_two_processes_converge(servers: list[int]) -> None:
    lesson = await sync_to_async(make_lesson)()
    student = await Peer.open(servers[0], lesson, await sync_to_async(lesson.token)())
    tutor = await Peer.open(servers[1], lesson, await sync_to_async(lesson.token)(lesson.tutor, role="tutor"))
    for i in range(5):
        await student.draw(f"s{i}")
        await tutor.draw(f"t{i}")
    everything = {f"s{i}" for i in range(5)} | {f"t{i}" for i in range(5)}
    assert await student.until(everything, 5) == everything
    assert await tutor.until(everything, 5) == everything
    await student.socket.close()
    await tutor.socket.close()


async def test_the_resync_repairs_a_lost_message(servers: list[int]) -> None:
    lesson = await sync_to_async(make_lesson)()
    tutor = await Peer.open(servers[1], lesson, await sync_to_async(lesson.token)(lesson.tutor, role="tutor"))
    # An update stored by some process whose pub/sub message was lost: only the database has it.
    lost: Doc = Doc()
    lost.get("elements", type=Map)["lost"] = Map({"type": "text", "page": "p1", "text": "hello"})
    await sync_to_async(board_append)(updates={lesson.session.pk: lost.get_update()})
    assert "lost" in await tutor.until({"lost"}, 5)
    await tutor.socket.close()


async def test_the_resync_repairs_a_lost_erasure(servers: list[int]) -> None:
    lesson = await sync_to_async(make_lesson)()
    tutor = await Peer.open(servers[1], lesson, await sync_to_async(lesson.token)(lesson.tutor, role="tutor"))
    await tutor.draw("erased")
    await tutor.pump(0.3)
    # Another process's client erased the stroke and only the database has it: a delete set, no new items.
    elsewhere: Doc = Doc()
    elsewhere.apply_update(tutor.doc.get_update())
    seen = elsewhere.get_state()
    del elsewhere.get("elements", type=Map)["erased"]
    await sync_to_async(board_append)(updates={lesson.session.pk: elsewhere.get_update(seen)})
    deadline = time.monotonic() + 5
    while "erased" in tutor.elements() and time.monotonic() < deadline:
        await tutor.pump(0.1)
    assert "erased" not in tutor.elements()
    await tutor.socket.close()
