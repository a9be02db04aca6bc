from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.booking.models import Booking, BookingStatus
from apps.booking.selectors import booking_list, calendar_feed_user, calendar_for_user
from apps.booking.services import booking_cancel, booking_confirm, booking_create, booking_decline
from apps.classroom.selectors import can_join_booking
from apps.core.exceptions import ApplicationError, NotFoundError
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


# What a participant does to a booking from a page: the same services as the API.
ACTIONS: dict[str, Callable[[int, User], Booking]] = {
    "confirm": lambda booking_id, user: booking_confirm(booking_id=booking_id, tutor=user),
    "decline": lambda booking_id, user: booking_decline(booking_id=booking_id, tutor=user),
    "cancel": lambda booking_id, user: booking_cancel(booking_id=booking_id, user=user),
}


@login_required
@require_POST
def booking_action(request: HttpRequest, booking_id: int, action: str) -> HttpResponse:
    """The tutor confirms or declines a request, or either side cancels a lesson, from a page; then back to
    the page (``next``, the dashboard by default) saying what happened or why not. Someone else's
    booking is 404."""
    try:
        booking = ACTIONS[action](booking_id, request.user)  # type: ignore[arg-type]
    except NotFoundError as error:
        raise Http404(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The lesson on {booking.start:%d %b %H:%M} UTC is {booking.status}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/dashboard/"
    return redirect(target)


@login_required
@require_POST
def booking_request(request: HttpRequest, tutor_id: int) -> HttpResponse:
    """A student requests a free time from the tutor's page (the API's ``booking_create``); on success to
    the dashboard, otherwise back to the tutor's page with why not."""
    try:
        start = parse_datetime(request.POST.get("start", ""))
        duration = int(request.POST.get("duration_minutes", ""))
    except ValueError:
        start, duration = None, 0
    if start is None or timezone.is_naive(start):
        messages.error(request, "Choose one of the free times.")
        return redirect("web:tutor", tutor_id=tutor_id)
    try:
        booking = booking_create(
            student=request.user,  # type: ignore[arg-type]
            tutor_id=tutor_id,
            start=start,
            duration_minutes=duration,
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("web:tutor", tutor_id=tutor_id)
    messages.success(
        request,
        f"Request sent for {booking.start:%d %b %H:%M} UTC: the tutor answers within 24 hours, or before the lesson.",
    )
    return redirect("web:dashboard")
