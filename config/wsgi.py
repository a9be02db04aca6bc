"""WSGI entry point: production serves HTTP here (gunicorn) and /ws/ on ASGI (see docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
