"""The demo programme's collective workshop 1 as the consultant typed it in the room (25 November 2025).

Thirteen laureates were there (Traitements Thermiques Varois and Menuiseries des Alpes du Sud were
excused): each row holds what the company said it needs and can offer, the solutions this touches,
its three votes and its satisfaction. The minutes of the workshop (demo/meetings.py) summarise the
same day: maintenance of numerically controlled machines is the most shared need, laser cutting and
bending capacity sit idle at four laureates, sharing a maintenance technician draws strong interest.
The two topics the webinars of January and March 2026 took up are validated by the lead consultant
the day after; the others stay proposals.

Idempotent: rows are matched on (workshop, company) and (workshop, theme) and saved only when
something changed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sobrindustrie.accounts.models import User
from sobrindustrie.core.upsert import upsert
from sobrindustrie.meetings.enums import MeetingKind, TopicStatus
from sobrindustrie.meetings.models import Meeting, WebinarTopic, WorkshopContribution
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme

WORKSHOP_TITLE = "Atelier collectif 1 : enjeux et besoins communs"
LEAD = "helene.marchetti@cap-sobriete.example"
VALIDATED_ON = timezone.make_aware(dt.datetime(2025, 11, 26, 10, 0))

# company key: (needs, offers, solutions concerned, votes in order, satisfaction)
ROWS: dict[str, tuple[str, str, list[str], list[str], int]] = {
    "provence-usinage": (
        "Nos trois centres d'usinage tombent en panne faute de maintenance préventive ; "
        "nous cherchons un technicien à partager avec des voisins.",
        "Des heures d'usinage 5 axes disponibles le vendredi.",
        ["inhouse_maintenance", "pooling"],
        ["inhouse_maintenance", "pooling", "retrofit"],
        5,
    ),
    "toles-etang": (
        "Former nos régleurs à la maintenance de la presse plieuse.",
        "Notre laser CO2 tourne à 40 % : des heures de découpe à proposer.",
        ["pooling", "inhouse_maintenance"],
        ["pooling", "inhouse_maintenance", "usage_change"],
        4,
    ),
    "plasturgie-garlaban": (
        "Réduire la consommation des presses à injecter en veille la nuit.",
        "Un moule prototype et un atelier d'outillage.",
        ["usage_change"],
        ["usage_change", "retrofit", "pooling"],
        4,
    ),
    "aero-composites": (
        "Un autoclave surdimensionné : le partager plutôt que le remplacer.",
        "Conception d'outillages composites pour les voisins.",
        ["pooling", "local_fabrication"],
        ["pooling", "local_fabrication", "functional_economy"],
        5,
    ),
    "inox-process": (
        "Rétrofiter deux tours à commande numérique de 1998 plutôt que les remplacer.",
        "",
        ["retrofit"],
        ["retrofit", "inhouse_maintenance", "pooling"],
        3,
    ),
    "meca-comtat": (
        "Un technicien capable de dépanner nos commandes numériques Fanuc.",
        "Des heures de rectification disponibles.",
        ["inhouse_maintenance"],
        ["inhouse_maintenance", "retrofit", "pooling"],
        4,
    ),
    "decoupe-laser-rhodanienne": (
        "Remplir notre deuxième machine laser, occupée à moitié.",
        "Découpe laser fibre et pliage pour les PME du Vaucluse.",
        ["pooling", "functional_economy"],
        ["pooling", "functional_economy", "inhouse_maintenance"],
        5,
    ),
    "luberon-emballages": (
        "Mesurer la consommation de l'air comprimé, machine par machine.",
        "",
        ["usage_change"],
        ["usage_change", "inhouse_maintenance", "pooling"],
        3,
    ),
    "electronique-durance": (
        "Maintenir nous-mêmes la ligne de refusion : pièces et documentation.",
        "Un banc de test électronique à partager.",
        ["inhouse_maintenance", "pooling"],
        ["inhouse_maintenance", "pooling", "usage_change"],
        4,
    ),
    "hydraulique-provence-verte": (
        "Rénover le groupe hydraulique du banc d'essai plutôt que d'en racheter un.",
        "Des essais hydrauliques pour les voisins.",
        ["retrofit", "pooling"],
        ["retrofit", "pooling", "inhouse_maintenance"],
        4,
    ),
    "flaconnage-grasse": (
        "Une maintenance interne pour les lignes de remplissage, aujourd'hui sous contrat constructeur.",
        "",
        ["inhouse_maintenance"],
        ["inhouse_maintenance", "usage_change", "retrofit"],
        5,
    ),
    "azur-mecatronique": (
        "Fabriquer localement nos gabarits de contrôle au lieu de les commander en Asie.",
        "Conception mécatronique et impression 3D métal.",
        ["local_fabrication"],
        ["local_fabrication", "pooling", "inhouse_maintenance"],
        4,
    ),
    "chaudronnerie-durance-bleone": (
        "Partager une plieuse de grande longueur avec d'autres chaudronniers.",
        "Du soudage orbital à proposer.",
        ["pooling"],
        ["pooling", "inhouse_maintenance", "retrofit"],
        5,
    ),
}

# theme: (title, description), validated by the lead consultant the day after the workshop.
VALIDATED_TOPICS: dict[str, tuple[str, str]] = {
    "pooling": (
        "Mutualiser ses moyens de production entre PME voisines",
        "Retour d'expérience d'un groupement d'employeurs, cadre juridique du prêt de machine, "
        "tarification des heures machine ; avec le Pôle Méca Méditerranée.",
    ),
    "inhouse_maintenance": (
        "Internaliser la maintenance et partager un technicien",
        "Par où commencer, formations de l'OPCO 2i, technicien à temps partagé ; témoignage d'un lauréat.",
    ),
}


def load(programme: Programme) -> None:
    """Create or refresh the rows of workshop 1 and its validated topics (idempotent)."""
    meeting = Meeting.objects.filter(
        programme=programme, kind=MeetingKind.WORKSHOP_1, title=WORKSHOP_TITLE
    ).first()
    if meeting is None:
        return
    lead = User.objects.filter(email=LEAD).first()
    companies = {o.slug: o for o in Organisation.objects.for_programme(programme).filter(slug__in=ROWS)}
    for key, (needs, offers, solutions, votes, satisfaction) in ROWS.items():
        if key in companies:
            upsert(
                WorkshopContribution,
                {"meeting": meeting, "organisation": companies[key]},
                {
                    "needs": needs,
                    "offers": offers,
                    "solutions": solutions,
                    "votes": votes,
                    "satisfaction": satisfaction,
                    "updated_by": lead,
                },
            )
    for theme, (title, description) in VALIDATED_TOPICS.items():
        upsert(
            WebinarTopic,
            {"meeting": meeting, "theme": theme},
            {
                "title": title,
                "description": description,
                "status": TopicStatus.VALIDATED,
                "validated_by": lead,
                "validated_at": VALIDATED_ON,
            },
        )
