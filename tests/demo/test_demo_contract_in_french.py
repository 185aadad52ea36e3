"""The demo, as ADEME and the consultant read it in French: one record of the contract's state, the
submitted M6 report frozen, no English sentence from the engines, and charts whose numbers parse.

The demo is loaded once for the module, inside a transaction rolled back at the end.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterator

import docx
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

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
from sobrindustrie.deliverables import services
from sobrindustrie.deliverables.enums import DeliverableStatus
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
            assert_numbers_parse(html[html.index("<svg") :])
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
