"""Every API endpoint, requested with every role's token: the same answers as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.factories import ApiData, bearer, build_api_data
from tests.conftest import ROLES, World

OK, NOT_FOUND, UNAUTHORISED = 200, 404, 401

# Detail endpoints; the object belongs to the `sme` user's company or to its team (with the
# partner; not with `other_sme`). The opportunity links the sme's company to other_sme's.
# role:               anon          ademe consult sme  o_sme      partner    staff out_c      out_sme
DETAILS = {
    "programmes": [UNAUTHORISED, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "organisations": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "production-means": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "teams": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "actions": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "indicators": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "opportunities": [UNAUTHORISED, OK, OK, OK, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "funding-applications": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    # The meeting: its programme's overseers, and the sme user, invited; its minutes are validated.
    "meetings": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "minutes": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "decisions": [UNAUTHORISED, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    # Time spent and the travel log: the programme's overseers only.
    "time-entries": [UNAUTHORISED, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "trips": [UNAUTHORISED, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    # The programme's obligations and deliverables registry: its overseers only.
    "programmes/{}/obligations": [
        UNAUTHORISED,
        OK,
        OK,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ],
    "programmes/{}/deliverables": [
        UNAUTHORISED,
        OK,
        OK,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ],
}

# How many rows each list shows each role (the same objects).
# role:               anon ademe consult sme o_sme partner staff out_c out_sme
LIST_COUNTS = {
    "organisations": [None, 3, 3, 1, 1, 1, 4, 1, 1],
    "teams": [None, 1, 1, 1, 0, 1, 1, 0, 0],
    "actions": [None, 1, 1, 1, 0, 1, 1, 0, 0],
    "opportunities": [None, 1, 1, 1, 1, 0, 1, 0, 0],
    "meetings": [None, 1, 1, 1, 0, 0, 1, 0, 0],
    "minutes": [None, 1, 1, 1, 0, 0, 1, 0, 0],
    "decisions": [None, 1, 1, 1, 0, 0, 1, 0, 0],
    "time-entries": [None, 1, 1, 0, 0, 0, 1, 0, 0],
    "trips": [None, 1, 1, 0, 0, 0, 1, 0, 0],
    # The factory's measurement, on the indicator of an action of the sme's and partner's team.
    "measurements": [None, 1, 1, 1, 0, 1, 1, 0, 0],
}


def _pk(endpoint: str, world: World, data: ApiData) -> int:
    objects = {
        "programmes": world.programme,
        "organisations": world.sme_org,
        "production-means": data.means,
        "teams": data.team,
        "actions": data.action,
        "indicators": data.indicator,
        "opportunities": data.opportunity,
        "funding-applications": data.application,
        "meetings": data.meeting,
        "minutes": data.minutes,
        "decisions": data.decision,
        "time-entries": data.time_entry,
        "trips": data.trip,
    }
    return objects[endpoint].pk  # type: ignore[attr-defined]


def _url(endpoint: str, world: World, data: ApiData) -> str:
    if "{}" in endpoint:
        return "/api/" + endpoint.format(world.programme.pk)  # type: ignore[attr-defined]
    return f"/api/{endpoint}/{_pk(endpoint, world, data)}"


def _client(world: World, role: str) -> tuple[Client, dict[str, str]]:
    return Client(), ({} if role == "anonymous" else bearer(world.users[role]))


@pytest.mark.parametrize("endpoint", DETAILS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_detail_answers_each_role_as_the_pages_do(
    world: World, endpoint: str, role_index: int, role: str
) -> None:
    data = build_api_data(world)
    client, headers = _client(world, role)
    response = client.get(_url(endpoint, world, data), **headers)
    assert response.status_code == DETAILS[endpoint][role_index], f"{endpoint} as {role}"
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("endpoint", LIST_COUNTS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_lists_show_each_role_what_it_may_see(
    world: World, endpoint: str, role_index: int, role: str
) -> None:
    build_api_data(world)
    client, headers = _client(world, role)
    response = client.get(f"/api/{endpoint}", **headers)
    expected = LIST_COUNTS[endpoint][role_index]
    if expected is None:
        assert response.status_code == UNAUTHORISED
    else:
        assert response.status_code == OK
        assert response.json()["count"] == expected, f"{endpoint} as {role}"


def test_anonymous_gets_401_not_the_login_redirect(world: World) -> None:
    response = Client().get("/api/organisations")
    assert response.status_code == UNAUTHORISED
    assert response.json() == {"detail": "Unauthorized"}
