"""The OpenAPI schema is the contract: every API URL is in it, with its errors documented."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient


def _api_routes(patterns: list[Any], prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return routes


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_api_url_is_in_the_schema(schema: dict[str, Any]) -> None:
    missing = _api_routes(get_resolver().url_patterns) - set(schema["paths"])
    assert not missing, f"URLs missing from the OpenAPI schema: {sorted(missing)}"


def test_every_operation_documents_its_errors_in_the_error_shape(schema: dict[str, Any]) -> None:
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"message", "code", "extra"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code for code in operation["responses"] if code.startswith(("4", "5"))}
            if method in {"post", "put", "patch"}:
                assert "400" in errors, (method, path)
            if "{" in path:
                assert "404" in errors, (method, path)
            if operation.get("security") and {} not in operation["security"]:
                assert {"401", "403"} <= errors, (method, path)


@pytest.mark.django_db
def test_schema_and_docs_are_served(api_client: APIClient) -> None:
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_schema_generates_without_warnings(tmp_path: Any) -> None:
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
