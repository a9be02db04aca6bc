from __future__ import annotations

from datetime import UTC, datetime

import pytest

from apps.core.testing import forced_make_client, frozen_at

# Thursday 10 December 2026, 12:00 UTC (14:00 in Kyiv, 07:00 in New York): "now" in the dashboard tests.
NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)

frozen = frozen_at(NOW)
make_client = pytest.fixture(forced_make_client)  # these tests travel in time past any token's lifetime
