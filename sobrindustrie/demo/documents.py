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

from django.core.files.base import ContentFile
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


#: The five published project pages, by team name: what the COPIL validated for the public showcase.
SHOWCASE: dict[str, dict[str, str]] = {
    "Chaleur et hydraulique en Provence verte": {
        "title": "Récupérer la chaleur des compresseurs et fiabiliser l'hydraulique",
        "title_en": "Recovering compressor heat and making hydraulics reliable",
        "summary": "Deux industriels de Provence verte récupèrent la chaleur de leurs compresseurs d'air "
        "pour préchauffer l'eau des bains de traitement et mettent en commun l'entretien de leurs "
        "centrales hydrauliques.\nUn échangeur posé sur chaque compresseur alimente le préchauffage ; "
        "un plan d'entretien partagé remplace les dépannages en urgence.",
        "summary_en": "Two manufacturers in Provence verte recover the heat of their air compressors to "
        "preheat treatment baths and share the upkeep of their hydraulic power units.\nA heat exchanger "
        "on each compressor feeds the preheating; a shared maintenance plan replaces emergency call-outs.",
        "key_results": "Chaleur des compresseurs valorisée pour le préchauffage des bains\n"
        "Un plan d'entretien commun pour les centrales hydrauliques",
        "key_results_en": "Compressor heat used to preheat the baths\nOne shared upkeep plan for the "
        "hydraulic units",
    },
    "Découpe laser et chaudronnerie du Comtat": {
        "title": "Une découpe laser partagée entre quatre ateliers du Comtat",
        "title_en": "One laser cutter shared by four workshops of the Comtat",
        "summary": "Quatre PME du Comtat et du Luberon partagent les heures libres d'une découpe laser "
        "plutôt que d'en acheter une chacune.\nUn planning commun, un contrat de prêt de machine et une "
        "tarification à l'heure permettent à chaque atelier de sous-traiter ses pièces à son voisin.",
        "summary_en": "Four SMEs of the Comtat and the Luberon share the free hours of one laser cutter "
        "instead of each buying one.\nA shared schedule, a machine-loan contract and hourly pricing let "
        "each workshop subcontract parts to its neighbour.",
        "key_results": "Achats de machines neuves évités\nCapacité de découpe utilisée au lieu de dormir\n"
        "Trajets courts entre ateliers voisins",
        "key_results_en": "New machine purchases avoided\nCutting capacity used instead of idle\n"
        "Short trips between neighbouring workshops",
    },
    "Maintenance partagée des lignes automatisées azuréennes": {
        "title": "Un technicien de maintenance partagé sur la Côte d'Azur",
        "title_en": "A maintenance technician shared on the Côte d'Azur",
        "summary": "Un flaconnage de Grasse et un mécatronicien de la Côte d'Azur recrutent ensemble un "
        "technicien de maintenance au sein d'un groupement d'employeurs.\nLes pannes des lignes "
        "automatisées sont traitées sur place, les pièces d'usure réparées plutôt que remplacées.",
        "summary_en": "A bottle maker in Grasse and a mechatronics firm on the Côte d'Azur hire one "
        "maintenance technician together through an employers' group.\nBreakdowns of the automated "
        "lines are fixed on site, wear parts repaired rather than replaced.",
        "key_results": "Un emploi de technicien partagé entre deux entreprises\n"
        "Pièces réparées localement plutôt que remplacées",
        "key_results_en": "One technician's job shared by two companies\nParts repaired locally "
        "rather than replaced",
    },
    "Réparer et fabriquer localement dans les Alpes du Sud": {
        "title": "Réparer et fabriquer localement dans les Alpes du Sud",
        "title_en": "Repairing and making locally in the Southern Alps",
        "summary": "Une chaudronnerie, un menuisier industriel et un mainteneur de la Durance fabriquent "
        "ensemble leurs gabarits et outillages, écoconçus et réparables.\nLes pièces autrefois "
        "commandées loin sont produites dans la vallée avec les chutes de matière des ateliers.",
        "summary_en": "A boilermaker, an industrial joiner and a maintenance firm of the Durance make "
        "their jigs and tools together, eco-designed and repairable.\nParts once ordered from afar "
        "are made in the valley from the workshops' offcuts.",
        "key_results": "Gabarits fabriqués dans la vallée\nChutes de matière réemployées",
        "key_results_en": "Jigs made in the valley\nMaterial offcuts reused",
    },
    "Usinage et contrôle partagés autour de l'étang de Berre": {
        "title": "Usinage et contrôle partagés autour de l'étang de Berre",
        "title_en": "Machining and inspection shared around the Étang de Berre",
        "summary": "Cinq industriels de l'étang de Berre et un rétrofiteur local partagent leurs moyens "
        "d'usinage et de contrôle, et rétrofitent une presse plieuse au lieu d'en acheter une neuve.\n"
        "Un calendrier commun des machines et un catalogue des capacités libres organisent les "
        "échanges.",
        "summary_en": "Five manufacturers around the Étang de Berre and a local retrofitter share their "
        "machining and inspection means, and retrofit a press brake instead of buying a new one.\n"
        "A shared machine calendar and a catalogue of free capacity organise the exchanges.",
        "key_results": "Une presse plieuse rétrofitée au lieu d'être remplacée\n"
        "Moyens de contrôle mis en commun entre cinq sites",
        "key_results_en": "A press brake retrofitted instead of replaced\nInspection means shared "
        "between five sites",
    },
}


def _illustration(title: str, shade: int) -> bytes:
    """A light PNG illustration of the project: two workshops linked by a shared machine."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 420), (238, 244, 241))
    draw = ImageDraw.Draw(image)
    ink, accent = (40, 60, 52), (0, 110 + shade, 90)
    for left in (70, 530):  # two workshops with saw-tooth roofs
        draw.rectangle((left, 200, left + 200, 340), outline=ink, width=4)
        for tooth in range(4):
            x = left + tooth * 50
            draw.polygon([(x, 200), (x + 50, 200), (x + 50, 160)], outline=ink, width=3)
    draw.rounded_rectangle((330, 230, 470, 320), radius=12, fill=accent)  # the shared machine
    draw.line((270, 275, 330, 275), fill=ink, width=5)
    draw.line((470, 275, 530, 275), fill=ink, width=5)
    draw.text((70, 40), title[:70], fill=ink)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _showcase(programme: Programme, author: User) -> None:
    teams = {team.name: team for team in ProjectTeam.objects.for_programme(programme).order_by("name")}
    for index, (name, text) in enumerate(SHOWCASE.items()):
        team = teams.get(name)
        if team is None:
            continue
        page, _created = upsert(
            ShowcasePage,
            {"team": team},
            {
                "slug": f"{programme.slug}-{team.pk}",
                **text,
                "solution": team.theme,
                "image_alt": f"Illustration : deux ateliers reliés par une machine partagée — {text['title']}",
                "image_alt_en": f"Illustration: two workshops linked by a shared machine — {text['title_en']}",
                "status": PublicationStatus.PUBLISHED,
                "published_at": WHEN,
                "created_by": author,
            },
        )
        if not page.image:
            page.image.save(f"{page.slug}.png", ContentFile(_illustration(text["title"], index * 20)))
