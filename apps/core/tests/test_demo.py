from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import User
from apps.marketplace.models import TutorProfile


@pytest.mark.django_db
def test_demo_data_loads_idempotently_with_known_logins() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (User.objects.count(), TutorProfile.objects.filter(status="published").count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), TutorProfile.objects.filter(status="published").count()) == counts
    assert counts[1] >= 40
    assert User.objects.get(email="student@m4sh.demo").check_password(DEMO_PASSWORD)
    assert User.objects.get(email="tutor07@m4sh.demo").check_password(DEMO_PASSWORD)
    zones = set(TutorProfile.objects.values_list("user__timezone", flat=True))
    currencies = set(TutorProfile.objects.values_list("currency", flat=True))
    assert len(zones) >= 5 and {"UAH", "EUR", "USD"} <= currencies


@pytest.mark.django_db
def test_demo_data_has_a_classroom_open_now() -> None:
    from django.utils import timezone

    from apps.booking.models import Booking
    from apps.classroom.selectors import can_join_booking

    call_command("seed_demo", stdout=io.StringIO())
    lessons = Booking.objects.filter(student__email="student@m4sh.demo", tutor__user__email="tutor@m4sh.demo")
    assert any(can_join_booking(lesson, timezone.now()) for lesson in lessons.select_related("classroom_session"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-30T06:00:00+00:00",  # a Monday morning
        "2026-11-01T21:30:00+00:00",  # late on a Sunday, a week after the clocks went back
        "2027-04-02T17:00:00+00:00",  # a Friday evening, a week after the clocks went forward
    ],
)
def test_demo_lessons_have_six_weeks_of_history(moment: str) -> None:
    """The demo pair's past lessons went through the services: completed lessons with reviews, a late
    cancellation and a no-show show up on both dashboards, and loading again adds nothing."""
    from datetime import datetime

    import time_machine
    from django.utils import timezone

    from apps.booking.models import Booking
    from apps.dashboard.selectors import assigned_tutor, student_stats, tutor_stats

    with time_machine.travel(datetime.fromisoformat(moment), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
        student = User.objects.get(email="student@m4sh.demo")
        tutor = User.objects.get(email="tutor@m4sh.demo")
        now = timezone.now()
        mine = student_stats(student=student, now=now)
        theirs = tutor_stats(tutor=tutor, now=now)
        teacher = assigned_tutor(student=student)

    assert Booking.objects.filter(student=student, tutor_id=tutor.pk, start__lt=now).count() >= 12
    assert mine["lessons_completed"] == theirs["lessons_taught"] == 10
    assert mine["cancellations"]["by_student_late"] == 1 and mine["no_shows"]["student_absent"] == 1
    assert mine["attendance_rate"] == "0.909"
    assert sum(week["lessons"] for week in mine["lessons_per_week"]) == 10
    assert theirs["rating"]["count"] == 4 and theirs["rating"]["average"] == "4.75"
    assert theirs["requests"]["median_response_seconds"] == 2 * 3600
    assert teacher is not None and teacher["id"] == tutor.pk and teacher["lessons_together"] == 10
