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
