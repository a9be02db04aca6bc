from __future__ import annotations

from rest_framework import serializers

from apps.accounts.models import Locale, Role, User
from apps.core.api.serializers import InputSerializer, TimezoneField

PASSWORD = {"write_only": True, "max_length": 128, "trim_whitespace": False, "style": {"input_type": "password"}}


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "timezone", "locale", "is_staff", "date_joined"]
        read_only_fields = fields


class RegisterInputSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(**PASSWORD)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    timezone = TimezoneField(required=False, default="UTC")
    locale = serializers.ChoiceField(choices=Locale.choices, required=False, default=Locale.EN)


class UserUpdateInputSerializer(InputSerializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    timezone = TimezoneField(required=False)
    locale = serializers.ChoiceField(choices=Locale.choices, required=False)


class LoginInputSerializer(InputSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(**PASSWORD)


class RefreshInputSerializer(InputSerializer):
    refresh = serializers.CharField(max_length=4096)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class PasswordChangeInputSerializer(InputSerializer):
    old_password = serializers.CharField(**PASSWORD)
    new_password = serializers.CharField(**PASSWORD)


class PasswordResetInputSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmInputSerializer(InputSerializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(**PASSWORD)
