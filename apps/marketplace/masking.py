"""Hiding contact details in messages between a student and a tutor who have not had a lesson confirmed.

Like the marketplaces M4SH is measured against, this keeps the first lesson on the platform: e-mail
addresses, phone numbers, links and messenger handles are replaced before the message is stored.
"""

from __future__ import annotations

import re

HIDDEN = "[hidden until your first lesson]"

_PATTERNS = [
    # e-mail addresses, also written with spaces or (at)/(dot)
    re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.IGNORECASE),
    # links with a scheme or www.
    re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE),
    # bare domains and messenger links (t.me/x, wa.me/123, example.com/path)
    re.compile(
        r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|ua|me|io|co|info|biz|eu|uk|us|de|pl|ru|app|dev|link|ly|gg|to)\b(?:/\S*)?",
        re.IGNORECASE,
    ),
    # messenger handles: skype:live:x, telegram @handle, viber/whatsapp: +380...
    re.compile(r"\b(?:skype|telegram|viber|whatsapp|signal|discord|zoom)\s*[:\-]?\s*\S+", re.IGNORECASE),
    re.compile(r"(?<![\w@])@[A-Za-z][\w]{3,}"),
    # phone numbers: 7 or more digits, allowing spaces, dots, dashes and brackets between them
    re.compile(r"\+?\d(?:[\s().-]*\d){6,}"),
]


def mask_contacts(text: str) -> tuple[str, bool]:
    """Return ``text`` with contact details replaced, and whether anything was replaced."""
    masked = text
    for pattern in _PATTERNS:
        masked = pattern.sub(HIDDEN, masked)
    return masked, masked != text
