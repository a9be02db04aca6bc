"""Demo accounts with known passwords for `make run` (idempotent)."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import make_password

from apps.accounts.models import Role, User

DEMO_PASSWORD = "m4sh-demo-pass"

DEMO_USERS = [
    # email, first name, last name, role, zone, locale
    ("student@m4sh.demo", "Olena", "Kovalenko", Role.STUDENT, "Europe/Kyiv", "uk"),
    ("student2@m4sh.demo", "James", "Miller", Role.STUDENT, "America/New_York", "en"),
    ("tutor@m4sh.demo", "Andriy", "Shevchenko", Role.TUTOR, "Europe/Kyiv", "uk"),
    ("tutor2@m4sh.demo", "Emma", "Clarke", Role.TUTOR, "Europe/London", "en"),
]


@cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)  # hashed once: every demo account shares it


def demo_user_create(email: str, first: str, last: str, role: str, zone: str, locale: str, **extra: bool) -> User:
    return User.objects.create(
        email=email,
        password=_demo_password_hash(),
        first_name=first,
        last_name=last,
        role=role,
        timezone=zone,
        locale=locale,
        **extra,
    )


def load() -> list[tuple[str, str]]:
    """Create the demo users that do not exist yet; return (e-mail, role) of each."""
    for email, first, last, role, zone, locale in DEMO_USERS:
        if not User.objects.filter(email=email).exists():
            demo_user_create(email, first, last, role, zone, locale)
    if not User.objects.filter(email="admin@m4sh.demo").exists():
        demo_user_create(
            "admin@m4sh.demo", "Admin", "M4SH", Role.STUDENT, "Europe/Kyiv", "en", is_staff=True, is_superuser=True
        )
    return [(email, str(role)) for email, _, _, role, _, _ in DEMO_USERS] + [("admin@m4sh.demo", "staff")]
