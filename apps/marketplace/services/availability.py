"""The free-slot search index (the booking app computes the slots; the marketplace searches them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from apps.marketplace.models import FreeSlot


@transaction.atomic
def tutor_free_slots_set(*, tutor_id: int, starts: Iterable[datetime]) -> int:
    """Replace the tutor's indexed free slot starts; returns how many there are now."""
    FreeSlot.objects.filter(tutor_id=tutor_id).delete()
    rows = FreeSlot.objects.bulk_create([FreeSlot(tutor_id=tutor_id, start=start) for start in starts], batch_size=1000)
    return len(rows)
