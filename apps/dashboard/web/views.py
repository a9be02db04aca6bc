"""The dashboard page: what ``GET /api/v1/dashboard/student/`` or ``/tutor/`` answers, as HTML."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.dashboard.selectors import PERIODS, student_dashboard, tutor_dashboard


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in tutor's dashboard, or the student's (every account is one or the other), for
    ``?period=week|month|year|all`` (all by default)."""
    user = request.user
    period = request.GET.get("period") or None
    if period is not None and period not in PERIODS:
        return HttpResponseBadRequest(f"Unknown period: use one of {', '.join(PERIODS)}.", content_type="text/plain")
    context = {"periods": PERIODS}
    if user.is_tutor:  # type: ignore[union-attr]
        context["data"] = tutor_dashboard(tutor=user, now=timezone.now(), period=period)  # type: ignore[arg-type]
        return render(request, "dashboard/tutor.html", context)
    context["data"] = student_dashboard(student=user, now=timezone.now(), period=period)  # type: ignore[arg-type]
    return render(request, "dashboard/student.html", context)
