"""The contract's deliverables: code, axis, title, formats, and when each is due.

Each kind names the contractual report that must carry it (CCTP 3.2: the M6 report holds every Axis 1
deliverable, the M12 and M18 reports the Axis 2 and 3 ones, the provisional final report all of them);
its due date is that report's, computed by the obligations engine from the programme's dates. Another
programme with another contract changes this list and `engines/data/obligations_v1.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DOCX, PDF, XLSX, PPTX = "docx", "pdf", "xlsx", "pptx"


@dataclass(frozen=True)
class DeliverableKind:
    code: str
    axis: int  # 1 to 4; 0 for the contractual reports
    title: Promise
    formats: tuple[str, ...]
    due_with: str  # the obligations engine's deliverable_deadline code whose date applies
    is_report: bool = False

    @property
    def display_code(self) -> str:
        """What users read: L1.3, …, and M6, M12, M18, Final for the reports."""
        return self.code.removeprefix("REPORT_").title() if self.is_report else self.code

    @property
    def slug(self) -> str:
        return self.code.lower().replace(".", "-").replace("_", "-")


KINDS: tuple[DeliverableKind, ...] = (
    DeliverableKind(
        "L1.1", 1, _("Minutes of workshop 1, with the laureates' satisfaction"), (DOCX, PDF), "REPORT_M6"
    ),
    DeliverableKind(
        "L1.2",
        1,
        _("Synthesis of needs and issues from workshop 1, with proposed webinar topics"),
        (DOCX, PDF),
        "REPORT_M6",
    ),
    DeliverableKind(
        "L1.3",
        1,
        _("Summary sheet of each SME: sobriety solutions, potential and barriers"),
        (DOCX, PDF),
        "REPORT_M6",
    ),
    DeliverableKind(
        "L1.4",
        1,
        _("Synthesis of the collaborations envisaged after the diagnostics"),
        (DOCX, PDF),
        "REPORT_M6",
    ),
    DeliverableKind(
        "L1.5", 1, _("Minutes of workshop 2, with the laureates' satisfaction"), (DOCX, PDF), "REPORT_M6"
    ),
    DeliverableKind(
        "L1.6", 1, _("Contact-tracking grid for completing the project teams"), (XLSX,), "REPORT_M6"
    ),
    DeliverableKind("L1.7", 1, _("Summary sheets of the project teams"), (DOCX, PDF), "REPORT_M6"),
    DeliverableKind("L1.8", 1, _("Minutes of the action-plan workshops"), (DOCX, PDF), "REPORT_M6"),
    DeliverableKind(
        "L1.9", 1, _("Summary sheet of each team's priority action plan"), (DOCX, PDF), "REPORT_M6"
    ),
    DeliverableKind("L2.1", 2, _("Minutes of the follow-up meetings"), (DOCX,), "REPORT_M12"),
    DeliverableKind("L2.2", 2, _("Progress table per project team"), (XLSX,), "REPORT_M12"),
    DeliverableKind("L3.1", 3, _("Minutes and synthesis of the funding interviews"), (DOCX,), "REPORT_M12"),
    DeliverableKind("L3.2", 3, _("Funding-application tracking grid per project"), (XLSX,), "REPORT_M12"),
    DeliverableKind(
        "L3.3", 3, _("Synthesis of funding obtained, by type of action"), (DOCX, PDF), "REPORT_M12"
    ),
    DeliverableKind("L4.1", 4, _("Inventory of the elements produced at each step"), (XLSX,), "REPORT_FINAL"),
    DeliverableKind(
        "L4.2", 4, _("Synthesis of the Empreinte Projet level-1 evaluations"), (DOCX, PDF), "REPORT_FINAL"
    ),
    DeliverableKind(
        "L4.3",
        4,
        _("Synthesis report and internal presentation, with recommendations to ADEME"),
        (DOCX, PPTX),
        "REPORT_FINAL",
    ),
    DeliverableKind("L4.4", 4, _("Communication material to promote the projects"), (PPTX,), "REPORT_FINAL"),
    DeliverableKind(
        "L4.5", 4, _("Notes on the restitution events and webinar exchanges"), (DOCX,), "REPORT_FINAL"
    ),
    DeliverableKind("REPORT_M6", 0, _("Progress report at 6 months"), (DOCX,), "REPORT_M6", is_report=True),
    DeliverableKind(
        "REPORT_M12", 0, _("Progress report at 12 months"), (DOCX,), "REPORT_M12", is_report=True
    ),
    DeliverableKind(
        "REPORT_M18", 0, _("Progress report at 18 months"), (DOCX,), "REPORT_M18", is_report=True
    ),
    DeliverableKind(
        "REPORT_FINAL", 0, _("Provisional final report"), (DOCX,), "REPORT_FINAL", is_report=True
    ),
)

BY_CODE: dict[str, DeliverableKind] = {kind.code: kind for kind in KINDS}
BY_SLUG: dict[str, DeliverableKind] = {kind.slug: kind for kind in KINDS}

# What each contractual report carries (CCTP 3.2).
REPORT_CONTENTS: dict[str, tuple[str, ...]] = {
    "REPORT_M6": tuple(k.code for k in KINDS if k.axis == 1),
    "REPORT_M12": tuple(k.code for k in KINDS if k.axis in (2, 3)),
    "REPORT_M18": tuple(k.code for k in KINDS if k.axis in (2, 3)),
    "REPORT_FINAL": tuple(k.code for k in KINDS if k.axis in (1, 2, 3, 4)),
}

AXIS_TITLES: dict[int, Promise] = {
    0: _("Contractual reports"),
    1: _("Axis 1 — diagnostics and action plans"),
    2: _("Axis 2 — follow-up of the action plans"),
    3: _("Axis 3 — financial engineering"),
    4: _("Axis 4 — evaluation and dissemination"),
}
