from __future__ import annotations

import json
from typing import Any

import pytest

from sobrindustrie.engines.footprint.factors import FactorLibrary, load_library
from tests.engines.footprint.shared_data import SHARED_DEPLACEMENT


@pytest.fixture(scope="session")
def library() -> FactorLibrary:
    return load_library()


@pytest.fixture(scope="session")
def impactco2_modes() -> list[dict[str, Any]]:
    """Impact CO2's own deplacement.json, from ../shared/data beside the project."""
    if not SHARED_DEPLACEMENT.is_file():
        pytest.skip(f"Impact CO2's deplacement.json is not at {SHARED_DEPLACEMENT}")
    modes: list[dict[str, Any]] = json.loads(SHARED_DEPLACEMENT.read_text(encoding="utf-8"))
    return modes
