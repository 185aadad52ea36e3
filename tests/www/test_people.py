"""The People page of a programme and its actions, for every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sobrindustrie.accounts import invitations
from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import Invitation, User
from sobrindustrie.api.models import ApiToken
from sobrindustrie.diagnostics.candidacy import confirm_import, preview_import
from sobrindustrie.organisations.models import Person
from tests.conftest import ROLES, World
from tests.diagnostics.test_candidacy import csv_bytes, row
from tests.factories import CommuneFactory

#: Who opens the People page and acts from it: the programme's ADEME officers and consultants, staff.
MANAGERS = {"ademe", "consultant", "staff"}


def expected(role: str, allowed: set[str], success: int = 200) -> int:
    if role == "anonymous":
        return 302
    return success if role in allowed else 404


def _pending(world: World, email: str = "claire@example.fr", role: str = Role.SME) -> Invitation:
    organisation = world.sme_org if role == Role.SME else None
    request = invitations.InvitationRequest(email=email, role=role, organisation=organisation)  # type: ignore[arg-type]
    outcome = invitations.invite(world.programme, request, world.users["staff"])  # type: ignore[arg-type]
    assert outcome.invitation is not None
    mail.outbox.clear()
    return outcome.invitation


@pytest.mark.parametrize("role", ROLES)
def test_the_people_page_by_role(world: World, role: str) -> None:
    _pending(world)
    response = world.client(role).get(reverse("www:people", args=[world.programme.slug]))
    assert response.status_code == expected(role, MANAGERS)
    if response.status_code == 200:
        body = response.content.decode()
        assert "claire@example.fr" in body
        assert world.users["sme"].email in body  # type: ignore[attr-defined]
        assert world.users["outsider_sme"].email not in body  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ROLES)
def test_the_invitation_form_by_role(world: World, role: str) -> None:
    url = reverse("www:invite", args=[world.programme.slug])
    assert world.client(role).get(url).status_code == expected(role, MANAGERS)
    data = {"email": "new@example.fr", "role": Role.SME, "organisation": world.sme_org.pk}  # type: ignore[attr-defined]
    response = world.client(role).post(url, data)
    assert response.status_code == expected(role, MANAGERS, 302)
    assert Invitation.objects.filter(email="new@example.fr").exists() == (role in MANAGERS)
    assert len(mail.outbox) == (1 if role in MANAGERS else 0)


@pytest.mark.parametrize("role", ROLES)
def test_the_contacts_invitation_by_role(world: World, role: str) -> None:
    url = reverse("www:invite_contacts", args=[world.programme.slug])
    assert world.client(role).get(url).status_code == expected(role, MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_resend_and_revoke_by_role(world: World, role: str) -> None:
    invitation = _pending(world)
    resend = world.client(role).post(reverse("www:invitation_resend", args=[invitation.pk]))
    assert resend.status_code == expected(role, MANAGERS, 302)
    assert len(mail.outbox) == (1 if role in MANAGERS else 0)
    revoke = world.client(role).post(reverse("www:invitation_revoke", args=[invitation.pk]))
    assert revoke.status_code == expected(role, MANAGERS, 302)
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_deactivate_and_reactivate_by_role(world: World, role: str) -> None:
    account: Any = world.users["other_sme"]
    url = reverse("www:account_deactivate", args=[world.programme.slug, account.pk])
    assert world.client(role).post(url).status_code == expected(role, MANAGERS, 302)
    account.refresh_from_db()
    assert account.is_active == (role not in MANAGERS)
    url = reverse("www:account_reactivate", args=[world.programme.slug, account.pk])
    assert world.client(role).post(url).status_code == expected(role, MANAGERS, 302)
    account.refresh_from_db()
    assert account.is_active


def test_the_actions_answer_get_with_405(world: World) -> None:
    invitation = _pending(world)
    client = world.client("consultant")
    assert client.get(reverse("www:invitation_resend", args=[invitation.pk])).status_code == 405
    assert client.get(reverse("www:account_deactivate", args=[world.programme.slug, 1])).status_code == 405


def test_a_consultant_cannot_grant_or_withdraw_the_ademe_role(world: World) -> None:
    client = world.client("consultant")
    url = reverse("www:invite", args=[world.programme.slug])
    response = client.post(url, {"email": "officer@ademe.example", "role": Role.ADEME})
    assert response.status_code == 200
    assert "choix valide" in response.content.decode()  # the role field refuses "ademe"
    assert not Invitation.objects.exists()
    ademe: Any = world.users["ademe"]
    deactivate = reverse("www:account_deactivate", args=[world.programme.slug, ademe.pk])
    assert client.post(deactivate).status_code == 404
    assert (
        client.post(
            reverse("www:invitation_revoke", args=[_pending(world, "o@ademe.example", Role.ADEME).pk])
        ).status_code
        == 404
    )


def test_nobody_deactivates_themselves_or_an_account_of_another_programme(world: World) -> None:
    consultant: Any = world.users["consultant"]
    client = world.client("consultant")
    assert (
        client.post(reverse("www:account_deactivate", args=[world.programme.slug, consultant.pk])).status_code
        == 404
    )
    outsider: Any = world.users["outsider_sme"]
    assert (
        client.post(reverse("www:account_deactivate", args=[world.programme.slug, outsider.pk])).status_code
        == 404
    )
    outsider.refresh_from_db()
    assert outsider.is_active


def test_a_refused_invitation_keeps_what_was_typed_and_names_the_reason(world: World) -> None:
    url = reverse("www:invite", args=[world.programme.slug])
    existing: Any = world.users["other_sme"]
    data = {"email": existing.email, "first_name": "Zoé", "role": Role.SME, "organisation": world.sme_org.pk}  # type: ignore[attr-defined]
    response = world.client("consultant").post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Var Plasturgie" in body  # the organisation the account already belongs to
    assert 'value="Zoé"' in body
    assert not Invitation.objects.exists()


def test_an_sme_invitation_without_organisation_is_refused_by_field(world: World) -> None:
    url = reverse("www:invite", args=[world.programme.slug])
    response = world.client("consultant").post(url, {"email": "no-org@example.fr", "role": Role.SME})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_an_organisation_of_another_programme_is_not_offered(world: World) -> None:
    url = reverse("www:invite", args=[world.programme.slug])
    outsider_org = world.users["outsider_sme"].organisation  # type: ignore[attr-defined]
    data = {"email": "x@example.fr", "role": Role.SME, "organisation": outsider_org.pk}
    response = world.client("staff").post(url, data)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


# --- Contacts of the candidacy import -------------------------------------------------------------------


@pytest.fixture
def imported(world: World) -> list[Person]:
    CommuneFactory()
    record, plan = preview_import(world.programme, csv_bytes([row(1), row(2), row(3)]), "ami.csv", None)
    assert plan.is_valid, plan.errors
    confirm_import(record, None)
    return list(Person.objects.filter(email__endswith="@exemple.example").order_by("email"))


def test_contacts_of_the_import_are_listed_and_invited_in_bulk(world: World, imported: list[Person]) -> None:
    client = world.client("consultant")
    url = reverse("www:invite_contacts", args=[world.programme.slug])
    page = client.get(url).content.decode()
    for person in imported:
        assert person.email in page
    chosen = imported[:2]
    response = client.post(url, {"contacts": [p.pk for p in chosen]})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in chosen)
    for person in chosen:
        invitation = Invitation.objects.get(email=person.email)
        assert (invitation.role, invitation.organisation_id, invitation.person_id) == (
            Role.SME,
            person.organisation_id,
            person.pk,
        )
    # Invited contacts leave the list; the third one stays.
    page = client.get(url).content.decode()
    assert f'name="contacts" value="{chosen[0].pk}"' not in page
    assert f'name="contacts" value="{imported[2].pk}"' in page


def test_the_list_can_be_narrowed_to_one_import(world: World, imported: list[Person]) -> None:
    client = world.client("consultant")
    url = reverse("www:invite_contacts", args=[world.programme.slug])
    from sobrindustrie.diagnostics.models import CandidacyImport

    record = CandidacyImport.objects.get()
    assert imported[0].email in client.get(url, {"import": record.pk}).content.decode()
    assert client.get(url, {"import": record.pk + 1000}).status_code == 404
    assert client.get(url, {"import": "abc"}).status_code == 404


def test_a_contact_of_another_programme_cannot_be_posted(world: World, imported: list[Person]) -> None:
    from tests.factories import PersonFactory

    stranger = PersonFactory(organisation=world.users["outsider_sme"].organisation)  # type: ignore[attr-defined]
    url = reverse("www:invite_contacts", args=[world.programme.slug])
    response = world.client("consultant").post(url, {"contacts": [imported[0].pk, stranger.pk]})
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_empty_choice_is_refused(world: World, imported: list[Person]) -> None:
    url = reverse("www:invite_contacts", args=[world.programme.slug])
    response = world.client("consultant").post(url, {})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


# --- Deactivation takes effect at once -------------------------------------------------------------------


def test_a_deactivated_users_session_and_api_tokens_stop_on_their_next_request(world: World) -> None:
    account: Any = world.users["sme"]
    session = Client()
    session.force_login(account)
    _token, raw = ApiToken.issue(account, "outil")
    api_url = "/api/me"
    assert session.get(reverse("www:organisation_detail", args=[account.organisation_id])).status_code == 200
    assert Client().get(api_url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    response = world.client("consultant").post(
        reverse("www:account_deactivate", args=[world.programme.slug, account.pk])
    )
    assert response.status_code == 302

    page = session.get(reverse("www:organisation_detail", args=[account.organisation_id]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("www:login"))
    assert Client().get(api_url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert session.get(api_url).status_code == 401
    # History stays: the account still exists, with its organisation.
    assert User.objects.filter(pk=account.pk, organisation=account.organisation_id).exists()


def test_the_people_page_makes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import UserFactory

    client = world.client("consultant")
    url = reverse("www:people", args=[world.programme.slug])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(8):
        UserFactory(role=Role.SME, organisation=world.sme_org)
        _pending(world, f"waiting{n}@example.fr")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_accounts_are_paged(world: World) -> None:
    from sobrindustrie.www.accounts_views.people import ACCOUNTS_PER_PAGE
    from tests.factories import UserFactory

    for _n in range(ACCOUNTS_PER_PAGE):
        UserFactory(role=Role.SME, organisation=world.sme_org)
    client = world.client("consultant")
    url = reverse("www:people", args=[world.programme.slug])
    assert "page=2" in client.get(url).content.decode()
    assert client.get(url, {"page": 2}).status_code == 200
