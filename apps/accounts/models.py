from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone

from apps.core.validators import validate_timezone


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    TUTOR = "tutor", "Tutor"


class Locale(models.TextChoices):
    UK = "uk", "Українська"
    EN = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person on M4SH: a student or a tutor (staff are flagged through the admin)."""

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    locale = models.CharField(max_length=2, choices=Locale.choices, default=Locale.EN)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_tutor(self) -> bool:
        return self.role == Role.TUTOR


class RefreshTokenFamily(models.Model):
    """The login a refresh token descends from. Rotation hands the family on to the new token; presenting
    a token that was already rotated away (a stolen copy, or the victim after the thief) revokes the whole
    family, as the OAuth 2.0 security best practice (RFC 9700, 4.14.2) recommends."""

    token = models.OneToOneField(
        "token_blacklist.OutstandingToken",
        to_field="jti",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="family",
    )
    family = models.UUIDField(db_index=True)

    def __str__(self) -> str:
        return f"{self.token_id} in {self.family}"
