from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import assert_matches_schema
from apps.marketplace.models import TutorProfile, TutorStatus
from apps.marketplace.services import tutor_profile_moderate
from apps.marketplace.tests.factories import make_tutor

pytestmark = pytest.mark.django_db
ME = "/api/v1/marketplace/tutors/me/"

COMPLETE = {
    "headline": "Algebra and geometry for NMT",
    "bio": "Ten years of preparing students for the national exam.",
    "hourly_rate": "450.00",
    "currency": "UAH",
    "subjects": [
        {"subject": "algebra", "levels": ["secondary", "exam_prep"]},
        {"subject": "geometry", "levels": ["secondary"]},
    ],
    "languages": [{"code": "uk", "native": True}, {"code": "en", "proficiency": "b2"}],
}


def test_subjects_are_a_tree(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/marketplace/subjects/")
    assert response.status_code == 200
    maths = next(node for node in response.json() if node["slug"] == "mathematics")
    assert {"algebra", "geometry", "calculus"} <= {child["slug"] for child in maths["children"]}
    assert maths["name_uk"] == "Математика"
    assert_matches_schema(response, path="/api/v1/marketplace/subjects/")


def test_students_have_no_tutor_profile(student_client: APIClient) -> None:
    assert student_client.get(ME).status_code == 403
    assert student_client.patch(ME, {"headline": "x"}, format="json").status_code == 403


def test_a_tutor_starts_with_a_draft_whose_id_is_the_tutor_id(tutor_client: APIClient, tutor: Any) -> None:
    response = tutor_client.get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == tutor.pk
    assert response.json()["status"] == "draft"
    assert_matches_schema(response, path=ME)


def test_a_tutor_edits_and_publishes_the_profile(tutor_client: APIClient, tutor: Any, api_client: APIClient) -> None:
    response = tutor_client.patch(ME, {**COMPLETE, "status": "published"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "published"
    assert body["hourly_rate"] == "450.00" and body["currency"] == "UAH"
    assert body["subjects"][0] == {
        "slug": "algebra",
        "name_en": "Algebra",
        "name_uk": "Алгебра",
        "levels": ["exam_prep", "secondary"],
    }
    assert body["languages"][0] == {"code": "uk", "proficiency": "c2", "native": True}
    public = api_client.get(f"/api/v1/marketplace/tutors/{tutor.pk}/")
    assert public.status_code == 200
    assert public.json()["display_name"] == f"{tutor.first_name} {tutor.last_name[0]}."
    assert_matches_schema(public, path="/api/v1/marketplace/tutors/{tutor_id}/")


def test_publishing_an_incomplete_profile_is_refused(tutor_client: APIClient) -> None:
    response = tutor_client.patch(ME, {"headline": "Hi", "status": "published"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "profile_incomplete"
    assert set(response.json()["extra"]["missing"]) == {"bio", "hourly_rate", "subjects", "languages"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"rating_avg": "5.00"}, "rating_avg"),
        ({"lessons_completed": 1000}, "lessons_completed"),
        ({"status": "suspended"}, "status"),
        ({"hourly_rate": "-1"}, "hourly_rate"),
        ({"currency": "BTC"}, "currency"),
        ({"trial_minutes": 45}, "trial_minutes"),
        ({"languages": [{"code": "xx"}]}, "languages"),
        ({"subjects": [{"subject": "algebra", "levels": ["phd"]}]}, "subjects"),
    ],
)
def test_invalid_or_read_only_profile_fields_are_400(tutor_client: APIClient, body: dict[str, Any], field: str) -> None:
    response = tutor_client.patch(ME, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


def test_unknown_subject_is_400(tutor_client: APIClient) -> None:
    response = tutor_client.patch(ME, {"subjects": [{"subject": "alchemy", "levels": ["adult"]}]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_subject"


@pytest.mark.parametrize(
    "url", ["http://youtube.com/watch?v=1", "https://evil.example/video", "https://youtube.com.evil.example/x"]
)
def test_intro_video_must_be_an_allowed_host(tutor_client: APIClient, url: str) -> None:
    response = tutor_client.patch(ME, {"intro_video_url": url}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "video_host_not_allowed"


def test_intro_video_on_youtube_is_accepted(tutor_client: APIClient) -> None:
    response = tutor_client.patch(ME, {"intro_video_url": "https://www.youtube.com/watch?v=abc"}, format="json")
    assert response.status_code == 200


def test_draft_and_suspended_profiles_are_hidden(api_client: APIClient, make_client: Any) -> None:
    draft = make_tutor(publish=False)
    suspended = make_tutor()
    tutor_profile_moderate(profile=suspended, status=TutorStatus.SUSPENDED)
    stranger = make_client(UserFactory())
    staff = make_client(UserFactory(staff=True))
    for profile in (draft, suspended):
        url = f"/api/v1/marketplace/tutors/{profile.pk}/"
        assert api_client.get(url).status_code == 404
        assert stranger.get(url).status_code == 404
        assert make_client(profile.user).get(url).status_code == 200
        assert staff.get(url).status_code == 200
    assert api_client.get("/api/v1/marketplace/tutors/").json()["count"] == 0


def test_a_suspended_tutor_cannot_republish(make_client: Any) -> None:
    profile = make_tutor()
    tutor_profile_moderate(profile=profile, status=TutorStatus.SUSPENDED)
    response = make_client(profile.user).patch(ME, {"status": "published"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "profile_suspended"


def test_public_views_never_expose_contact_details(api_client: APIClient) -> None:
    profile = make_tutor()
    for url in ("/api/v1/marketplace/tutors/", f"/api/v1/marketplace/tutors/{profile.pk}/"):
        content = api_client.get(url).content.decode()
        assert profile.user.email not in content
        assert "email" not in content and "phone" not in content


def test_stats_are_computed_and_read_only(api_client: APIClient) -> None:
    profile = make_tutor()
    stats = api_client.get(f"/api/v1/marketplace/tutors/{profile.pk}/").json()["stats"]
    assert stats == {
        "rating_avg": None,
        "rating_count": 0,
        "lessons_completed": 0,
        "response_rate": None,
        "response_time_minutes": None,
        "member_since": profile.user.date_joined.date().isoformat(),
    }


def test_a_profile_price_is_kept_in_euros_for_comparison() -> None:
    profile = make_tutor(hourly_rate=Decimal("455.00"), currency="UAH")
    profile.refresh_from_db()
    assert profile.hourly_rate_eur == Decimal("10.000000")


def test_a_published_profile_cannot_lose_required_fields(make_client: Any) -> None:
    profile = make_tutor()
    response = make_client(profile.user).patch(ME, {"subjects": []}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "profile_incomplete"
    assert TutorProfile.objects.get(pk=profile.pk).subject_levels.count() == 1
