"""The classroom page in a real browser: a student and a tutor (two Chromium contexts) log in, join from
"My lessons", draw on the shared board, undo, chat, connect the video call, and the tutor ends the lesson.

Drives Debian's Chromium (/usr/bin/chromium) through the Python `playwright` package; the page exposes
``window.m4shBoard``, ``window.m4shVideo`` and ``window.m4shRoom`` for the checks (docs/frontend.md)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from apps.accounts.tests.factories import PASSWORD
from apps.classroom.models import ClassroomSession
from apps.classroom.tests.factories import Lesson, make_lesson
from apps.core.tests.live import Browser, Page, browser_missing, chromium, expect, serve_asgi

TIMEOUT_MS = 20_000
CALL_TIMEOUT_MS = 40_000  # a call that stalls is replaced after 12 s (frontend/src/video.ts)
CONNECTED = "() => window.m4shVideo.state() === 'connected'"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or ""),
]


@pytest.fixture
def base_url(reference_data: None, settings: Any, tmp_path: Path) -> Iterator[str]:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SCHEDULER_IN_PROCESS = False
    settings.BOARD_FLUSH_MS = 20
    settings.CLASSROOM_STUN_URLS = []  # the peers meet on loopback: no traffic leaves this machine
    settings.CLASSROOM_TURN_URLS = []
    with serve_asgi() as address:
        yield f"http://{address}"


def join(browser: Browser, base_url: str, lesson: Lesson, user: Any, init_script: str = "") -> Page:
    """Log in through the form, open "My lessons" and click "Join classroom"."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto("/lessons/")
    page.click(f'tr[data-booking="{lesson.booking.pk}"] >> text=Join classroom')
    page.wait_for_url(f"**/classroom/{lesson.session.pk}/")
    page.wait_for_function("() => window.m4shBoard && window.m4shBoard.synced()")
    page.wait_for_function("() => window.m4shRoom && window.m4shRoom.state() === 'open'")
    return page


def drag(page: Page, points: list[tuple[float, float]]) -> None:
    """Press, move through ``points`` (fractions of the canvas) and release."""
    box = page.locator("#board").bounding_box()
    assert box is not None
    at = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def count_is(page: Page, expected: int) -> None:
    page.wait_for_function("n => window.m4shBoard.elementCount() === n", arg=expected)


def test_two_participants_share_the_board_chat_and_call(base_url: str) -> None:
    lesson = make_lesson()
    with chromium() as browser:
        run_lesson(browser, base_url, lesson)
    session = ClassroomSession.objects.get(pk=lesson.session.pk)
    assert session.status == "completed" and session.ended_at is not None


def run_lesson(browser: Browser, base_url: str, lesson: Lesson) -> None:
    student = join(browser, base_url, lesson, lesson.student)
    tutor = join(browser, base_url, lesson, lesson.tutor)

    # the student draws with the pen; the stroke reaches the tutor through the server
    drag(student, [(0.1, 0.1), (0.2, 0.25), (0.3, 0.2), (0.4, 0.3)])
    count_is(tutor, 1)
    stroke = tutor.evaluate("() => window.m4shBoard.elements()[0]")
    assert (stroke["type"], stroke["tool"], stroke["page"]) == ("stroke", "pen", "p1")
    assert stroke["author"] == lesson.student.pk
    assert len(stroke["points"]) >= 8 and all(0 <= v <= 1000 for v in stroke["points"])

    # the tutor draws a rectangle and writes a text
    tutor.click("[data-tool=rect]")
    drag(tutor, [(0.5, 0.5), (0.7, 0.7)])
    tutor.click("[data-tool=text]")
    box = tutor.locator("#board").bounding_box()
    assert box is not None
    tutor.mouse.click(box["x"] + 0.1 * box["width"], box["y"] + 0.8 * box["height"])
    tutor.keyboard.type("x = 2")
    tutor.keyboard.press("Enter")
    count_is(student, 3)
    kinds = student.evaluate("() => window.m4shBoard.elements().map(e => e.type + ':' + (e.shape || e.text || e.tool))")
    assert sorted(kinds) == ["shape:rect", "stroke:pen", "text:x = 2"]

    # undo is per participant: the student's undo takes back the stroke, not the tutor's drawing
    student.click("#undo")
    count_is(tutor, 2)
    assert sorted(tutor.evaluate("() => window.m4shBoard.elements().map(e => e.type)")) == ["shape", "text"]

    # chat
    student.fill("#chat-input", "Hello, is the sound OK?")
    student.press("#chat-input", "Enter")
    expect(tutor.locator("#chat-messages")).to_contain_text("Hello, is the sound OK?")
    expect(student.locator("#chat-messages li.mine")).to_contain_text("Hello, is the sound OK?")

    # the call connects (fake camera and microphone), and the tutor's video reaches the student
    for page in (student, tutor):
        page.wait_for_function(CONNECTED, timeout=CALL_TIMEOUT_MS)
        assert page.evaluate("() => window.m4shVideo.hasLocalMedia()")
    assert student.evaluate("() => window.m4shVideo.polite") is True
    assert tutor.evaluate("() => window.m4shVideo.polite") is False
    student.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")

    # the tutor uploads an image, puts it on the board, then makes it the page's background
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), "#ffd43b").save(picture, format="PNG")
    tutor.set_input_files(
        "#material-file", files=[{"name": "graph.png", "mimeType": "image/png", "buffer": picture.getvalue()}]
    )
    tutor.locator("#material-list .material-page button", has_text="Insert").click()
    count_is(student, 3)
    image = student.evaluate("() => window.m4shBoard.elements().find(e => e.type === 'image')")
    assert image["src"].startswith("/api/v1/classroom/materials/") and (image["w"], image["h"]) == (400, 300)
    tutor.locator("#material-list .material-page button", has_text="Background").click()
    student.wait_for_function("() => window.m4shBoard.pages()[0].background !== null")
    assert student.evaluate("() => window.m4shBoard.pages()[0].background.src") == image["src"]

    # the tutor ends the lesson: both pages say so, the call is over, the classroom is completed
    tutor.once("dialog", lambda dialog: dialog.accept())
    tutor.click("#end-lesson")
    for page in (student, tutor):
        expect(page.locator("#classroom")).to_have_attribute("data-status", "ended")
        expect(page.locator("#lesson-status")).to_contain_text("The lesson has ended.")
        expect(page.locator("#lesson-over")).to_be_visible()
        assert page.evaluate("() => window.m4shVideo.state()") == "closed"


NO_CAMERA = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""


def test_a_participant_without_camera_still_gets_the_call_and_a_reload_reconnects(base_url: str) -> None:
    lesson = make_lesson()
    with chromium() as browser:
        student = join(browser, base_url, lesson, lesson.student, init_script=NO_CAMERA)
        tutor = join(browser, base_url, lesson, lesson.tutor)
        for page in (student, tutor):
            page.wait_for_function(CONNECTED, timeout=CALL_TIMEOUT_MS)
        assert student.evaluate("() => window.m4shVideo.hasLocalMedia()") is False
        expect(student.locator("#video-status")).to_contain_text("you can still see and hear the other side")
        student.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")

        calls = student.evaluate("() => window.m4shVideo.calls()")

        # the tutor reloads the page: a new call replaces the old one on both sides
        tutor.reload()
        tutor.wait_for_function("() => window.m4shRoom && window.m4shRoom.state() === 'open'")
        student.wait_for_function("n => window.m4shVideo.calls() > n", arg=calls)
        for page in (student, tutor):
            page.wait_for_function(CONNECTED, timeout=CALL_TIMEOUT_MS)
        student.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")
        expect(student.locator("#presence")).to_contain_text("Tutor")


FIRST_CALL_STALLS = """
const Native = window.RTCPeerConnection;
let made = 0;
window.RTCPeerConnection = function (config) {
  made += 1;  // the first call may use relays only, and there are none: it can never connect
  return new Native(made === 1 ? { ...config, iceTransportPolicy: "relay" } : config);
};
window.RTCPeerConnection.prototype = Native.prototype;
"""


def test_a_call_that_cannot_connect_is_replaced_by_one_that_does(base_url: str) -> None:
    lesson = make_lesson()
    with chromium() as browser:
        student = join(browser, base_url, lesson, lesson.student)
        tutor = join(browser, base_url, lesson, lesson.tutor, init_script=FIRST_CALL_STALLS)
        for page in (student, tutor):
            page.wait_for_function(CONNECTED, timeout=CALL_TIMEOUT_MS)
        assert tutor.evaluate("() => window.m4shVideo.calls()") >= 2
        student.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")
