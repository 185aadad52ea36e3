"""The narrative checks engine: counts stated in French text, placeholders, the COPIL's date."""

from __future__ import annotations

import datetime as dt

import pytest

from sobrindustrie.engines.narrative import (
    Copil,
    Counted,
    NarrativeFacts,
    check_narrative,
    count_statements,
    parse_number,
)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("15", 15), ("quinze", 15), ("Douze", 12), ("dix-sept", 17), ("vingt-deux", 22),
        ("vingt-et-un", 21), ("soixante-dix", 70), ("quatre-vingts", 80), ("quatre-vingt-dix-neuf", 99),
        ("deux-cents", 200), ("un", None), ("une", None), ("les", None), ("plusieurs", None),
    ],
)  # fmt: skip
def test_numbers_in_digits_and_french_words(word: str, value: int | None) -> None:
    assert parse_number(word) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Les quinze diagnostics ont été réalisés.", [("diagnostics", 15, None, "")]),
        (
            "Les quinze diagnostics individuels ont été réalisés dans la limite de cinq jours par PME.",
            [("diagnostics", 15, None, "")],
        ),
        ("Douze des quinze diagnostics sont terminés.", [("diagnostics", 12, 15, "")]),
        ("12 diagnostics sur 15 ont été menés.", [("diagnostics", 12, 15, "")]),
        ("douze diagnostics réalisés sur quinze", [("diagnostics", 12, 15, "")]),
        ("Sur les 15 diagnostics prévus, 12 ont été réalisés.", [("diagnostics", 12, 15, "")]),
        ("Tous les diagnostics ont été réalisés.", [("diagnostics", None, None, "")]),
        ("L’ensemble des diagnostics est terminé.", [("diagnostics", None, None, "")]),
        ("Quatorze PME diagnostiquées en quatre mois.", [("diagnostics", 14, None, "")]),
        ("Cinq équipes projet ont été constituées à l'atelier 2.", [("teams", 5, None, "")]),
        ("Les 4 nouvelles équipes se réunissent.", [("teams", 4, None, "")]),
        ("4 plans d'action adoptés en mai.", [("plans", 4, None, "adopted")]),
        ("Trois plans d’action sont rédigés.", [("plans", 3, None, "")]),
        (
            "Deux dossiers de financement déposés auprès de la Région Sud et de l'ADEME.",
            [("applications", 2, None, "filed")],
        ),
        ("Six demandes d'aide accordées.", [("applications", 6, None, "granted")]),
        ("7 candidatures de subvention recensées", [("applications", 7, None, "")]),
        (
            "Cinq équipes ; 12 diagnostics sur 15.\nTrois plans d'action adoptés",
            [("teams", 5, None, ""), ("diagnostics", 12, 15, ""), ("plans", 3, None, "adopted")],
        ),
        # Not counts of what was done: plans, targets, articles, other things.
        ("15 diagnostics seront réalisés d'ici mars.", []),
        ("Objectif : cinq équipes constituées.", []),
        ("Un diagnostic approfondi a montré l'intérêt du rétrofit.", []),
        ("Trois réunions de suivi par équipe tenues.", []),
        ("L'atelier 1 a réuni 14 des 15 lauréats.", []),
        ("Relevés prêtés pendant une semaine à 3 PME.", []),
    ],
)
def test_count_statements_read_many_phrasings(
    text: str, expected: list[tuple[str, int | None, int | None, str]]
) -> None:
    found = [(s.subject, s.count, s.of, s.qualifier) for s in count_statements(text)]
    assert found == expected


def test_the_excerpt_is_the_text_as_written() -> None:
    [statement] = count_statements("Bilan : les Quinze diagnostics ont été réalisés.")
    assert statement.excerpt == "Quinze diagnostics"


COUNTS = {
    ("diagnostics", ""): Counted(12, 15),
    ("teams", ""): Counted(5),
    ("applications", ""): Counted(54),
    ("applications", "filed"): Counted(31),
}


def _codes(facts: NarrativeFacts) -> list[tuple[str, dict[str, object]]]:
    return [(f.code, dict(f.params)) for f in check_narrative(facts)]


def test_a_stated_count_that_differs_from_the_data_is_a_contradiction() -> None:
    facts = NarrativeFacts(
        sections={"successes": "Les quinze diagnostics ont été réalisés.\nCinq équipes constituées."},
        counted=COUNTS,
    )
    [finding] = check_narrative(facts)
    assert finding.code == "count_contradiction"
    assert (finding.params["stated"], finding.params["counted"]) == (15, 12)
    assert finding.params["excerpt"] == "quinze diagnostics"
    assert finding.key == "count:successes:diagnostics::15:12"


def test_right_counts_wrong_totals_and_all_claims() -> None:
    right = NarrativeFacts(sections={"successes": "Douze des quinze diagnostics réalisés."}, counted=COUNTS)
    assert check_narrative(right) == []
    wrong_total = NarrativeFacts(sections={"successes": "12 diagnostics sur 14."}, counted=COUNTS)
    [(code, params)] = _codes(wrong_total)
    assert (code, params["stated"], params["counted"], params["code_detail"]) == (
        "count_contradiction",
        14,
        15,
        "total",
    )
    every = NarrativeFacts(sections={"successes": "Tous les diagnostics sont faits."}, counted=COUNTS)
    [(code, params)] = _codes(every)
    assert (params["stated"], params["counted"]) == (15, 12)
    filed = NarrativeFacts(sections={"successes": "Deux dossiers de financement déposés."}, counted=COUNTS)
    [(code, params)] = _codes(filed)
    assert (params["qualifier"], params["stated"], params["counted"]) == ("filed", 2, 31)


def test_empty_sections_and_placeholders() -> None:
    facts = NarrativeFacts(
        sections={
            "successes": "",
            "difficulties": "Retards de livraison.\nTODO : ajouter l'équipe 3",
            "solutions": "Lorem ipsum dolor sit amet.\nSolutions à compléter.\nxxx",
        },
        documents={"document": "Difficultés\nLes difficultés n'ont pas été rédigées dans le registre."},
    )
    found = _codes(facts)
    assert found[0] == ("empty_section", {"field": "successes"})
    excerpts = [(params["field"], params["excerpt"]) for code, params in found if code == "placeholder"]
    assert excerpts == [
        ("difficulties", "TODO : ajouter l'équipe 3"),
        ("solutions", "Lorem ipsum dolor sit amet"),
        ("solutions", "Solutions à compléter"),
        ("solutions", "xxx"),
        ("document", "Les difficultés n'ont pas été rédigées dans le registre"),
    ]


def test_a_generated_note_is_a_placeholder_in_the_document() -> None:
    facts = NarrativeFacts(
        sections={"successes": "Bon départ."},
        documents={"document": "Succès\nNon rédigé ici.\nRéussites\nNot written."},
        generated_placeholders=["Not written."],
    )
    assert [p["excerpt"] for _c, p in _codes(facts)] == ["Non rédigé ici", "Not written"]


@pytest.mark.parametrize(
    ("copil", "expected"),
    [
        (None, "no_copil"),
        (Copil(1, "COPIL de lancement", dt.date(2025, 10, 28), True), "copil_before_period_end"),
        (Copil(2, "COPIL jalon", dt.date(2026, 4, 14), True), None),
        (Copil(3, "COPIL d'après", dt.date(2026, 5, 2), True), None),
        (Copil(4, "COPIL prévu", dt.date(2026, 4, 30), False), "copil_not_held"),
    ],
)
def test_the_validating_copil(copil: Copil | None, expected: str | None) -> None:
    facts = NarrativeFacts(
        sections={"successes": "Bon départ."}, wants_copil=True, copil=copil, period_end=dt.date(2026, 4, 20)
    )
    assert [f.code for f in check_narrative(facts)] == ([expected] if expected else [])
