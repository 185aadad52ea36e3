"""The catalogue's fast path (situation built once, memo on what each programme reads) against the
plain path (one situation and one evaluation per company and programme): identical, errors included."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from sobrindustrie.engines.publicodes.catalogue import (
    TARGET,
    Catalogue,
    CatalogueEligibility,
    evaluate_catalogue,
    evaluate_catalogue_plainly,
    load_catalogue,
    programme_rules,
)
from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.evaluator import evaluate
from sobrindustrie.engines.publicodes.nodes import Reference
from sobrindustrie.engines.publicodes.parser import compile_rules, named_situation_rules
from sobrindustrie.engines.publicodes.projection import (
    CompanySituation,
    ProjectedEvaluator,
    compared_numbers,
    situation_reads,
)
from sobrindustrie.engines.publicodes.situation import Company, Interface, build_situation
from sobrindustrie.engines.publicodes.values import UNDEFINED
from tests.engines.publicodes.support import PROGRAMMES, require_catalogue
from tests.engines.publicodes.test_catalogue import INTERFACE_YAML, PROGRAMME_YAML, write_catalogue
from tests.engines.publicodes.test_reference import random_company

SHIPPED = Path(__file__).resolve().parents[3] / "sobrindustrie" / "funding" / "data" / "mte" / "programs"
DAYS = (datetime.date(2024, 1, 1), datetime.date(2025, 11, 25), datetime.date(2026, 7, 1))


def both_paths(
    catalogue: Catalogue, companies: Sequence[Company], day: datetime.date
) -> tuple[list[CatalogueEligibility], list[CatalogueEligibility]]:
    fast = [evaluate_catalogue(catalogue, company, day) for company in companies]
    plain = [evaluate_catalogue_plainly(catalogue, company, day) for company in companies]
    return fast, plain


@pytest.mark.parametrize("day", DAYS)
def test_the_shipped_catalogue_gives_the_plain_paths_results_for_many_companies(day: datetime.date) -> None:
    catalogue = load_catalogue(SHIPPED)
    rng = random.Random(day.toordinal())
    companies = [random_company(rng, catalogue.interface) for _ in range(300)]
    fast, plain = both_paths(catalogue, companies, day)
    assert fast == plain
    # The memo did share: far fewer evaluations than pairs.
    evaluations = sum(programme.evaluator.size for programme in catalogue.programmes.values())
    assert evaluations < len(companies) * len(catalogue.programmes) / 4
    assert {result for eligibility in fast for result in eligibility.results.values()} == {True, False, None}


def test_the_full_catalogue_gives_the_plain_paths_results_errors_included() -> None:
    require_catalogue()
    catalogue = load_catalogue(PROGRAMMES)
    rng = random.Random(20261207)
    companies = [random_company(rng, catalogue.interface) for _ in range(60)]
    fast, plain = both_paths(catalogue, companies, datetime.date(2025, 6, 30))
    assert fast == plain
    assert all(len(eligibility.errors) == 8 for eligibility in fast)


def test_the_memo_does_not_leak_between_companies_whatever_their_order(tmp_path: Path) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    day = datetime.date(2026, 7, 1)
    companies = [
        Company(region="Bretagne", workforce=12, naf="25.62A"),  # eligible
        Company(region="Bretagne", workforce=9, naf="25.62A"),  # one employee short
        Company(region="Bretagne", workforce=10, naf="25.62A"),  # on the threshold
        Company(region=None, workforce=12, naf="25.62A"),  # region unknown
        Company(region="Bretagne", workforce=12, naf="47.11A"),  # other section
        Company(region="Bretagne", workforce=5000, naf="25.62A"),
        Company(),
    ]
    expected = [True, False, True, None, False, True, None]
    for order in (companies, companies[::-1], companies[3:] + companies[:3]):
        catalogue = load_catalogue(directory)  # a fresh memo for each order
        got = {company: evaluate_catalogue(catalogue, company, day).results["aide"] for company in order}
        assert [got[company] for company in companies] == expected
    # The same catalogue on another day: the date is part of what is read.
    assert evaluate_catalogue(catalogue, companies[0], datetime.date(2027, 1, 1)).results == {"aide": False}


def test_a_company_situation_is_the_plain_situation_of_every_programme() -> None:
    catalogue = load_catalogue(SHIPPED)
    company = Company("Bretagne", 40, False, "25.62A", ("ma performance énergétique",))
    situation = CompanySituation.of(company, DAYS[0], objectives=catalogue.interface.objectives)
    assert situation.named == (("région", "Bretagne"),)  # the only value naming a rule
    assert situation.entries["entreprise . code NAF niveau 1 . est C"] == "oui"
    assert situation.names <= situation.vocabulary


RULES = {
    "effectif": None,
    "région": None,
    "Bretagne": '"Bretagne"',
    "date du jour": None,
    "entreprise": None,
    "entreprise . est ciblée": {
        "toutes ces conditions": ["effectif >= 10", "effectif < 250", "région = Bretagne"]
    },
    "ailleurs": "effectif * 2",
}


def test_reads_and_compared_numbers_are_found_in_the_rules() -> None:
    rules = compile_rules(RULES)
    assert situation_reads(rules.rules, [rules.rules[TARGET]]) >= {"effectif", "région", "Bretagne"}
    assert "ailleurs" not in situation_reads(rules.rules, [rules.rules[TARGET]])
    # `effectif` also meets arithmetic (in `ailleurs`): its numbers are not grouped.
    assert "effectif" not in compared_numbers(rules.rules)
    compared = compile_rules({**RULES, "ailleurs": None})
    assert compared_numbers(compared.rules)["effectif"] == (10.0, 250.0)


@pytest.mark.parametrize("workforce", [0, 9, 10, 11, 249, 250, 251])
def test_grouped_workforces_give_the_plain_result(workforce: int) -> None:
    rules = compile_rules({**RULES, "ailleurs": None, "entreprise . effectif": None})
    evaluator = ProjectedEvaluator(rules, TARGET)
    # Learn from every other workforce first, then ask for this one.
    for other in (0, 5, 9, 10, 11, 100, 249, 250, 251, 9999):
        if other != workforce:
            situation = CompanySituation.of(Company("Bretagne", other), DAYS[0], objectives=())
            evaluator.evaluate(situation)
    situation = CompanySituation.of(Company("Bretagne", workforce), DAYS[0], objectives=())
    assert evaluator.evaluate(situation) is (10 <= workforce < 250)
    # Below 10, 10, between, 250, above: five evaluations for eleven workforces.
    assert evaluator.size <= 5


def test_errors_are_the_plain_paths_every_time(tmp_path: Path) -> None:
    bad_date = PROGRAMME_YAML.replace("fin de validité: 31/12/2026", "fin de validité: 2026")
    private = PROGRAMME_YAML + "  '[privé] entreprise . effectif':\n"
    divide = PROGRAMME_YAML.replace("- effectif >= 10", "- effectif / 0 >= 10")
    directory = write_catalogue(tmp_path, {"date": bad_date, "private": private, "divide": divide})
    catalogue = load_catalogue(directory)
    day = datetime.date(2026, 7, 1)
    for company in [Company("Bretagne", 12, naf="25.62A"), Company("Bretagne", 12, naf="25.62A"), Company()]:
        fast, plain = both_paths(catalogue, [company], day)
        assert fast == plain
    assert set(catalogue.refused) | set(fast[0].errors) | set(fast[0].results) == {
        "date",
        "private",
        "divide",
    }


def test_a_memoised_error_is_raised_anew_each_time() -> None:
    rules = compile_rules({**RULES, "entreprise . est ciblée": "effectif / 0 > 1", "ailleurs": None})
    evaluator = ProjectedEvaluator(rules, TARGET)
    situation = CompanySituation.of(Company(workforce=0), DAYS[0], objectives=())
    raised = []
    for _ in range(2):
        with pytest.raises(PublicodesError, match="division by zero") as caught:
            evaluator.evaluate(situation)
        raised.append(caught.value)
    assert raised[0] is not raised[1]


def test_regions_only_compared_with_region_rules_are_grouped() -> None:
    regions = {name: f'"{name}"' for name in ("Bretagne", "Corse", "Normandie", "Occitanie")}
    rules = compile_rules(
        {
            "région": None,
            **regions,
            "entreprise . est ciblée": {"une de ces conditions": ["région = Bretagne"]},
        }
    )
    evaluator = ProjectedEvaluator(rules, TARGET)
    expected = {"Bretagne": True, "Corse": False, "Normandie": False, "Occitanie": False, None: UNDEFINED}
    for region, value in [*expected.items(), *expected.items()]:
        situation = CompanySituation.of(Company(region=region), DAYS[0], objectives=())
        assert evaluator.evaluate(situation) is value
    assert evaluator.size == 3  # Bretagne, every other region, no region
    # Compared in another way too: each region is its own value.
    raw = {
        "région": None,
        **regions,
        "entreprise . est ciblée": {"une de ces conditions": ["région = Bretagne"]},
    }
    target = {"une de ces conditions": ["région = Bretagne", "ailleurs"]}
    rules = compile_rules({**raw, "ailleurs": "région != 'Corse'", "entreprise . est ciblée": target})
    evaluator = ProjectedEvaluator(rules, TARGET)
    for region in expected:
        evaluator.evaluate(CompanySituation.of(Company(region=region), DAYS[0], objectives=()))
    assert evaluator.size == 5
    # ... but only where the target may look: a use no evaluation meets does not count.
    rules = compile_rules({**raw, "ailleurs": "région != 'Corse'"})
    evaluator = ProjectedEvaluator(rules, TARGET)
    for region in expected:
        evaluator.evaluate(CompanySituation.of(Company(region=region), DAYS[0], objectives=()))
    assert evaluator.size == 3


def test_companies_agreeing_on_what_a_programme_reads_share_one_evaluation() -> None:
    rules = compile_rules({**RULES, "ailleurs": None, "entreprise . effectif": None})
    evaluator = ProjectedEvaluator(rules, TARGET)

    def evaluate(company: Company) -> object:
        return evaluator.evaluate(CompanySituation.of(company, DAYS[0], objectives=()))

    first = evaluate(Company("Bretagne", 40, micro_entrepreneur=True, naf="25.62A"))
    # Another workforce between the same thresholds, and answers the rules never read.
    second = evaluate(Company("Bretagne", 41, micro_entrepreneur=False, naf="47.11A"))
    assert first is True and second is True
    assert evaluator.size == 1  # one evaluation for both
    # A change in what is read changes the result, with an evaluation of its own.
    assert evaluate(Company("Bretagne", 250, micro_entrepreneur=True, naf="25.62A")) is False
    assert evaluator.size == 2
    assert evaluate(Company(None, 40, micro_entrepreneur=True, naf="25.62A")) is UNDEFINED
    assert evaluator.size == 3
    # And the first answer is still there for the first company's projection.
    assert evaluate(Company("Bretagne", 200)) is True
    assert evaluator.size == 3


def test_a_region_is_parsed_once_for_every_programme_over_the_interface() -> None:
    interface = Interface.from_rules(yaml.safe_load(INTERFACE_YAML))
    assert interface.prelude is not None
    first = programme_rules(yaml.safe_load(PROGRAMME_YAML), interface, "first")
    other = PROGRAMME_YAML.replace("effectif >= 10", "effectif >= 20")
    second = programme_rules(yaml.safe_load(other), interface, "second")
    assert first.prelude is interface.prelude and second.prelude is interface.prelude
    region = {"région": "Bretagne"}
    shared = named_situation_rules(first, region)
    assert named_situation_rules(second, region) is shared  # parsed once, against the interface
    # A programme defining a name the value's resolution tries first (`région . Bretagne` comes
    # before `Bretagne`) gets its own parse, which designates its own rule.
    own = yaml.safe_load(
        PROGRAMME_YAML.replace("- région = Bretagne", "- région = 'ici'") + "  région . Bretagne: \"'ici'\"\n"
    )
    third = programme_rules(own, interface, "third")
    assert third.prelude is interface.prelude
    parsed = named_situation_rules(third, region)
    assert parsed is not shared
    slot = parsed["région . $SITUATION"].value
    assert isinstance(slot, Reference) and slot.dotted_name == "région . Bretagne"
    # Each gives the answer of its rules parsed whole, without the interface's shortcut.
    company = Company("Bretagne", 12, naf="25.62A")
    day = datetime.date(2026, 7, 1)
    for data, rules in ((yaml.safe_load(PROGRAMME_YAML), first), (own, third)):
        whole = compile_rules({**interface.rules, **data["publicodes"]})
        assert whole.prelude is None
        situation = build_situation(whole, company, day, objectives=interface.objectives, programme=data)
        assert evaluate(whole, TARGET, situation) is True
        assert (
            ProjectedEvaluator(rules, TARGET, data).evaluate(
                CompanySituation.of(company, day, objectives=interface.objectives)
            )
            is True
        )
