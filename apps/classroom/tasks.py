from __future__ import annotations

from celery import shared_task

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
