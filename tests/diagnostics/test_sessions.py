"""Sessions are counted against the programme's cap of days per diagnostic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sobrindustrie.diagnostics.models import DiagnosticSession
from sobrindustrie.diagnostics.services import add_session
from tests.diagnostics.conftest import Diagnostics, english_client


def _session(days: str, date: dt.date = dt.date(2025, 12, 1)) -> DiagnosticSession:
    return DiagnosticSession(date=date, days=Decimal(days), kind="visit")


def test_sessions_fill_the_cap_and_no_more(diagnostics: Diagnostics) -> None:
    diagnostic = diagnostics.diagnostic  # one day already spent
    add_session(diagnostic, _session("2.5"))
    add_session(diagnostic, _session("1.5"))
    assert diagnostic.days_spent == Decimal("5")
    with pytest.raises(ValidationError) as caught:
        add_session(diagnostic, _session("0.25"))
    message = caught.value.message_dict["days"][0]
    assert "5.25 days" in message and "cap of 5 days" in message and "5 already spent" in message
    assert diagnostic.sessions.count() == 3


def test_the_cap_is_the_programmes(diagnostics: Diagnostics) -> None:
    programme = diagnostics.world.programme
    programme.diagnostic_days_cap = Decimal("1.5")
    programme.save()
    with pytest.raises(ValidationError):
        add_session(diagnostics.diagnostic, _session("1"))
    add_session(diagnostics.diagnostic, _session("0.5"))


@pytest.mark.parametrize(
    "days,date,field,message",
    [
        ("0.3", dt.date(2025, 12, 1), "days", "quarters of a day"),
        ("0", dt.date(2025, 12, 1), "days", "0.25"),
        ("1", dt.date(2024, 1, 1), "date", "within the programme"),
    ],
)
def test_bad_sessions(diagnostics: Diagnostics, days: str, date: dt.date, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        add_session(diagnostics.diagnostic, _session(days, date))
    assert message in " ".join(caught.value.message_dict[field])


def test_the_page_shows_the_refusal_and_keeps_what_was_typed(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    url = reverse("www:session_add", args=[diagnostics.diagnostic.pk])
    data = {
        "session-date": "2025-12-01",
        "session-kind": "interview",
        "session-days": "4.5",
        "session-notes": "Atelier",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "above the programme&#x27;s cap of 5 days" in page
    assert 'value="4.5"' in page and "Atelier" in page
    assert diagnostics.diagnostic.sessions.count() == 1
    data["session-days"] = "4"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("www:diagnostic_detail", args=[diagnostics.diagnostic.pk])).content.decode()
    assert "5 / 5" in page
