from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from sobrindustrie.actionplans.models import Action
from sobrindustrie.api.dataset import DatasetSize, generate
from sobrindustrie.organisations.models import ProductionMeans
from sobrindustrie.teams.models import TeamMembership

SMALL = DatasetSize(
    programmes=2,
    smes_per_programme=5,
    means_per_sme=3,
    teams_per_programme=2,
    actions_per_team=2,
    meetings_per_programme=4,
    seed=7,
)


class _Rollback(Exception):
    pass


def _generated(size: DatasetSize) -> list[tuple[object, ...]]:
    """What `generate` produced, without the identifiers; the database is left untouched."""
    try:
        with transaction.atomic():
            generate(size, "pw")
            means = ProductionMeans.objects.values_list(
                "organisation__programme__slug", "organisation__name", "category", "year", "utilisation_rate"
            )
            actions = Action.objects.values_list("plan__team__name", "title", "lead_organisation__name")
            rows = sorted(means) + sorted(actions)
            raise _Rollback
    except _Rollback:
        return rows


def test_generates_the_asked_sizes(db: object) -> None:
    report = generate(SMALL, "pw")
    assert (report.programmes, report.organisations, report.production_means) == (2, 10, 30)
    assert (report.teams, report.actions, report.meetings, report.users) == (4, 8, 8, 14)
    assert TeamMembership.objects.count() >= 4 * 3


def test_same_seed_same_data_other_seed_other_data(db: object) -> None:
    first = _generated(SMALL)
    assert first == _generated(SMALL)
    assert first != _generated(DatasetSize(**{**vars(SMALL), "seed": 8}))


def test_refuses_to_run_twice(db: object) -> None:
    call_command(
        "generate_dataset", "--programmes", "1", "--smes-per-programme", "2", "--meetings-per-programme", "1"
    )
    with pytest.raises(CommandError, match="already exist"):
        call_command("generate_dataset", "--programmes", "1")
