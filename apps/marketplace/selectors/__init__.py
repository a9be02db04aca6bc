from apps.marketplace.selectors.catalogue import exchange_rates, subject_ids_with_descendants, subject_tree, to_eur
from apps.marketplace.selectors.favorites import favorite_tutors
from apps.marketplace.selectors.messaging import (
    conversation_get_for_participant,
    conversation_list,
    conversation_summary,
    message_list,
    unread_total,
)
from apps.marketplace.selectors.reviews import review_public, review_rows, tutor_reviews
from apps.marketplace.selectors.tutors import (
    ORDERINGS,
    TutorSearchFilters,
    display_name,
    tutor_cards,
    tutor_profile_visible,
    tutor_published_exists,
    tutor_search,
)

__all__ = [
    "ORDERINGS",
    "TutorSearchFilters",
    "conversation_get_for_participant",
    "conversation_list",
    "conversation_summary",
    "display_name",
    "exchange_rates",
    "favorite_tutors",
    "message_list",
    "review_public",
    "review_rows",
    "subject_ids_with_descendants",
    "subject_tree",
    "to_eur",
    "tutor_cards",
    "tutor_profile_visible",
    "tutor_published_exists",
    "tutor_reviews",
    "tutor_search",
    "unread_total",
]
