"""Settings for benchmark servers: the platform's own, plus the reference views' URLs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
