"""The demo's funding area: idempotent, valid, every status shown."""

from __future__ import annotations

import pytest

from sobrindustrie.actionplans.enums import FundingNature
from sobrindustrie.demo import funding as demo_funding
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.funding import models
from sobrindustrie.funding.enums import ApplicationStatus
from sobrindustrie.funding.synthesis import grid_rows, with_days
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting, Minutes, TimeEntry
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)

MODELS = [
    models.FundingScheme, models.PublicodesInterface, models.Shortlist, models.FundingApplication,
    models.ApplicationLog, models.ApplicationDocument, models.EligibilityResult, TimeEntry, Meeting, Minutes,
]  # fmt: skip


def _counts() -> dict[str, int]:
    counts = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        if hasattr(model, "history"):
            counts[f"{model.__name__} history"] = model.history.count()
    return counts


@pytest.fixture
def programme(db: object, settings: object, tmp_path: object) -> Programme:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    load_demo(password="secret-demo-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    # The teams' and plans' demos are other areas: a team with three actions needing funding stands in.
    laureates = list(Organisation.objects.for_programme(programme).laureates().order_by("slug")[:2])
    team = ProjectTeamFactory(programme=programme, name="Presse mutualisée")
    for organisation in laureates:
        MembershipFactory(team=team, organisation=organisation)
    plan = ActionPlanFactory(team=team)
    for nature in (FundingNature.INVESTMENT, FundingNature.STUDY, FundingNature.TRAINING):
        ActionFactory(
            plan=plan, lead_organisation=laureates[0], funding_nature=nature, title=f"Action {nature}"
        )
    return programme


def test_the_demo_is_idempotent_valid_and_shows_every_status(programme: Programme) -> None:
    # One test: loading the demo takes most of a minute.
    demo_funding.load(programme)
    before = _counts()
    demo_funding.load(programme)
    assert _counts() == before

    applications = models.FundingApplication.objects.all()
    assert set(applications.values_list("status", flat=True)) == set(ApplicationStatus.values)
    for application in applications:
        application.full_clean()
    assert models.Shortlist.objects.count() == 9
    assert any(row.over_cap for row in grid_rows(with_days(applications)))
    assert models.FundingScheme.objects.default_catalogue().count() == 32
    interviews = Meeting.objects.filter(programme=programme, kind=MeetingKind.FUNDER_INTERVIEW)
    assert interviews.count() >= 2 and all(m.minutes_or_none for m in interviews)
