from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.core.testing import assert_matches_schema

pytestmark = pytest.mark.django_db
AVAILABILITY = "/api/v1/booking/availability/"
OVERRIDES = "/api/v1/booking/availability/overrides/"

VALID = {
    "timezone": "Europe/Kyiv",
    "min_notice_minutes": 120,
    "max_advance_days": 60,
    "slot_step_minutes": 30,
    "buffer_minutes": 10,
    "weekly": [
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        {"weekday": 0, "start": "14:00", "end": "18:00"},
        {"weekday": 5, "start": "20:00", "end": "24:00"},
    ],
}


def test_a_tutor_sets_and_reads_availability(tutor_client: APIClient) -> None:
    assert tutor_client.get(AVAILABILITY).json()["weekly"] == []
    response = tutor_client.put(AVAILABILITY, VALID, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == VALID
    assert tutor_client.get(AVAILABILITY).json() == VALID
    assert_matches_schema(response, path=AVAILABILITY, method="put")


def test_defaults_apply(tutor_client: APIClient) -> None:
    body = tutor_client.put(AVAILABILITY, {"timezone": "UTC", "weekly": []}, format="json").json()
    assert (body["max_advance_days"], body["slot_step_minutes"], body["buffer_minutes"]) == (90, 30, 0)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"weekly": [{"weekday": 1, "start": "12:00", "end": "11:00"}]}, "weekly"),
        (
            {
                "weekly": [
                    {"weekday": 1, "start": "09:00", "end": "12:00"},
                    {"weekday": 1, "start": "11:00", "end": "13:00"},
                ]
            },
            "weekly",
        ),
        ({"weekly": [{"weekday": 7, "start": "09:00", "end": "10:00"}]}, "weekly"),
        ({"weekly": [{"weekday": 1, "start": "9am", "end": "10:00"}]}, "weekly"),
        ({"weekly": [{"weekday": 1, "start": "23:00", "end": "24:30"}]}, "weekly"),
        ({"slot_step_minutes": 45}, "slot_step_minutes"),
        ({"max_advance_days": 400}, "max_advance_days"),
        ({"max_advance_days": 0}, "max_advance_days"),
        ({"buffer_minutes": -5}, "buffer_minutes"),
    ],
)
def test_invalid_availability_is_400(tutor_client: APIClient, change: dict[str, Any], field: str) -> None:
    response = tutor_client.put(AVAILABILITY, {**VALID, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


def test_students_have_no_availability(student_client: APIClient) -> None:
    assert student_client.get(AVAILABILITY).status_code == 403
    assert student_client.put(AVAILABILITY, VALID, format="json").status_code == 403
    assert student_client.get(OVERRIDES).status_code == 403


def test_overrides_and_time_off(tutor_client: APIClient) -> None:
    tutor_client.put(AVAILABILITY, VALID, format="json")
    hours = tutor_client.post(
        OVERRIDES, {"start_date": "2026-12-07", "intervals": [{"start": "18:00", "end": "22:00"}]}, format="json"
    )
    assert hours.status_code == 201
    assert hours.json()["kind"] == "hours" and hours.json()["end_date"] == "2026-12-07"
    off = tutor_client.post(
        OVERRIDES,
        {"start_date": "2026-12-24", "end_date": "2026-12-31", "intervals": [], "note": "Holidays"},
        format="json",
    )
    assert off.status_code == 201 and off.json()["kind"] == "time_off"
    listing = tutor_client.get(OVERRIDES)
    assert [o["start_date"] for o in listing.json()] == ["2026-12-07", "2026-12-24"]
    assert_matches_schema(listing, path=OVERRIDES)
    clash = tutor_client.post(OVERRIDES, {"start_date": "2026-12-30", "intervals": []}, format="json")
    assert clash.status_code == 400 and clash.json()["code"] == "overlapping_override"
    assert tutor_client.delete(f"{OVERRIDES}{off.json()['id']}/").status_code == 204
    assert tutor_client.delete(f"{OVERRIDES}{off.json()['id']}/").status_code == 404


def test_overrides_belong_to_their_tutor(tutor_client: APIClient, make_client: Any) -> None:
    from apps.accounts.tests.factories import UserFactory

    created = tutor_client.post(OVERRIDES, {"start_date": "2026-12-07", "intervals": []}, format="json").json()
    other = make_client(UserFactory(tutor=True))
    assert other.delete(f"{OVERRIDES}{created['id']}/").status_code == 404
    assert other.get(OVERRIDES).json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"start_date": "2026-12-10", "end_date": "2026-12-09", "intervals": []},
        {"start_date": "2026-12-10", "intervals": [{"start": "10:00", "end": "09:00"}]},
        {
            "start_date": "2026-12-10",
            "intervals": [{"start": "09:00", "end": "11:00"}, {"start": "10:00", "end": "12:00"}],
        },
        {"start_date": "not-a-date", "intervals": []},
        {"start_date": "2026-01-01", "end_date": "2027-06-01", "intervals": []},
    ],
)
def test_invalid_overrides_are_400(tutor_client: APIClient, body: dict[str, Any]) -> None:
    assert tutor_client.post(OVERRIDES, body, format="json").status_code == 400
