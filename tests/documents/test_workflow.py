"""The publication workflow: who may do each transition, refusals, notifications, history."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from sobrindustrie.documents import services, workflow
from sobrindustrie.documents.models import Document, Notification
from tests.documents.conftest import DocWorld
from tests.documents.files import PDF, upload


@pytest.fixture
def document(docs: DocWorld) -> Document:
    return services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="Synthèse atelier 1"
    )


def _go(docs: DocWorld, role: str, document: Document, name: str, **data: str) -> None:
    docs.client(role).post(reverse("www:item_transition", args=["document", document.pk, name]), data)
    document.refresh_from_db()


def test_the_whole_path_to_publication(docs: DocWorld, document: Document) -> None:
    _go(docs, "consultant", document, "submit")
    assert document.status == "submitted"
    assert Notification.objects.filter(user=docs.user("ademe"), kind="to_validate").exists()
    _go(docs, "ademe", document, "validate")
    assert document.status == "validated" and document.validated_by == docs.user("ademe")
    _go(docs, "consultant", document, "publish")
    assert document.status == "published" and document.published_at
    for role in ("sme", "other_sme", "partner"):
        assert Notification.objects.filter(user=docs.user(role), kind="new_item").exists(), role
    assert not Notification.objects.filter(user=docs.user("outsider_sme")).exists()
    assert document.history.count() >= 4


def test_sending_back_needs_a_comment(docs: DocWorld, document: Document) -> None:
    _go(docs, "consultant", document, "submit")
    _go(docs, "ademe", document, "return")
    assert document.status == "submitted"
    _go(docs, "ademe", document, "return", comment="Anonymiser les chiffres de Provence Usinage.")
    assert document.status == "returned" and "Anonymiser" in document.return_comment
    _go(docs, "consultant", document, "submit")
    assert document.status == "submitted" and document.return_comment == ""


@pytest.mark.parametrize(
    "role,name",
    [
        ("consultant", "validate"),  # the consultant cannot validate their own work
        ("ademe", "submit"),
        ("sme", "submit"),
        ("partner", "submit"),
        ("outsider_consultant", "submit"),
    ],
)
def test_refused_transitions_change_nothing(docs: DocWorld, document: Document, role: str, name: str) -> None:
    if name == "validate":
        services.transition(document, docs.user("consultant"), "submit")
    before = document.status
    with pytest.raises(workflow.TransitionRefused):
        services.transition(document, docs.user(role), name)
    document.refresh_from_db()
    assert document.status == before


def test_publishing_before_validation_is_refused(docs: DocWorld, document: Document) -> None:
    services.transition(document, docs.user("consultant"), "submit")
    with pytest.raises(workflow.TransitionRefused):
        services.transition(document, docs.user("consultant"), "publish")


def test_transition_table_is_explicit() -> None:
    assert {name: (t.sources, t.target) for name, t in workflow.TRANSITIONS.items()} == {
        "submit": (("draft", "returned"), "submitted"),
        "validate": (("submitted",), "validated"),
        "return": (("submitted",), "returned"),
        "publish": (("validated",), "published"),
    }


def test_the_copil_queue_lists_submitted_items(docs: DocWorld, document: Document) -> None:
    url = reverse("www:copil_queue", args=[docs.world.programme.slug])
    assert "Synthèse atelier 1" not in docs.client("ademe").get(url).content.decode()
    services.transition(document, docs.user("consultant"), "submit")
    assert "Synthèse atelier 1" in docs.client("ademe").get(url).content.decode()


def test_immediate_email_has_an_unsubscribe_link(docs: DocWorld, document: Document) -> None:
    from sobrindustrie.documents.models import NotificationPreference

    NotificationPreference.objects.create(user=docs.user("ademe"), frequency="immediate")
    services.transition(document, docs.user("consultant"), "submit")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [docs.user("ademe").email]
    assert "To validate: Synthèse atelier 1" in message.body
    assert "/notifications/desabonnement/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
