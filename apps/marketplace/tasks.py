from __future__ import annotations

from celery import shared_task

from apps.marketplace.models import TutorResponse
from apps.marketplace.services import tutor_response_stats_refresh


@shared_task(name="marketplace.refresh_response_stats")
def refresh_response_stats() -> int:
    """Unanswered asks age past 24 hours without any write: refresh the stats of tutors who have some."""
    tutor_ids = set(TutorResponse.objects.filter(answered_at__isnull=True).values_list("tutor_id", flat=True))
    for tutor_id in tutor_ids:
        tutor_response_stats_refresh(tutor_id=tutor_id)
    return len(tutor_ids)
