"""1:1 video signalling: two aiortc peers negotiate through the room socket and connect."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from apps.classroom.realtime.board import BoardHub
from apps.classroom.realtime.routing import WebSocketRouter
from apps.classroom.tests.factories import make_lesson

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


async def enter(app: Any, path: str) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(app, path)
    connected, _ = await comm.connect()
    assert connected
    return comm


async def next_signal(comm: WebsocketCommunicator) -> dict[str, Any]:
    while True:
        message = await comm.receive_json_from(timeout=10)
        if message["type"] == "signal":
            return message["data"]


async def connected(pc: RTCPeerConnection) -> None:
    while pc.connectionState != "connected":
        assert pc.connectionState != "failed"
        await asyncio.sleep(0.05)


async def test_two_peers_connect_through_the_room_socket() -> None:
    lesson = await sync_to_async(make_lesson)()
    app = WebSocketRouter(BoardHub())
    base = f"/ws/classroom/{lesson.session.pk}/?token="
    student = await enter(app, base + await sync_to_async(lesson.token)())
    tutor = await enter(app, base + await sync_to_async(lesson.token)(lesson.tutor, role="tutor"))

    config = RTCConfiguration(iceServers=[])
    caller, callee = RTCPeerConnection(config), RTCPeerConnection(config)
    channel = caller.createDataChannel("lesson")
    opened = asyncio.Event()
    callee.on("datachannel", lambda ch: ch.on("message", lambda message: opened.set() if message == "hello" else None))
    channel.on("open", lambda: channel.send("hello"))
    try:
        # the student calls (aiortc gathers its candidates into the description before it is sent)
        await caller.setLocalDescription(await caller.createOffer())
        await student.send_json_to({"type": "signal", "data": {"kind": "offer", "sdp": caller.localDescription.sdp}})
        offer = await next_signal(tutor)
        assert offer["kind"] == "offer"
        await callee.setRemoteDescription(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
        await callee.setLocalDescription(await callee.createAnswer())
        await tutor.send_json_to({"type": "signal", "data": {"kind": "answer", "sdp": callee.localDescription.sdp}})
        answer = await next_signal(student)
        await caller.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))

        await asyncio.wait_for(asyncio.gather(connected(caller), connected(callee)), 20)
        await asyncio.wait_for(opened.wait(), 10)
        assert caller.connectionState == callee.connectionState == "connected"
    finally:
        await caller.close()
        await callee.close()
        await student.disconnect()
        await tutor.disconnect()
