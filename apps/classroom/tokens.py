"""ClassroomTokenService: short-lived JWTs that let one participant into one classroom.

They are signed with their own key and carry audience ``classroom``, so the REST API refuses them (its
tokens have audience ``m4sh-api`` and another key) and the classroom sockets refuse REST tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime

import jwt
from django.conf import settings
from django.utils import timezone

AUDIENCE = "classroom"
ALGORITHM = "HS256"
LEEWAY_SECONDS = 30


class ClassroomTokenError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ClassroomClaims:
    user_id: int
    session_id: int
    role: str
    jti: str


class ClassroomTokenService:
    @staticmethod
    def signing_key() -> str:
        configured: str = settings.CLASSROOM_TOKEN_KEY
        if configured:
            return configured
        return hmac.new(settings.SECRET_KEY.encode(), b"m4sh.classroom-token", hashlib.sha256).hexdigest()

    @classmethod
    def issue(cls, *, user_id: int, session_id: int, role: str, not_before: datetime, expires: datetime) -> str:
        now = timezone.now()
        claims = {
            "iss": settings.PUBLIC_URL,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "sid": session_id,
            "role": role,
            "iat": int(now.timestamp()),
            "nbf": int(not_before.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, cls.signing_key(), algorithm=ALGORITHM)

    @classmethod
    def verify(cls, token: str) -> ClassroomClaims:
        """The token's claims; raises ClassroomTokenError with ``token_expired``, ``token_not_yet_valid``
        or ``token_invalid``."""
        try:
            claims = jwt.decode(
                token,
                cls.signing_key(),
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=settings.PUBLIC_URL,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "nbf", "sub", "aud", "jti"]},
            )
            return ClassroomClaims(
                user_id=int(claims["sub"]), session_id=int(claims["sid"]), role=str(claims["role"]), jti=claims["jti"]
            )
        except jwt.ExpiredSignatureError as exc:
            raise ClassroomTokenError("token_expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise ClassroomTokenError("token_not_yet_valid") from exc
        except (jwt.InvalidTokenError, KeyError, TypeError, ValueError) as exc:
            raise ClassroomTokenError("token_invalid") from exc
