"""The dashboard page in a real browser, on the demo data: the student and the tutor land on it after
logging in and read their numbers, the tutor confirms the waiting request, and the student joins the
lesson starting soon from it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts.demo import DEMO_PASSWORD
from apps.classroom.models import ClassroomSession
from apps.core.tests.live import browser_missing, chromium, expect, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or ""),
]


def test_the_demo_pair_read_their_dashboards_and_join_from_there(demo_site: str) -> None:
    soon = ClassroomSession.objects.filter(
        status="scheduled", booking__student__email="student@m4sh.demo", booking__end__gt=timezone.now()
    ).order_by("booking__start")[0]  # the demo's lesson starting within the hour
    with chromium() as browser:
        student = log_in(browser, demo_site, "student@m4sh.demo", DEMO_PASSWORD)
        expect(student.locator('[data-stat="lessons_completed"]')).to_have_text("10")
        expect(student.locator('[data-stat="attendance_rate"]')).to_have_text("90.9 %")
        expect(student.locator("#teacher .tutor-name")).to_have_text("Andriy S.")
        assert student.locator("#weeks .week").count() == 12

        student.click("text=Month")
        student.wait_for_url("**/dashboard/?period=month")
        expect(student.locator(".periods a.current")).to_have_text("Month")

        tutor = log_in(browser, demo_site, "tutor@m4sh.demo", DEMO_PASSWORD)
        expect(tutor.locator('[data-stat="lessons_taught"]')).to_have_text("10")
        expect(tutor.locator('[data-stat="rating"]')).to_contain_text("4.75")
        expect(tutor.locator("#students")).to_contain_text("Olena K.")
        expect(tutor.locator("#requests tbody tr")).to_have_count(1)
        tutor.click("#requests >> text=Confirm")  # student2's trial lesson
        expect(tutor.locator("#messages")).to_contain_text("is confirmed")
        expect(tutor.locator("#requests")).to_have_count(0)
        expect(tutor.locator("#upcoming-lessons tbody tr")).to_have_count(3)

        student.goto("/dashboard/")
        student.click(f'#active-lessons tr >> a[href="/classroom/{soon.pk}/"]')
        student.wait_for_url(f"**/classroom/{soon.pk}/")
        student.wait_for_function("() => window.m4shBoard && window.m4shBoard.synced()")
