"""ASGI entry point: HTTP through Django, the classroom WebSockets, and the lifespan hooks (the board
rooms are stored at shutdown; the embedded default also runs the periodic tasks in-process)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from apps.classroom.realtime.board import BoardHub  # noqa: E402
from apps.classroom.realtime.routing import WebSocketRouter, board_bus  # noqa: E402
from apps.core.asgi import Lifespan  # noqa: E402
from apps.core.scheduler import InProcessScheduler  # noqa: E402

board_hub = BoardHub(board_bus())
scheduler = InProcessScheduler()


async def start_scheduler() -> None:
    if settings.SCHEDULER_IN_PROCESS:
        scheduler.start()


async def freeze_gc() -> None:
    """Move everything loaded at start-up out of the collector's reach: a full collection then scans only
    what the sockets made since, so its pauses (the board's latency spikes) stay short."""
    gc.collect()
    gc.freeze()


application = Lifespan(
    ProtocolTypeRouter({"http": django_asgi_app, "websocket": WebSocketRouter(board_hub)}),
    on_startup=[board_hub.start, start_scheduler, freeze_gc],
    on_shutdown=[scheduler.stop, board_hub.close],
)
