"""Signals other apps may listen to, to keep data derived from accounts fresh (search documents, caches)."""

from django.dispatch import Signal

# Sent after commit when a user's public name changes; ``user_id`` is the user's id.
user_name_changed = Signal()
