"""ASGI entry point: HTTP through Django, WebSockets through the classroom routing, and the lifespan
hooks (the in-process scheduler of the embedded default)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from apps.core.asgi import Lifespan  # noqa: E402
from apps.core.scheduler import InProcessScheduler  # noqa: E402

scheduler = InProcessScheduler()


async def start_scheduler() -> None:
    if settings.SCHEDULER_IN_PROCESS:
        scheduler.start()


application = Lifespan(
    ProtocolTypeRouter({"http": django_asgi_app}),
    on_startup=[start_scheduler],
    on_shutdown=[scheduler.stop],
)
