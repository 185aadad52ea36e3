"""Password reset by e-mail: Django's views, in French, revealing nothing about who has an account."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import World

NEW_PASSWORD = "Une-autre-phrase-solide-77"


def test_the_login_page_links_to_the_reset(db: object) -> None:
    body = Client().get(reverse("www:login")).content.decode()
    assert reverse("www:password_reset") in body
    assert "Mot de passe oublié ?" in body


def test_a_known_and_an_unknown_address_get_the_same_answer(world: World) -> None:
    url = reverse("www:password_reset")
    known = Client().post(url, {"email": world.users["sme"].email})  # type: ignore[attr-defined]
    unknown = Client().post(url, {"email": "personne@nulle-part.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("www:password_reset_done")
    assert len(mail.outbox) == 1
    done = Client().get(reverse("www:password_reset_done")).content.decode()
    assert "Si un compte utilise cette adresse" in done


def test_a_deactivated_account_gets_no_email(world: World) -> None:
    account = world.users["sme"]
    account.is_active = False  # type: ignore[attr-defined]
    account.save()  # type: ignore[attr-defined]
    response = Client().post(reverse("www:password_reset"), {"email": account.email})  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert mail.outbox == []


@override_settings(SITE_URL="https://sobrindustrie.example")
def test_the_link_sets_a_new_password_once(world: World) -> None:
    account = world.users["sme"]
    Client().post(reverse("www:password_reset"), {"email": account.email.upper()})  # type: ignore[attr-defined]
    [message] = mail.outbox
    assert "mot de passe" in message.subject
    found = re.search(r"https://sobrindustrie\.example(/mot-de-passe/\S+/)", message.body)
    assert found, message.body
    client = Client()
    form_page = client.get(found.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else found.group(1)
    weak = client.post(set_url, {"new_password1": "court", "new_password2": "court"})
    assert weak.status_code == 200
    assert "trop court" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    account.refresh_from_db()  # type: ignore[attr-defined]
    assert account.check_password(NEW_PASSWORD)  # type: ignore[attr-defined]
    again = Client().get(found.group(1), follow=True)
    assert "Lien inutilisable" in again.content.decode()


def test_a_tampered_link_is_refused(world: World) -> None:
    response = Client().get(reverse("www:password_reset_confirm", args=["MQ", "abc-def"]))
    assert response.status_code == 200
    assert "Lien inutilisable" in response.content.decode()
    assert 'name="new_password1"' not in response.content.decode()
