from __future__ import annotations

import pytest

from sobrindustrie.cli import main


def test_it_prints_usage_without_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "calendar add-working-days" in capsys.readouterr().out


def test_it_dispatches_to_the_calendar_engine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "add-working-days", "2026-04-30", "5"]) == 0
    assert capsys.readouterr().out.strip() == "2026-05-11"


def test_an_unknown_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err
