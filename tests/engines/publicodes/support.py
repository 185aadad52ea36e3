"""Shared helpers of the Publicodes tests: where the reference data is, and the reference engine runner."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from sobrindustrie.engines.publicodes.values import UNDEFINED, Value

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
MTE = SHARED_DATA / "mission-transition-ecologique"
PROGRAMMES = MTE / "programs"
INTERFACE = MTE / "publicodes-interface.yaml"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# A result as both engines are compared: ("boolean", True), ("null", None), ("undefined", None), ("error", None)...
Outcome = tuple[str, object]


def require_catalogue() -> None:
    """Skip the calling test when the shared Mission Transition Écologique data is not there."""
    if not PROGRAMMES.is_dir() or not INTERFACE.is_file():
        pytest.skip(
            f"the Mission Transition Écologique catalogue is not at {MTE} (../shared/data from the project)"
        )


def outcome(value: Value) -> Outcome:
    """Our value in the reference runner's terms."""
    if value is UNDEFINED:
        return ("undefined", None)
    if value is None:
        return ("null", None)
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, float):
        return ("number", "NaN" if math.isnan(value) else value)
    return ("string", value)


class ReferenceEngine:
    """publicodes 1.10.1 under node, installed from reference/package-lock.json on first use."""

    def __init__(self) -> None:
        node, npm = shutil.which("node"), shutil.which("npm")
        if node is None or npm is None:
            pytest.skip("node and npm are needed to run the reference Publicodes engine")
        self.node = node
        if not (REFERENCE_DIR / "node_modules" / "publicodes").is_dir():
            installed = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=REFERENCE_DIR,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if installed.returncode != 0:
                pytest.skip(f"npm ci failed in {REFERENCE_DIR}: {installed.stderr.strip()[-500:]}")

    def run(
        self,
        rule_sets: Sequence[Mapping[str, object]],
        evaluations: Sequence[tuple[int, Mapping[str, object]] | tuple[int, Mapping[str, object], str]],
        target: str,
    ) -> tuple[list[str | None], list[Outcome]]:
        """Why each rule set is refused (None if accepted), and each evaluation's outcome.

        An evaluation is (rule set index, situation) or (rule set index, situation, rule to evaluate
        instead of `target`).
        """
        batch = {
            "target": target,
            "rule_sets": list(rule_sets),
            "evaluations": [list(item) for item in evaluations],
        }
        completed = subprocess.run(
            [self.node, str(REFERENCE_DIR / "evaluate.mjs")],
            input=json.dumps(batch, ensure_ascii=False, default=str),
            capture_output=True,
            text=True,
            cwd=REFERENCE_DIR,
            timeout=600,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        answer = json.loads(completed.stdout)
        outcomes: list[Outcome] = []
        for result in answer["results"]:
            if result["kind"] == "error" or result.get("cycle"):
                outcomes.append(("error", None))
            elif result["kind"] in {"undefined", "null"}:
                outcomes.append((result["kind"], None))
            elif result["kind"] == "number":
                number = result["value"]
                outcomes.append(("number", number if number == "NaN" else float(number)))
            else:
                outcomes.append((result["kind"], result["value"]))
        return answer["rule_sets"], outcomes
