from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from apps.accounts import demo as accounts_demo
from apps.booking import demo as booking_demo
from apps.marketplace import demo as marketplace_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's bookings go through the real services, which e-mail both sides after commit; the
        # demo accounts' addresses get none of it (the console would fill with weeks of past lessons).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            logins = accounts_demo.load()
            tutors = marketplace_demo.load()
            lessons = booking_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password: {accounts_demo.DEMO_PASSWORD}):"))
        for email, role in logins:
            self.stdout.write(f"  {role:8} {email}")
        self.stdout.write(f"  {tutors} published tutors in the marketplace (tutor01@m4sh.demo ... tutor44@m4sh.demo)")
        self.stdout.write(
            f"  {lessons} demo lessons; student@m4sh.demo and tutor@m4sh.demo have one starting within the hour:"
            " log in at /login/ and open /lessons/ to enter its classroom"
        )
