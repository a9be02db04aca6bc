from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.booking.selectors import calendar_feed_user, calendar_for_user


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
