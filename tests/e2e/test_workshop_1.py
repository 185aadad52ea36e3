"""Workshop 1 on the demo, as the consultant runs it: a company's need typed on its row (HTMX, no
reload), a webinar topic validated, then the synthesis of needs (L1.2) downloaded in Word, which
quotes what was typed and prints the validated topic."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document as read_docx
from playwright.sync_api import expect

from tests.e2e.pages import Demo, workshop_1
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

NOT_RELOADED = "window.__e2eNotReloaded"
#: Excused from the demo's workshop: nothing typed for it yet.
COMPANY = "Traitements Thermiques Varois"


def _company_pk(demo: Demo) -> int:
    for pk, organisation in demo.index["organisations"].items():
        if organisation["name"] == COMPANY:
            return int(pk)
    raise AssertionError(f"the demo has no {COMPANY}")


def _docx_text(path: Path) -> str:
    document = read_docx(io.BytesIO(path.read_bytes()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_consultant_runs_workshop_1_and_l1_2_quotes_what_was_typed(
    demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    args = workshop_1(demo, "consultant")
    assert args, "the demo has no workshop 1"
    probe = probes("consultant")
    page = probe.page
    token = secrets.token_hex(3)
    need = f"Un four de revenu à partager la nuit ({token})"
    title = f"Rétrofit des fours : témoignages et financements ({token})"

    # From the meeting page to the workshop.
    probe.load(demo_server.url(reverse("www:meeting_detail", args=args)))
    page.locator(f"a[href='{reverse('www:workshop_capture', args=args)}']").click()
    page.wait_for_load_state("load")
    page.evaluate(f"{NOT_RELOADED} = true")

    # Type the company's row: its need and its first vote; saved without reloading the page.
    row = page.locator(f"#company-{_company_pk(demo)}")
    row.get_by_role("link", name="Saisir ce qu’elle dit").click()
    form = row.locator("form")
    expect(form).to_be_visible()
    form.locator("[name=needs]").fill(need)
    form.locator("[name=first_choice]").select_option("retrofit")
    form.locator("[name=satisfaction][value='4']").check(force=True)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.request.headers.get("hx-request") == "true"
    row = page.locator(f"#company-{_company_pk(demo)}")
    expect(row).to_contain_text(need)
    expect(row).to_contain_text("Enregistré")
    assert page.evaluate(NOT_RELOADED) is True, "the page was reloaded instead of swapping the row"

    # Validate the retrofit topic under the consultant's own title.
    probe.load(demo_server.url(reverse("www:webinar_topics", args=args)))
    topic = page.locator("#topic-retrofit")
    expect(topic).to_contain_text(need)
    topic.locator("[name='retrofit-title']").fill(title)
    topic.get_by_role("button", name="Valider ce thème").click()
    page.wait_for_load_state("load")
    expect(page.locator("#topic-retrofit")).to_contain_text("Validé")
    expect(page.locator("#topic-retrofit h2")).to_contain_text(title)

    # Download L1.2 in Word: it quotes the typed need and prints the validated topic.
    probe.load(demo_server.url(reverse("www:synthesis", args=[demo.programme_slug])))
    with page.expect_download() as download:
        page.locator(f"a[href='{reverse('www:synthesis_docx', args=[demo.programme_slug])}']").click()
    text = _docx_text(Path(download.value.path()))
    assert need in text
    assert title in text
    assert COMPANY in text
    assert probe.console_errors == []
