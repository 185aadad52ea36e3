"""Opportunities suggested by the rules, then edited or added by the consultant."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.diagnostics.evaluation import cooperation_signals
from sobrindustrie.diagnostics.models import Answer, Barrier, CooperationSignal, Opportunity
from sobrindustrie.diagnostics.services import apply_suggestions
from sobrindustrie.engines.teams.inputs import Signal
from tests.diagnostics.conftest import Diagnostics, english_client
from tests.factories import ProductionMeansFactory


@pytest.fixture
def answered(diagnostics: Diagnostics) -> Diagnostics:
    diagnostic = diagnostics.diagnostic
    org = diagnostics.world.sme_org
    ProductionMeansFactory(
        organisation=org,
        name="Compresseur",
        category="utilities.compressor",
        utilisation_rate=90,
        sharing_hours_per_week=0,
        annual_consumption_kwh=50000,
        maintenance_mode="contractor",
        contractor_distance_km=200,
    )
    for question, value in {
        "pool_willing": "oui",
        "use_air_leaks": False,
        "pool_insurance_concern": True,
        "mnt_preventive": False,
    }.items():
        Answer.objects.create(diagnostic=diagnostic, question_id=question, value=value)
    return diagnostics


def test_suggestions_follow_the_rules(answered: Diagnostics) -> None:
    diagnostic = answered.diagnostic
    report = apply_suggestions(diagnostic)
    assert report.created >= 3
    suggested = {o.rule_id: o for o in diagnostic.opportunities.filter(origin="rule")}
    assert {"pooling_idle_machine", "usage_compressed_air", "maintenance_far_contractor"} <= set(suggested)
    air = suggested["usage_compressed_air"]
    assert air.status == "suggested" and air.solution == "usage_change"
    assert air.electricity_kwh_per_year == 10000  # 20 % of 50 000 kWh
    assert air.ghg_kgco2e_per_year == 520.0  # × 0.052 kgCO2e/kWh, ADEME Base Empreinte
    assert "ADEME Base Empreinte" in air.ghg_basis
    assert air.euros_per_year == 1800
    assert [m.name for m in air.production_means.all()] == ["Compresseur"]
    pooling = suggested["pooling_idle_machine"]
    assert {b.category for b in pooling.barriers.all()} == {"organisational", "regulatory"}
    maintenance = suggested["maintenance_far_contractor"]
    assert (maintenance.need_kind, maintenance.need_skill) == ("skill", "maintenance")
    assert {b.category for b in maintenance.barriers.all()} == {"skills", "organisational"}
    assert diagnostic.cooperation_signals.filter(
        direction="offers", kind="capacity", category="cutting.laser"
    ).exists()


def test_refreshing_changes_nothing_and_respects_the_consultants_work(answered: Diagnostics) -> None:
    diagnostic = answered.diagnostic
    apply_suggestions(diagnostic)
    counts = (Opportunity.history.count(), Barrier.history.count(), CooperationSignal.history.count())
    report = apply_suggestions(diagnostic)
    assert report.created == report.updated == report.removed == 0
    assert (Opportunity.history.count(), Barrier.history.count(), CooperationSignal.history.count()) == counts
    edited = diagnostic.opportunities.get(rule_id="usage_compressed_air")
    edited.title = "Campagne fuites d'air en janvier"
    edited.edited = True
    edited.save()
    retained = diagnostic.opportunities.get(rule_id="pooling_idle_machine")
    retained.status = "retained"
    retained.save()
    # The answers change: the compressed-air rule and the pooling rule no longer apply.
    Answer.objects.filter(question_id="use_air_leaks").update(value=True)
    Answer.objects.filter(question_id="pool_willing").update(value="non")
    Answer.objects.filter(question_id="mnt_preventive").update(value=True)
    report = apply_suggestions(diagnostic)
    assert diagnostic.opportunities.get(pk=edited.pk).title == "Campagne fuites d'air en janvier"
    assert diagnostic.opportunities.filter(pk=retained.pk).exists()
    assert report.kept == 2
    maintenance = diagnostic.opportunities.get(rule_id="maintenance_far_contractor")
    assert not maintenance.barriers.filter(rule_id="maintenance_no_preventive").exists()
    assert diagnostic.opportunities.filter(origin="consultant").count() == 1  # the fixture's own


def test_the_cooperation_analysis_reads_needs_and_offers(answered: Diagnostics) -> None:
    apply_suggestions(answered.diagnostic)
    signals = cooperation_signals(answered.world.programme)
    assert all(isinstance(s, Signal) for s in signals)
    org_id = str(answered.world.sme_org.pk)
    assert Signal(org_id, "inhouse_maintenance", "needs", None, "maintenance", 0.7) in signals
    assert any(s.kind == "offers" and s.category == "cutting.laser" for s in signals)


def test_the_consultant_edits_an_opportunity(answered: Diagnostics) -> None:
    apply_suggestions(answered.diagnostic)
    opportunity = answered.diagnostic.opportunities.get(rule_id="usage_compressed_air")
    client = english_client(answered.world, "consultant")
    url = reverse("www:opportunity_edit", args=[opportunity.pk])
    data = {
        "expected_version": opportunity.version,
        "solution": "usage_change",
        "title": "Fuites d'air",
        "status": "retained",
        "priority": 1,
        "potential": "high",
        "feasibility": "high",
        "natural_gas_kwh_per_year": "1000",
        "electricity_kwh_per_year": "2000",
        "need_kind": "capacity",
        "barriers-TOTAL_FORMS": "1",
        "barriers-INITIAL_FORMS": "0",
        "barriers-0-category": "economic",
        "barriers-0-comment": "Détecteur à ultrasons à louer",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "A capacity need names the category of machine." in response.content.decode()
    data["need_category"] = "measurement.ndt"
    assert client.post(url, data).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.edited and opportunity.title == "Fuites d'air"
    assert opportunity.ghg_kgco2e_per_year == pytest.approx(2000 * 0.052 + 1000 * 0.227)
    assert not opportunity.ghg_entered
    assert opportunity.barriers.get(category="economic").origin == "consultant"
    barrier = opportunity.barriers.get()
    data.update(
        {
            "barriers-TOTAL_FORMS": "2",
            "barriers-INITIAL_FORMS": "1",
            "barriers-0-id": str(barrier.pk),
            "barriers-0-opportunity": str(opportunity.pk),
            "barriers-1-category": "economic",
            "barriers-1-comment": "Encore",
            "expected_version": opportunity.version,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Please correct the duplicate data for category." in response.content.decode()
    data.update({"barriers-TOTAL_FORMS": "1"})
    data.update(expected_version=opportunity.version, ghg_kgco2e_per_year="900")
    client.post(url, data)
    opportunity.refresh_from_db()
    assert opportunity.ghg_kgco2e_per_year == 900 and opportunity.ghg_entered
    # Someone else's older form is refused rather than overwriting.
    data.update(expected_version=1, title="Ancien titre")
    response = client.post(url, data)
    assert response.status_code == 400
    opportunity.refresh_from_db()
    assert opportunity.title == "Fuites d'air"


def test_the_consultant_adds_an_opportunity_and_a_signal(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "consultant")
    diagnostic = diagnostics.diagnostic
    response = client.post(
        reverse("www:opportunity_create", args=[diagnostic.pk]),
        {
            "solution": "retrofit",
            "title": "Rétrofit de la plieuse",
            "status": "retained",
            "priority": 2,
            "potential": "medium",
            "feasibility": "medium",
            "need_kind": "skill",
            "need_skill": "retrofit",
            "barriers-TOTAL_FORMS": "0",
            "barriers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    created = diagnostic.opportunities.get(title="Rétrofit de la plieuse")
    assert created.origin == "consultant" and created.need_label == "Skill: Retrofit"
    response = client.post(
        reverse("www:signal_add", args=[diagnostic.pk]),
        {"signal-direction": "offers", "signal-kind": "capacity", "signal-solution": "pooling"},
    )
    assert response.status_code == 400 and "Machine capacity needs a category." in response.content.decode()
    client.post(
        reverse("www:signal_add", args=[diagnostic.pk]),
        {
            "signal-direction": "offers",
            "signal-kind": "capacity",
            "signal-solution": "pooling",
            "signal-category": "cutting",
        },
    )
    assert diagnostic.cooperation_signals.get().category == "cutting"
    page = client.post(reverse("www:diagnostic_suggest", args=[diagnostic.pk]), follow=True).content.decode()
    assert "rules apply" in page
