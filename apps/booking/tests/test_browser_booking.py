"""Booking in a real browser, on the demo data: a student finds a tutor, requests a free time from the
tutor's page, the tutor confirms it from the dashboard, and the student sees the lesson confirmed."""

from __future__ import annotations

import pytest

from apps.accounts.demo import DEMO_PASSWORD
from apps.booking.models import Booking
from apps.core.tests.live import browser_missing, chromium, expect, log_in
from apps.marketplace.models import TutorProfile
from apps.marketplace.selectors import display_name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or ""),
]


def test_a_student_books_a_tutor_who_confirms_from_the_dashboard(demo_site: str) -> None:
    tutor = TutorProfile.objects.select_related("user").get(user__email="tutor2@m4sh.demo")
    name = display_name(tutor.user.first_name, tutor.user.last_name)
    with chromium() as browser:
        student = log_in(browser, demo_site, "student2@m4sh.demo", DEMO_PASSWORD)
        student.click("text=Find a tutor")
        student.fill("input[name=q]", tutor.user.last_name)
        student.click(".search button")
        student.click(f'[data-tutor="{tutor.pk}"] h2 a')
        student.wait_for_url(f"**/tutors/{tutor.pk}/")
        slot = student.locator("#slots button.slot").first
        start = slot.get_attribute("data-start")
        slot.click()
        student.wait_for_url("**/dashboard/")
        expect(student.locator("#messages")).to_contain_text("Request sent")
        row = student.locator("#active-lessons tr", has_text=name)
        expect(row).to_contain_text("pending")

        teacher = log_in(browser, demo_site, "tutor2@m4sh.demo", DEMO_PASSWORD)
        teacher.click("#requests >> text=Confirm")
        expect(teacher.locator("#messages")).to_contain_text("is confirmed")

        student.reload()
        expect(student.locator("#active-lessons tr", has_text=name)).to_contain_text("confirmed")
    booking = Booking.objects.get(student__email="student2@m4sh.demo", tutor=tutor)
    assert booking.status == "confirmed" and booking.start.isoformat() == start
