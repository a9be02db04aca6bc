"""The subject catalogue and exchange rates: small, read on every search, cached for a minute."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.cache import cache

from apps.core.exceptions import InvalidInputError
from apps.marketplace.models import ExchangeRate, Subject

CATALOGUE_CACHE_KEY = "marketplace:subjects:v1"
RATES_CACHE_KEY = "marketplace:rates:v1"
CACHE_SECONDS = 60


def _subject_rows() -> list[dict[str, Any]]:
    rows = cache.get(CATALOGUE_CACHE_KEY)
    if rows is None:
        rows = list(
            Subject.objects.order_by("position", "slug").values("id", "slug", "name_en", "name_uk", "parent_id")
        )
        cache.set(CATALOGUE_CACHE_KEY, rows, CACHE_SECONDS)
    return rows


def subject_tree() -> list[dict[str, Any]]:
    """Top-level subjects, each with its children: ``[{slug, name_en, name_uk, children: [...]}]``."""
    rows = _subject_rows()
    nodes = {
        row["id"]: {"slug": row["slug"], "name_en": row["name_en"], "name_uk": row["name_uk"], "children": []}
        for row in rows
    }
    roots = []
    for row in rows:
        if row["parent_id"] is None:
            roots.append(nodes[row["id"]])
        else:
            nodes[row["parent_id"]]["children"].append(nodes[row["id"]])
    return roots


def subject_ids_with_descendants(slug: str) -> list[int]:
    """Ids of the subject ``slug`` and of every subject below it; an unknown slug is a 400."""
    rows = _subject_rows()
    by_slug = {row["slug"]: row["id"] for row in rows}
    if slug not in by_slug:
        raise InvalidInputError.for_field("subject", f"Unknown subject '{slug}'.", code="unknown_subject")
    ids, frontier = [by_slug[slug]], [by_slug[slug]]
    while frontier:
        frontier = [row["id"] for row in rows if row["parent_id"] in frontier]
        ids.extend(frontier)
    return ids


def subjects_by_slug(slugs: list[str]) -> dict[str, int]:
    """Map each known slug to its id (unknown slugs are left out)."""
    wanted = set(slugs)
    return {row["slug"]: row["id"] for row in _subject_rows() if row["slug"] in wanted}


def exchange_rates() -> dict[str, Decimal]:
    """Units of each currency per euro."""
    rates = cache.get(RATES_CACHE_KEY)
    if rates is None:
        rates = dict(ExchangeRate.objects.values_list("currency", "per_eur"))
        cache.set(RATES_CACHE_KEY, rates, CACHE_SECONDS)
    return rates


def to_eur(amount: Decimal, currency: str) -> Decimal:
    rate = exchange_rates().get(currency)
    if rate is None:
        raise InvalidInputError.for_field("currency", f"No exchange rate for {currency}.", code="unknown_currency")
    return amount / rate


def catalogue_cache_clear() -> None:
    cache.delete_many([CATALOGUE_CACHE_KEY, RATES_CACHE_KEY])
