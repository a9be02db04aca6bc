from __future__ import annotations

from celery import shared_task

from apps.classroom.services.board import board_compact
from apps.classroom.services.materials import material_render
from apps.classroom.services.sessions import classroom_five_minute_warnings, classroom_sessions_finish_due


@shared_task(name="classroom.finish_due")
def finish_due() -> int:
    return classroom_sessions_finish_due()


@shared_task(name="classroom.five_minute_warnings")
def five_minute_warnings() -> int:
    return classroom_five_minute_warnings()


@shared_task(name="classroom.render_material")
def render_material(material_id: int) -> str:
    return material_render(material_id=material_id).status


@shared_task(name="classroom.compact_board")
def compact_board(session_id: int) -> int:
    """Fold a finished lesson's board into its snapshot, on a worker rather than a board server."""
    return len(board_compact(session_id=session_id))
