from apps.booking.selectors.availability import availability_get, override_list, tutor_schedule
from apps.booking.selectors.bookings import (
    LONGEST_LESSON,
    booking_get_for_participant,
    booking_list,
    busy_intervals,
    holding,
    open_request_count,
)
from apps.booking.selectors.calendar import (
    calendar_feed_url,
    calendar_feed_user,
    calendar_for_booking,
    calendar_for_user,
)
from apps.booking.selectors.slots import tutor_free_slots

__all__ = [
    "LONGEST_LESSON",
    "availability_get",
    "booking_get_for_participant",
    "booking_list",
    "busy_intervals",
    "calendar_feed_url",
    "calendar_feed_user",
    "calendar_for_booking",
    "calendar_for_user",
    "holding",
    "open_request_count",
    "override_list",
    "tutor_free_slots",
    "tutor_schedule",
]
