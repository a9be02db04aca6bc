from __future__ import annotations

import asyncio
from typing import Any

import pytest

from apps.core.asgi import Lifespan
from apps.core.scheduler import InProcessScheduler


async def _drive(app: Lifespan) -> list[str]:
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[str] = []
    for event in ("lifespan.startup", "lifespan.shutdown"):
        inbox.put_nowait({"type": event})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])
        await asyncio.sleep(0.05)  # let started tasks run

    await app({"type": "lifespan"}, inbox.get, send)
    return sent


@pytest.mark.django_db(transaction=True)
async def test_the_scheduler_runs_periodic_tasks_between_startup_and_shutdown(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    monkeypatch.setattr("apps.core.scheduler._run_in_thread", ran.append)
    scheduler = InProcessScheduler({"one": {"task": "booking.expire_pending", "schedule": 3600}})

    async def start() -> None:
        scheduler.start()

    sent = await _drive(Lifespan(None, [start], [scheduler.stop]))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert ran == ["booking.expire_pending"]
    assert scheduler._tasks == []


def test_every_scheduled_task_exists() -> None:
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_a_scheduled_task_runs_for_real() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts.tests.factories import UserFactory
    from apps.booking.models import Booking
    from apps.core.scheduler import run_task
    from apps.marketplace.tests.factories import make_tutor

    now = timezone.now()
    lapsed = Booking.objects.create(
        student=UserFactory(),
        tutor=make_tutor(),
        start=now + timedelta(days=1),
        end=now + timedelta(days=1, minutes=50),
        duration_minutes=50,
        price=10,
        currency="EUR",
        expires_at=now - timedelta(minutes=1),
    )
    run_task("booking.expire_pending")
    lapsed.refresh_from_db()
    assert lapsed.status == "expired"
