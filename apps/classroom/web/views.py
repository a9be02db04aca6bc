from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.classroom.selectors import can_join_booking, join_window, participant_role, session_get_for_participant
from apps.core.exceptions import NotFoundError


@login_required
@require_GET
def classroom(request: HttpRequest, session_id: int) -> HttpResponse:
    """The classroom page; the script fetches the join token and connects the sockets."""
    try:
        session = session_get_for_participant(user=request.user, session_id=session_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404("No such classroom.") from exc
    booking = session.booking
    role = participant_role(session, request.user.pk)
    context = {
        "session": session,
        "booking": booking,
        "role": role,
        "open": can_join_booking(booking, timezone.now()),
        "window": join_window(start=booking.start, end=booking.end),
        "join_before_minutes": settings.CLASSROOM_JOIN_BEFORE_MINUTES,
        "config": {
            "bookingId": booking.pk,
            "sessionId": session.pk,
            "userId": request.user.pk,
            "userName": request.user.first_name,  # type: ignore[union-attr]
            "role": role,
            "accessUrl": f"/api/v1/booking/bookings/{booking.pk}/classroom/",
        },
    }
    return render(request, "classroom/room.html", context)
