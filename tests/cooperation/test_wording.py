"""The opportunities' sentences: the engine gives a code and parameters, the page writes the sentence
in its language; the sentences stored before the engine returned codes stay readable in both."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from sobrindustrie.cooperation.models import DetectedOpportunity
from sobrindustrie.cooperation.wording import CLAUSES, opportunity_sentence
from sobrindustrie.engines.teams import WORDINGS
from tests.factories import OrganisationFactory, ProgrammeFactory

SKILLS = ("retrofit", "design", "fabrication", "maintenance")
COMMON = {"provider": "Alpha Méca", "receiver": "Europe Usinage", "km": 18}
# One set of parameters per branch of each wording.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("pooling", {"machine": "Laser", "hours": 600, "possible": 2000, "planned": "Laser fibre"}),
    ("pooling", {"machine": "Laser", "hours": 600, "possible": 2000, "wanted_hours": 300, "detail": "tôles"}),
    ("pooling", {"machine": "Laser", "hours": 600, "possible": 2000}),
    ("functional_economy", {"machine": "Cabine", "offered_hours": 500, "planned": "Cabine"}),
    ("functional_economy", {"machine": "Cabine", "wanted_hours": 200}),
    ("functional_economy", {"equipment": "peinture", "offered_hours": 500}),
    ("functional_economy", {"category": "cutting.laser"}),
    ("retrofit_machine", {"machine": "Presse", "condition": "poor"}),
    ("retrofit_machine", {"machine": "Presse", "condition": "out_of_service", "action": "replace"}),
    ("retrofit_machine", {"machine": "Presse", "action": "replace"}),
    ("fabrication_machine", {"skill": "design", "machine": "Gabarit", "action": "purchase"}),
    ("fabrication_machine", {"skill": "fabrication", "machine": "Gabarit", "action": "replace"}),
    ("maintenance_machines", {"count": 1, "machine": "Compresseur", "farthest_km": 120}),
    ("maintenance_machines", {"count": 3, "farthest_km": 1200}),
    *[("skill_need", {"skill": skill, "detail": "outillage", "hours": 80}) for skill in SKILLS],
    ("skill_need", {"skill": "retrofit"}),
]
# Words that only one of the two languages uses in these sentences.
ENGLISH = re.compile(r"\b(the|of|runs|plans|looking|offers|can|has|skills|must|apart|maintained|year)\b")
FRENCH = re.compile(
    r"\b(la|tourne|prévoit|cherche|propose|peut|dispose|doit|sépare|séparent|an|entretenue)\b"
)


def test_every_engine_wording_has_its_sentence() -> None:
    assert set(CLAUSES) == set(WORDINGS)
    assert {code for code, _ in CASES} == set(WORDINGS)


@pytest.mark.parametrize(("code", "params"), CASES)
def test_each_wording_is_written_whole_in_french_and_in_english(code: str, params: dict[str, Any]) -> None:
    with translation.override("fr"):
        french = opportunity_sentence(code, {**COMMON, **params})
    with translation.override("en"):
        english = opportunity_sentence(code, {**COMMON, **params})
    assert french[0].isupper() and french.endswith("les séparent.") and " ; " in french, french
    assert not ENGLISH.search(french), french
    assert english[0].isupper() and english.endswith("18 km apart.") and "; " in english, english
    assert not FRENCH.search(english), english
    for name in ("Alpha Méca", "Europe Usinage"):
        assert name in french and name in english


def test_french_elides_before_a_vowel_and_says_less_than_a_kilometre() -> None:
    params = {**COMMON, "km": 0, "machine": "Presse", "condition": "poor"}
    with translation.override("fr"):
        assert opportunity_sentence("retrofit_machine", params) == (
            "Alpha Méca propose ses compétences de rétrofit ; la machine « Presse » d'Europe Usinage est en "
            "mauvais état ; moins d'un kilomètre les sépare."
        )
    with translation.override("en"):
        assert opportunity_sentence("retrofit_machine", params) == (
            "Alpha Méca offers its retrofit skills; the machine “Presse” of Europe Usinage is in poor "
            "condition; less than a kilometre apart."
        )


def test_a_stored_french_sentence_is_shown_in_french_and_summarised_in_english() -> None:
    params = {"sentence": "Alpha Méca peut aider Europe Usinage ; 18 km les séparent.", **COMMON}
    with translation.override("fr"):
        assert opportunity_sentence("legacy", params, "pooling") == params["sentence"]
    with translation.override("en"):
        assert opportunity_sentence("legacy", params, "pooling") == (
            "Alpha Méca could cooperate with Europe Usinage (pooling of production means); 18 km apart."
        )


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_stored_sentences() -> None:
    programme = ProgrammeFactory()
    alpha = OrganisationFactory(programme=programme, name="Alpha Méca")
    europe = OrganisationFactory(programme=programme, name="Europe Usinage")
    before = [("cooperation", "0002_analysis_state_and_figure_basis")]
    after = [("cooperation", "0005_remove_opportunity_sentence")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        analysis = old.get_model("cooperation", "CooperationAnalysis").objects.create(
            programme_id=programme.pk, run_at=timezone.make_aware(dt.datetime(2026, 3, 2, 10))
        )
        stored = "Alpha Méca dispose de compétences de maintenance ; 12 km les séparent."
        row = old.get_model("cooperation", "DetectedOpportunity").objects.create(
            analysis=analysis,
            solution="inhouse_maintenance",
            provider_id=alpha.pk,
            receiver_id=europe.pk,
            distance_km=12.4,
            score=1.5,
            sentence=stored,
            subject="maintenance:europe",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        migrated = DetectedOpportunity.objects.get(pk=row.pk)
        assert migrated.wording == "legacy"
        assert migrated.wording_params == {
            "sentence": stored,
            "provider": "Alpha Méca",
            "receiver": "Europe Usinage",
            "km": 12,
        }
        with translation.override("fr"):
            assert migrated.sentence == stored
        with translation.override("en"):
            assert migrated.sentence.startswith("Alpha Méca could cooperate with Europe Usinage")
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        reverted = executor.loader.project_state(before).apps.get_model("cooperation", "DetectedOpportunity")
        assert reverted.objects.get(pk=row.pk).sentence == stored
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_category_is_named_in_the_readers_language() -> None:
    params = {**COMMON, "category": "cutting.laser", "offered_hours": 1500, "wanted_hours": 200}
    with translation.override("fr"):
        assert opportunity_sentence("functional_economy", params) == (
            "Alpha Méca propose de vendre 1\xa0500 h/an d'usage de ses équipements (Découpe laser) ; "
            "Europe Usinage cherche 200 h/an de cette capacité ; 18 km les séparent."
        )
    with translation.override("en"):
        assert opportunity_sentence("functional_economy", params) == (
            "Alpha Méca offers to sell 1,500 h/year of use of its equipment (Laser cutting); "
            "Europe Usinage is looking for 200 h/year of this capacity; 18 km apart."
        )
