"""Checks before submission: what the consultant must fix or acknowledge before a report goes to ADEME.

The logic is the plain engine `sobrindustrie.engines.narrative`; this module gathers its facts (the
narrative sections, the latest generated document's text, the COPIL chosen, the programme's counts
as of the end of the report's period) and words its findings in the user's language.

A finding blocks submission until it is fixed (it no longer fires) or acknowledged with a written
reason. Acknowledgements are kept on the registry row by the finding's key, so one lapses when the
text or the figures it was about change; at submission the findings and their reasons are copied
with the submitted version (`Deliverable.submission_checks`), which is what ADEME reads.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrindustrie.engines.narrative import Copil, Counted, Finding, NarrativeFacts, check_narrative

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.deliverables.models import Deliverable

#: Which narrative fields each kind of deliverable asks the consultant to write.
NARRATIVE_FIELDS: dict[str, list[str]] = {
    "REPORT_M6": ["successes", "difficulties", "solutions", "copil_meeting"],
    "REPORT_M12": ["successes", "difficulties", "solutions", "copil_meeting"],
    "REPORT_M18": ["successes", "difficulties", "solutions", "copil_meeting"],
    "REPORT_FINAL": ["methods", "successes", "difficulties", "solutions", "copil_meeting"],
    "L4.3": ["difficulties", "recommendations"],
}

SECTION_LABELS = {
    "successes": gettext_lazy("Successes"),
    "difficulties": gettext_lazy("Difficulties"),
    "solutions": gettext_lazy("Solutions"),
    "methods": gettext_lazy("Work and methods"),
    "recommendations": gettext_lazy("Recommendations to ADEME"),
    "document": gettext_lazy("the latest generated document"),
}

SUBJECT_LABELS = {
    ("diagnostics", ""): gettext_lazy("diagnostics carried out"),
    ("teams", ""): gettext_lazy("project teams"),
    ("plans", ""): gettext_lazy("action plans"),
    ("plans", "adopted"): gettext_lazy("action plans adopted"),
    ("applications", ""): gettext_lazy("funding applications recorded"),
    ("applications", "filed"): gettext_lazy("funding applications filed"),
    ("applications", "granted"): gettext_lazy("funding applications granted"),
}


def _generated_placeholders() -> list[str]:
    """The sentences report generators write where the consultant's text is missing."""
    return [
        _("Not written."),
        _("Not written yet."),
        _("The difficulties have not been written in the registry."),
        _("No strengths have been written yet, neither here nor in the progress reports."),
        _("No difficulties have been written yet, neither here nor in the progress reports."),
    ]


@dataclass(frozen=True)
class Check:
    key: str
    code: str
    message: str
    acknowledgement: dict[str, Any] | None

    @property
    def blocking(self) -> bool:
        return self.acknowledgement is None


def _date(value: str) -> str:
    return str(formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT"))


def word(finding: Finding) -> str:
    """The finding in the active language."""
    params = finding.params
    section = str(SECTION_LABELS.get(str(params.get("field", "")), params.get("field", "")))
    if finding.code == "empty_section":
        return _("The section “%(section)s” is empty.") % {"section": section}
    if finding.code == "placeholder":
        return _("A sentence in “%(section)s” looks like a placeholder: “%(excerpt)s”.") % {
            "section": section,
            "excerpt": params["excerpt"],
        }
    if finding.code == "no_copil":
        return _("No COPIL meeting is named as having validated this synthesis.")
    if finding.code == "copil_not_held":
        return _("The COPIL named (%(meeting)s, %(date)s) has not been held.") % {
            "meeting": params["meeting"],
            "date": _date(str(params["date"])),
        }
    if finding.code == "copil_before_period_end":
        return _(
            "The COPIL named (%(meeting)s, %(date)s) was held more than a month before the period "
            "covered ended (%(end)s): it cannot have validated an account of the whole period."
        ) % {
            "meeting": params["meeting"],
            "date": _date(str(params["date"])),
            "end": _date(str(params["period_end"])),
        }
    if finding.code == "count_contradiction":
        subject = str(
            SUBJECT_LABELS.get((str(params["subject"]), str(params["qualifier"])), params["subject"])
        )
        if params.get("code_detail") == "total":
            return _(
                "In “%(section)s”, “%(excerpt)s” gives a total of %(stated)s %(subject)s; the data "
                "counts %(counted)s."
            ) % {**params, "section": section, "subject": subject}
        return _(
            "In “%(section)s”, “%(excerpt)s” states %(stated)s %(subject)s; the data counts %(counted)s "
            "as of the end of the period."
        ) % {**params, "section": section, "subject": subject}
    return finding.code


# --- Facts -----------------------------------------------------------------------------------------


def period_end_of(deliverable: Deliverable, today: dt.date) -> dt.date | None:
    """The end of the period a report covers (its contractual due date), None for other deliverables."""
    if not deliverable.kind.is_report:
        return None
    from sobrindustrie.deliverables.services import due_dates

    return due_dates(deliverable.programme)[deliverable.code]


def counted(programme: Any, until: dt.date) -> dict[tuple[str, str], Counted]:
    """The programme's counts that narratives state, as of `until` where the records are dated."""
    from sobrindustrie.actionplans.models import ActionPlan, ActionPlanVersion
    from sobrindustrie.diagnostics.models import Diagnostic
    from sobrindustrie.diagnostics.synthesis import COUNTED_STATUSES
    from sobrindustrie.funding.enums import ApplicationStatus
    from sobrindustrie.funding.models import FundingApplication
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.teams.models import ProjectTeam

    laureates = Organisation.objects.for_programme(programme).laureates().active().count()
    diagnosed = Diagnostic.objects.for_programme(programme).filter(status__in=COUNTED_STATUSES).count()
    teams = ProjectTeam.objects.for_programme(programme).count()
    plans = ActionPlan.objects.filter(team__programme=programme).count()
    adopted = (
        ActionPlanVersion.objects.filter(plan__team__programme=programme, adopted_on__lte=until)
        .values("plan")
        .distinct()
        .count()
    )
    applications = FundingApplication.objects.for_programme(programme)
    filed = applications.filter(submitted_on__lte=until).count()
    granted = applications.filter(
        Q(status__in=[ApplicationStatus.GRANTED, ApplicationStatus.PAID])
        & (Q(decision_on__isnull=True) | Q(decision_on__lte=until))
    ).count()
    return {
        ("diagnostics", ""): Counted(diagnosed, laureates),
        ("teams", ""): Counted(teams),
        ("plans", ""): Counted(plans, teams),
        ("plans", "adopted"): Counted(adopted, teams),
        ("applications", ""): Counted(applications.count()),
        ("applications", "filed"): Counted(filed),
        ("applications", "granted"): Counted(granted),
    }


def _document_text(deliverable: Deliverable) -> str:
    """The paragraphs and table cells of the latest version's Word files."""
    latest = deliverable.latest_version()
    if not latest:
        return ""
    import docx

    parts: list[str] = []
    for stored in deliverable.files.filter(version=latest, format="docx").order_by("name"):
        with stored.file.open("rb") as handle:
            content = handle.read()
        try:
            document = docx.Document(io.BytesIO(content))
        except (zipfile.BadZipFile, KeyError, ValueError):  # not a Word file after all: nothing to read
            continue
        parts.extend(paragraph.text for paragraph in document.paragraphs)
        for table in document.tables:
            for table_row in table.rows:
                parts.extend(cell.text for cell in table_row.cells)
    return "\n".join(part for part in parts if part.strip())


def findings(deliverable: Deliverable, today: dt.date | None = None) -> list[Finding]:
    wanted = NARRATIVE_FIELDS.get(deliverable.code)
    if wanted is None:
        return []
    today = today or timezone.localdate()
    end = period_end_of(deliverable, today)
    copil = deliverable.copil_meeting if deliverable.copil_meeting_id else None
    from sobrindustrie.meetings.enums import MeetingStatus

    facts = NarrativeFacts(
        sections={name: getattr(deliverable, name) for name in wanted if name != "copil_meeting"},
        documents={"document": _document_text(deliverable)},
        generated_placeholders=_generated_placeholders(),
        counted=counted(deliverable.programme, min(end, today) if end else today),
        wants_copil="copil_meeting" in wanted,
        copil=Copil(copil.pk, copil.title, copil.starts_on, copil.status == MeetingStatus.HELD)
        if copil
        else None,
        period_end=end,
    )
    return check_narrative(facts)


def run_checks(deliverable: Deliverable, today: dt.date | None = None) -> list[Check]:
    """The checks that fire on the deliverable now, each with its acknowledgement if one was given."""
    acknowledged = deliverable.acknowledged_checks or {}
    return [Check(f.key, f.code, word(f), acknowledged.get(f.key)) for f in findings(deliverable, today)]


def blocking(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.blocking]


def acknowledgement(user: User, reason: str, message: str) -> dict[str, Any]:
    return {
        "reason": reason.strip(),
        "by": user.get_full_name() or user.email,
        "by_id": user.pk,
        "at": timezone.now().isoformat(timespec="seconds"),
        "message": message,
    }


def submission_record(checks: list[Check]) -> list[dict[str, Any]]:
    """What is kept with the submitted version: each check that fired, with its acknowledgement."""
    return [
        {"key": check.key, "code": check.code, "message": check.message, **(check.acknowledgement or {})}
        for check in checks
    ]
