"""Every document written once: on the demo, each deliverable made as a DOCX and a PDF, and the
minutes of a meeting, carry the same text blocks in the same order in both files.

The blocks are read back from the files themselves: python-docx's paragraphs and table cells for the
DOCX, pypdf's text for the PDF (its running footer left out), so the check holds whatever renders
them. The demo is loaded once for the module, inside a transaction rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from sobrindustrie.core.pdf import pdf_unavailable_reason
from sobrindustrie.deliverables.catalogue import KINDS
from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.deliverables.document.html import render_pdf
from sobrindustrie.deliverables.generators import GenerationContext, MissingData, generator_for
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.meetings.exports import minutes_document
from sobrindustrie.meetings.models import Minutes
from sobrindustrie.meetings.results import survey_results
from sobrindustrie.programmes.models import Programme
from tests.deliverables.test_document_model import assert_same_blocks

SLUG = "sobrindustrie-paca-2025"
PAIRED = sorted(kind.code for kind in KINDS if {"docx", "pdf"} <= set(kind.formats))

pytestmark = pytest.mark.skipif(pdf_unavailable_reason() is not None, reason="PDF export needs Pango")


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Programme]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ContentType.objects.clear_cache()
            load_demo(password="secret-demo-1", with_areas=True)
            yield Programme.objects.get(slug=SLUG)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            ContentType.objects.clear_cache()


def test_every_paired_deliverable_says_the_same_in_docx_and_pdf(demo: Programme, db: None) -> None:
    assert PAIRED == ["L1.1", "L1.2", "L1.3", "L1.4", "L1.5", "L1.7", "L1.8", "L1.9", "L3.3", "L4.2"]
    ctx = GenerationContext(programme=demo, user=None, now=timezone.now())
    checked: dict[str, int] = {}
    with translation.override("fr"):
        for code in PAIRED:
            try:
                files = generator_for(code)(ctx)
            except MissingData:
                continue
            by_stem: dict[str, dict[str, bytes]] = {}
            for file in files:
                by_stem.setdefault(file.name.rsplit(".", 1)[0], {})[file.format] = file.content
            for stem, contents in by_stem.items():
                if {"docx", "pdf"} <= set(contents):
                    checked[stem] = assert_same_blocks(contents["docx"], contents["pdf"], stem)
    # The demo runs to the end of the follow-up: every paired deliverable has its data.
    assert {stem.split("-", 1)[0] for stem in checked} == set(PAIRED), checked
    assert min(checked.values()) >= 5, checked


def test_the_minutes_of_a_meeting_say_the_same_in_docx_and_pdf(demo: Programme, db: None) -> None:
    minutes = (
        Minutes.objects.filter(meeting__programme=demo, status=MinutesStatus.VALIDATED)
        .exclude(body="")
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    assert minutes.exists()
    surveyed = next((m for m in minutes if hasattr(m.meeting, "survey")), minutes.first())
    assert surveyed is not None
    meeting = surveyed.meeting
    survey = getattr(meeting, "survey", None)
    context = {
        "meeting": meeting,
        "minutes": surveyed,
        "invitations": meeting.invitations.select_related("user__organisation"),
        "guests": meeting.guests.all(),
        "decisions": meeting.decisions.select_related("owner"),
        "results": survey_results(survey) if survey is not None else None,
    }
    with translation.override("fr"):
        document = minutes_document(context)
        assert assert_same_blocks(render_docx(document), render_pdf(document), meeting.title) >= 5
