"""No input reaches a 500: random JSON bodies, query strings and path ids on every operation of the schema."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.services import token_pair_issue
from apps.accounts.tests.factories import UserFactory

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)
IDS = st.sampled_from(["1", "0", "999999999999999999", "-1", "abc", "1.5", "%00", "9" * 30])


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper(), operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


OPERATIONS = _operations()


def _body_for(operation: dict[str, Any], draw: Any) -> Any:
    """Either random JSON, or the operation's own fields with random values (wrong types, extra keys)."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    if ref and draw(st.booleans()):
        name = ref.rsplit("/", 1)[-1]
        fields = SCHEMAS.get(name, {}).get("properties", {})
        return {key: draw(JSON) for key in fields if draw(st.booleans())} | draw(
            st.dictionaries(st.text(max_size=8), JSON, max_size=2)
        )
    return draw(JSON)


SCHEMAS = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_no_input_gives_a_server_error(data: st.DataObject) -> None:
    path, method, operation = data.draw(st.sampled_from(OPERATIONS))
    url = re.sub(r"\{[^}]+\}", lambda _: data.draw(IDS), path)
    query = data.draw(
        st.dictionaries(
            st.sampled_from(["page", "page_size", "q", "start", "end", "status"]), st.text(max_size=10), max_size=3
        )
    )
    client = Client(raise_request_exception=False)
    headers: dict[str, str] = {}
    if data.draw(st.booleans()):
        user = UserFactory(role=data.draw(st.sampled_from(["student", "tutor"])))
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_pair_issue(user=user).access}"
    if data.draw(st.booleans()):
        body: Any = data.draw(st.binary(max_size=30))
    else:
        body = json.dumps(_body_for(operation, data.draw))
    if method == "GET":
        response = client.get(url, query, **headers)
    else:
        target = f"{url}?{urlencode(query)}" if query else url
        response = client.generic(method, target, body, content_type="application/json", **headers)
    assert response.status_code < 500, (method, url, body, response.content[:500])
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
        assert set(response.json()) == {"message", "code", "extra"}, response.content
