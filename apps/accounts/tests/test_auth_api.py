from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from apps.accounts.models import RefreshTokenFamily, User
from apps.accounts.services import REFRESH_REUSE_GRACE
from apps.accounts.tasks import forget_expired_tokens
from apps.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/auth/me/"
PASSWORD_CHANGE = "/api/v1/auth/password/change/"
PASSWORD_RESET = "/api/v1/auth/password/reset/"
PASSWORD_RESET_CONFIRM = "/api/v1/auth/password/reset/confirm/"


def registration(**overrides: Any) -> dict[str, Any]:
    body = {
        "email": "Maria.Petrenko@Example.test",
        "password": "a-long-enough-secret",
        "first_name": "Maria",
        "last_name": "Petrenko",
        "role": "student",
        "timezone": "Europe/Kyiv",
    }
    body.update(overrides)
    return body


def login(client: APIClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(TOKEN, {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "code", "extra"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["extra"], dict)
    if code is not None:
        assert body["code"] == code, body
    return body


def test_register_returns_the_user_without_the_password(api_client: APIClient) -> None:
    response = api_client.post(REGISTER, registration(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "maria.petrenko@example.test"
    assert body["role"] == "student"
    assert body["timezone"] == "Europe/Kyiv"
    assert "password" not in body
    assert User.objects.get(email="maria.petrenko@example.test").check_password("a-long-enough-secret")


def test_register_a_tutor(api_client: APIClient) -> None:
    response = api_client.post(REGISTER, registration(role="tutor", locale="uk"), format="json")
    assert response.status_code == 201
    assert response.json()["role"] == "tutor"
    assert response.json()["locale"] == "uk"


def test_register_refuses_a_taken_email_in_any_case(api_client: APIClient) -> None:
    UserFactory(email="maria.petrenko@example.test")
    body = assert_error(api_client.post(REGISTER, registration(), format="json"), 400, "email_taken")
    assert body["extra"]["fields"]["email"][0]["code"] == "email_taken"


@pytest.mark.parametrize("role", ["staff", "admin", "", "STUDENT"])
def test_register_refuses_an_unknown_role(api_client: APIClient, role: str) -> None:
    body = assert_error(api_client.post(REGISTER, registration(role=role), format="json"), 400, "invalid")
    assert "role" in body["extra"]["fields"]


def test_register_applies_the_password_validators(api_client: APIClient) -> None:
    body = assert_error(
        api_client.post(REGISTER, registration(password="12345678"), format="json"), 400, "weak_password"
    )
    codes = {error["code"] for error in body["extra"]["fields"]["password"]}
    assert {"password_too_common", "password_entirely_numeric"} <= codes


def test_register_refuses_an_unknown_timezone(api_client: APIClient) -> None:
    body = assert_error(api_client.post(REGISTER, registration(timezone="Mars/Olympus"), format="json"), 400)
    assert body["extra"]["fields"]["timezone"][0]["code"] == "invalid_timezone"


def test_register_refuses_unknown_and_privileged_fields(api_client: APIClient) -> None:
    body = assert_error(api_client.post(REGISTER, registration(is_staff=True), format="json"), 400, "invalid")
    assert body["extra"]["fields"]["is_staff"][0]["code"] == "unknown_field"
    assert not User.objects.exists()


def test_login_returns_a_token_pair_with_audience_and_issuer(api_client: APIClient, settings: Any) -> None:
    import jwt

    user = UserFactory(email="tutor@example.test")
    tokens = login(api_client, "TUTOR@example.test")
    claims = jwt.decode(
        tokens["access"],
        settings.SIMPLE_JWT["SIGNING_KEY"],
        algorithms=["HS256"],
        audience=settings.SIMPLE_JWT["AUDIENCE"],
        issuer=settings.SIMPLE_JWT["ISSUER"],
    )
    assert claims["user_id"] == str(user.pk)
    assert claims["token_type"] == "access"
    assert claims["exp"] - claims["iat"] == 10 * 60


def test_login_with_wrong_credentials_is_401(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    assert_error(
        api_client.post(TOKEN, {"email": "a@example.test", "password": "nope"}, format="json"),
        401,
        "invalid_credentials",
    )
    assert_error(
        api_client.post(TOKEN, {"email": "b@example.test", "password": PASSWORD}, format="json"),
        401,
        "invalid_credentials",
    )


def test_inactive_user_cannot_log_in(api_client: APIClient) -> None:
    UserFactory(email="gone@example.test", is_active=False)
    assert_error(api_client.post(TOKEN, {"email": "gone@example.test", "password": PASSWORD}, format="json"), 401)


def test_refresh_rotates_and_a_used_refresh_token_is_refused(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    first = login(api_client, "a@example.test")
    response = api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")
    assert response.status_code == 200
    second = response.json()
    assert set(second) == {"access", "refresh"}
    assert second["refresh"] != first["refresh"]
    assert_error(api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json"), 401, "token_not_valid")
    assert api_client.post(REFRESH, {"refresh": second["refresh"]}, format="json").status_code == 200


def test_a_refresh_token_reused_after_the_grace_period_revokes_its_login_only(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    laptop = login(api_client, "a@example.test")
    phone = login(api_client, "a@example.test")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        stolen = laptop["refresh"]
        rotated = api_client.post(REFRESH, {"refresh": stolen}, format="json").json()
        again = api_client.post(REFRESH, {"refresh": rotated["refresh"]}, format="json").json()
        clock.shift(REFRESH_REUSE_GRACE + timedelta(seconds=1))
        assert_error(api_client.post(REFRESH, {"refresh": stolen}, format="json"), 401, "token_not_valid")
        # the laptop's whole family is revoked, its newest token included
        assert_error(api_client.post(REFRESH, {"refresh": again["refresh"]}, format="json"), 401, "token_not_valid")
        # another login of the same person is untouched
        assert api_client.post(REFRESH, {"refresh": phone["refresh"]}, format="json").status_code == 200


def test_a_refresh_token_reused_within_the_grace_period_revokes_nothing(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    tokens = login(api_client, "a@example.test")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        rotated = api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").json()
        clock.shift(REFRESH_REUSE_GRACE - timedelta(seconds=1))  # a second tab refreshing at the same time
        assert_error(api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401, "token_not_valid")
        assert api_client.post(REFRESH, {"refresh": rotated["refresh"]}, format="json").status_code == 200


def test_a_forged_refresh_token_revokes_nothing(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    tokens = login(api_client, "a@example.test")
    header, payload, _ = tokens["refresh"].split(".")
    assert_error(api_client.post(REFRESH, {"refresh": f"{header}.{payload}.forged"}, format="json"), 401)
    assert api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code == 200


def test_expired_refresh_tokens_are_forgotten_daily(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    old = login(api_client, "a@example.test")
    api_client.post(REFRESH, {"refresh": old["refresh"]}, format="json")
    with time_machine.travel(timezone.now() + timedelta(days=365), tick=False):
        current = login(api_client, "a@example.test")
        assert forget_expired_tokens() == 2  # the first login's two tokens
        assert OutstandingToken.objects.count() == 1
        assert RefreshTokenFamily.objects.count() == 1
        assert api_client.post(REFRESH, {"refresh": current["refresh"]}, format="json").status_code == 200


def test_an_access_token_is_not_a_refresh_token(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    tokens = login(api_client, "a@example.test")
    assert_error(api_client.post(REFRESH, {"refresh": tokens["access"]}, format="json"), 401, "token_not_valid")


def test_refresh_token_expires_after_its_lifetime(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    tokens = login(api_client, "a@example.test")
    with time_machine.travel("2099-01-01", tick=False):
        assert_error(api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401, "token_not_valid")


def test_logout_blacklists_the_refresh_token(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    tokens = login(api_client, "a@example.test")
    assert api_client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 204
    assert_error(api_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json"), 401, "token_not_valid")


def test_logout_with_a_garbage_token_is_401(api_client: APIClient) -> None:
    assert_error(api_client.post(LOGOUT, {"refresh": "not-a-jwt"}, format="json"), 401, "token_not_valid")


def test_me_needs_a_token(api_client: APIClient) -> None:
    response = api_client.get(ME)
    assert_error(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_me_refuses_a_token_for_another_audience(api_client: APIClient, settings: Any) -> None:
    import jwt

    user = UserFactory()
    forged = jwt.encode(
        {"user_id": str(user.pk), "token_type": "access", "jti": "x", "exp": 4102444800, "aud": "classroom"},
        settings.SIMPLE_JWT["SIGNING_KEY"],
        algorithm="HS256",
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert_error(api_client.get(ME), 401, "token_not_valid")


def test_me_shows_and_updates_the_profile(student_client: APIClient, student: User) -> None:
    assert student_client.get(ME).json()["email"] == student.email
    response = student_client.patch(
        ME, {"first_name": "Iryna", "timezone": "America/New_York", "locale": "uk"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Iryna"
    student.refresh_from_db()
    assert (student.first_name, student.timezone, student.locale) == ("Iryna", "America/New_York", "uk")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"role": "tutor"}, "role"),
        ({"email": "x@example.test"}, "email"),
        ({"timezone": "Nowhere"}, "timezone"),
        ({"locale": "fr"}, "locale"),
    ],
)
def test_me_refuses_read_only_and_invalid_changes(
    student_client: APIClient, student: User, body: dict[str, str], field: str
) -> None:
    error = assert_error(student_client.patch(ME, body, format="json"), 400)
    assert field in error["extra"]["fields"]
    student.refresh_from_db()
    assert student.role == "student"


def test_password_change_revokes_other_sessions_and_returns_new_tokens(api_client: APIClient) -> None:
    UserFactory(email="a@example.test")
    old = login(api_client, "a@example.test")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {old['access']}")
    response = api_client.post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password": "another-long-secret"}, format="json"
    )
    assert response.status_code == 200
    fresh = response.json()
    api_client.credentials()
    assert_error(api_client.post(REFRESH, {"refresh": old["refresh"]}, format="json"), 401)
    assert api_client.post(REFRESH, {"refresh": fresh["refresh"]}, format="json").status_code == 200
    login(api_client, "a@example.test", "another-long-secret")


def test_password_change_checks_the_old_password(student_client: APIClient) -> None:
    body = assert_error(
        student_client.post(
            PASSWORD_CHANGE, {"old_password": "wrong", "new_password": "another-long-secret"}, format="json"
        ),
        400,
        "wrong_password",
    )
    assert "old_password" in body["extra"]["fields"]


def _reset_link_parts() -> tuple[str, str]:
    assert len(mail.outbox) == 1
    match = re.search(r"uid=([\w-]+)&token=([\w-]+)", mail.outbox[0].body)
    assert match
    return match.group(1), match.group(2)


def test_password_reset_by_emailed_token(api_client: APIClient, django_capture_on_commit_callbacks: Any) -> None:
    UserFactory(email="a@example.test")
    old = login(api_client, "a@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(PASSWORD_RESET, {"email": "A@example.test"}, format="json").status_code == 202
    uid, token = _reset_link_parts()
    assert mail.outbox[0].to == ["a@example.test"]
    body = {"uid": uid, "token": token, "new_password": "brand-new-secret-1"}
    assert api_client.post(PASSWORD_RESET_CONFIRM, body, format="json").status_code == 204
    login(api_client, "a@example.test", "brand-new-secret-1")
    assert_error(api_client.post(REFRESH, {"refresh": old["refresh"]}, format="json"), 401)
    # the token works once
    body["new_password"] = "yet-another-secret-2"
    assert_error(api_client.post(PASSWORD_RESET_CONFIRM, body, format="json"), 400, "invalid_reset_token")


def test_password_reset_does_not_reveal_unknown_addresses(
    api_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(PASSWORD_RESET, {"email": "nobody@example.test"}, format="json").status_code == 202
    assert mail.outbox == []


@pytest.mark.parametrize("uid", ["", "@@@", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODk", "eA"])
def test_password_reset_confirm_with_a_bad_uid_is_400(api_client: APIClient, uid: str) -> None:
    response = api_client.post(
        PASSWORD_RESET_CONFIRM, {"uid": uid, "token": "abc-def", "new_password": "brand-new-secret-1"}, format="json"
    )
    assert_error(response, 400)


def test_auth_endpoints_are_rate_limited(api_client: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"auth": "3/min", "password_reset": "3/min"})
    for _ in range(3):
        api_client.post(TOKEN, {"email": "a@example.test", "password": "x"}, format="json")
    response = api_client.post(TOKEN, {"email": "a@example.test", "password": "x"}, format="json")
    body = assert_error(response, 429, "throttled")
    assert body["extra"]["retry_after"] > 0
    assert int(response.headers["Retry-After"]) > 0
