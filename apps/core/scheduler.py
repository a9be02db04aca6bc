"""Periodic tasks without a Celery beat: the embedded default runs ``CELERY_BEAT_SCHEDULE`` in-process.

Each task runs in a worker thread (they use the ORM), once at start-up and then at its interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def run_task(name: str) -> None:
    """Run a registered Celery task here and now; a failure is logged, and the schedule goes on."""
    from config.celery import app

    app.loader.import_default_modules()  # the apps' tasks modules (idempotent)
    try:
        app.tasks[name].apply(throw=True)
    except Exception:
        logger.exception("periodic task %s failed", name)


def _run_in_thread(name: str) -> None:
    try:
        run_task(name)
    finally:
        close_old_connections()  # this worker thread's connection


class InProcessScheduler:
    def __init__(self, schedule: dict[str, dict[str, object]] | None = None) -> None:
        self.schedule = schedule if schedule is not None else settings.CELERY_BEAT_SCHEDULE
        self._tasks: list[asyncio.Task[None]] = []

    async def _loop(self, task: str, every: float) -> None:
        while True:
            await asyncio.to_thread(_run_in_thread, task)
            await asyncio.sleep(every)

    def start(self) -> None:
        from config.celery import app

        app.loader.import_default_modules()  # once, here: concurrent imports from the worker threads race
        for entry in self.schedule.values():
            every = float(entry["schedule"])  # type: ignore[arg-type]
            self._tasks.append(asyncio.create_task(self._loop(str(entry["task"]), every)))
        logger.info("in-process scheduler started with %d periodic tasks", len(self._tasks))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
