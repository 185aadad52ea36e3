"""The demo, as ADEME and the consultant read it in French: one record of the contract's state, the
submitted M6 report frozen, no English sentence from the engines, and charts whose numbers parse.

The demo is loaded once for the module, inside a transaction rolled back at the end.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation.figures import (
    analysis_parameters,
    figure_lines,
    score_from_parts,
    value_from_parts,
)
from sobrindustrie.cooperation.freshness import changes_since
from sobrindustrie.cooperation.models import DetectedOpportunity
from sobrindustrie.cooperation.services import latest_analysis
from sobrindustrie.deliverables import checks, services
from sobrindustrie.deliverables.enums import DeliverableStatus
from sobrindustrie.deliverables.generators import reports
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.engines.footprint import LineKind, load_library
from sobrindustrie.engines.obligations import english
from sobrindustrie.evaluation.grid import load_grid
from sobrindustrie.evaluation.models import GhgBalance
from sobrindustrie.meetings.obligations import compliance
from sobrindustrie.programmes.models import Programme
from tests.core.test_markup_numbers import assert_numbers_parse

SLUG = "sobrindustrie-paca-2025"
# Links never followed: they change, download or leave the pages.
SKIPPED = re.compile(
    r"/(deconnexion|supprimer|effacer|export|telecharger|admin|i18n)/|^/(static|media)/|\.\w+$"
)
MAX_PAGES_PER_ROLE = 150
# Pieces of the opportunities' English wording (`cooperation.wording`), in case a clause is untranslated
# (not the solutions' labels, which the English showcase shows).
OPPORTUNITY_ENGLISH = (
    "km apart",
    " h/year",
    "is looking for",
    "plans to buy",
    "can design production tools",
    "can build production tools",
    "maintained by",
    "offers to sell",
    "could cooperate with",
    "retrofit skills",
    "maintenance skills",
)


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Programme]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # An earlier module may have cached content types that a rollback or a flush removed.
            ContentType.objects.clear_cache()
            load_demo(password="secret-demo-1", with_areas=True)
            yield Programme.objects.get(slug=SLUG)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # Content types created inside the rolled-back block are gone: the cache must forget them.
            ContentType.objects.clear_cache()


def _client(programme: Programme, role: str) -> Client:
    user = programme.staff_members.filter(role=role).order_by("pk").first() or User.objects.get(
        email__startswith=role
    )
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_the_obligations_page_and_the_registry_agree_on_every_report(demo: Programme, db: None) -> None:
    registry = {row.kind.code: row for row in services.registry(demo) if row.kind.is_report}
    results = {row.result.code: row for row in compliance(demo).rows if row.result.code in registry}
    assert set(results) == set(registry) == {"REPORT_M6", "REPORT_M12", "REPORT_M18", "REPORT_FINAL"}
    for code, row in registry.items():
        obligation = results[code].result
        delivered = row.deliverable.delivered_on if row.deliverable else None
        if delivered is None:
            assert obligation.counted_ids == (), code
            assert (obligation.status.value == "late") == row.is_late, code
        else:
            assert obligation.counted_ids == (f"d{row.deliverable.pk}",), code  # type: ignore[union-attr]
            assert obligation.status.value in ("met", "breached"), code
            assert obligation.reason["submitted_on"] == delivered, code
    assert registry["REPORT_M6"].status == DeliverableStatus.VALIDATED
    page = _client(demo, Role.ADEME).get(reverse("www:obligations", args=[demo.slug]) + "?statut=tout")
    text = page.content.decode()
    assert "remis le 17 avril 2026" in text
    assert re.search(r"Validé par l(’|')ADEME", text)


def test_the_submitted_m6_report_stays_as_submitted(demo: Programme, db: None) -> None:
    row = Deliverable.objects.get(programme=demo, code="REPORT_M6")
    [submitted] = row.submitted_files()
    with submitted.file.open("rb") as handle:
        before = handle.read()
    assert "Chiffres : situation au 17 avril 2026" in _docx_text(before)

    result = services.generate(demo, "REPORT_M6", None)
    row.refresh_from_db()
    assert result.version == row.submitted_version + 1  # type: ignore[operator]
    [still] = row.submitted_files()
    with still.file.open("rb") as handle:
        assert handle.read() == before
    # Regenerated later, a past report is still cut at the end of its period.
    draft = _docx_text(result.generated[0].content)
    assert "Chiffres : situation au 20 avril 2026" in draft and "Chiffres arrêtés" not in draft


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _engine_english(programme: Programme) -> set[str]:
    """The English the engines produce for this demo: obligation reasons, balance warnings and inputs,
    grid labels and line kinds; none of it may reach a French page."""
    sentences = {english(row.result.reason) for row in compliance(programme).rows}
    library = load_library()
    for balance in GhgBalance.objects.filter(evaluation__team__programme=programme):
        for warning in (balance.result or {}).get("warnings", []):
            if isinstance(warning, dict):
                factor = library.factor(warning["factor_id"])
                sentences.add(f"factor {factor.id} is flagged")
                sentences.add(f"({factor.label_en})" if factor.label_en != factor.label_fr else factor.id)
        for line in balance.lines.all():
            sentences.add(f"{line.kind} / {line.effect}")
        for sensitivity in (balance.result or {}).get("sensitivities", []):
            if sensitivity.get("kind") == "factor":
                factor = library.factor(sensitivity["reference"])
                if factor.label_en != factor.label_fr:
                    sentences.add(f"input: {factor.label_en}")
    grid = load_grid()
    for scale in ("aspects", "certainties", "horizons", "phases"):
        sentences |= {level.label for level in getattr(grid, scale) if len(level.label) > 12}
    sentences |= {f">{kind.value}<" for kind in LineKind}
    # Opportunities: the engine gives codes, the page words them; their English must not leak.
    with translation.override("en"):
        opportunities = {
            o.sentence for o in DetectedOpportunity.objects.filter(analysis__programme=programme)
        }
    assert opportunities
    sentences |= opportunities | set(OPPORTUNITY_ENGLISH)
    return sentences


def _links(html: str) -> list[str]:
    return [href for href in re.findall(r'href="([^"#?]+)', html) if href.startswith("/")]


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADEME])
def test_every_french_page_is_free_of_the_engines_english_and_its_charts_parse(
    demo: Programme, db: None, role: str
) -> None:
    forbidden = _engine_english(demo)
    assert any(sentence.startswith("Deliverable REPORT_") for sentence in forbidden)
    client = _client(demo, role)
    start = reverse("www:programme_dashboard", args=[demo.slug])
    queue, seen, checked, charts = deque([start]), {_route(start)}, 0, 0
    for extra in (
        reverse("www:obligations", args=[demo.slug]) + "?statut=tout",
        reverse("www:evaluation_synthesis", args=[demo.slug]),
    ):
        queue.append(extra)
    while queue and checked < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        if response.streaming:  # a download: reading it to the end closes its file, as a browser does
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        checked += 1
        html = response.content.decode()
        found = [sentence for sentence in forbidden if sentence in html]
        assert not found, f"{path} as {role}: {found[:3]}"
        if "<svg" in html:
            charts += 1
            # The charts only: a page may go on with forms after a chart (the action page's
            # indicators), whose values are not drawing numbers.
            assert_numbers_parse("".join(re.findall(r"<svg.*?</svg>", html, re.S)))
        for link in _links(html):
            route = _route(link)
            if route is None or route in seen or SKIPPED.search(link):
                continue
            seen.add(route)
            queue.append(link)
    assert checked > 40 and charts >= 2, (checked, charts)


def test_every_demo_figure_is_explained_by_its_formula(demo: Programme, db: None) -> None:
    """On the demo: the formula lines add up to each stored value and score, and local fabrication
    never counts more than the price difference."""
    analysis = latest_analysis(demo)
    assert analysis is not None
    # The analysis ran at workshop 2; the consultant added a structure found while prospecting
    # afterwards (demo.teams.NEW_STRUCTURES): the pages say the analysis is out of date, and why.
    assert [(c.source, c.now - c.then) for c in changes_since(analysis)] == [("organisations", 1)]
    params = analysis_parameters(analysis.parameters)
    opportunities = list(DetectedOpportunity.objects.filter(analysis=analysis))
    assert len(opportunities) > 50
    for opportunity in opportunities:
        assert value_from_parts(opportunity, params) == pytest.approx(opportunity.value_eur, abs=5)
        assert score_from_parts(opportunity, params) == pytest.approx(opportunity.score, rel=0.02, abs=0.05)
        assert len(figure_lines(opportunity, params)) >= 3
        basis = opportunity.basis
        if opportunity.solution == "local_fabrication" and basis:
            assert opportunity.avoided_purchase_eur <= basis["purchase_value_eur"] * 0.3 + 0.01
            assert opportunity.avoided_kgco2e == 0
    fabrication = [o for o in opportunities if o.solution == "local_fabrication" and o.basis]
    assert fabrication, "the demo should hold a local fabrication opportunity answering a machine"


# --- Reports with substance and the checks before submission (issue 17, items 3 and 4) -------------


def _demo_report(demo: Programme, code: str) -> tuple[bytes, str]:
    with translation.override("fr"):
        result = services.generate(demo, code, None)
    content = result.generated[0].content
    return content, _docx_text(content)


def test_m12_and_the_final_report_give_an_account_of_each_team(demo: Programme, db: None) -> None:
    due = services.due_dates(demo)
    for code in ("REPORT_M12", "REPORT_FINAL"):
        content, text = _demo_report(demo, code)
        figures = reports.ProgrammeFigures(demo, min(due[code], timezone.localdate()))
        accounts = figures.team_accounts
        assert len(accounts) == 5
        document = docx.Document(io.BytesIO(content))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        assert "Compte rendu de chaque équipe projet" in text
        for account in accounts:
            assert account.name in headings, (code, account.name)
            for membership in account.members:
                assert membership.organisation.name in text
            with translation.override("fr"):
                assert reports.money(account.funding.requested) in text, (code, account.name)
            for action, step, _due in account.late_steps:
                assert f"{action} — {step}" in text
            for title, _balance in account.balances:
                assert title in text
            for difficulty in account.difficulties:
                assert difficulty.title in text
        titles = [shape._inline.docPr.get("title") for shape in document.inline_shapes]
        for expected in ("Diagnostics par statut", "Financements par équipe", "Effet de levier"):
            assert any(title.startswith(expected) for title in titles), (code, expected, titles)
        assert sum(1 for title in titles if "avancement des actions" in title) == 5
        assert "Aucun scénario de constitution des équipes adopté" not in text
        assert "n’ont pas été rédigées" not in text and "n'ont pas été rédigées" not in text
    assert "Enseignements et recommandations tirés des données" in text  # the final report's


def test_the_checks_fire_on_the_demo_narrative_and_not_on_the_submitted_m6(demo: Programme, db: None) -> None:
    rows = {row.code: row for row in Deliverable.objects.filter(programme=demo)}
    assert checks.findings(rows["REPORT_M6"]) == []  # submitted and validated: consistent
    with translation.override("fr"):
        m12 = {check.code: check.message for check in checks.run_checks(rows["REPORT_M12"])}
        final = [check.code for check in checks.run_checks(rows["REPORT_FINAL"])]
    assert set(m12) == {"count_contradiction", "copil_before_period_end"}
    assert "« Deux dossiers de financement » indique 2 demandes d’aide déposées" in m12["count_contradiction"]
    assert "COPIL mi-parcours" in m12["copil_before_period_end"]
    assert final.count("empty_section") == 3 and "no_copil" in final
    consultant = demo.staff_members.filter(role=Role.CONSULTANT).order_by("pk").first()
    with pytest.raises(ValidationError):
        services.submit(rows["REPORT_M12"], consultant, rows["REPORT_M12"].version)


def test_l1_4_and_l4_5_read_what_was_done(demo: Programme, db: None) -> None:
    from sobrindustrie.cooperation.synthesis import build_synthesis

    synthesis = build_synthesis(demo)
    assert synthesis is not None and len(synthesis.teams) == 5
    assert (
        "équipes formées" in synthesis.teams_source.lower()
        or "teams formed" in synthesis.teams_source.lower()
    )
    _content, text = _demo_report(demo, "L4.5")
    assert "Webinaire : mutualiser ses moyens de production" in text
    assert "Webinaire : maintenance interne et rétrofit local" in text


def test_the_showcase_publishes_the_five_projects_with_figures_partners_and_an_image(
    demo: Programme, db: None
) -> None:
    from sobrindustrie.documents.models import ShowcasePage

    pages = list(ShowcasePage.objects.published().filter(team__programme=demo))
    assert len(pages) == 5 and all(page.image and len(page.summary) > 200 for page in pages)
    client = Client()
    for page in pages:
        response = client.get(reverse("www:showcase_page", args=[page.slug]))
        text = response.content.decode()
        assert response.status_code == 200
        for membership in page.team.memberships.filter(left_on__isnull=True):
            assert membership.organisation.name.replace("'", "&#x27;") in text
        assert "Avancement du plan d’actions" in text or "Avancement du plan d'actions" in text
        image = client.get(reverse("www:showcase_image", args=[page.slug]))
        assert image.status_code == 200 and b"".join(image.streaming_content).startswith(b"\x89PNG")
        _close_without_ending_the_request(image)


def _close_without_ending_the_request(response: Any) -> None:
    """Close a file response's file without Django's end-of-request signal: that signal closes the
    database connection, which on PostgreSQL ends the module's demo transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
