"""Readiness checks: can this process reach the services it depends on?"""

from __future__ import annotations

import logging
import uuid

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("readiness: database unreachable")
        return False


def check_cache() -> bool:
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return ok
    except Exception:
        logger.exception("readiness: cache unreachable")
        return False


def check_channel_layer() -> bool:
    config = settings.CHANNEL_LAYERS["default"]
    if config["BACKEND"] == "channels.layers.InMemoryChannelLayer":
        return True  # lives in this process
    try:
        for host in config["CONFIG"]["hosts"]:
            client = redis.Redis.from_url(host, socket_timeout=2, socket_connect_timeout=2)
            try:
                client.ping()
            finally:
                client.close()
        return True
    except Exception:
        logger.exception("readiness: channel layer unreachable")
        return False


def readiness() -> dict[str, bool]:
    return {"database": check_database(), "cache": check_cache(), "channel_layer": check_channel_layer()}
