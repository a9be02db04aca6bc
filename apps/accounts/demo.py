"""Demo accounts with known passwords for `make run` (idempotent)."""

from __future__ import annotations

from apps.accounts.models import Role, User

DEMO_PASSWORD = "m4sh-demo-pass"

DEMO_USERS = [
    # email, first name, last name, role, zone, locale
    ("student@m4sh.demo", "Olena", "Kovalenko", Role.STUDENT, "Europe/Kyiv", "uk"),
    ("student2@m4sh.demo", "James", "Miller", Role.STUDENT, "America/New_York", "en"),
    ("tutor@m4sh.demo", "Andriy", "Shevchenko", Role.TUTOR, "Europe/Kyiv", "uk"),
    ("tutor2@m4sh.demo", "Emma", "Clarke", Role.TUTOR, "Europe/London", "en"),
]


def load() -> list[tuple[str, str]]:
    """Create the demo users that do not exist yet; return (e-mail, role) of each."""
    for email, first, last, role, zone, locale in DEMO_USERS:
        if not User.objects.filter(email=email).exists():
            User.objects.create_user(
                email, DEMO_PASSWORD, first_name=first, last_name=last, role=role, timezone=zone, locale=locale
            )
    if not User.objects.filter(email="admin@m4sh.demo").exists():
        User.objects.create_superuser(
            "admin@m4sh.demo", DEMO_PASSWORD, first_name="Admin", last_name="M4SH", timezone="Europe/Kyiv"
        )
    return [(email, str(role)) for email, _, _, role, _, _ in DEMO_USERS] + [("admin@m4sh.demo", "staff")]
