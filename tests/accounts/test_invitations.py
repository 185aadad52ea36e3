"""Invitations: one valid link per address, single use, expiring; existing accounts extended, not doubled."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.accounts import invitations
from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.invitations import InvitationRefused, InvitationRequest
from sobrindustrie.accounts.models import Invitation, User
from tests.conftest import World
from tests.factories import OrganisationFactory, PersonFactory, ProgrammeFactory, UserFactory

STRONG_PASSWORD = "Une-phrase-de-passe-solide-42"


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+/invitation/(\S+)/", message.body)
    assert found, message.body
    return found.group(1)


def sme_request(
    world: World, email: str = "claire@provence-usinage.example", **kwargs: object
) -> InvitationRequest:
    return InvitationRequest(email=email, role=Role.SME, organisation=world.sme_org, **kwargs)  # type: ignore[arg-type]


@override_settings(SITE_URL="https://sobrindustrie.example/")
def test_an_invitation_sends_a_french_email_with_an_absolute_link(world: World) -> None:
    outcome = invitations.invite(
        world.programme, sme_request(world, first_name="Claire"), world.users["consultant"]
    )
    assert outcome.invitation is not None
    [message] = mail.outbox
    assert message.to == ["claire@provence-usinage.example"]
    assert "Sobr'Industrie PACA" in message.subject
    assert "Bonjour Claire" in message.body
    assert "Provence Usinage" in message.body
    assert "https://sobrindustrie.example/invitation/" in message.body
    # Only a hash of the token is stored.
    token = link_in(message)
    assert token not in outcome.invitation.token_hash
    assert outcome.invitation.token_hash == invitations.hash_token(token)


def test_the_address_is_normalised(world: World) -> None:
    outcome = invitations.invite(
        world.programme, sme_request(world, email="  Claire@Example.FR "), world.users["ademe"]
    )
    assert outcome.invitation is not None
    assert outcome.invitation.email == "claire@example.fr"


def test_inviting_an_address_twice_leaves_one_valid_invitation(world: World) -> None:
    consultant = world.users["consultant"]
    invitations.invite(world.programme, sme_request(world), consultant)
    invitations.invite(world.programme, sme_request(world), consultant)
    first_token, second_token = (link_in(message) for message in mail.outbox)
    assert Invitation.objects.pending().filter(email="claire@provence-usinage.example").count() == 1
    with pytest.raises(invitations.InvitationUnusable) as refused:
        invitations.find_usable(first_token)
    assert refused.value.reason == invitations.SUPERSEDED
    assert invitations.find_usable(second_token).email == "claire@provence-usinage.example"


def test_accepting_creates_the_account_once_and_links_the_contact(world: World) -> None:
    contact = PersonFactory(organisation=world.sme_org, email="claire@provence-usinage.example", user=None)
    invitations.invite(world.programme, sme_request(world), world.users["consultant"])
    token = link_in(mail.outbox[0])
    invitation = invitations.find_usable(token)
    account = invitations.accept(token, invitations.new_account(invitation), STRONG_PASSWORD)
    assert account.role == Role.SME
    assert account.organisation == world.sme_org
    assert account.check_password(STRONG_PASSWORD)
    contact.refresh_from_db()
    assert contact.user == account
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.user == account
    with pytest.raises(invitations.InvitationUnusable) as refused:
        invitations.accept(token, invitations.new_account(invitation), STRONG_PASSWORD)
    assert refused.value.reason == invitations.USED
    assert User.objects.filter(email="claire@provence-usinage.example").count() == 1


def test_a_consultant_invitation_puts_the_new_account_on_the_programme(world: World) -> None:
    request = InvitationRequest(email="new.consultant@example.fr", role=Role.CONSULTANT)
    invitations.invite(world.programme, request, world.users["ademe"])
    token = link_in(mail.outbox[0])
    account = invitations.accept(
        token, invitations.new_account(invitations.find_usable(token)), STRONG_PASSWORD
    )
    assert list(account.programmes.all()) == [world.programme]
    assert account.organisation is None


def test_an_existing_consultant_gets_the_programme_added_without_a_second_account(world: World) -> None:
    outsider = world.users["outsider_consultant"]
    request = InvitationRequest(email=outsider.email.upper(), role=Role.CONSULTANT)
    outcome = invitations.invite(world.programme, request, world.users["ademe"])
    assert outcome.extended_account == outsider
    assert outcome.invitation is None
    assert world.programme in outsider.programmes.all()
    assert User.objects.filter(email=outsider.email).count() == 1
    [message] = mail.outbox
    assert "Sobr'Industrie PACA" in message.subject
    assert "/invitation/" not in message.body


@pytest.mark.parametrize(
    "existing,role,organisation,fragment",
    [
        ("sme", Role.SME, "sme_org", "a déjà un compte chez Provence Usinage"),
        ("sme", Role.SME, "other_sme_org", "appartient à une seule organisation"),
        ("sme", Role.CONSULTANT, None, "n’a qu’un rôle"),
        ("consultant", Role.CONSULTANT, None, "travaille déjà sur ce programme"),
        ("staff", Role.CONSULTANT, None, "administrateur de la plateforme"),
    ],
)
def test_what_an_account_cannot_hold_is_refused_with_the_reason(
    world: World, existing: str, role: str, organisation: str | None, fragment: str
) -> None:
    request = InvitationRequest(
        email=world.users[existing].email,  # type: ignore[attr-defined]
        role=role,
        organisation=getattr(world, organisation) if organisation else None,
    )
    with pytest.raises(InvitationRefused, match=fragment):
        invitations.invite(world.programme, request, world.users["staff"])
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_deactivated_account_is_not_reinvited(world: World) -> None:
    account = world.users["sme"]
    invitations.set_active(account, False)  # type: ignore[arg-type]
    with pytest.raises(InvitationRefused, match="compte désactivé"):
        invitations.invite(
            world.programme, sme_request(world, email=account.email), world.users["consultant"]
        )  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "role,organisation,fragment",
    [
        (Role.SME, None, "choisissez-la"),
        (Role.CONSULTANT, "sme_org", "laissez l’organisation vide"),
        (Role.STAFF, None, "ne peut pas être attribué"),
    ],
)
def test_an_incoherent_role_and_organisation_are_refused(
    world: World, role: str, organisation: str | None, fragment: str
) -> None:
    request = InvitationRequest(
        email="x@example.fr", role=role, organisation=getattr(world, organisation) if organisation else None
    )
    with pytest.raises(InvitationRefused, match=fragment):
        invitations.invite(world.programme, request, world.users["staff"])


def test_an_organisation_of_another_programme_is_refused(world: World) -> None:
    elsewhere = OrganisationFactory(programme=ProgrammeFactory())
    request = InvitationRequest(email="x@example.fr", role=Role.SME, organisation=elsewhere)
    with pytest.raises(InvitationRefused, match="ne fait pas partie du programme"):
        invitations.invite(world.programme, request, world.users["staff"])


def test_a_bulk_invitation_is_all_or_nothing(world: World) -> None:
    requests = [
        sme_request(world, email="a@example.fr"),
        sme_request(world, email=world.users["other_sme"].email),
    ]  # type: ignore[attr-defined]
    with pytest.raises(InvitationRefused):
        invitations.invite_many(world.programme, requests, world.users["consultant"])  # type: ignore[arg-type]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_resending_issues_a_new_link_and_kills_the_old_one(world: World) -> None:
    outcome = invitations.invite(world.programme, sme_request(world), world.users["consultant"])
    assert outcome.invitation is not None
    invitation = outcome.invitation
    invitation.expires_at = timezone.now() - dt.timedelta(days=1)
    invitation.save()
    invitations.resend(invitation)
    old, new = (link_in(message) for message in mail.outbox)
    with pytest.raises(invitations.InvitationUnusable) as refused:
        invitations.find_usable(old)
    assert refused.value.reason == invitations.UNKNOWN
    assert invitations.find_usable(new).pk == invitation.pk


def test_a_revoked_invitation_cannot_be_resent_or_used(world: World) -> None:
    outcome = invitations.invite(world.programme, sme_request(world), world.users["consultant"])
    assert outcome.invitation is not None
    invitations.revoke(outcome.invitation)
    with pytest.raises(InvitationRefused):
        invitations.resend(outcome.invitation)
    with pytest.raises(InvitationRefused):
        invitations.revoke(outcome.invitation)
    with pytest.raises(invitations.InvitationUnusable) as refused:
        invitations.find_usable(link_in(mail.outbox[0]))
    assert refused.value.reason == invitations.REVOKED


# --- The invitee's page ---------------------------------------------------------------------------------


def _invite_and_get_link(world: World) -> str:
    invitations.invite(
        world.programme, sme_request(world, first_name="Claire", last_name="Roux"), world.users["consultant"]
    )
    return reverse("www:invitation_accept", args=[link_in(mail.outbox[-1])])


def test_the_invitee_sets_a_password_and_lands_logged_in_on_their_home(world: World) -> None:
    client = Client()
    url = _invite_and_get_link(world)
    page = client.get(url)
    assert page.status_code == 200
    assert "Provence Usinage" in page.content.decode()
    assert 'value="Claire"' in page.content.decode()
    response = client.post(
        url,
        {
            "first_name": "Claire",
            "last_name": "Roux",
            "new_password1": STRONG_PASSWORD,
            "new_password2": STRONG_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("www:home")
    account = User.objects.get(email="claire@provence-usinage.example")
    assert client.get(reverse("www:home")).wsgi_request.user == account
    assert client.get(url).status_code == 410


@pytest.mark.parametrize(
    "password,fragment",
    [("court", "trop court"), ("password123", "trop courant"), ("claireroux1", "trop semblable")],
)
def test_a_weak_password_is_refused_by_the_validators_and_creates_nothing(
    world: World, password: str, fragment: str
) -> None:
    url = _invite_and_get_link(world)
    response = Client().post(
        url,
        {"first_name": "Claire", "last_name": "Roux", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not User.objects.filter(email="claire@provence-usinage.example").exists()


def test_mismatched_passwords_are_refused(world: World) -> None:
    url = _invite_and_get_link(world)
    response = Client().post(
        url,
        {
            "first_name": "Claire",
            "last_name": "Roux",
            "new_password1": STRONG_PASSWORD,
            "new_password2": "autre",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="claire@provence-usinage.example").exists()


@pytest.mark.parametrize("state", ["expired", "used", "revoked", "superseded", "tampered"])
def test_an_unusable_link_gets_a_clear_page_and_creates_nothing(world: World, state: str) -> None:
    url = _invite_and_get_link(world)
    invitation = Invitation.objects.get()
    now = timezone.now()
    if state == "expired":
        invitation.expires_at = now - dt.timedelta(seconds=1)
    elif state == "used":
        invitation.used_at = now
    elif state == "revoked":
        invitation.revoked_at = now
    elif state == "superseded":
        invitation.superseded_at = now
    invitation.save()
    if state == "tampered":
        url = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    data = {
        "first_name": "C",
        "last_name": "R",
        "new_password1": STRONG_PASSWORD,
        "new_password2": STRONG_PASSWORD,
    }
    for response in (Client().get(url), Client().post(url, data)):
        assert response.status_code == (404 if state == "tampered" else 410)
        body = response.content.decode()
        assert "Invitation inutilisable" in body
        assert 'name="new_password1"' not in body
    assert not User.objects.filter(email="claire@provence-usinage.example").exists()


def test_an_overlong_token_is_refused_without_a_query(world: World, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0), pytest.raises(invitations.InvitationUnusable):
        invitations.find_usable("x" * 500)


def test_the_invitation_page_needs_no_login_and_works_for_a_logged_in_visitor(world: World) -> None:
    url = _invite_and_get_link(world)
    assert Client().get(url).status_code == 200
    assert world.client("consultant").get(url).status_code == 200


def test_two_accounts_are_never_made_for_one_address_from_two_programmes(world: World) -> None:
    other = ProgrammeFactory()
    staff = UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True)
    invitations.invite(world.programme, InvitationRequest(email="c@example.fr", role=Role.CONSULTANT), staff)
    invitations.invite(other, InvitationRequest(email="c@example.fr", role=Role.CONSULTANT), staff)
    assert Invitation.objects.pending().count() == 1
