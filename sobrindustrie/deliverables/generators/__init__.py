"""Which function generates which deliverable.

Each entry names `module:function`; the module is imported only when the deliverable is generated,
so a page listing the registry does not load python-docx, openpyxl, python-pptx and matplotlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from sobrindustrie.deliverables.generators.base import GeneratedFile, GenerationContext, MissingData

Generator = Callable[[GenerationContext], list[GeneratedFile]]

_MINUTES = "sobrindustrie.deliverables.generators.minutes"
_AREAS = "sobrindustrie.deliverables.generators.areas"
_REPORTS = "sobrindustrie.deliverables.generators.reports"

GENERATORS: dict[str, str] = {
    "L1.1": f"{_MINUTES}:workshop_1",
    "L1.2": f"{_AREAS}:needs_synthesis",
    "L1.3": f"{_AREAS}:diagnostic_sheets",
    "L1.4": f"{_AREAS}:cooperation_synthesis",
    "L1.5": f"{_MINUTES}:workshop_2",
    "L1.6": f"{_AREAS}:contact_grid",
    "L1.7": f"{_AREAS}:team_sheets",
    "L1.8": f"{_MINUTES}:action_plan_workshops",
    "L1.9": f"{_AREAS}:action_plan_sheets",
    "L2.1": f"{_MINUTES}:followup_meetings",
    "L2.2": f"{_AREAS}:progress_tables",
    "L3.1": f"{_AREAS}:funding_interviews",
    "L3.2": f"{_AREAS}:funding_grid",
    "L3.3": f"{_AREAS}:funding_synthesis",
    "L4.1": f"{_REPORTS}:inventory",
    "L4.2": f"{_AREAS}:evaluation_synthesis",
    "L4.3": f"{_REPORTS}:synthesis_report",
    "L4.4": f"{_REPORTS}:communication_support",
    "L4.5": f"{_MINUTES}:restitution_notes",
    "REPORT_M6": f"{_REPORTS}:progress_report_m6",
    "REPORT_M12": f"{_REPORTS}:progress_report_m12",
    "REPORT_M18": f"{_REPORTS}:progress_report_m18",
    "REPORT_FINAL": f"{_REPORTS}:final_report",
}


def generator_for(code: str) -> Generator:
    module_name, function_name = GENERATORS[code].split(":")
    generator: Generator = getattr(importlib.import_module(module_name), function_name)
    return generator


__all__ = ["GENERATORS", "GeneratedFile", "GenerationContext", "MissingData", "generator_for"]
