from __future__ import annotations

import pytest

from sobrindustrie.engines.calendar import main


def test_it_prints_the_date_after_adding_working_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-working-days", "2026-04-30", "5"]) == 0
    assert capsys.readouterr().out == "2026-05-11\n"


def test_it_accepts_a_negative_number_of_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-working-days", "2026-05-11", "-5"]) == 0
    assert capsys.readouterr().out == "2026-04-30\n"


def test_it_prints_the_count_with_both_ends_included(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["working-days", "2026-05-01", "2026-05-31"]) == 0
    assert capsys.readouterr().out == "17\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add-working-days", "2026-02-30", "5"], "invalid date '2026-02-30'"),
        (["add-working-days", "30/04/2026", "5"], "invalid date '30/04/2026': expected YYYY-MM-DD"),
        (["add-working-days", "20260430", "5"], "expected YYYY-MM-DD"),
        (["add-working-days", "2026-04-30", "five"], "invalid number of days 'five'"),
        (["add-working-days", "2026-04-30"], "the following arguments are required: N"),
        (["working-days", "2026-05-31", "2026-05-01"], "end 2026-05-01 is before start 2026-05-31"),
        (["working-days", "2026-05-01", "tomorrow"], "invalid date 'tomorrow'"),
        (["next-week"], "invalid choice: 'next-week'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_it_reports_bad_input_on_stderr_with_exit_code_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_it_shows_help_with_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["working-days", "--help"]) == 0
    assert "both included" in capsys.readouterr().out


def test_it_is_reachable_through_the_console_script(capsys: pytest.CaptureFixture[str]) -> None:
    from sobrindustrie.cli import main as console_main

    assert console_main(["calendar", "add-working-days", "2026-04-30", "5"]) == 0
    assert capsys.readouterr().out == "2026-05-11\n"
