"""Search by free time: tutors with a free slot in the student's chosen part of the week (their zone)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.booking.services import free_slot_index_refresh
from apps.booking.tests.factories import make_bookable_tutor
from apps.marketplace.models import FreeSlot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SEARCH = "/api/v1/marketplace/tutors/"


def found(client: APIClient, **params: Any) -> set[int]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def tutors() -> dict[str, Any]:
    kyiv = make_bookable_tutor(zone="Europe/Kyiv")  # weekdays 09:00-18:00 Kyiv
    new_york = make_bookable_tutor(zone="America/New_York")  # weekdays 09:00-18:00 New York = 16:00-01:00 Kyiv
    for tutor in (kyiv, new_york):
        free_slot_index_refresh(tutor_id=tutor.pk)
    return {"kyiv": kyiv.pk, "new_york": new_york.pk}


def test_mornings_and_evenings_in_the_students_zone(api_client: APIClient, tutors: dict[str, int]) -> None:
    assert found(api_client, available_from="08:00", available_to="12:00", tz="Europe/Kyiv") == {tutors["kyiv"]}
    assert found(api_client, available_from="20:00", available_to="24:00", tz="Europe/Kyiv") == {tutors["new_york"]}
    assert found(api_client, available_from="12:00", available_to="18:00", tz="America/New_York") == {
        tutors["new_york"]
    }


def test_days_of_the_week(api_client: APIClient, tutors: dict[str, int]) -> None:
    assert found(api_client, available_days="5,6", available_from="08:00", tz="Europe/Kyiv") == set()
    assert found(api_client, available_days="0,2") == set(tutors.values())
    # Saturday 00:00-01:00 in Kyiv is Friday evening in New York
    assert found(api_client, available_days="5", available_from="00:00", available_to="01:00", tz="Europe/Kyiv") == {
        tutors["new_york"]
    }


def test_booked_time_is_not_free(
    make_client: Any, tutors: dict[str, int], django_capture_on_commit_callbacks: Any
) -> None:
    from apps.accounts.tests.factories import UserFactory

    # keep only one Kyiv morning slot free, then book it
    FreeSlot.objects.filter(tutor_id=tutors["kyiv"]).exclude(start="2026-12-02T07:00:00Z").delete()
    client = make_client(UserFactory())
    assert found(client, available_days="2", available_from="09:00", available_to="10:00", tz="Europe/Kyiv") == {
        tutors["kyiv"]
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/booking/bookings/",
            {"tutor": tutors["kyiv"], "start": "2026-12-02T07:00:00Z", "duration_minutes": 50},
            format="json",
        )
    assert not FreeSlot.objects.filter(tutor_id=tutors["kyiv"], start="2026-12-02T07:00:00Z").exists()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"available_days": "7"}, "available_days"),
        ({"available_days": "mon"}, "available_days"),
        ({"available_from": "12:00", "available_to": "10:00"}, "available_to"),
        ({"available_from": "25:00"}, "available_from"),
        ({"tz": "Mars/Base"}, "tz"),
    ],
)
def test_invalid_availability_filters_are_400(api_client: APIClient, params: dict[str, str], field: str) -> None:
    response = api_client.get(SEARCH, params)
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


def test_the_filter_keeps_the_query_count_fixed(
    api_client: APIClient, tutors: dict[str, int], django_assert_max_num_queries: Any
) -> None:
    api_client.get(SEARCH)
    with django_assert_max_num_queries(4):
        api_client.get(
            SEARCH,
            {"available_days": "0,1,2,3,4", "available_from": "08:00", "available_to": "20:00", "tz": "Europe/Kyiv"},
        )
