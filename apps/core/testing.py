"""Test helpers shared by the apps' suites."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema


@cache
def openapi_schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects to JSON Schema: ``nullable`` becomes a union with null."""
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _to_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def assert_matches_schema(response: Any, *, path: str, method: str = "get", status: int | None = None) -> None:
    """The response body is what the OpenAPI schema promises for ``method path`` and its status."""
    schema = openapi_schema()
    status = status or response.status_code
    content = schema["paths"][path][method.lower()]["responses"][str(status)]["content"]["application/json"]["schema"]
    root = {"components": _to_json_schema(schema["components"]), **_to_json_schema(content)}
    jsonschema.validate(response.json(), root)


def frozen_at(moment: Any) -> Any:
    """A ``frozen`` fixture that stops the clock at ``moment`` for the test (time_machine, no ticking)."""
    import pytest
    import time_machine

    @pytest.fixture
    def frozen() -> Any:
        with time_machine.travel(moment, tick=False) as traveller:
            yield traveller

    return frozen


def forced_make_client() -> Any:
    """A ``make_client`` fixture body whose clients skip tokens (tests that travel past a token's lifetime)."""
    from rest_framework.test import APIClient

    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


def logged_in(user: Any) -> Any:
    """A test client for the web pages, signed in as ``user`` (a session, as after the login form)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
