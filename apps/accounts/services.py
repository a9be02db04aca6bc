"""Account writes: registration, profile, passwords and the JWT session lifecycle."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone as dj_timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from apps.accounts.models import Locale, RefreshTokenFamily, Role, User, UserManager
from apps.accounts.selectors import user_get_active_by_email
from apps.accounts.signals import user_name_changed
from apps.core.exceptions import AuthenticationError, InvalidInputError

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("first_name", "last_name", "timezone", "locale")
# A rotated refresh token presented again within this time is a client racing itself (two tabs refreshing
# at once): refused, nothing more. Later, it is a copy in someone else's hands: its family is revoked.
REFRESH_REUSE_GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def _check_password_rules(password: str, *, user: User, field: str) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInputError(
            "The password is too weak.",
            code="weak_password",
            extra={
                "fields": {field: [{"message": m.message % (m.params or {}), "code": m.code} for m in exc.error_list]}
            },
        ) from exc


def _full_clean(user: User, *, exclude: list[str]) -> None:
    try:
        user.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        fields = {
            name: [{"message": e.message % (e.params or {}), "code": e.code or "invalid"} for e in errors]
            for name, errors in exc.error_dict.items()
        }
        raise InvalidInputError("Invalid input.", code="invalid", extra={"fields": fields}) from exc


def user_create(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    timezone: str = "UTC",
    locale: str = Locale.EN,
) -> User:
    """Register a student or a tutor. Staff are made through the admin, never here."""
    if role not in (Role.STUDENT, Role.TUTOR):
        raise InvalidInputError.for_field("role", "Role must be student or tutor.", code="invalid_role")
    user = User(
        email=UserManager.normalize_email(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        timezone=timezone,
        locale=locale,
    )
    _full_clean(user, exclude=["password"])
    _check_password_rules(password, user=user, field="password")
    user.set_password(password)
    try:
        with transaction.atomic():
            if User.objects.filter(email=user.email).exists():
                raise IntegrityError("email taken")
            user.save()
    except IntegrityError as exc:
        raise InvalidInputError.for_field(
            "email", "An account with this e-mail already exists.", code="email_taken"
        ) from exc
    return user


def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Change the user's own profile fields (names, time zone, locale)."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInputError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.", code="read_only")
    renamed = any(name in data and data[name] != getattr(user, name) for name in ("first_name", "last_name"))
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(user, name, data[name])
    _full_clean(user, exclude=[f.name for f in User._meta.fields if f.name not in data])
    user.save(update_fields=[name for name in PROFILE_FIELDS if name in data])
    if renamed:
        user_id = user.pk
        transaction.on_commit(lambda: user_name_changed.send(sender=User, user_id=user_id))
    return user


def token_pair_issue(*, user: User, family: uuid.UUID | None = None) -> TokenPair:
    """A new access and refresh token; the refresh token starts a family (a login) or joins ``family``."""
    refresh = RefreshToken.for_user(user)  # also records it as outstanding, so it can be blacklisted
    RefreshTokenFamily.objects.create(token_id=refresh[jwt_settings.JTI_CLAIM], family=family or uuid.uuid4())
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def auth_login(*, email: str, password: str) -> TokenPair:
    user = authenticate(email=UserManager.normalize_email(email), password=password)
    if not isinstance(user, User):
        raise AuthenticationError("No active account found with these credentials.", code="invalid_credentials")
    update_last_login(User, user)
    return token_pair_issue(user=user)


def _token_not_valid() -> AuthenticationError:
    return AuthenticationError("The refresh token is invalid, expired or already used.", code="token_not_valid")


def _verified_refresh(raw: str) -> RefreshToken:
    """The refresh token, if it is genuine, current and not used; reuse of a used one is dealt with."""
    try:
        return RefreshToken(raw)  # type: ignore[arg-type]  # signature, expiry, audience, issuer, blacklist
    except TokenError as exc:
        _revoke_family_on_reuse(raw)
        raise _token_not_valid() from exc


def auth_refresh(*, refresh: str) -> TokenPair:
    """Rotate a refresh token: the presented one is blacklisted and a new pair of the same family is issued.

    The outstanding-token row is locked so that two concurrent uses of one token cannot both succeed. A
    token presented again more than ``REFRESH_REUSE_GRACE`` after it was rotated away revokes its family.
    """
    token = _verified_refresh(refresh)
    jti = token[jwt_settings.JTI_CLAIM]
    with transaction.atomic():
        outstanding = OutstandingToken.objects.select_for_update().filter(jti=jti).first()
        if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            raise _token_not_valid()  # used by a concurrent request a moment ago: within the grace period
        user = User.objects.filter(pk=token[jwt_settings.USER_ID_CLAIM], is_active=True).first()
        if user is None:
            raise AuthenticationError("The account is no longer active.", code="inactive_account")
        BlacklistedToken.objects.create(token=outstanding)
        family = RefreshTokenFamily.objects.filter(token_id=jti).values_list("family", flat=True).first()
        return token_pair_issue(user=user, family=family)


def _revoke_family_on_reuse(raw: str) -> None:
    """If ``raw`` is a genuine refresh token rotated away (or logged out) more than ``REFRESH_REUSE_GRACE``
    ago, someone holds a copy: blacklist every token of its family, so that neither holder can go on."""
    try:
        claims = token_backend.decode(raw, verify=True)  # type: ignore[arg-type]  # signature, expiry, audience, issuer
    except TokenBackendError:
        return
    if claims.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh":
        return
    jti = claims.get(jwt_settings.JTI_CLAIM)
    used_at = BlacklistedToken.objects.filter(token__jti=jti).values_list("blacklisted_at", flat=True).first()
    if used_at is None or used_at > dj_timezone.now() - REFRESH_REUSE_GRACE:
        return
    family = RefreshTokenFamily.objects.filter(token_id=jti).values_list("family", flat=True).first()
    if family is None:
        return
    revoked = _blacklist(OutstandingToken.objects.filter(family__family=family))
    logger.warning(
        "refresh token reused: family %s of user %s revoked (%d live tokens)",
        family,
        claims.get(jwt_settings.USER_ID_CLAIM),
        revoked,
    )


def auth_logout(*, refresh: str) -> None:
    """End a session: the refresh token can no longer be used (access tokens expire within minutes)."""
    _verified_refresh(refresh).blacklist()


def user_tokens_revoke_all(*, user: User) -> int:
    """Blacklist every refresh token the user still holds; returns how many."""
    return _blacklist(OutstandingToken.objects.filter(user=user))


def _blacklist(tokens: QuerySet[OutstandingToken]) -> int:
    """Blacklist those of ``tokens`` that are not yet; returns how many."""
    live = tokens.filter(blacklistedtoken__isnull=True)
    return len(BlacklistedToken.objects.bulk_create([BlacklistedToken(token=t) for t in live], ignore_conflicts=True))


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> TokenPair:
    """Change the password, sign out every other session and return a fresh pair for this one."""
    if not user.check_password(old_password):
        raise InvalidInputError.for_field("old_password", "The current password is wrong.", code="wrong_password")
    _check_password_rules(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke_all(user=user)
    return token_pair_issue(user=user)


def password_reset_request(*, email: str) -> None:
    """E-mail a one-time reset link if an active account has this address; silent otherwise."""
    user = user_get_active_by_email(email=email)
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.PUBLIC_URL}/reset-password/?uid={uid}&token={token}"
    body = (
        f"Hello {user.first_name},\n\n"
        f"Someone asked to reset the password of your M4SH account. To choose a new one, open:\n{link}\n\n"
        f"Or send uid={uid} and token={token} to POST /api/v1/auth/password/reset/confirm/.\n"
        "If it was not you, ignore this message: your password stays as it is."
    )
    recipient = user.email
    transaction.on_commit(lambda: send_mail("Reset your M4SH password", body, settings.DEFAULT_FROM_EMAIL, [recipient]))


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    """Set a new password from an e-mailed token; the token works once and every session is ended."""
    invalid = InvalidInputError("The reset link is invalid or has expired.", code="invalid_reset_token")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError) as exc:
        raise invalid from exc
    if not 0 < user_id < 2**63:
        raise invalid
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid
    _check_password_rules(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user_tokens_revoke_all(user=user)


def refresh_tokens_forget_expired() -> int:
    """Delete the records of refresh tokens past their expiry (with their blacklist entries and families):
    their own expiry already refuses them. Returns how many tokens were forgotten."""
    _, deleted = OutstandingToken.objects.filter(expires_at__lte=dj_timezone.now()).delete()
    return deleted.get(OutstandingToken._meta.label, 0)
