"""ISO 639-1 language codes (from pycountry's ISO 639 data)."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def language_names() -> dict[str, str]:
    """``{"en": "English", "uk": "Ukrainian", ...}`` for every ISO 639-1 code."""
    return {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}


def is_language_code(code: str) -> bool:
    return code in language_names()
