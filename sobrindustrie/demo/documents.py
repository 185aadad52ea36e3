"""The demo's collaborative space: documents in every space and every publication state, news,
two webinars and one published showcase page.

Files are generated here (DOCX with python-docx, PDF with WeasyPrint) rather than shipped as binary
fixtures. Idempotent: documents are matched on their space and title, and a document that already
has a file gets no new version.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.pdf import html_to_pdf, pdf_unavailable_reason
from sobrindustrie.core.upsert import upsert
from sobrindustrie.documents import services
from sobrindustrie.documents.enums import PublicationStatus, SpaceKind
from sobrindustrie.documents.models import Document, Post, ShowcasePage, Space
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam

STATES = [
    PublicationStatus.PUBLISHED,
    PublicationStatus.DRAFT,
    PublicationStatus.SUBMITTED,
    PublicationStatus.VALIDATED,
    PublicationStatus.RETURNED,
]
WHEN = timezone.make_aware(dt.datetime(2026, 3, 12, 10, 0))


def _docx(title: str, lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(title: str, lines: list[str]) -> bytes:
    from django.utils.html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return html_to_pdf(f"<h1>{escape(title)}</h1>{body}")


def _document(
    space: Space, author: User, title: str, status: str, category: str, pdf: bool = False, **extra: Any
) -> Document:
    lines = [
        f"{title} — programme Sobr'Industrie PACA.",
        "Mutualisation des moyens de production, rétrofit local et maintenance internalisée.",
    ]
    existing = Document.objects.filter(space=space, title=title).first()
    if existing is None:
        # Without PDF export's system libraries (core.pdf), the demo still loads: that file in Word.
        pdf = pdf and pdf_unavailable_reason() is None
        data = _pdf(title, lines) if pdf else _docx(title, lines)
        name = f"{category}.{'pdf' if pdf else 'docx'}"
        existing = services.create_document(
            space, author, SimpleUploadedFile(name, data), title=title, category=category
        )
    values = {"status": status, "category": category, **extra}
    if status == PublicationStatus.RETURNED:
        values["return_comment"] = "Anonymiser les consommations avant diffusion."
    if status == PublicationStatus.PUBLISHED:
        values["published_at"] = WHEN
    document, _ = upsert(Document, {"pk": existing.pk}, values)
    return document


@transaction.atomic
def load(programme: Programme) -> None:
    consultant = User.objects.filter(programmes=programme, role=Role.CONSULTANT).order_by("email").first()
    if consultant is None:
        return
    spaces = services.ensure_spaces(programme)
    by_kind: dict[str, list[Space]] = {}
    for space in spaces:
        by_kind.setdefault(space.kind, []).append(space)
    programme_space = by_kind[SpaceKind.PROGRAMME][0]
    for index, status in enumerate(STATES):
        _document(
            programme_space,
            consultant,
            f"Ressource programme n° {index + 1}",
            status,
            "resource",
            pdf=index == 0,
        )
    _document(
        by_kind[SpaceKind.COPIL][0],
        consultant,
        "Note au COPIL : méthode de diagnostic",
        PublicationStatus.PUBLISHED,
        "deliverable",
    )
    for space in by_kind.get(SpaceKind.TEAM, []):
        _document(
            space,
            consultant,
            f"Compte rendu de l'atelier plan d'actions — {space.name}"[:200],
            PublicationStatus.PUBLISHED,
            "minutes",
        )
        _document(
            space,
            consultant,
            f"Projet de fiche équipe — {space.name}"[:200],
            PublicationStatus.SUBMITTED,
            "deliverable",
        )
    for space in by_kind.get(SpaceKind.ORGANISATION, [])[:5]:
        _document(
            space,
            consultant,
            f"Synthèse du diagnostic — {space.name}"[:200],
            PublicationStatus.PUBLISHED,
            "deliverable",
        )
    slides = _document(
        programme_space,
        consultant,
        "Support du webinaire rétrofit",
        PublicationStatus.PUBLISHED,
        "webinar",
        pdf=True,
    )
    _posts(programme_space, consultant, slides)
    _showcase(programme, consultant)


def _posts(space: Space, author: User, slides: Document) -> None:
    common = {"created_by": author, "status": PublicationStatus.PUBLISHED, "published_at": WHEN}
    upsert(
        Post,
        {"space": space, "title": "Lancement du programme Sobr'Industrie"},
        {
            **common,
            "kind": "news",
            "body": "Quinze PME lauréates ont rejoint le programme ; les diagnostics commencent.",
        },
    )
    upsert(
        Post,
        {"space": space, "title": "Appel à retours sur la grille de diagnostic"},
        {**common, "kind": "news", "status": PublicationStatus.SUBMITTED, "published_at": None,
         "body": "Un projet d'actualité en attente de validation par le COPIL."},
    )  # fmt: skip
    upsert(
        Post,
        {"space": space, "title": "Webinaire : le rétrofit local des machines"},
        {**common, "kind": "webinar", "event_at": WHEN, "recording_url": "https://webinaires.example/retrofit",
         "slides": slides, "body": "Retours d'expérience de deux PME et d'un intégrateur varois."},
    )  # fmt: skip
    upsert(
        Post,
        {"space": space, "title": "Webinaire : mutualiser ses moyens de production"},
        {**common, "kind": "webinar", "event_at": WHEN + dt.timedelta(days=35),
         "recording_url": "https://webinaires.example/mutualisation",
         "body": "Comment partager une machine entre voisins : contrats, planning, assurance."},
    )  # fmt: skip


def _showcase(programme: Programme, author: User) -> None:
    team = ProjectTeam.objects.for_programme(programme).order_by("name").first()
    if team is None:
        return
    upsert(
        ShowcasePage,
        {"team": team},
        {
            "slug": f"{programme.slug}-{team.pk}",
            "title": f"{team.name} : produire mieux avec moins",
            "title_en": f"{team.name}: producing better with less",
            "solution": team.theme,
            "summary": "Des PME voisines partagent leurs machines et leurs compétences de maintenance.",
            "summary_en": "Neighbouring SMEs share their machines and maintenance skills.",
            "key_results": "2 achats de machines évités\n1 200 km de déplacements de maintenance en moins par an",
            "key_results_en": "2 machine purchases avoided\n1,200 km of maintenance trips saved a year",
            "status": PublicationStatus.PUBLISHED,
            "published_at": WHEN,
            "created_by": author,
        },
    )
