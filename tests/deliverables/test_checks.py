"""Checks before submission on the registry: they fire on the narrative and the generated document,
block submission until fixed or acknowledged with a reason, and the reasons reach ADEME."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document as WordDocument

from sobrindustrie.deliverables import checks, services
from sobrindustrie.deliverables.enums import DeliverableStatus
from sobrindustrie.deliverables.generators import GENERATORS, GeneratedFile, GenerationContext
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.diagnostics.enums import DiagnosticStatus
from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus
from tests.diagnostics.factories import DiagnosticFactory
from tests.meetings.factories import MeetingFactory, local


def _report(ctx: GenerationContext) -> list[GeneratedFile]:
    document = WordDocument()
    document.add_paragraph("Rapport M12")
    document.add_paragraph(gettext("Not written."))  # the generator's note where a section is empty
    out = io.BytesIO()
    document.save(out)
    return [GeneratedFile("REPORT_M12-rapport.docx", out.getvalue(), "Rapport M12")]


@pytest.fixture
def report(world: object, monkeypatch: pytest.MonkeyPatch, settings: object, tmp_path: Path) -> Deliverable:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    monkeypatch.setitem(GENERATORS, "REPORT_M12", f"{__name__}:_report")
    programme = world.programme  # type: ignore[attr-defined]
    for organisation in (world.sme_org, world.other_sme_org):  # type: ignore[attr-defined]
        DiagnosticFactory(organisation=organisation, status=DiagnosticStatus.VALIDATED)
    row = services.deliverable_row(programme, "REPORT_M12")
    row.successes = "Les quinze diagnostics ont été réalisés.\nÀ compléter."
    row.difficulties = "Délais d'instruction des aides."
    row.copil_meeting = MeetingFactory(
        programme=programme, kind=MeetingKind.COPIL, title="COPIL de lancement", status=MeetingStatus.HELD,
        starts_at=local(2024, 1, 10),
    )  # fmt: skip
    row.save()
    return services.generate(programme, "REPORT_M12", None).deliverable


def _codes(row: Deliverable) -> list[str]:
    with translation.override("en"):
        return [check.code for check in checks.run_checks(row)]


def test_the_checks_fire_on_the_narrative_the_copil_and_the_document(report: Deliverable) -> None:
    assert _codes(report) == [
        "placeholder",  # "À compléter"
        "count_contradiction",  # fifteen stated, two counted
        "empty_section",  # solutions
        "copil_before_period_end",
        "placeholder",  # "Not written." in the generated document
    ]
    with translation.override("fr"):
        messages = [check.message for check in checks.run_checks(report)]
    assert messages[1] == (
        "Dans « Succès », « quinze diagnostics » indique 15 diagnostics réalisés ; les données en "
        "comptent 2 à la fin de la période."
    )
    assert messages[2] == "La section « Solutions » est vide."


def test_a_blocking_check_stops_the_submission(world: object, report: Deliverable) -> None:
    consultant = world.users["consultant"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        services.submit(report, consultant, report.version)
    report.refresh_from_db()
    assert report.status == DeliverableStatus.IN_PROGRESS
    page = world.client("consultant").get(  # type: ignore[attr-defined]
        reverse("www:deliverable_detail", args=[world.programme.slug, "report-m12"])  # type: ignore[attr-defined]
    )
    assert page.context["can_submit"] is False
    assert page.context["blocking_count"] == 5
    assert reverse("www:deliverable_acknowledge", args=[world.programme.slug, "report-m12"]) in page.text  # type: ignore[attr-defined]


def test_fixing_the_text_clears_the_check(world: object, report: Deliverable) -> None:
    report.successes = "Deux diagnostics sur deux réalisés."
    report.solutions = "Actions phasées."
    report.save()
    assert "count_contradiction" not in _codes(report)
    assert "empty_section" not in _codes(report)


def test_acknowledged_checks_let_the_report_go_and_ademe_reads_the_reasons(
    world: object, report: Deliverable
) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    url = reverse("www:deliverable_acknowledge", args=[programme.slug, "report-m12"])
    first = checks.run_checks(report)[1]
    # ADEME does not acknowledge the consultant's checks; a reason is required.
    data = {"expected_version": report.version, "key": first.key, "reason": "Chiffre à jour en annexe."}
    assert world.client("ademe").post(url, data).status_code == 404  # type: ignore[attr-defined]
    consultant_client = world.client("consultant")  # type: ignore[attr-defined]
    refused = consultant_client.post(url, {**data, "reason": "  "})
    assert refused.status_code == 422
    assert refused.context["checks"][1]["form"].errors
    for check in checks.run_checks(report):
        report.refresh_from_db()
        response = consultant_client.post(
            url,
            {
                "expected_version": report.version,
                "key": check.key,
                "reason": f"Raison écrite pour {check.code}.",
            },
        )
        assert response.status_code == 302
    report.refresh_from_db()
    assert not checks.blocking(checks.run_checks(report))
    submit = reverse("www:deliverable_review", args=[programme.slug, "report-m12", "submit"])
    assert consultant_client.post(submit, {"expected_version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == DeliverableStatus.SUBMITTED
    assert _codes_of(report) == [
        "placeholder",
        "count_contradiction",
        "empty_section",
        "copil_before_period_end",
        "placeholder",
    ]
    assert report.submission_checks[1]["reason"] == "Raison écrite pour count_contradiction."
    page = world.client("ademe").get(  # type: ignore[attr-defined]
        reverse("www:deliverable_detail", args=[programme.slug, "report-m12"]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Raison écrite pour count_contradiction." in page.text
    assert "quinze diagnostics" in page.text


def _codes_of(report: Deliverable) -> list[str]:
    return [item["code"] for item in report.submission_checks]


def test_an_acknowledgement_lapses_when_the_figures_change(world: object, report: Deliverable) -> None:
    consultant = world.users["consultant"]  # type: ignore[attr-defined]
    [contradiction] = [c for c in checks.run_checks(report) if c.code == "count_contradiction"]
    services.acknowledge(report, consultant, report.version, contradiction.key, "Chiffre à jour en annexe.")
    report.refresh_from_db()
    assert not [c for c in checks.run_checks(report) if c.code == "count_contradiction" and c.blocking]
    DiagnosticFactory(organisation=world.partner_org, status=DiagnosticStatus.VALIDATED)  # type: ignore[attr-defined]
    [again] = [c for c in checks.run_checks(report) if c.code == "count_contradiction"]
    assert again.blocking and again.key != contradiction.key
    with pytest.raises(ValidationError):
        services.acknowledge(report, consultant, report.version, "count:nothing", "Plus rien à signaler.")
