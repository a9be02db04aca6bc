from apps.booking.services.availability import (
    availability_set,
    override_create,
    override_delete,
)
from apps.booking.services.bookings import (
    booking_cancel,
    booking_complete,
    booking_confirm,
    booking_create,
    booking_decline,
    booking_locked_for_participant,
    booking_mark_no_show,
    booking_reschedule,
    bookings_expire_due,
    lesson_price,
)
from apps.booking.services.calendar import calendar_feed_get_or_create, calendar_feed_regenerate
from apps.booking.services.free_slots import free_slot_index_refresh, free_slot_index_refresh_all
from apps.booking.services.reviews import lesson_review

__all__ = [
    "availability_set",
    "booking_cancel",
    "booking_complete",
    "booking_confirm",
    "booking_create",
    "booking_decline",
    "booking_locked_for_participant",
    "booking_mark_no_show",
    "booking_reschedule",
    "bookings_expire_due",
    "calendar_feed_get_or_create",
    "calendar_feed_regenerate",
    "free_slot_index_refresh",
    "free_slot_index_refresh_all",
    "lesson_price",
    "lesson_review",
    "override_create",
    "override_delete",
]
