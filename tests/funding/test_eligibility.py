"""Eligibility of an organisation: the company handed to the engine, the results and their cache."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sobrindustrie.core.enums import Solution
from sobrindustrie.engines.publicodes import Company, evaluate_catalogue, load_catalogue
from sobrindustrie.funding.eligibility import SOLUTION_OBJECTIVES, company_for, evaluate, objectives_for
from sobrindustrie.funding.importer import current_interface, import_directory
from sobrindustrie.funding.models import EligibilityResult, FundingProfile, FundingScheme
from sobrindustrie.organisations.enums import TurnoverBand
from tests.factories import OrganisationFactory, ProgrammeFactory
from tests.funding.conftest import SHARED_DATA
from tests.funding.factories import SchemeFactory, region_rules

pytestmark = pytest.mark.usefixtures("english")

TODAY = dt.date(2026, 11, 28)
PACA = "Provence-Alpes-Côte d'Azur"


def _interface():  # type: ignore[no-untyped-def]
    from sobrindustrie.funding.eligibility import parsed_interface

    row = current_interface()
    return parsed_interface(row.rules, row.sha256)


def test_every_solution_maps_to_objectives_the_interface_declares(interface: object) -> None:
    declared = _interface().objectives
    assert set(SOLUTION_OBJECTIVES) == set(Solution.values)
    for objectives in SOLUTION_OBJECTIVES.values():
        assert objectives and set(objectives) <= set(declared)
    assert objectives_for([], declared) is None
    assert objectives_for([Solution.USAGE_CHANGE], declared) == (
        "diminuer ma consommation d'eau",
        "ma performance énergétique",
    )


def test_the_company_comes_from_the_organisation_and_its_programme(interface: object) -> None:
    organisation = OrganisationFactory(
        naf_code="2562A",
        workforce=42,
        solution_interests=[Solution.RETROFIT],
        turnover_band=TurnoverBand.FROM_2_TO_10M,
    )
    facts = company_for(organisation, _interface())
    assert facts.company == Company(
        region=PACA,
        workforce=42,
        micro_entrepreneur=False,  # a turnover of €2M or more rules the regime out
        naf="25.62A",
        objectives=("l'écoconception", "ma performance énergétique"),
    )
    assert facts.unknowns == ()


def test_what_is_not_recorded_stays_unknown_and_is_said(interface: object) -> None:
    programme = ProgrammeFactory(slug="nowhere", region="Atlantide")
    organisation = OrganisationFactory(
        programme=programme, naf_code="", workforce=None, solution_interests=[]
    )
    facts = company_for(organisation, _interface())
    assert facts.company == Company()
    assert len(facts.unknowns) == 5
    assert any("Atlantide" in unknown for unknown in facts.unknowns)
    FundingProfile.objects.create(organisation=organisation, micro_entrepreneur=True)
    organisation.refresh_from_db()
    assert company_for(organisation, _interface()).company.micro_entrepreneur is True


def test_results_are_true_false_or_undetermined_and_cached(interface: object) -> None:
    industrial = OrganisationFactory(naf_code="25.62A", solution_interests=[Solution.RETROFIT])
    trading = OrganisationFactory(naf_code="46.69B", solution_interests=[Solution.RETROFIT])
    unknown = OrganisationFactory(naf_code="", solution_interests=[])
    energy = SchemeFactory()
    in_paca = SchemeFactory(publicodes_rules=region_rules(PACA))
    elsewhere = SchemeFactory(publicodes_rules=region_rules("Bretagne"))
    no_rules = SchemeFactory(publicodes_rules={}, source="curated")
    schemes = [energy, in_paca, elsewhere, no_rules]
    results = evaluate([industrial, trading, unknown], schemes, TODAY)

    def outcome(org: object, scheme: FundingScheme) -> bool | None:
        return results[org.pk].results[scheme.pk].result  # type: ignore[attr-defined]

    assert [outcome(industrial, s) for s in schemes] == [True, True, False, None]
    assert [outcome(trading, s) for s in schemes] == [False, True, False, None]
    assert outcome(unknown, energy) is None
    assert "conditions in words" in results[industrial.pk].results[no_rules.pk].error
    assert EligibilityResult.objects.count() == 12

    # Cached: a second evaluation writes nothing; a change of the organisation is picked up.
    stamp = list(EligibilityResult.objects.values_list("pk", "inputs"))
    evaluate([industrial], schemes, TODAY)
    assert list(EligibilityResult.objects.values_list("pk", "inputs")) == stamp
    industrial.naf_code = "46.69B"
    industrial.save()
    assert evaluate([industrial], [energy], TODAY)[industrial.pk].results[energy.pk].result is False
    assert EligibilityResult.objects.get(organisation=industrial, scheme=energy).result is False


def test_the_cache_is_per_day_and_keeps_the_latest_day(interface: object) -> None:
    organisation = OrganisationFactory()
    scheme = SchemeFactory(valid_until=dt.date(2026, 12, 31), publicodes_rules={
        "entreprise . est ciblée": {
            "applicable si": "date du jour <= dispositif . fin de validité", "valeur": "oui",
        }
    })  # fmt: skip
    assert evaluate([organisation], [scheme], TODAY)[organisation.pk].results[scheme.pk].result is True
    later = dt.date(2027, 1, 2)
    assert evaluate([organisation], [scheme], later)[organisation.pk].results[scheme.pk].result is None
    # Only the latest day is kept.
    assert list(EligibilityResult.objects.filter(scheme=scheme).values_list("evaluated_on", flat=True)) == [
        later
    ]


@pytest.mark.skipif(not (SHARED_DATA / "programs").is_dir(), reason="../shared/data is absent")
def test_stored_schemes_give_the_engines_results_on_the_files(db: object) -> None:
    """What is stored (JSON) evaluates as the files do: nothing is lost on the way."""
    directory = SHARED_DATA / "programs"
    import_directory(directory)
    organisation = OrganisationFactory(
        naf_code="25.62A", workforce=40, solution_interests=list(Solution.values)
    )
    facts = company_for(organisation, _interface())
    expected = evaluate_catalogue(load_catalogue(Path(directory)), facts.company, TODAY).results
    schemes = list(FundingScheme.objects.all())
    got = evaluate([organisation], schemes, TODAY)[organisation.pk].results
    assert {s.slug: got[s.pk].result for s in schemes} == expected


def test_many_organisations_get_the_plain_paths_results_and_each_scheme_is_parsed_once(
    interface: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sobrindustrie.engines.publicodes.catalogue import evaluate_programme
    from sobrindustrie.funding import eligibility

    parsed: list[str] = []
    original = eligibility.programme_evaluator

    def counting(programme: dict[str, object], *args: object) -> object:
        parsed.append(str(programme["titre"]))
        return original(programme, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(eligibility, "programme_evaluator", counting)
    monkeypatch.setattr(eligibility, "_EVALUATORS", {})
    organisations = [
        OrganisationFactory(naf_code=naf, workforce=workforce, solution_interests=solutions)
        for naf, workforce, solutions in [
            ("25.62A", 40, [Solution.RETROFIT]),
            ("25.62A", 41, [Solution.RETROFIT]),
            ("46.69B", 9, [Solution.USAGE_CHANGE]),
            ("", None, []),
            ("01.11Z", 250, [Solution.POOLING, Solution.RETROFIT]),
        ]
    ]
    schemes = [SchemeFactory(), SchemeFactory(publicodes_rules=region_rules(PACA)), SchemeFactory()]
    results = evaluate(organisations, schemes, TODAY)
    evaluate(organisations, schemes, TODAY + dt.timedelta(days=1))
    assert sorted(parsed) == sorted(scheme.slug for scheme in schemes)  # parsed once, both days
    row = current_interface()
    for organisation in organisations:
        company = results[organisation.pk].facts.company
        for scheme in schemes:
            plain = evaluate_programme(scheme.programme_document(), row.rules, company, TODAY)
            assert results[organisation.pk].results[scheme.pk].result is plain
