"""Fixtures of the browser checks: a production-like server with the demo, one browser, one
logged-in tab per role. See tests/e2e/README.md.

`E2E_DATASET=large` adds a large synthetic dataset to the server's database (large.py) and runs the
tests marked `e2e_large`, which are skipped otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.large import LARGE_DATASET_ARGS, LARGE_INDEX_SCRIPT, LargeProgramme
from tests.e2e.pages import DEMO_INDEX_SCRIPT, Demo
from tests.e2e.probe import PageProbe
from tests.e2e.report import summary_lines
from tests.e2e.server import DemoServer, ExtraDataset, start_demo_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent
AXE_SCRIPT = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
# What E2E_DATASET may name: the data added to the demo in the server's database.
DATASETS: dict[str, ExtraDataset | None] = {
    "demo": None,
    "large": ExtraDataset(LARGE_DATASET_ARGS, LARGE_INDEX_SCRIPT),
}


def dataset_name() -> str:
    return os.environ.get("E2E_DATASET") or "demo"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without the large dataset, the checks of a large programme are skipped before any server starts."""
    if dataset_name() == "large":
        return
    skip = pytest.mark.skip(
        reason="the server holds only the demo: run with E2E_DATASET=large (make e2e-large)"
    )
    for item in items:
        if item.get_closest_marker("e2e_large"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(
                "npm is not installed: it is needed once to install axe-core (tests/e2e/package.json)"
            )
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=E2E_DIR, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {E2E_DIR} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    name = dataset_name()
    if name not in DATASETS:
        pytest.fail(f"E2E_DATASET={name!r} is not one of {', '.join(DATASETS)}")
    server = start_demo_server(tmp_path_factory.mktemp("e2e-var"), DEMO_INDEX_SCRIPT, DATASETS[name])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo(demo_server: DemoServer) -> Demo:
    return Demo(demo_server.accounts, demo_server.index)


@pytest.fixture(scope="session")
def browser(demo_server: DemoServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def large(demo_server: DemoServer) -> LargeProgramme:
    """The first synthetic programme of the server's database."""
    if demo_server.dataset_index is None:
        pytest.fail("the server holds only the demo: a check of a large programme lacks the e2e_large mark")
    return LargeProgramme(demo_server.dataset_index)


def log_in(page: Any, server: DemoServer, email: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto(server.url("/connexion/"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", server.password)
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state("load")
    if "/connexion/" in page.url:
        raise AssertionError(f"logging in as {email} failed: still on {page.url}")


@pytest.fixture(scope="session")
def probes(browser: Any, demo_server: DemoServer, demo: Demo, axe_script: Path) -> Iterator[Any]:
    """`probes(role)`: that role's instrumented tab, logged in on first use and kept for the session."""
    opened: dict[str, PageProbe] = {}

    def probe_for(role: str) -> PageProbe:
        if role not in opened:
            context = browser.new_context(locale="fr-FR")
            probe = PageProbe(context, role, axe_script)
            if role != "anonymous":
                log_in(probe.page, demo_server, demo.account(role).email)
            opened[role] = probe
        return opened[role]

    yield probe_for
    for probe in opened.values():
        probe.page.context.close()


@pytest.fixture(scope="session")
def large_probes(
    browser: Any, demo_server: DemoServer, demo: Demo, large: LargeProgramme, axe_script: Path
) -> Iterator[Any]:
    """`large_probes(role)`: a tab logged in as the large programme's account for `role` (the demo's
    for the staff administrator), labelled `<role>@<slug>` in the checks and the summary."""
    opened: dict[str, PageProbe] = {}

    def probe_for(role: str) -> PageProbe:
        if role not in opened:
            email = large.account_email(role) or demo.account(role).email
            context = browser.new_context(locale="fr-FR")
            probe = PageProbe(context, f"{role}@{large.slug}", axe_script)
            log_in(probe.page, demo_server, email)
            opened[role] = probe
        return opened[role]

    yield probe_for
    for probe in opened.values():
        probe.page.context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = summary_lines()
    if lines:
        terminalreporter.section("EcoIndex of the pages checked (cold load)")
        for line in lines:
            terminalreporter.write_line(line)
