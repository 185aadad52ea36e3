from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from sobrindustrie.engines.obligations import (
    ObligationDataError,
    ObligationKind,
    default_catalogue,
    load_catalogue,
    parse_catalogue,
    parse_catalogue_text,
)
from sobrindustrie.engines.obligations.catalogue import CountObligation, Scope

VALID_COUNT: dict[str, Any] = {
    "code": "FOLLOWUPS",
    "kind": "count",
    "label": "Follow-ups",
    "scope": "team",
    "meeting_kinds": ["team_followup"],
    "min": 3,
    "from": {"anchor": "starts_on"},
    "due": {"anchor": "ends_on"},
    "warning_days": 30,
}


def document(*obligations: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {"schema_version": 1, "name": "test", "obligations": list(obligations), **root}


def with_changes(**changes: Any) -> dict[str, Any]:
    obligation = copy.deepcopy(VALID_COUNT)
    for key, value in changes.items():
        if value is None:
            del obligation[key]
        else:
            obligation[key] = value
    return obligation


def test_it_loads_the_packaged_catalogue_with_every_kind() -> None:
    catalogue = default_catalogue()

    assert catalogue.name == "Sobr'Industrie PACA 2025-2027"
    assert {obligation.kind for obligation in catalogue.obligations} == set(ObligationKind)
    assert [obligation.code for obligation in catalogue.obligations][:4] == [
        "REPORT_M6",
        "REPORT_M12",
        "REPORT_M18",
        "REPORT_FINAL",
    ]
    followups = catalogue.get("TEAM_FOLLOWUP_MIN")
    assert isinstance(followups, CountObligation)
    assert (followups.minimum, followups.maximum, followups.scope) == (3, None, Scope.TEAM)


def test_it_parses_a_valid_count() -> None:
    catalogue = parse_catalogue(document(VALID_COUNT))

    obligation = catalogue.get("FOLLOWUPS")
    assert isinstance(obligation, CountObligation)
    assert obligation.meetings.kinds == frozenset({"team_followup"})
    assert obligation.milestone is False


def test_it_lets_another_programme_change_the_numbers_without_code() -> None:
    packaged = Path(__file__).parents[3] / "sobrindustrie" / "engines" / "data" / "obligations_v1.yaml"
    text = packaged.read_text(encoding="utf-8").replace("    min: 3\n", "    min: 4\n")

    changed = parse_catalogue_text(text, origin="other_region.yaml").get("COLLECTIVE_SESSIONS_MIN")

    assert isinstance(changed, CountObligation)
    assert changed.minimum == 4


def test_it_loads_a_catalogue_file(tmp_path: Path) -> None:
    path = tmp_path / "obligations.yaml"
    path.write_text(
        "schema_version: 1\nname: other\nobligations:\n"
        "  - {code: M6, kind: deliverable_deadline, label: M6, deliverable: REPORT_M6,"
        " due: {anchor: notified_on, months: 6}, warning_days: 10}\n",
        encoding="utf-8",
    )

    assert load_catalogue(path).get("M6").kind is ObligationKind.DELIVERABLE_DEADLINE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["not", "a", "mapping"], "<catalogue>: expected a mapping, got list"),
        (document(VALID_COUNT, schema_version=2), "schema_version: is 2, this engine reads version 1"),
        ({"schema_version": 1, "obligations": [VALID_COUNT]}, "<catalogue>: missing key 'name'"),
        (document(), "obligations: must be a non-empty list, got list"),
        (document(VALID_COUNT, owner="ademe"), "<catalogue>: unknown key(s) 'owner'"),
        (document(VALID_COUNT, VALID_COUNT), "obligations[1]: code 'FOLLOWUPS' appears twice"),
        (
            document(with_changes(code="followups")),
            "obligations[0]: code: 'followups' must be UPPER_SNAKE_CASE",
        ),
        (
            document(with_changes(kind="quota")),
            "obligations[0] (FOLLOWUPS): kind: 'quota' is not one of count,",
        ),
        (document(with_changes(label=None)), "obligations[0] (FOLLOWUPS): missing key 'label'"),
        (document(with_changes(mn=2)), "obligations[0] (FOLLOWUPS): unknown key(s) 'mn'"),
        (document(with_changes(min="three")), "min: must be an integer, got str 'three'"),
        (document(with_changes(min=True)), "min: must be an integer, got bool True"),
        (document(with_changes(min=0)), "min: is 0 and there is no max: the obligation could never fail"),
        (document(with_changes(max=2)), "max: 2 is below min 3"),
        (document(with_changes(warning_days=-1)), "warning_days: must be at least 0, got -1"),
        (document(with_changes(meeting_kinds=["followup"])), "meeting_kinds: 'followup' is not one of"),
        (document(with_changes(meeting_kinds=[])), "meeting_kinds: must be a non-empty list"),
        (document(with_changes(meeting_kinds=["copil", "copil"])), "meeting_kinds: lists a value twice"),
        (document(with_changes(modes=["visio"])), "modes: 'visio' is not one of hybrid, in_person, remote"),
        (document(with_changes(scope="company")), "scope: 'company' is not one of programme, team"),
        (document(with_changes(milestone="yes")), "milestone: must be true or false, got str 'yes'"),
        (document(with_changes(due="2027-10-15")), "due: must be a mapping, got str '2027-10-15'"),
        (
            document(with_changes(due={"anchor": "signed_on"})),
            "due: anchor: 'signed_on' is not one of notified_on",
        ),
        (
            document(with_changes(due={"anchor": "first_held:workshop_1"})),
            "due: anchor: 'first_held:workshop_1' rests on meetings; 'due' must rest on the programme's dates",
        ),
        (document(with_changes(**{"from": {"anchor": "first_held:party"}})), "unknown meeting kind 'party'"),
        (
            document(with_changes(due={"anchor": "ends_on", "snap": "week_end"})),
            "snap: 'week_end' is not one of",
        ),
        (document(with_changes(due={"anchor": "ends_on", "weeks": 2})), "due: unknown key(s) 'weeks'"),
        (
            document(with_changes(due={"anchor": "ends_on", "months": 1.5})),
            "months: must be an integer, got float 1.5",
        ),
        (
            document(with_changes(due={"anchor": "ends_on", "not_after": "today"})),
            "not_after: 'today' is not one of",
        ),
        (
            document({**VALID_COUNT, "kind": "periodic_count", "period": "weekly"}),
            "period: 'weekly' is not one of calendar_month, calendar_year",
        ),
        (
            document(
                {
                    "code": "CAP",
                    "kind": "time_cap",
                    "label": "Cap",
                    "object_kind": "diagnostic",
                    "warn_ratio": 1.5,
                }
            ),
            "(CAP): warn_ratio: must be greater than 0 and at most 1, got 1.5",
        ),
        (
            document(
                {
                    "code": "CAP",
                    "kind": "time_cap",
                    "label": "Cap",
                    "object_kind": "workshop",
                    "warn_ratio": 0.8,
                }
            ),
            "object_kind: 'workshop' is not one of diagnostic, evaluation, funding_order",
        ),
        (
            document(
                {
                    "code": "CAP",
                    "kind": "time_cap",
                    "label": "Cap",
                    "object_kind": "diagnostic",
                    "warn_ratio": "lots",
                }
            ),
            "warn_ratio: must be a number, got 'lots'",
        ),
        (
            document(
                {"code": "FIRST", "kind": "first_meeting_mode", "label": "First", "meeting_kinds": ["copil"]}
            ),
            "(FIRST): missing key 'modes'",
        ),
        (
            document({**VALID_COUNT, "kind": "minutes_deadline", "working_days": 5}),
            "(FOLLOWUPS): unknown key(s) 'due', 'from', 'min', 'scope'",
        ),
    ],
)
def test_it_reports_what_is_wrong_in_a_catalogue(data: object, message: str) -> None:
    with pytest.raises(ObligationDataError, match=re.escape(message)):
        parse_catalogue(data)


def test_it_reports_invalid_yaml_with_its_origin() -> None:
    with pytest.raises(ObligationDataError, match=r"^region\.yaml: not valid YAML"):
        parse_catalogue_text("obligations: [unclosed", origin="region.yaml")


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ObligationDataError, match="cannot read the catalogue: No such file or directory"):
        load_catalogue(tmp_path / "missing.yaml")
