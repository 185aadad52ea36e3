"""Loading a method: the shipped one is complete; a broken one fails naming the place."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from sobrindustrie.accounts.enums import Role
from sobrindustrie.core.enums import LifeCycleStage, Solution
from sobrindustrie.diagnostics.enums import BarrierCategory
from sobrindustrie.diagnostics.methods import vocabulary
from sobrindustrie.diagnostics.methods.loader import (
    DEFAULT_METHOD_FILE,
    MethodError,
    load_method_file,
    parse_method,
    read_document,
)
from sobrindustrie.diagnostics.models import MethodVersion
from sobrindustrie.diagnostics.services import load_method_text, validate_method
from sobrindustrie.organisations.enums import Condition, EnergyCarrier, MaintenanceMode, PlannedAction, Skill
from sobrindustrie.organisations.reference import taxonomy
from tests.factories import ProgrammeFactory, UserFactory

RAW = yaml.safe_load(DEFAULT_METHOD_FILE.read_text(encoding="utf-8"))


def _broken(change: Any) -> str:
    document = copy.deepcopy(RAW)
    change(document)
    with pytest.raises(MethodError) as caught:
        parse_method(document, "broken.yaml", taxonomy().keys())
    return str(caught.value)


def _rule(document: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(rule for rule in document["rules"] if rule["id"] == rule_id)


def _question(document: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for s in document["sections"] for q in s["questions"] if q["id"] == question_id)


def test_the_default_method_is_complete() -> None:
    method = load_method_file(categories=taxonomy().keys())
    assert method.code == "lowtech" and method.version == "1.0.0"
    assert {s.stage for s in method.sections if s.stage} == set(LifeCycleStage.values)
    assert {s.solution for s in method.sections if s.solution} == set(Solution.values)
    assert {q.kind for q in method.questions.values()} == set(vocabulary.QUESTION_KINDS)
    assert any(q.per_means for q in method.questions.values())
    assert any(q.unit for q in method.questions.values() if q.kind == "number")
    assert {r.opportunity.solution for r in method.rules if r.opportunity} == set(Solution.values)
    categories = {b.category for r in method.rules for b in r.barriers}
    assert categories == set(BarrierCategory.values)
    assert {c.direction for r in method.rules for c in r.cooperation} == {"offers", "needs"}
    assert {"juste_besoin", "techno_discernement", "maintenir", "complexite_reduite"} <= set(method.criteria)
    assert len(method.webinar_topics) >= 2


def test_the_vocabulary_follows_the_platforms_enums() -> None:
    assert tuple(Solution.values) == vocabulary.SOLUTIONS
    assert tuple(LifeCycleStage.values) == vocabulary.STAGES
    assert tuple(BarrierCategory.values) == vocabulary.BARRIER_CATEGORIES
    assert tuple(Condition.values) == vocabulary.CONDITIONS
    assert tuple(MaintenanceMode.values) == vocabulary.MAINTENANCE_MODES
    assert tuple(PlannedAction.values) == vocabulary.PLANNED_ACTIONS
    assert tuple(EnergyCarrier.values) == vocabulary.ENERGY_CARRIERS
    assert tuple(Skill.values) == vocabulary.SKILLS


def test_an_unknown_solution_code_names_the_rule() -> None:
    message = _broken(
        lambda d: _rule(d, "pooling_idle_machine")["then"]["opportunity"].update(solution="sharing")
    )
    assert 'broken.yaml: rule "pooling_idle_machine" › then › opportunity › solution' in message
    assert "unknown solution code 'sharing'" in message


def test_an_unknown_solution_on_a_section_names_the_section() -> None:
    message = _broken(lambda d: d["sections"][6].update(solution="mutualisation"))
    assert 'section "mutualisation" › solution: unknown solution code' in message


def test_a_rule_on_an_unknown_question_names_the_rule_and_the_condition() -> None:
    def change(document: dict[str, Any]) -> None:
        _rule(document, "pooling_reluctance")["when"] = {"answer": "pool_wiling", "op": "==", "value": "non"}

    message = _broken(change)
    assert "rule \"pooling_reluctance\" › when: unknown question 'pool_wiling'" in message


def test_a_bad_operator_is_refused() -> None:
    def change(document: dict[str, Any]) -> None:
        _rule(document, "retrofit_small_budget")["when"]["op"] = "=>"

    message = _broken(change)
    assert "rule \"retrofit_small_budget\" › when: unknown operator '=>'" in message


def test_a_cycle_between_flags_is_refused() -> None:
    def change(document: dict[str, Any]) -> None:
        # pooling_idle_machine sets idle_capacity; make it also need a flag pooling_insurance sets.
        _rule(document, "pooling_idle_machine")["when"] = {
            "all": [_rule(document, "pooling_idle_machine")["when"], {"flag": "legal_frame"}]
        }
        _rule(document, "pooling_insurance")["then"]["flags"] = ["legal_frame"]

    message = _broken(change)
    assert "form a cycle" in message
    assert 'rule "pooling_idle_machine"' in message and 'rule "pooling_insurance"' in message


def test_a_cycle_between_questions_is_refused() -> None:
    def change(document: dict[str, Any]) -> None:
        _question(document, "acq_planned")["show_if"] = {"answer": "acq_budget", "op": ">", "value": 0}

    message = _broken(change)
    assert "questions shown on each other form a cycle" in message
    assert 'question "acq_planned"' in message


def test_a_flag_never_set_is_refused() -> None:
    message = _broken(
        lambda d: _rule(d, "pooling_insurance")["when"]["all"].append({"flag": "nobody_sets_me"})
    )
    assert "flag 'nobody_sets_me' is never set by any rule" in message


def test_a_per_means_question_needs_a_quantifier_outside_a_per_means_rule() -> None:
    def change(document: dict[str, Any]) -> None:
        _rule(document, "pooling_reluctance")["when"] = {
            "answer": "pm_standby_off",
            "op": "==",
            "value": True,
        }

    assert "asked per means: add means: any or means: all" in _broken(change)


def test_a_means_field_needs_a_rule_run_per_means() -> None:
    def change(document: dict[str, Any]) -> None:
        _rule(document, "pooling_reluctance")["when"] = {"means": "utilisation_rate", "op": "<", "value": 10}

    assert "needs a rule with for_each_means: true" in _broken(change)


def test_values_must_fit_the_question() -> None:
    def change(document: dict[str, Any]) -> None:
        _rule(document, "pooling_reluctance")["when"]["value"] = "peut-etre"
        _rule(document, "usage_no_metering")["when"]["value"] = "non"
        _rule(document, "retrofit_small_budget")["when"]["value"] = "beaucoup"

    message = _broken(change)
    assert "'peut-etre' is not one of the choices" in message
    assert "a yes/no answer compares with true or false" in message
    assert "expected a number, got 'beaucoup'" in message


def test_every_problem_is_reported_at_once() -> None:
    def change(document: dict[str, Any]) -> None:
        document["sections"][0]["questions"][0]["kind"] = "slider"
        document["rules"][0]["then"]["opportunity"]["potential"] = "huge"
        document["unknown_key"] = 1

    message = _broken(change)
    assert "unknown question kind 'slider'" in message
    assert "unknown level 'huge'" in message
    assert "unknown key 'unknown_key'" in message


def test_duplicate_ids_are_refused() -> None:
    def change(document: dict[str, Any]) -> None:
        document["rules"].append(copy.deepcopy(document["rules"][0]))
        document["sections"][1]["questions"].append(copy.deepcopy(document["sections"][0]["questions"][0]))

    message = _broken(change)
    assert "duplicate rule id 'pooling_idle_machine'" in message
    assert "duplicate question id 'ctx_energy_tracking'" in message


def test_unknown_categories_are_refused() -> None:
    def change(document: dict[str, Any]) -> None:
        _rule(document, "usage_compressed_air")["when"]["all"][0]["value"] = "utilities.compresseur"

    assert "unknown production-means category 'utilities.compresseur'" in _broken(change)


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(MethodError) as caught:
        read_document("code: lowtech\nsections: [\n  - id: x\n", "bad.yaml")
    assert str(caught.value).startswith("bad.yaml: line ")


def test_a_loaded_version_stays_a_draft_until_ademe_validates_it(db: object) -> None:
    programme = ProgrammeFactory()
    text = DEFAULT_METHOD_FILE.read_text(encoding="utf-8")
    version, outcome = load_method_text(programme, text, "lowtech_v1.yaml")
    assert outcome == "created" and version.status == "draft"
    assert load_method_text(programme, text, "lowtech_v1.yaml")[1] == "unchanged"
    changed = text.replace("Contexte et pilotage", "Contexte, pilotage")
    assert load_method_text(programme, changed, "lowtech_v1.yaml")[1] == "updated"
    validate_method(version, UserFactory(role=Role.ADEME, programmes=[programme]))
    version.refresh_from_db()
    assert version.is_validated and version.validated_by is not None
    with pytest.raises(MethodError) as caught:
        load_method_text(programme, text, "lowtech_v1.yaml")
    assert "is validated and cannot change" in str(caught.value)
    bumped = text.replace('version: "1.0.0"', 'version: "1.1.0"')
    new_version, outcome = load_method_text(programme, bumped, "lowtech_v1_1.yaml")
    assert outcome == "created" and not new_version.is_validated
    assert MethodVersion.objects.filter(programme=programme).count() == 2


def test_the_command_loads_and_reports_errors(db: object, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    programme = ProgrammeFactory(slug="cmd")
    out = StringIO()
    call_command("load_method", "cmd", stdout=out)
    assert "created" in out.getvalue()
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        DEFAULT_METHOD_FILE.read_text(encoding="utf-8").replace("solution: pooling", "solution: poling", 1)
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_method", "cmd", str(broken))
    assert "broken.yaml" in str(caught.value) and "poling" in str(caught.value)
    assert MethodVersion.objects.filter(programme=programme).count() == 1


def test_consultants_upload_a_method_and_see_the_problems(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("www:method_list", args=[world.programme.slug])
    bad = DEFAULT_METHOD_FILE.read_text(encoding="utf-8").replace(
        'op: "<", value: 40', 'op: "<<", value: 40', 1
    )
    response = world.client("consultant").post(url, {"file": SimpleUploadedFile("m.yaml", bad.encode())})
    assert response.status_code == 400
    assert "unknown operator &#x27;&lt;&lt;&#x27;" in response.content.decode()
    good = SimpleUploadedFile("m.yaml", DEFAULT_METHOD_FILE.read_bytes())
    response = world.client("consultant").post(url, {"file": good})
    version = MethodVersion.objects.get(programme=world.programme)
    assert response.status_code == 302 and version.status == "draft"
    assert (
        world.client("consultant").post(reverse("www:method_validate", args=[version.pk])).status_code == 404
    )
    assert world.client("ademe").post(reverse("www:method_validate", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.is_validated
