from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.booking.models import BookingStatus
from apps.booking.selectors import booking_list, calendar_feed_user, calendar_for_user
from apps.classroom.selectors import can_join_booking
from apps.marketplace.selectors import display_name


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private ICS feed: the secret token in the URL is the credential (calendar apps send no headers)."""
    user = calendar_feed_user(token=token)
    if user is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        calendar_for_user(user=user, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def lessons(request: HttpRequest) -> HttpResponse:
    """The signed-in user's lessons from yesterday on, with a join button inside the join window."""
    now = timezone.now()
    zone = ZoneInfo(request.user.timezone)  # type: ignore[union-attr]
    bookings = booking_list(
        user=request.user,  # type: ignore[arg-type]
        statuses=[BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.COMPLETED],
        start_from=now - timedelta(days=1),
    )
    rows = []
    for booking in bookings[:100]:
        other = booking.student if request.user.pk == booking.tutor_id else booking.tutor.user
        session = getattr(booking, "classroom_session", None)
        rows.append(
            {
                "booking": booking,
                "local_start": booking.start.astimezone(zone),
                "other_name": display_name(other.first_name, other.last_name),
                "session_id": session.pk if session else None,
                "can_join": can_join_booking(booking, now),
            }
        )
    context = {"lessons": rows, "join_before_minutes": settings.CLASSROOM_JOIN_BEFORE_MINUTES}
    return render(request, "booking/lessons.html", context)
