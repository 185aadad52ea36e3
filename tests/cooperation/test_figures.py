"""Figures that hold in a COPIL: each opportunity's figures open on their formula, the formula adds
up to the stored figure, and an analysis older than the data it read says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.freshness import changes_since
from sobrindustrie.cooperation.models import CooperationAnalysis, DetectedOpportunity
from sobrindustrie.engines.teams import DetectionParameters
from tests.conftest import World
from tests.cooperation.factories import Cooperation
from tests.factories import ProductionMeansFactory


def test_the_page_opens_each_figure_on_its_formula(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    pooling = DetectedOpportunity.objects.get(analysis=analysis, solution="pooling")
    url = reverse("www:opportunity_detail", args=[pooling.pk])
    body = world.client("consultant").get(url).content.decode()
    assert "Avoided purchase" in body and "The purchase is avoided in full." in body
    assert "great-circle × 1.3" in body
    # Linked from the list.
    listing = world.client("consultant").get(reverse("www:opportunity_list", args=[world.programme.slug]))
    assert url in listing.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("consultant", 200),
        ("ademe", 200),
        ("sme", 200),  # Provence Usinage provides the pooling
        ("partner", 404),
        ("outsider_consultant", 404),
        ("outsider_sme", 404),
    ],
)
def test_who_opens_an_opportunity(
    world: World, coop: Cooperation, analysis: CooperationAnalysis, role: str, status: int
) -> None:
    pooling = DetectedOpportunity.objects.get(analysis=analysis, solution="pooling")
    assert world.client(role).get(reverse("www:opportunity_detail", args=[pooling.pk])).status_code == status


def test_an_sme_member_cannot_open_another_company_s_opportunity(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    other = DetectedOpportunity.objects.filter(analysis=analysis).exclude(provider=world.sme_org)
    other = other.exclude(receiver=world.sme_org).first()
    assert other is not None
    assert world.client("sme").get(reverse("www:opportunity_detail", args=[other.pk])).status_code == 404


def test_the_radius_field_shows_the_analysis_s_radius(world: World, coop: Cooperation) -> None:
    services.run_analysis(world.programme, None, DetectionParameters(radius_km=30))
    body = world.client("consultant").get(reverse("www:opportunity_list", args=[world.programme.slug]))
    assert 'name="radius_km" value="30.0"' in body.content.decode() or 'value="30"' in body.content.decode()
    assert "Radius: 30 km" in body.content.decode()


def test_an_analysis_older_than_its_data_is_marked_with_a_rerun(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    url = reverse("www:opportunity_list", args=[world.programme.slug])
    assert changes_since(analysis) == []
    assert "The data changed" not in world.client("consultant").get(url).content.decode()
    machines = analysis.inputs_state["means"][0]
    ProductionMeansFactory(organisation=world.sme_org, name="Nouvelle presse")
    changes = changes_since(analysis)
    assert [(c.source, c.then, c.now) for c in changes] == [("means", machines, machines + 1)]
    body = world.client("consultant").get(url).content.decode()
    assert "The data changed since this analysis ran" in body
    assert f"Production means: {machines} then, {machines + 1} now" in body
    assert "Update the analysis" in body
    # ADEME reads the warning without the button.
    reader = world.client("ademe").get(url).content.decode()
    assert "The data changed since this analysis ran" in reader and "Update the analysis" not in reader
    # One click: the analysis runs again and the warning goes.
    world.client("consultant").post(
        reverse("www:analysis_run", args=[world.programme.slug]), {"radius_km": "50"}
    )
    assert "The data changed" not in world.client("consultant").get(url).content.decode()


def test_an_edit_marks_the_analysis_stale_too(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    coop.laser.annual_operating_hours = 1500  # type: ignore[attr-defined]
    coop.laser.save()  # type: ignore[attr-defined]
    assert [c.source for c in changes_since(analysis)] == ["means"]
