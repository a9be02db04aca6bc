"""URL path converters, registered when the root URLconf imports this module.

``<id:pk>`` accepts only identifiers that fit a 64-bit column, so an overlong number is a 404 at
routing instead of a database overflow error.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


class SmallNumberConverter(IdConverter):
    """Page numbers and the like: at most four digits."""

    regex = "[0-9]{1,4}"


register_converter(SmallNumberConverter, "small")
