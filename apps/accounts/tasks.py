"""Periodic account work."""

from __future__ import annotations

from celery import shared_task

from apps.accounts.services import refresh_tokens_forget_expired


@shared_task(name="accounts.forget_expired_tokens")
def forget_expired_tokens() -> int:
    return refresh_tokens_forget_expired()
