"""Writes of the funding area: shortlists, applications and their moves, days of support.

Each function touching several rows runs in a transaction; every status move leaves an
ApplicationLog row (who, when, from, to, why) besides the model's history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from sobrindustrie.actionplans.enums import EDITING_ROLES
from sobrindustrie.actionplans.models import Action
from sobrindustrie.core.uploads import check_upload
from sobrindustrie.funding import workflow
from sobrindustrie.funding.enums import ApplicationStatus
from sobrindustrie.funding.models import (
    ApplicationDocument,
    ApplicationLog,
    FundingApplication,
    FundingProfile,
    FundingScheme,
    Shortlist,
)
from sobrindustrie.meetings.enums import Axis, TimeObjectKind
from sobrindustrie.meetings.models import TimeEntry
from sobrindustrie.organisations.models import Organisation

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def organisations_concerned(action: Action) -> list[Organisation]:
    """The lead and the contributors who take part in the work (informed parties apply for nothing)."""
    contributing = action.contributors.filter(role__in=EDITING_ROLES).values("organisation_id")
    return list(
        Organisation.objects.filter(Q(pk=action.lead_organisation_id) | Q(pk__in=contributing))
        .select_related("programme", "funding_profile")
        .order_by("name")
    )


def add_to_shortlist(action: Action, scheme: FundingScheme, user: User, note: str = "") -> Shortlist:
    shortlist, created = Shortlist.objects.get_or_create(
        action=action, scheme=scheme, defaults={"note": note, "added_by": user}
    )
    if not created and note and shortlist.note != note:
        shortlist.note = note
        shortlist.save(update_fields=["note", "updated_at"])
    return shortlist


def remove_from_shortlist(shortlist: Shortlist) -> None:
    shortlist.delete()


@transaction.atomic
def create_application(application: FundingApplication, user: User) -> FundingApplication:
    """Save a new application (status identified) and log its creation."""
    application.status = ApplicationStatus.IDENTIFIED
    application.created_by = user
    application.full_clean()
    application.save()
    ApplicationLog.objects.create(application=application, user=user, to_status=application.status)
    return application


@transaction.atomic
def apply_transition(
    application: FundingApplication, name: str, user: User, values: dict[str, Any], comment: str = ""
) -> FundingApplication:
    """Move an application; ValidationError (naming the field) if the move or its facts are refused.

    `values` are the facts the move establishes (its `fields`); nothing is saved when refused.
    """
    transition = workflow.check(application.status, name)
    previous = application.status
    before = {field_name: getattr(application, field_name) for field_name in transition.fields}
    for field_name in transition.fields:
        if field_name in values:
            setattr(application, field_name, values[field_name])
    application.status = transition.target
    try:
        application.full_clean()
    except ValidationError:
        # Leave the object as it was, so that the page shows the saved state next to the form.
        for field_name, value in before.items():
            setattr(application, field_name, value)
        application.status = previous
        raise
    application.version += 1
    application.save()
    ApplicationLog.objects.create(
        application=application, user=user, from_status=previous, to_status=transition.target, comment=comment
    )
    return application


def record_days(
    application: FundingApplication, consultant: User, day: dt.date, days: Decimal, description: str = ""
) -> TimeEntry:
    """Days of support spent on this application, as a time entry of kind "funding order" (Axe 3)."""
    entry = TimeEntry(
        programme=application.action.plan.team.programme,
        consultant=consultant,
        date=day,
        days=days,
        axis=Axis.FUNDING,
        object_kind=TimeObjectKind.FUNDING_ORDER,
        content_type=ContentType.objects.get_for_model(FundingApplication),
        object_id=application.pk,
        description=description,
    )
    entry.full_clean()
    entry.save()
    return entry


def profile_for(organisation: Organisation) -> FundingProfile:
    profile, _created = FundingProfile.objects.get_or_create(organisation=organisation)
    return profile


def add_document(
    application: FundingApplication, user: User | None, title: str, upload: Any
) -> ApplicationDocument:
    """Attach a file to the application once the upload policy accepted it (`UploadRefused` otherwise)."""
    check_upload(upload)
    document = ApplicationDocument(application=application, title=title, uploaded_by=user)
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document
