from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.conftest import World


def test_pages_are_french_whatever_the_browser_asks(world: World) -> None:
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/connexion/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_a_partner_can_switch_to_english(world: World) -> None:
    client = world.client("partner")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/connexion/")
    assert response["Content-Language"] == "en"


def test_a_visitor_can_read_the_login_page_in_english_before_signing_in(world: World) -> None:
    # The header's switch is on the login page (and the invitation and other public pages): a partner
    # who reads no French must be able to use it before having an account's session.
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/connexion/"})
    assert response.status_code == 302 and response["Location"] == "/connexion/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/connexion/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en"' in page.content.decode()


def test_the_not_found_page_is_the_platforms_own(world: World) -> None:
    response = world.client("sme").get(f"/organisations/{world.other_sme_org.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Erreur 404" in body
    assert 'class="fr-header"' in body


def test_the_site_map_lists_what_each_role_can_reach(world: World) -> None:
    consultant = world.client("consultant").get("/plan-du-site/").content.decode()
    sme = world.client("sme").get("/plan-du-site/").content.decode()
    assert f"/programmes/{world.programme.slug}/organisations/" in consultant
    assert f"/programmes/{world.programme.slug}/organisations/" not in sme
    assert f"/organisations/{world.sme_org.pk}/moyens/" in sme
