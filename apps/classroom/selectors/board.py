from __future__ import annotations

from typing import Any

from pycrdt import Array, Map

from apps.classroom.services.board import board_document


def board_json(*, session_id: int) -> dict[str, Any]:
    """The stored whiteboard as plain JSON (see docs/whiteboard.md for the schema)."""
    doc = board_document(session_id=session_id)
    return {
        "session_id": session_id,
        "pages": doc.get("pages", type=Array).to_py() or [],
        "elements": doc.get("elements", type=Map).to_py() or {},
    }
