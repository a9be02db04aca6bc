from __future__ import annotations

from datetime import UTC, datetime

import pytest

from apps.core.testing import forced_make_client, frozen_at

# Tuesday 1 December 2026, 08:00 UTC (10:00 in Kyiv): "now" in the booking tests.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

frozen = frozen_at(NOW)
make_client = pytest.fixture(forced_make_client)  # these tests travel in time past any token's lifetime
