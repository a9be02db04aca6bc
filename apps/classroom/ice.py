"""ICE servers for the 1:1 video: STUN from settings, and TURN with time-limited credentials.

TURN uses coturn's shared-secret scheme (``use-auth-secret``): the username is
``<expiry unix time>:<user id>`` and the password is base64(HMAC-SHA1(secret, username)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from django.conf import settings


def turn_credentials(*, user_id: int, expires: datetime, secret: str) -> tuple[str, str]:
    username = f"{int(expires.timestamp())}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(*, user_id: int, expires: datetime) -> list[dict[str, Any]]:
    servers: list[dict[str, Any]] = []
    if settings.CLASSROOM_STUN_URLS:
        servers.append({"urls": list(settings.CLASSROOM_STUN_URLS)})
    if settings.CLASSROOM_TURN_URLS and settings.CLASSROOM_TURN_SECRET:
        username, credential = turn_credentials(user_id=user_id, expires=expires, secret=settings.CLASSROOM_TURN_SECRET)
        servers.append({"urls": list(settings.CLASSROOM_TURN_URLS), "username": username, "credential": credential})
    return servers
