"""Writes to tutor profiles: the tutor's own edits, staff moderation, exchange rates, search documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.core.exceptions import ConflictError, InvalidInputError, PermissionDeniedError
from apps.marketplace.languages import is_language_code
from apps.marketplace.models import (
    LESSON_DURATIONS,
    Currency,
    ExchangeRate,
    Level,
    Subject,
    TutorLanguage,
    TutorProfile,
    TutorStatus,
    TutorSubject,
)
from apps.marketplace.selectors.catalogue import catalogue_cache_clear, exchange_rates, subjects_by_slug
from apps.marketplace.services.stats import tutor_ranking_refresh

SCALAR_FIELDS = (
    "headline",
    "bio",
    "hourly_rate",
    "currency",
    "trial_price",
    "trial_minutes",
    "intro_video_url",
    "education",
    "experience",
    "experience_years",
    "accepting_students",
)
VIDEO_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com"}
MAX_SUBJECTS = 20
MAX_LANGUAGES = 10


def _check_video_url(url: str) -> None:
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "") not in VIDEO_HOSTS:
        raise InvalidInputError.for_field(
            "intro_video_url",
            "The intro video must be an https link to YouTube or Vimeo.",
            code="video_host_not_allowed",
        )


def _check_scalars(data: dict[str, Any]) -> None:
    if "intro_video_url" in data:
        _check_video_url(data["intro_video_url"])
    if data.get("trial_minutes") not in (None, *LESSON_DURATIONS):
        raise InvalidInputError.for_field(
            "trial_minutes", f"Trial lessons last one of {list(LESSON_DURATIONS)} minutes.", code="invalid_duration"
        )
    if "currency" in data and data["currency"] not in Currency.values:
        raise InvalidInputError.for_field("currency", "Unsupported currency.", code="unknown_currency")


def _replace_subjects(profile: TutorProfile, entries: list[dict[str, Any]]) -> None:
    if len(entries) > MAX_SUBJECTS:
        raise InvalidInputError.for_field("subjects", f"At most {MAX_SUBJECTS} subjects.", code="too_many")
    ids = subjects_by_slug([entry["subject"] for entry in entries])
    unknown = sorted({entry["subject"] for entry in entries} - set(ids))
    if unknown:
        raise InvalidInputError.for_field(
            "subjects", f"Unknown subjects: {', '.join(unknown)}.", code="unknown_subject"
        )
    rows = {(ids[entry["subject"]], level) for entry in entries for level in entry["levels"]}
    if any(level not in Level.values for _, level in rows):
        raise InvalidInputError.for_field("subjects", "Unknown level.", code="invalid_level")
    TutorSubject.objects.filter(tutor=profile).delete()
    TutorSubject.objects.bulk_create(
        [TutorSubject(tutor=profile, subject_id=subject_id, level=level) for subject_id, level in sorted(rows)]
    )


def _replace_languages(profile: TutorProfile, entries: list[dict[str, Any]]) -> None:
    if len(entries) > MAX_LANGUAGES:
        raise InvalidInputError.for_field("languages", f"At most {MAX_LANGUAGES} languages.", code="too_many")
    codes = [entry["code"] for entry in entries]
    if len(set(codes)) != len(codes):
        raise InvalidInputError.for_field("languages", "Each language once.", code="duplicate_language")
    bad = [code for code in codes if not is_language_code(code)]
    if bad:
        raise InvalidInputError.for_field(
            "languages", f"Not ISO 639-1 codes: {', '.join(bad)}.", code="invalid_language"
        )
    TutorLanguage.objects.filter(tutor=profile).delete()
    TutorLanguage.objects.bulk_create(
        [
            TutorLanguage(
                tutor=profile, code=e["code"], proficiency=e.get("proficiency", "c2"), is_native=e.get("native", False)
            )
            for e in entries
        ]
    )


def _missing_for_publication(profile: TutorProfile) -> list[str]:
    missing = [name for name in ("headline", "bio", "hourly_rate") if not getattr(profile, name)]
    if not TutorSubject.objects.filter(tutor=profile).exists():
        missing.append("subjects")
    if not TutorLanguage.objects.filter(tutor=profile).exists():
        missing.append("languages")
    return missing


def _change_status(profile: TutorProfile, status: str) -> None:
    if status == profile.status:
        return
    if profile.status == TutorStatus.SUSPENDED:
        raise ConflictError("This profile is suspended by staff.", code="profile_suspended")
    if status not in (TutorStatus.DRAFT, TutorStatus.PUBLISHED):
        raise PermissionDeniedError("Only staff can suspend a profile.", code="status_not_allowed")
    if status == TutorStatus.PUBLISHED:
        missing = _missing_for_publication(profile)
        if missing:
            raise InvalidInputError(
                "Complete the profile before publishing it.", code="profile_incomplete", extra={"missing": missing}
            )
        profile.published_at = profile.published_at or timezone.now()
    profile.status = status


def tutor_profile_get_or_create(*, user: User) -> TutorProfile:
    """The tutor's own profile, created as a draft the first time it is asked for."""
    if not user.is_tutor:
        raise PermissionDeniedError("Only tutors have a tutor profile.", code="not_a_tutor")
    profile, created = TutorProfile.objects.get_or_create(user=user)
    if created:
        tutor_search_documents_refresh(tutor_ids=[profile.pk])
    return profile


@transaction.atomic
def tutor_profile_update(*, user: User, data: dict[str, Any]) -> TutorProfile:
    """Apply the tutor's edits: scalar fields, subjects with levels, languages and draft/published status."""
    tutor_profile_get_or_create(user=user)
    profile = TutorProfile.objects.select_for_update().get(pk=user.pk)
    _check_scalars(data)
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    if "subjects" in data:
        _replace_subjects(profile, data["subjects"])
    if "languages" in data:
        _replace_languages(profile, data["languages"])
    if "status" in data:
        _change_status(profile, data["status"])
    elif profile.status == TutorStatus.PUBLISHED and _missing_for_publication(profile):
        raise InvalidInputError("A published profile cannot lose required fields.", code="profile_incomplete")
    profile.hourly_rate_eur = _in_eur(profile.hourly_rate, profile.currency)
    profile.save()
    tutor_search_documents_refresh(tutor_ids=[profile.pk])
    tutor_ranking_refresh(tutor_id=profile.pk)
    return profile


def _in_eur(amount: Decimal | None, currency: str) -> Decimal | None:
    if amount is None:
        return None
    return (amount / exchange_rates()[currency]).quantize(Decimal("0.000001"))


@transaction.atomic
def tutor_profile_moderate(*, profile: TutorProfile, status: str) -> TutorProfile:
    """Staff suspend a profile (hidden from search and profile pages) or lift the suspension (back to draft)."""
    if status not in (TutorStatus.SUSPENDED, TutorStatus.DRAFT):
        raise InvalidInputError("Staff can suspend a profile or return it to draft.", code="status_not_allowed")
    TutorProfile.objects.filter(pk=profile.pk).update(status=status)
    profile.refresh_from_db()
    return profile


@transaction.atomic
def exchange_rate_set(*, currency: str, per_eur: Decimal) -> ExchangeRate:
    """Store a new rate and re-price, in one statement, every tutor who charges in that currency."""
    if currency not in Currency.values:
        raise InvalidInputError.for_field("currency", "Unsupported currency.", code="unknown_currency")
    if per_eur <= 0:
        raise InvalidInputError.for_field("per_eur", "A rate must be positive.", code="invalid_rate")
    rate, _ = ExchangeRate.objects.update_or_create(currency=currency, defaults={"per_eur": per_eur})
    TutorProfile.objects.filter(currency=currency, hourly_rate__isnull=False).update(
        hourly_rate_eur=F("hourly_rate") / per_eur
    )
    transaction.on_commit(catalogue_cache_clear)
    return rate


def tutor_search_documents_refresh(*, tutor_ids: list[int]) -> None:
    """Rebuild the search texts (and on PostgreSQL the weighted tsvector) of these tutors."""
    names = {pk: f"{en} {uk}" for pk, en, uk in Subject.objects.values_list("id", "name_en", "name_uk")}
    subjects: dict[int, set[int]] = {}
    for tutor_id, subject_id in TutorSubject.objects.filter(tutor_id__in=tutor_ids).values_list(
        "tutor_id", "subject_id"
    ):
        subjects.setdefault(tutor_id, set()).add(subject_id)
    profiles = TutorProfile.objects.filter(pk__in=tutor_ids).select_related("user")
    for profile in profiles:
        subject_names = " ".join(names[s] for s in sorted(subjects.get(profile.pk, ())))
        profile.search_text = " ".join(
            [profile.user.first_name, profile.user.last_name, profile.headline, subject_names]
        ).lower()
        profile.search_text_extra = " ".join([profile.bio, profile.education, profile.experience]).lower()
    TutorProfile.objects.bulk_update(profiles, ["search_text", "search_text_extra"])
    if connection.vendor == "postgresql":
        TutorProfile.objects.filter(pk__in=tutor_ids).update(
            search_document=SearchVector("search_text", weight="A", config="simple")
            + SearchVector("search_text_extra", weight="C", config="simple")
        )
