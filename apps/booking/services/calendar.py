from __future__ import annotations

import secrets

from apps.accounts.models import User
from apps.booking.models import CalendarFeed


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return feed


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token", "created_at"])
    return feed
