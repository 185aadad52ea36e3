"""Personal API tokens: stored hashed, shown once, revocable, and carrying their owner's rights."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from sobrindustrie.api.forms import MAX_ACTIVE_TOKENS
from sobrindustrie.api.models import ApiToken, TokenScope
from tests.conftest import ROLES, World


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    token, raw = ApiToken.issue(world.users["sme"], "ERP")
    assert raw.startswith("sbi_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.token_hash, token.hint, token.name}


def test_a_token_authenticates_and_records_its_use(world: World) -> None:
    token, raw = ApiToken.issue(world.users["sme"], "ERP")
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["email"] == world.users["sme"].email
    assert response.json()["organisation_id"] == world.sme_org.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer sbi_wrong", "Bearer ", "Token abc", "Bearer " + "x" * 500])
def test_a_wrong_token_is_refused(world: World, header: str) -> None:
    assert Client().get("/api/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_revoked_token_or_an_inactive_user_is_refused(world: World) -> None:
    token, raw = ApiToken.issue(world.users["sme"], "ERP")
    token.revoke()
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    _token, raw = ApiToken.issue(world.users["partner"], "CRM")
    world.users["partner"].is_active = False
    world.users["partner"].save()
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_browser_session_reads_the_api(world: World) -> None:
    response = world.client("consultant").get("/api/organisations")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_the_api_refuses_writes(world: World) -> None:
    _token, raw = ApiToken.issue(world.users["consultant"], "ERP")
    response = Client().post("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 405
    assert world.client("consultant").post("/api/organisations").status_code in (401, 403, 405)


# role:                anon ademe consult sme o_sme partner staff out_c out_sme
TOKEN_PAGE = dict(zip(ROLES, [302, 200, 200, 200, 200, 200, 200, 200, 200], strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_user_manages_their_tokens(world: World, role: str) -> None:
    response = world.client(role).get(reverse("api:token_list"))
    assert response.status_code == TOKEN_PAGE[role]


def test_a_token_is_shown_once_then_only_its_beginning(world: World) -> None:
    client = world.client("sme")
    response = client.post(reverse("api:token_list"), {"name": "ERP"})
    token = ApiToken.objects.get(user=world.users["sme"])
    raw = response.context["new_token"]
    assert raw.startswith(token.hint)
    assert raw in response.content.decode()
    again = client.get(reverse("api:token_list")).content.decode()
    assert raw not in again
    assert token.hint in again


def test_a_nameless_token_is_refused_naming_the_field(world: World) -> None:
    response = world.client("sme").post(reverse("api:token_list"), {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_active_tokens_are_capped(world: World) -> None:
    for n in range(MAX_ACTIVE_TOKENS):
        ApiToken.issue(world.users["sme"], f"t{n}")
    response = world.client("sme").post(reverse("api:token_list"), {"name": "one more"})
    message = gettext("You already have %(count)d active tokens: revoke one before creating another.")
    assert message % {"count": MAX_ACTIVE_TOKENS} in response.content.decode()
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_one_revokes_one_s_own_tokens_only(world: World) -> None:
    token, _raw = ApiToken.issue(world.users["sme"], "ERP")
    url = reverse("api:token_revoke", args=[token.pk])
    assert world.client("other_sme").post(url).status_code == 404
    assert world.client("staff").post(url).status_code == 404
    assert world.client("sme").get(url).status_code == 405
    assert world.client("sme").post(url).status_code == 302
    token.refresh_from_db()
    assert token.is_revoked


def test_the_token_page_sets_and_shows_the_scope(world: World) -> None:
    client = world.client("consultant")
    page = client.get(reverse("api:token_list")).content.decode()
    assert 'name="scope"' in page and 'value="read_write"' in page
    client.post(reverse("api:token_list"), {"name": "Agenda", "scope": "read_write"})
    client.post(reverse("api:token_list"), {"name": "Tableur"})
    scopes = dict(ApiToken.objects.filter(user=world.users["consultant"]).values_list("name", "scope"))
    assert scopes == {"Agenda": TokenScope.READ_WRITE, "Tableur": TokenScope.READ}
    listed = client.get(reverse("api:token_list")).content.decode()
    assert str(TokenScope.READ_WRITE.label) in listed
    refused = client.post(reverse("api:token_list"), {"name": "X", "scope": "admin"})
    assert refused.context["form"].errors["scope"]
    assert refused.context["form"]["name"].value() == "X"


def test_a_read_token_reads_but_gets_403_on_writes(world: World) -> None:
    _token, raw = ApiToken.issue(world.users["consultant"], "ERP")
    assert _token.scope == TokenScope.READ  # the default, and what existing tokens became
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/time-entries", **headers).status_code == 200
    response = Client().post("/api/trips", data="{}", content_type="application/json", **headers)
    assert response.status_code == 403
    assert response.json()["detail"]
