"""Writing through the API: the pages' rules, field rules and permissions; scopes; nothing saved on
a refusal."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sobrindustrie.accounts import access
from sobrindustrie.actionplans.models import Measurement
from sobrindustrie.api.models import TokenScope
from sobrindustrie.evaluation.models import Trip
from sobrindustrie.meetings.models import TimeEntry
from tests.api.factories import ApiData, bearer, build_api_data
from tests.conftest import World

RW = TokenScope.READ_WRITE


def _send(method: str, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    client = Client()
    call = getattr(client, method)
    return call(url, data=json.dumps(body), content_type="application/json", **headers)


def _time_body(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "programme_id": world.programme.pk,  # type: ignore[attr-defined]
        "consultant_id": world.users["consultant"].pk,  # type: ignore[attr-defined]
        "date": str(timezone.localdate() - dt.timedelta(days=1)),
        "days": 0.5,
        "axis": 1,
        "object_kind": "other",
        "object_label": "Préparation du COPIL",
    }
    return body | changes


@pytest.fixture
def data(world: World) -> ApiData:
    return build_api_data(world)


def test_a_consultant_records_time_with_a_read_write_token(world: World, data: ApiData) -> None:
    response = _send(
        "post", "/api/time-entries", _time_body(world), bearer(world.users["consultant"], scope=RW)
    )
    assert response.status_code == 201, response.content
    entry = TimeEntry.objects.get(pk=response.json()["id"])
    assert (entry.days, entry.object_label, entry.version) == (0.5, "Préparation du COPIL", 1)
    assert response.json()["days"] == 0.5


def test_a_read_token_may_not_write_and_says_why(world: World, data: ApiData) -> None:
    before = TimeEntry.objects.count()
    response = _send("post", "/api/time-entries", _time_body(world), bearer(world.users["consultant"]))
    assert response.status_code == 403
    assert "read and write" in response.json()["detail"] or "lecture et écriture" in response.json()["detail"]
    assert TimeEntry.objects.count() == before


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"days": 0}, "days"),
        ({"days": 35}, "days"),
        ({"date": "2099-01-01"}, "date"),
        ({"object_kind": "diagnostic", "object_label": ""}, "organisation_id"),
        ({"axis": 9}, "axis"),
        ({"consultant_id": 999_999}, "consultant_id"),
    ],
)
def test_a_broken_rule_is_a_422_naming_the_field_and_nothing_is_saved(
    world: World, data: ApiData, changes: dict[str, Any], field: str
) -> None:
    before = TimeEntry.objects.count()
    response = _send(
        "post", "/api/time-entries", _time_body(world, **changes), bearer(world.users["consultant"], scope=RW)
    )
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert any(p["loc"] == ["body", field] and p["msg"] for p in problems), problems
    assert TimeEntry.objects.count() == before


def test_a_programme_one_cannot_see_is_refused_on_its_field(world: World, data: ApiData) -> None:
    headers = bearer(world.users["outsider_consultant"], scope=RW)
    response = _send("post", "/api/time-entries", _time_body(world), headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "programme_id"]


def test_an_ademe_officer_reads_time_but_may_not_record_it(world: World, data: ApiData) -> None:
    headers = bearer(world.users["ademe"], scope=RW)
    assert Client().get("/api/time-entries", **headers).json()["count"] == 1
    response = _send("post", "/api/time-entries", _time_body(world), headers)
    assert response.status_code == 403


def test_patch_changes_only_what_it_sends_and_checks_the_version(world: World, data: ApiData) -> None:
    headers = bearer(world.users["consultant"], scope=RW)
    entry = data.time_entry
    url = f"/api/time-entries/{entry.pk}"  # type: ignore[attr-defined]
    response = _send("patch", url, {"version": 1, "days": 1.5}, headers)
    assert response.status_code == 200, response.content
    assert response.json()["days"] == 1.5
    assert response.json()["object_label"] == "Préparation"  # kept
    assert response.json()["version"] == 2
    # An edit made on a stale version is refused: nothing overwritten.
    stale = _send("patch", url, {"version": 1, "days": 3}, headers)
    assert stale.status_code == 409
    missing = _send("patch", url, {"days": 3}, headers)
    assert missing.status_code == 422
    refused = _send("patch", url, {"version": 2, "days": -1}, headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "days"]
    entry.refresh_from_db()  # type: ignore[attr-defined]
    assert entry.days == 1.5  # type: ignore[attr-defined]


def test_the_field_rules_of_the_access_model_apply(
    world: World, data: ApiData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field the access model guards (GUARDED_FIELDS) is refused as on the pages."""
    rules = {"meetings.TimeEntry": {"axis": access.Capability.QUALIFY_ORGANISATION}}
    monkeypatch.setattr(access, "GUARDED_FIELDS", {**access.GUARDED_FIELDS, **rules})
    # A consultant holds the capability; pretend the ADEME officer could write time to see the rule.
    headers = bearer(world.users["consultant"], scope=RW)
    entry = data.time_entry
    ok = _send("patch", f"/api/time-entries/{entry.pk}", {"version": 1, "axis": 2}, headers)  # type: ignore[attr-defined]
    assert ok.status_code == 200
    staff_row = access.ROLE_CAPABILITIES["consultant"]
    monkeypatch.setitem(
        access.ROLE_CAPABILITIES,
        "consultant",
        {c: s for c, s in staff_row.items() if c != access.Capability.QUALIFY_ORGANISATION},
    )
    refused = _send("patch", f"/api/time-entries/{entry.pk}", {"version": 2, "axis": 3}, headers)  # type: ignore[attr-defined]
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "axis"]
    entry.refresh_from_db()  # type: ignore[attr-defined]
    assert entry.axis == 2  # type: ignore[attr-defined]


def test_trips_follow_the_travel_log_rules(world: World, data: ApiData) -> None:
    headers = bearer(world.users["consultant"], scope=RW)
    body = {
        "programme_id": world.programme.pk,  # type: ignore[attr-defined]
        "day": "2026-03-12",
        "origin": "Marseille",
        "destination": "Toulon",
        "km": 65,
        "mode": "voiturethermique",
    }
    before = Trip.objects.count()
    refused = _send("post", "/api/trips", body, headers)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "justification"]
    assert Trip.objects.count() == before
    created = _send("post", "/api/trips", body | {"justification": "Pas de train direct"}, headers)
    assert created.status_code == 201, created.content
    trip = Trip.objects.get(pk=created.json()["id"])
    assert trip.traveller == world.users["consultant"]
    changed = _send("patch", f"/api/trips/{trip.pk}", {"version": 1, "people": 2}, headers)
    assert changed.status_code == 200 and changed.json()["people"] == 2
    sme = _send("post", "/api/trips", body, bearer(world.users["sme"], scope=RW))
    assert sme.status_code == 403  # the SME sees its programme, not its travel log
    assert Trip.objects.count() == before + 1


def test_measurements_as_on_the_action_page(world: World, data: ApiData) -> None:
    indicator = data.indicator
    body = {"indicator_id": indicator.pk, "measured_on": "2026-07-01", "value": 12.5}  # type: ignore[attr-defined]
    created = _send("post", "/api/measurements", body, bearer(world.users["sme"], scope=RW))
    assert created.status_code == 201, created.content
    assert Measurement.objects.get(pk=created.json()["id"]).recorded_by == world.users["sme"]
    twice = _send("post", "/api/measurements", body, bearer(world.users["consultant"], scope=RW))
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["loc"] == ["body", "measured_on"]
    partner = _send(
        "post",
        "/api/measurements",
        body | {"measured_on": "2026-07-02"},
        bearer(world.users["partner"], scope=RW),
    )
    assert partner.status_code == 403  # a teammate sees the indicator but does not edit the action
    other = _send("post", "/api/measurements", body, bearer(world.users["other_sme"], scope=RW))
    assert other.status_code == 422 and other.json()["detail"][0]["loc"] == ["body", "indicator_id"]
    assert Measurement.objects.filter(indicator=indicator).count() == 2  # the factory's and the sme's


def test_a_session_cannot_write(world: World, data: ApiData) -> None:
    client = world.client("consultant")
    response = client.post(
        "/api/time-entries", data=json.dumps(_time_body(world)), content_type="application/json"
    )
    assert response.status_code == 401
