"""Notices of schemes that close soon, for the shortlists and applications that count on them.

A scheme closes on its next submission deadline or at the end of its validity, whichever comes first.
When that day is within `CLOSING_DAYS`, the owners are told in the platform and by e-mail (at once or
in their daily digest, as each prefers: `documents.notifications.notify`):

- an application not yet submitted (identified or in preparation): who created it and the active
  accounts of the applicant organisation (they see their applications);
- a shortlisted scheme for which the action has no application yet: who shortlisted it, else the
  programme's consultants.

Each notice has a key made of the row and the closing day: running daily, or after every refresh,
tells each owner once per application and deadline; a new deadline tells again.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.funding.enums import ApplicationStatus
from sobrindustrie.funding.models import FundingApplication, FundingScheme, Shortlist

CLOSING_DAYS: Final = 30
NOT_SUBMITTED: Final = (ApplicationStatus.IDENTIFIED, ApplicationStatus.IN_PREPARATION)


def closing_day(scheme: FundingScheme, today: dt.date) -> dt.date | None:
    """The scheme's next submission deadline or its end of validity, whichever comes first (from today)."""
    days = [
        day for day in (scheme.next_deadline(today), scheme.valid_until) if day is not None and day >= today
    ]
    return min(days) if days else None


def _closing(scheme: FundingScheme, today: dt.date) -> dt.date | None:
    if scheme.withdrawn_on is not None:
        return None
    day = closing_day(scheme, today)
    return day if day is not None and day <= today + dt.timedelta(days=CLOSING_DAYS) else None


def _consultants(programme: object) -> list[User]:
    return list(notifications.staff_of(programme).filter(role=Role.CONSULTANT))


def _application_owners(application: FundingApplication) -> list[User]:
    owners = {
        user.pk: user
        for user in User.objects.filter(is_active=True, organisation_id=application.organisation_id)
    }
    creator = application.created_by
    if creator is not None and creator.is_active:
        owners[creator.pk] = creator
    if not owners:
        owners = {user.pk: user for user in _consultants(application.action.plan.team.programme)}
    return list(owners.values())


def _title(scheme: FundingScheme, day: dt.date, action: object, organisation: object = None) -> str:
    values = {"scheme": scheme.title, "date": formats.date_format(day, "j F Y"), "action": action}
    if organisation is None:
        return _("“%(scheme)s” closes on %(date)s (shortlisted for “%(action)s”)") % values
    values["organisation"] = organisation
    return _("“%(scheme)s” closes on %(date)s: application of %(organisation)s for “%(action)s”") % values


def notify_closing_schemes(today: dt.date) -> int:
    """Tell the owners of applications and shortlists whose scheme closes soon; return notices recorded."""
    recorded = 0
    window = Q(scheme__withdrawn_on__isnull=True)
    with translation.override(settings.LANGUAGE_CODE):
        applications = (
            FundingApplication.objects.filter(window, status__in=NOT_SUBMITTED)
            .select_related("scheme", "organisation", "created_by", "action__plan__team__programme")
            .order_by("pk")
        )
        for application in applications:
            day = _closing(application.scheme, today)
            if day is None:
                continue
            recorded += notifications.notify(
                _application_owners(application),
                NotificationKind.FUNDING_DEADLINE,
                _title(application.scheme, day, application.action, application.organisation),
                application.get_absolute_url(),
                key=f"funding-deadline:application:{application.pk}:{day.isoformat()}",
            )
        shortlists = (
            Shortlist.objects.filter(window)
            .select_related("scheme", "added_by", "action__plan__team__programme")
            .order_by("pk")
        )
        # An application, whatever its status, speaks for the shortlisted scheme of its action.
        applied = set(FundingApplication.objects.values_list("action_id", "scheme_id"))
        for item in shortlists:
            if (item.action_id, item.scheme_id) in applied:
                continue
            day = _closing(item.scheme, today)
            if day is None:
                continue
            owner = item.added_by
            owners = (
                [owner]
                if owner is not None and owner.is_active
                else _consultants(item.action.plan.team.programme)
            )
            recorded += notifications.notify(
                owners,
                NotificationKind.FUNDING_DEADLINE,
                _title(item.scheme, day, item.action),
                reverse("www:action_funding", args=[item.action_id]),
                key=f"funding-deadline:shortlist:{item.pk}:{day.isoformat()}",
            )
    return recorded
