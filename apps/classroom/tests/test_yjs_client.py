"""Stock Yjs clients against the real server: the `yjs` and `y-websocket` packages the browser bundle uses
talk to ``config.asgi.application`` served by uvicorn, converge, and the server stores what they drew."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pycrdt import Array, Map

from apps.classroom.services.board import board_document
from apps.classroom.tests.factories import make_lesson
from apps.core.tests.live import serve_asgi

ROOT = Path(__file__).resolve().parents[3]
FRONTEND = ROOT / "frontend"
NODE_SCRIPT = Path(__file__).resolve().parent / "node" / "converge.cjs"
NODE = shutil.which("node")
NODE_PACKAGES = ("yjs", "y-websocket", "ws")


@pytest.fixture
def asgi_server(reference_data: None, settings: Any) -> Iterator[str]:
    settings.SCHEDULER_IN_PROCESS = False  # no periodic tasks racing the test on its database
    settings.BOARD_FLUSH_MS = 20
    with serve_asgi() as address:
        yield address


def node_ready() -> str | None:
    """Why the Node check cannot run here, or None."""
    if NODE is None:
        return "node is not installed"
    missing = [name for name in NODE_PACKAGES if not (FRONTEND / "node_modules" / name / "package.json").exists()]
    if missing:
        return f"frontend/node_modules lacks {', '.join(missing)}: run `npm ci --prefix frontend`"
    return None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(node_ready() is not None, reason=node_ready() or "")
def test_stock_yjs_clients_converge_through_the_server(asgi_server: str) -> None:
    lesson = make_lesson()
    participants = {
        "server": f"ws://{asgi_server}/ws/classroom/{lesson.session.pk}",
        "student": {"token": lesson.token(), "id": lesson.student.pk, "name": lesson.student.first_name},
        "tutor": {
            "token": lesson.token(lesson.tutor, role="tutor"),
            "id": lesson.tutor.pk,
            "name": lesson.tutor.first_name,
        },
    }
    assert NODE is not None
    result = subprocess.run(
        [NODE, str(NODE_SCRIPT), json.dumps(participants)],
        capture_output=True,
        text=True,
        timeout=45,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    board = json.loads(result.stdout)
    expected = {"s-stroke", "s-arrow", "s-rect", "t-formula", "t-image", "t-highlight"}
    assert set(board["elements"]) == expected  # "t-text" was erased
    assert [page["id"] for page in board["pages"]] in (["p1", "p2"], ["p2", "p1"])
    assert board["studentSawTutor"]["cursor"] == {"x": 7, "y": 8, "page": "p2"}
    assert board["tutorSawStudent"]["user"]["role"] == "student"

    # the server stored the same document (the log is flushed every BOARD_FLUSH_MS)
    deadline = time.monotonic() + 10
    while True:
        doc = board_document(session_id=lesson.session.pk)
        stored = doc.get("elements", type=Map).to_py() or {}
        if set(stored) == expected or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert set(stored) == expected
    assert stored == board["elements"]
    pages = doc.get("pages", type=Array).to_py() or []
    assert pages == board["pages"]
    assert stored["s-stroke"]["points"] == [10, 10, 40, 35, 80, 60]
    assert stored["s-rect"]["fill"] == "#ffd43b"
    assert stored["t-image"]["src"] == "/api/v1/classroom/materials/41/pages/2/"
