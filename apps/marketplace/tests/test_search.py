"""Students find tutors by every filter, alone and combined; bad filters are 400s; queries stay bounded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.tests.factories import UserFactory
from apps.core.testing import assert_matches_schema
from apps.marketplace.models import TutorProfile
from apps.marketplace.services import exchange_rate_set, tutor_lessons_completed_add
from apps.marketplace.services.stats import tutor_ranking_refresh
from apps.marketplace.tests.factories import make_tutor

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/marketplace/tutors/"


def ids(client: APIClient, **params: Any) -> list[int]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def tutors() -> dict[str, TutorProfile]:
    return {
        "algebra": make_tutor(
            user=UserFactory(tutor=True, first_name="Oksana", last_name="Bondar"),
            headline="Algebra for the national exam",
            subjects=[{"subject": "algebra", "levels": ["exam_prep", "secondary"]}],
            languages=[{"code": "uk", "native": True}, {"code": "en", "proficiency": "b2"}],
            hourly_rate=Decimal("500.00"),
            currency="UAH",
        ),
        "calculus": make_tutor(
            user=UserFactory(tutor=True, first_name="Peter", last_name="Novak"),
            headline="University calculus without fear",
            bio="Limits, derivatives and integrals explained with pictures.",
            subjects=[{"subject": "calculus", "levels": ["university"]}],
            languages=[{"code": "en", "native": True}],
            hourly_rate=Decimal("40.00"),
            currency="USD",
        ),
        "english": make_tutor(
            user=UserFactory(tutor=True, first_name="Emma", last_name="Clarke"),
            headline="Conversational English for adults",
            subjects=[{"subject": "english", "levels": ["adult"]}],
            languages=[{"code": "en", "native": True}, {"code": "de", "proficiency": "c1"}],
            hourly_rate=Decimal("25.00"),
            currency="EUR",
        ),
    }


def test_default_listing_shows_every_published_tutor(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    make_tutor(publish=False)
    response = api_client.get(SEARCH)
    assert response.json()["count"] == 3
    assert_matches_schema(response, path=SEARCH)


def test_filter_by_subject_includes_children(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    assert set(ids(api_client, subject="mathematics")) == {tutors["algebra"].pk, tutors["calculus"].pk}
    assert ids(api_client, subject="calculus") == [tutors["calculus"].pk]
    assert ids(api_client, subject="languages") == [tutors["english"].pk]


def test_filter_by_level(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    assert ids(api_client, level="university") == [tutors["calculus"].pk]
    assert ids(api_client, subject="algebra", level="university") == []
    assert ids(api_client, subject="mathematics", level="exam_prep") == [tutors["algebra"].pk]


def test_filter_by_language_and_native(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    assert set(ids(api_client, language="en")) == {t.pk for t in tutors.values()}
    assert set(ids(api_client, language="en", native="true")) == {tutors["calculus"].pk, tutors["english"].pk}
    assert ids(api_client, language="en", native="false") == [tutors["algebra"].pk]
    assert ids(api_client, language="de") == [tutors["english"].pk]


def test_price_filters_compare_across_currencies(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    # 500 UAH ≈ 10.99 EUR, 40 USD ≈ 37.04 EUR, 25 EUR.
    assert ids(api_client, max_price="20", currency="EUR") == [tutors["algebra"].pk]
    assert set(ids(api_client, min_price="20", max_price="30")) == {tutors["english"].pk}
    assert ids(api_client, min_price="1500", currency="UAH") == [tutors["calculus"].pk]
    # exact bounds in the tutor's own currency are inclusive despite conversion rounding
    assert ids(api_client, min_price="500", max_price="500", currency="UAH") == [tutors["algebra"].pk]
    assert ids(api_client, min_price="40", max_price="40", currency="USD") == [tutors["calculus"].pk]


def test_full_text_search(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    assert ids(api_client, q="oksana") == [tutors["algebra"].pk]  # name
    assert ids(api_client, q="conversational") == [tutors["english"].pk]  # headline
    assert ids(api_client, q="derivatives") == [tutors["calculus"].pk]  # bio
    assert ids(api_client, q="алгебра") == [tutors["algebra"].pk]  # subject, Ukrainian name
    assert ids(api_client, q="calc") == [tutors["calculus"].pk]  # prefix
    assert ids(api_client, q="calculus integrals") == [tutors["calculus"].pk]  # every term must match
    assert ids(api_client, q="calculus knitting") == []
    assert len(ids(api_client, q="&|!:*()'")) == 3  # no terms: no text filter


def test_full_text_ranks_headline_matches_above_bio_matches(api_client: APIClient) -> None:
    in_bio = make_tutor(bio="Also some geometry, now and then.", headline="Maths tutor")
    in_headline = make_tutor(headline="Geometry specialist")
    assert ids(api_client, q="geometry") == [in_headline.pk, in_bio.pk]


def test_filters_combine(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    params = {"subject": "mathematics", "language": "en", "max_price": "50", "currency": "EUR", "q": "calculus"}
    assert ids(api_client, **params) == [tutors["calculus"].pk]
    assert ids(api_client, **{**params, "native": "false"}) == []


def test_orderings(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    a, c, e = tutors["algebra"].pk, tutors["calculus"].pk, tutors["english"].pk
    assert ids(api_client, ordering="price") == [a, e, c]
    assert ids(api_client, ordering="-price") == [c, e, a]
    assert ids(api_client, ordering="newest") == [e, c, a]
    for tutor_id, average, count in ((c, "4.67", 3), (e, "5.00", 1)):
        TutorProfile.objects.filter(pk=tutor_id).update(rating_avg=Decimal(average), rating_count=count)
        tutor_ranking_refresh(tutor_id=tutor_id)
    assert ids(api_client, ordering="rating") == [e, c, a]
    assert ids(api_client, ordering="reviews") == [c, e, a]
    tutor_lessons_completed_add(tutor_id=c, count=200)
    assert ids(api_client)[0] == c  # best match: reviews and lessons taught


def test_exchange_rate_change_reprices_tutors(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    assert tutors["algebra"].pk not in ids(api_client, min_price="20")
    exchange_rate_set(currency="UAH", per_eur=Decimal("20"))  # 500 UAH is now 25 EUR
    assert tutors["algebra"].pk in ids(api_client, min_price="20")


@pytest.mark.parametrize(
    "params, field",
    [
        ({"min_price": "-5"}, "min_price"),
        ({"max_price": "cheap"}, "max_price"),
        ({"min_price": "30", "max_price": "10"}, "min_price"),
        ({"ordering": "random"}, "ordering"),
        ({"level": "phd"}, "level"),
        ({"language": "english"}, "language"),
        ({"currency": "BTC"}, "currency"),
        ({"native": "maybe"}, "native"),
        ({"subject": "alchemy"}, "subject"),
    ],
)
def test_invalid_filters_are_400(api_client: APIClient, params: dict[str, str], field: str) -> None:
    response = api_client.get(SEARCH, params)
    assert response.status_code == 400
    assert set(response.json()) == {"message", "code", "extra"}
    assert field in response.json()["extra"]["fields"]


@pytest.mark.parametrize("page_size", ["101", "0", "ten"])
def test_invalid_page_size_is_400(api_client: APIClient, page_size: str) -> None:
    response = api_client.get(SEARCH, {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_pagination"


def test_pagination(api_client: APIClient, tutors: dict[str, TutorProfile]) -> None:
    first = api_client.get(SEARCH, {"page_size": 2, "ordering": "price"}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = api_client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [tutors["calculus"].pk]
    assert api_client.get(SEARCH, {"page": 3, "page_size": 2}).status_code == 404


@pytest.mark.parametrize("page_size", [5, 50])
def test_search_runs_a_fixed_number_of_queries(
    api_client: APIClient, django_assert_max_num_queries: Any, page_size: int
) -> None:
    for n in range(12):
        make_tutor(
            subjects=[{"subject": "algebra", "levels": ["secondary"]}, {"subject": "geometry", "levels": ["adult"]}],
            languages=[{"code": "uk", "native": True}, {"code": "en"}],
            headline=f"Algebra tutor {n}",
        )
    params = {"subject": "mathematics", "language": "en", "min_price": "1", "max_price": "100", "q": "algebra"}
    api_client.get(SEARCH)  # warm the catalogue cache
    with django_assert_max_num_queries(4):
        response = api_client.get(SEARCH, {**params, "page_size": page_size})
    assert response.json()["count"] == 12
    with django_assert_max_num_queries(4):
        api_client.get(SEARCH, {"page_size": page_size})
