"""Owners of shortlists and applications hear once when their scheme closes within 30 days."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from sobrindustrie.documents.enums import DigestFrequency, NotificationKind
from sobrindustrie.documents.models import Notification, NotificationPreference
from sobrindustrie.funding.deadlines import closing_day, notify_closing_schemes
from sobrindustrie.funding.enums import ApplicationStatus
from tests.funding.conftest import FundingWorld
from tests.funding.factories import SchemeFactory, ShortlistFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = dt.date(2026, 12, 7)


def _notices() -> list[tuple[str, str]]:
    return sorted(
        (n.user.email, n.key) for n in Notification.objects.filter(kind=NotificationKind.FUNDING_DEADLINE)
    )


def test_the_closing_day_is_the_next_deadline_or_the_end_of_validity() -> None:
    scheme = SchemeFactory.build(
        valid_until=dt.date(2027, 1, 31), submission_deadlines=["2026-12-20", "2027-06-01"]
    )
    assert closing_day(scheme, TODAY) == dt.date(2026, 12, 20)
    scheme.submission_deadlines = []
    assert closing_day(scheme, TODAY) == dt.date(2027, 1, 31)
    scheme.valid_until = dt.date(2026, 12, 1)
    assert closing_day(scheme, TODAY) is None


def test_applications_and_shortlists_notify_their_owners_once_per_deadline(
    funding_world: FundingWorld,
) -> None:
    consultant, sme = funding_world.world.users["consultant"], funding_world.world.users["sme"]
    NotificationPreference.objects.create(user=consultant, frequency=DigestFrequency.IMMEDIATE)
    application = funding_world.application
    application.created_by = consultant
    application.save()
    scheme = application.scheme
    scheme.valid_until = TODAY + dt.timedelta(days=20)
    scheme.save()
    shortlisted = SchemeFactory(submission_deadlines=[(TODAY + dt.timedelta(days=30)).isoformat()])
    shortlist = ShortlistFactory(action=funding_world.action, scheme=shortlisted, added_by=consultant)
    ShortlistFactory(action=funding_world.action, scheme=scheme, added_by=consultant)  # has an application
    far = SchemeFactory(valid_until=TODAY + dt.timedelta(days=45))
    ShortlistFactory(action=funding_world.action, scheme=far, added_by=consultant)

    assert notify_closing_schemes(TODAY) == 3
    day = (TODAY + dt.timedelta(days=20)).isoformat()
    assert _notices() == sorted(
        [
            (consultant.email, f"funding-deadline:application:{application.pk}:{day}"),
            (sme.email, f"funding-deadline:application:{application.pk}:{day}"),
            (
                consultant.email,
                f"funding-deadline:shortlist:{shortlist.pk}:{(TODAY + dt.timedelta(days=30)).isoformat()}",
            ),
        ]
    )
    assert len(mail.outbox) == 2  # the consultant wanted each notice at once; the SME gets the digest
    assert "closes on" in Notification.objects.filter(user=sme).get().title
    # Idempotent: the next day's run tells nobody again.
    assert notify_closing_schemes(TODAY + dt.timedelta(days=1)) == 0
    # A new deadline tells again; a submitted application is no longer reminded.
    scheme.valid_until = TODAY + dt.timedelta(days=25)
    scheme.save()
    out = StringIO()
    call_command("send_funding_deadline_notices", "--today", TODAY.isoformat(), stdout=out)
    assert out.getvalue().startswith("2 notification(s)")
    application.status = ApplicationStatus.SUBMITTED
    application.save(update_fields=["status"])
    scheme.valid_until = TODAY + dt.timedelta(days=26)
    scheme.save()
    assert notify_closing_schemes(TODAY) == 0


def test_withdrawn_or_expired_schemes_notify_nobody(funding_world: FundingWorld) -> None:
    scheme = funding_world.application.scheme
    scheme.valid_until = TODAY + dt.timedelta(days=5)
    scheme.withdrawn_on = TODAY
    scheme.save()
    assert notify_closing_schemes(TODAY) == 0
    scheme.withdrawn_on = None
    scheme.valid_until = TODAY - dt.timedelta(days=1)
    scheme.save()
    assert notify_closing_schemes(TODAY) == 0
