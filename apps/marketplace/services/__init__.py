from apps.marketplace.services.availability import tutor_free_slots_set
from apps.marketplace.services.favorites import favorite_add, favorite_remove
from apps.marketplace.services.messaging import conversation_mark_read, conversation_start, message_send
from apps.marketplace.services.profiles import (
    exchange_rate_set,
    tutor_profile_get_or_create,
    tutor_profile_moderate,
    tutor_profile_update,
    tutor_search_documents_refresh,
)
from apps.marketplace.services.relations import assigned_tutor_set, tutor_student_link
from apps.marketplace.services.reviews import review_create, review_reply, review_update
from apps.marketplace.services.stats import (
    ranking_score,
    tutor_lessons_completed_add,
    tutor_rating_refresh,
    tutor_response_close,
    tutor_response_open,
    tutor_response_stats_refresh,
)

__all__ = [
    "assigned_tutor_set",
    "conversation_mark_read",
    "conversation_start",
    "exchange_rate_set",
    "favorite_add",
    "favorite_remove",
    "message_send",
    "ranking_score",
    "review_create",
    "review_reply",
    "review_update",
    "tutor_free_slots_set",
    "tutor_lessons_completed_add",
    "tutor_profile_get_or_create",
    "tutor_profile_moderate",
    "tutor_profile_update",
    "tutor_rating_refresh",
    "tutor_response_close",
    "tutor_response_open",
    "tutor_response_stats_refresh",
    "tutor_search_documents_refresh",
    "tutor_student_link",
]
