"""Every API error has one shape: {"message": str, "code": str, "extra": {...}}."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from apps.core.api.permissions import IsTutor
from apps.core.exceptions import ConflictError, NotFoundError

pytestmark = pytest.mark.django_db


def assert_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    response.render() if hasattr(response, "render") and not response.is_rendered else None
    body = response.json() if hasattr(response, "json") else response.data
    assert set(body) == {"message", "code", "extra"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert body["code"] == code, body
    assert isinstance(body["extra"], dict)
    return body


class TutorOnlyView(APIView):
    permission_classes = [IsTutor]

    def get(self, request: Request) -> Response:
        return Response({})


class ConflictView(APIView):
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        raise ConflictError("The slot is already held.", code="slot_unavailable", extra={"slot": "x"})


class MissingView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise NotFoundError()


def _call(view: type[APIView], method: str, user: Any = None) -> Response:
    request = getattr(APIRequestFactory(), method)("/api/v1/test/", {}, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    response = view.as_view()(request)
    response.render()
    return response


def test_malformed_json_is_400(api_client: APIClient) -> None:
    response = api_client.generic("POST", "/api/v1/auth/token/", b'{"email": ', content_type="application/json")
    assert_shape(response, 400, "malformed_request")


def test_a_json_body_that_is_not_an_object_is_400(api_client: APIClient) -> None:
    body = assert_shape(api_client.post("/api/v1/auth/token/", [1, 2], format="json"), 400, "invalid")
    assert "non_field_errors" in body["extra"]["fields"]


def test_wrong_types_are_400_with_field_details(api_client: APIClient) -> None:
    body = assert_shape(
        api_client.post(
            "/api/v1/auth/register/", {"email": 5, "password": [], "first_name": {}, "role": 1}, format="json"
        ),
        400,
        "invalid",
    )
    assert {"email", "password", "first_name", "last_name", "role"} <= set(body["extra"]["fields"])
    assert all("code" in e for e in body["extra"]["fields"]["email"])


def test_unsupported_media_type_is_415(api_client: APIClient) -> None:
    response = api_client.generic(
        "POST", "/api/v1/auth/token/", b"email=a", content_type="application/x-www-form-urlencoded"
    )
    assert_shape(response, 415, "unsupported_media_type")


def test_not_authenticated_is_401(api_client: APIClient) -> None:
    assert_shape(api_client.get("/api/v1/auth/me/"), 401, "not_authenticated")


def test_forbidden_is_403(student: Any) -> None:
    assert_shape(_call(TutorOnlyView, "get", user=student), 403, "permission_denied")


def test_unknown_api_path_is_404_json(api_client: APIClient) -> None:
    assert_shape(api_client.get("/api/v1/nothing-here/"), 404, "not_found")


def test_an_id_too_large_for_the_database_is_404_not_500(api_client: APIClient) -> None:
    assert_shape(api_client.get("/api/v1/auth/me/99999999999999999999999/"), 404, "not_found")


def test_domain_not_found_is_404() -> None:
    assert_shape(_call(MissingView, "get"), 404, "not_found")


def test_wrong_method_is_405(api_client: APIClient) -> None:
    assert_shape(api_client.get("/api/v1/auth/token/"), 405, "method_not_allowed")


def test_state_conflict_is_409_with_its_code() -> None:
    body = assert_shape(_call(ConflictView, "post"), 409, "slot_unavailable")
    assert body["extra"] == {"slot": "x"}


def test_non_api_pages_keep_html_errors(api_client: APIClient) -> None:
    response = api_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
