"""Auth API: one thin view per operation; the rules live in ``apps.accounts.services``."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from apps.accounts import services
from apps.accounts.api import serializers as s

TAGS = ["auth"]


class PublicAuthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(PublicAuthView):
    @extend_schema(tags=TAGS, request=s.RegisterInputSerializer, responses={201: s.UserSerializer})
    def post(self, request: Request) -> Response:
        data = s.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(**data.validated_data)
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainView(PublicAuthView):
    @extend_schema(tags=TAGS, request=s.LoginInputSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request: Request) -> Response:
        data = s.LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.auth_login(**data.validated_data)
        return Response(asdict(pair))


class TokenRefreshView(PublicAuthView):
    @extend_schema(tags=TAGS, request=s.RefreshInputSerializer, responses={200: s.TokenPairSerializer})
    def post(self, request: Request) -> Response:
        data = s.RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(asdict(services.auth_refresh(refresh=data.validated_data["refresh"])))


class LogoutView(PublicAuthView):
    @extend_schema(tags=TAGS, request=s.RefreshInputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = s.RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.auth_logout(refresh=data.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: s.UserSerializer})
    def get(self, request: Request) -> Response:
        return Response(s.UserSerializer(request.user).data)

    @extend_schema(tags=TAGS, request=s.UserUpdateInputSerializer, responses={200: s.UserSerializer})
    def patch(self, request: Request) -> Response:
        data = s.UserUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, data=dict(data.validated_data))  # type: ignore[arg-type]
        return Response(s.UserSerializer(user).data)


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=s.PasswordChangeInputSerializer,
        responses={200: s.TokenPairSerializer},
        description="Changes the password, ends every other session and returns a new token pair.",
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.user_password_change(user=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(asdict(pair))


class PasswordResetView(PublicAuthView):
    throttle_scope = "password_reset"

    @extend_schema(
        tags=TAGS,
        request=s.PasswordResetInputSerializer,
        responses={202: None},
        description="Always 202, whether or not the address has an account (no account enumeration).",
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordResetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(email=data.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicAuthView):
    @extend_schema(tags=TAGS, request=s.PasswordResetConfirmInputSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = s.PasswordResetConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
