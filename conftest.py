"""Fixtures shared by every app's tests."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    on_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL pointing to PostgreSQL"))
        if "redis" in item.keywords and not on_redis:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))


def load_reference_data() -> None:
    """The subject catalogue and exchange rates that migrations load (idempotent)."""
    import importlib

    from django.apps import apps

    from apps.marketplace.selectors.catalogue import catalogue_cache_clear

    importlib.import_module("apps.marketplace.migrations.0002_search_index_and_catalogue").load_catalogue(apps, None)
    catalogue_cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """A reused test database may have been emptied by transactional tests: reload the reference data."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """For transactional tests, which start from flushed tables: the catalogue back in place."""
    load_reference_data()


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process() -> None:
    """Tests run background tasks at once, whatever broker the environment names."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings: Any) -> Iterator[None]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_client() -> Callable[..., APIClient]:
    """An API client authenticated as ``user`` with a real access token."""
    from apps.accounts.services import token_pair_issue

    def make(user: Any) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(user=user).access}")
        return client

    return make


@pytest.fixture
def student(db: None) -> Any:
    return UserFactory(student=True)


@pytest.fixture
def tutor(db: None) -> Any:
    return UserFactory(tutor=True)


@pytest.fixture
def student_client(make_client: Callable[..., APIClient], student: Any) -> APIClient:
    return make_client(student)


@pytest.fixture
def tutor_client(make_client: Callable[..., APIClient], tutor: Any) -> APIClient:
    return make_client(tutor)


@pytest.fixture
def demo_site(reference_data: None, settings: Any) -> Iterator[str]:
    """The demo data (``seed_demo``) served by uvicorn in this process, for browser tests: the base URL."""
    from django.core.management import call_command

    from apps.core.tests.live import serve_asgi

    settings.SCHEDULER_IN_PROCESS = False
    call_command("seed_demo", stdout=io.StringIO())
    with serve_asgi() as address:
        yield f"http://{address}"
