from apps.marketplace.models.catalogue import (
    LESSON_DURATION_CHOICES,
    LESSON_DURATIONS,
    Currency,
    ExchangeRate,
    Level,
    Subject,
)
from apps.marketplace.models.messaging import Conversation, Message, TutorResponse
from apps.marketplace.models.reviews import Review
from apps.marketplace.models.tutors import (
    Favorite,
    FreeSlot,
    Proficiency,
    TutorLanguage,
    TutorProfile,
    TutorStatus,
    TutorStudent,
    TutorSubject,
)

__all__ = [
    "LESSON_DURATIONS",
    "LESSON_DURATION_CHOICES",
    "Conversation",
    "Currency",
    "ExchangeRate",
    "Favorite",
    "FreeSlot",
    "Level",
    "Message",
    "Proficiency",
    "Review",
    "Subject",
    "TutorLanguage",
    "TutorProfile",
    "TutorResponse",
    "TutorStatus",
    "TutorStudent",
    "TutorSubject",
]
