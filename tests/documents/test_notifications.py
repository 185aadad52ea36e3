"""Notifications in the platform, the daily digest, and the unsubscribe link without login."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sobrindustrie.documents import notifications
from sobrindustrie.documents.models import Notification, NotificationPreference
from tests.documents.conftest import DocWorld


def test_the_list_counts_unread_and_marks_read(docs: DocWorld) -> None:
    sme = docs.user("sme")
    notifications.notify([sme], "new_item", "New: Synthèse", "/documents/1/")
    client = docs.client("sme")
    assert "1 unread notification" in client.get(reverse("www:notification_list")).content.decode()
    client.post(reverse("www:notification_read_all"))
    assert not Notification.objects.filter(user=sme, read_at__isnull=True).exists()


def test_a_user_cannot_open_another_users_notification(docs: DocWorld) -> None:
    notifications.notify([docs.user("ademe")], "to_validate", "To validate: X", "/documents/1/")
    other = Notification.objects.get()
    assert docs.client("sme").get(reverse("www:notification_open", args=[other.pk])).status_code == 404


def test_the_daily_digest_sends_one_email_per_user(docs: DocWorld) -> None:
    sme, partner = docs.user("sme"), docs.user("partner")
    NotificationPreference.objects.create(user=partner, frequency="never")
    notifications.notify([sme, partner], "new_item", "New: Synthèse atelier 1", "/documents/1/")
    notifications.notify([sme], "new_item", "New: Webinaire rétrofit", "/actualites/2/")
    assert mail.outbox == []
    call_command("send_notification_digest", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[sme.email]]
    body = mail.outbox[0].body
    assert "New: Synthèse atelier 1" in body and "New: Webinaire rétrofit" in body
    assert "http://" in body and "/documents/1/" in body
    token = re.search(r"/notifications/desabonnement/([^/]+)/", body).group(1)  # type: ignore[union-attr]
    assert notifications.user_from_token(token) == sme.pk
    call_command("send_notification_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1, "nothing is sent twice"


def test_unsubscribe_works_without_login(docs: DocWorld) -> None:
    sme = docs.user("sme")
    url = reverse("www:notifications_unsubscribe", args=[notifications.unsubscribe_token(sme)])
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(url).status_code == 200
    assert anonymous.post(url).status_code == 200
    assert NotificationPreference.objects.get(user=sme).frequency == "never"


def test_a_forged_unsubscribe_token_is_refused(docs: DocWorld) -> None:
    url = reverse("www:notifications_unsubscribe", args=[f"{docs.user('sme').pk}:forged"])
    assert Client().post(url).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_preferences_are_saved(docs: DocWorld) -> None:
    docs.client("sme").post(reverse("www:notification_preferences"), {"frequency": "immediate"})
    assert NotificationPreference.objects.get(user=docs.user("sme")).frequency == "immediate"
