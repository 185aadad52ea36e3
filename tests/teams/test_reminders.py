"""`send_prospect_reminders`: one e-mail per person for the next steps that fall due, once per date."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from sobrindustrie.accounts.enums import Role
from tests.conftest import World
from tests.factories import UserFactory
from tests.teams.factories import ProspectFactory, TeamFactory

TODAY = dt.date(2026, 6, 10)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("send_prospect_reminders", "--date", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due(world: World) -> dict[str, object]:
    team = TeamFactory(programme=world.programme, name="Rétrofit")
    follower = world.users["consultant"]
    return {
        "late": ProspectFactory(
            team=team,
            next_step="Relancer",
            next_step_due=TODAY - dt.timedelta(days=3),
            followed_by=follower,
            status="contacted",
        ),
        "today": ProspectFactory(
            team=team, next_step="Envoyer le devis", next_step_due=TODAY, followed_by=follower
        ),
        "later": ProspectFactory(
            team=team, next_step="Visite", next_step_due=TODAY + dt.timedelta(days=5), followed_by=follower
        ),
        "closed": ProspectFactory(
            team=team, next_step="Rien", next_step_due=TODAY, status="declined", followed_by=follower
        ),
        "unfollowed": ProspectFactory(team=team, next_step="Appeler", next_step_due=TODAY),
    }


def test_due_steps_are_reminded_once(world: World, due: dict[str, object]) -> None:
    other_consultant = UserFactory(role=Role.CONSULTANT, programmes=[world.programme], first_name="Nico")
    assert _run() == "2 reminder e-mail(s) sent.\n"
    by_recipient = {message.to[0]: message for message in mail.outbox}
    follower = world.users["consultant"]
    mine = by_recipient[follower.email]
    assert "Relancer" in mine.body and "Envoyer le devis" in mine.body and "(late)" in mine.body
    assert "Visite" not in mine.body and "Rien" not in mine.body
    assert "/prospection/" in mine.body
    # Nobody follows "Appeler": every consultant of the programme hears of it, each in one e-mail.
    assert "Appeler" in by_recipient[other_consultant.email].body
    assert "Appeler" in mine.body
    mail.outbox.clear()
    assert _run() == "0 reminder e-mail(s) sent.\n"
    assert not mail.outbox


def test_moving_the_due_date_re_arms_the_reminder(world: World, due: dict[str, object]) -> None:
    _run()
    mail.outbox.clear()
    late = due["late"]
    late.next_step_due = TODAY  # type: ignore[attr-defined]
    late.save()  # type: ignore[attr-defined]
    assert _run() == "1 reminder e-mail(s) sent.\n"
    assert "Relancer" in mail.outbox[0].body


def test_dry_run_and_days_ahead(world: World, due: dict[str, object]) -> None:
    # One consultant follows everything here: one e-mail, "Visite" included a week ahead.
    assert _run("--dry-run", "--days-ahead", "7") == "1 reminder e-mail(s) would be sent.\n"
    assert not mail.outbox
    _run("--days-ahead", "7")
    assert "Visite" in mail.outbox[0].body
    with pytest.raises(CommandError, match="--date: expected YYYY-MM-DD"):
        call_command("send_prospect_reminders", "--date", "10/06/2026")
