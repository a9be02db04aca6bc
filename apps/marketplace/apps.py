from typing import Any

from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "apps.marketplace"
    label = "marketplace"
    verbose_name = "Marketplace"

    def ready(self) -> None:
        from apps.accounts.signals import user_name_changed

        user_name_changed.connect(_refresh_tutor_search_document, dispatch_uid="marketplace-search-on-rename")


def _refresh_tutor_search_document(sender: Any, user_id: int, **kwargs: Any) -> None:
    """A tutor's name is part of their search document: rebuild it (derived data, like a cache)."""
    from apps.marketplace.services import tutor_search_documents_refresh

    tutor_search_documents_refresh(tutor_ids=[user_id])
