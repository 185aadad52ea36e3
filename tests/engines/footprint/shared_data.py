"""Where Impact CO2's own file lies: ../shared/data beside the project (the project root holds tests/)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SHARED_DEPLACEMENT = PROJECT_ROOT.parent / "shared" / "data" / "impactco2" / "deplacement.json"
