from __future__ import annotations

from apps.accounts.models import User, UserManager


def user_get_active_by_email(*, email: str) -> User | None:
    return User.objects.filter(email=UserManager.normalize_email(email), is_active=True).first()
