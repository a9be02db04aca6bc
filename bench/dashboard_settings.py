"""Settings for the dashboard benchmark's server: the benchmark settings, with the URLconf that adds the
dashboard reference view (``bench/dashboard_reference.py``)."""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.dashboard_reference"
