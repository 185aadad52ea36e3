"""The demo programme's meetings, minutes, surveys, time spent, reports and restitution event.

A year of history up to 28 November 2026: kick-off COPIL, workshop 1 with its satisfaction survey,
two webinars, the diagnostics (as days of support), workshop 2, the partners' committee, the
mid-term COPIL, monthly exchanges with ADEME (August 2026 missed), follow-ups, a collective session,
and the intermediate restitution event being prepared. Minutes sit in every state of the workflow,
some late, so that the obligations dashboard shows every status.

Idempotent like the rest of the demo: rows are matched on stable keys (a meeting on its title) and
saved only when something changed. A meeting after the current date is kept planned, so loading
the demo on an earlier clock never records a meeting as held before it starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sobrindustrie.accounts.models import User
from sobrindustrie.core.upsert import upsert
from sobrindustrie.meetings.enums import (
    Attendance,
    DecisionKind,
    DecisionStatus,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    MinutesStatus,
    RegistrationStatus,
    TimeObjectKind,
)
from sobrindustrie.meetings.models import (
    ChecklistItem,
    Decision,
    Guest,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
    MinutesLog,
    Registration,
    RestitutionEvent,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    TimeEntry,
)
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme

ADEME = ["claire.vasseur@ademe-paca.example", "julien.ferrand@ademe-paca.example"]
LEAD, DIAGNOSTICIAN, FUNDING = (
    "helene.marchetti@cap-sobriete.example",
    "nicolas.berthier@cap-sobriete.example",
    "sarah.benali@cap-sobriete.example",
)
ADEME_OFFICE = "ADEME Provence-Alpes-Côte d'Azur, 2 boulevard de Gabès, Marseille"
VISIO = "https://visio.sobrindustrie.example/"


def _at(day: str, hour: int = 9, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute)))


@dataclass
class MinutesSpec:
    status: str
    submitted: str | None = None
    validated: str | None = None
    returned_comment: str = ""
    body: str = ""


@dataclass
class MeetingSpec:
    title: str
    kind: str
    day: str
    hour: int = 9
    hours: float = 2
    mode: str = MeetingMode.REMOTE
    place: str = ""
    agenda: str = ""
    invite: str = "staff"  # "staff", "laureates", "partners", or a comma list of organisation slugs
    organisations: list[str] = field(default_factory=list)
    organiser: str = ""
    minutes: MinutesSpec | None = None
    absent: list[str] = field(default_factory=list)
    guests: list[tuple[str, str]] = field(default_factory=list)


def _minutes_body(title: str, points: list[str], next_steps: list[str]) -> str:
    return "\n".join(
        [
            "# Contexte",
            "",
            f"{title} : tour de table, rappel des objectifs du programme « Produire mieux avec moins ».",
            "",
            "# Échanges",
            "",
            *[f"- {point}" for point in points],
            "",
            "# Suites à donner",
            "",
            *[f"1. {step}" for step in next_steps],
        ]
    )


AGENDA_COPIL = "1. Tour de table\n2. Avancement par axe\n3. Calendrier et jalons\n4. Décisions"

MEETINGS: list[MeetingSpec] = [
    MeetingSpec(
        "COPIL de lancement",
        MeetingKind.COPIL,
        "2025-10-28",
        hour=14,
        mode=MeetingMode.IN_PERSON,
        place=ADEME_OFFICE,
        agenda="1. Présentation du prestataire et de l'équipe\n2. Méthode de diagnostic low-tech adaptée\n"
        "3. Calendrier des ateliers et des diagnostics\n4. Outils : la plateforme collaborative",
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2025-10-31",
            "2025-11-05",
            body=_minutes_body(
                "COPIL de lancement",
                [
                    "La méthode de diagnostic est présentée ; l'ADEME demande d'ajouter le critère "
                    "d'accessibilité des solutions.",
                    "Les 15 lauréats seront diagnostiqués entre décembre et mars.",
                ],
                ["Envoyer la méthode amendée au COPIL", "Planifier l'atelier collectif 1 fin novembre"],
            ),
        ),
    ),
    MeetingSpec(
        "Atelier collectif 1 : enjeux et besoins communs",
        MeetingKind.WORKSHOP_1,
        "2025-11-25",
        hour=9,
        hours=6,
        mode=MeetingMode.IN_PERSON,
        place="Technopôle de l'Arbois, Aix-en-Provence",
        agenda="1. Accueil et présentation des lauréats\n2. Atelier « nos machines, nos usages »\n"
        "3. Cartographie des besoins communs\n4. Choix des thèmes de webinaires",
        invite="laureates",
        absent=["thermo-varois", "menuiseries-alpes-sud"],
        guests=[("Marie Lopez", "CCI Aix-Marseille-Provence")],
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2025-11-28",
            "2025-12-03",
            body=_minutes_body(
                "Atelier collectif 1",
                [
                    "Besoin le plus partagé : maintenance des machines à commande numérique (9 lauréats).",
                    "Capacités de découpe laser et de pliage sous-utilisées chez 4 lauréats.",
                    "Intérêt fort pour la mutualisation d'un technicien de maintenance.",
                ],
                ["Webinaire 1 sur la mutualisation", "Webinaire 2 sur la maintenance interne et le rétrofit"],
            ),
        ),
    ),
    MeetingSpec(
        "Webinaire : mutualiser ses moyens de production",
        MeetingKind.WEBINAR,
        "2026-01-22",
        hour=11,
        hours=1.5,
        agenda="1. Retour d'expérience d'un groupement d'employeurs\n2. Cadre juridique du prêt de machine\n3. Questions",
        invite="laureates",
        absent=["inox-process", "electronique-durance", "luberon-emballages"],
    ),
    MeetingSpec(
        "Webinaire : maintenance interne et rétrofit local",
        MeetingKind.WEBINAR,
        "2026-03-12",
        hour=11,
        hours=1.5,
        agenda="1. Internaliser la maintenance : par où commencer\n2. Rétrofit d'une presse : témoignage\n3. Questions",
        invite="laureates",
        absent=["aero-composites", "flaconnage-grasse"],
    ),
    MeetingSpec(
        "COPIL jalon à six mois",
        MeetingKind.COPIL,
        "2026-04-14",
        hour=14,
        mode=MeetingMode.REMOTE,
        agenda=AGENDA_COPIL,
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-04-15",
            "2026-04-16",
            body=_minutes_body(
                "COPIL jalon à six mois",
                [
                    "La synthèse du rapport M6 est présentée : douze diagnostics sur quinze réalisés, "
                    "trois reportés au printemps.",
                    "Le COPIL valide la synthèse des réussites, difficultés et solutions du rapport M6.",
                ],
                ["Transmettre le rapport M6 avant le 20 avril"],
            ),
        ),
    ),
    MeetingSpec(
        "Atelier collectif 2 : formation des équipes projet",
        MeetingKind.WORKSHOP_2,
        "2026-04-09",
        hour=9,
        hours=6,
        mode=MeetingMode.IN_PERSON,
        place="Cité des entreprises, Marseille",
        agenda="1. Synthèse des diagnostics\n2. Coopérations possibles\n3. Constitution des équipes projet",
        invite="laureates",
        absent=["chaudronnerie-durance-bleone"],
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-04-20",
            "2026-04-24",
            body=_minutes_body(
                "Atelier collectif 2",
                [
                    "Cinq équipes projet proposées : mutualisation de la découpe, maintenance partagée, "
                    "rétrofit de presses, emballages réemployables, traitements thermiques.",
                    "Deux structures extérieures à solliciter pour compléter les équipes.",
                ],
                ["Rédiger les fiches synthèse des équipes", "Prospecter les structures complémentaires"],
            ),
        ),
    ),
    MeetingSpec(
        "Comité des partenaires 2026",
        MeetingKind.PARTNERS_COMMITTEE,
        "2026-05-28",
        hour=14,
        hours=3,
        mode=MeetingMode.HYBRID,
        place="Pôle Méca Méditerranée, Marseille",
        invite="partners",
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-06-03",
            "2026-06-10",
            body=_minutes_body(
                "Comité des partenaires",
                [
                    "Les partenaires présentent leurs offres (formation, financement, fab-lab).",
                    "Le fab-lab propose d'accueillir l'équipe « rétrofit de presses ».",
                ],
                ["Identifier un financeur pour la presse mutualisée"],
            ),
        ),
    ),
    MeetingSpec(
        "COPIL mi-parcours",
        MeetingKind.COPIL,
        "2026-06-23",
        hour=14,
        mode=MeetingMode.HYBRID,
        place=ADEME_OFFICE,
        agenda=AGENDA_COPIL,
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-06-29",
            "2026-07-03",
            body=_minutes_body(
                "COPIL mi-parcours",
                [
                    "Les plans d'action prioritaires de 4 équipes sur 5 sont rédigés.",
                    "Le rapport M6 est validé.",
                ],
                ["Préparer l'événement de restitution intermédiaire", "Transmettre le rapport M12"],
            ),
        ),
    ),
    MeetingSpec(
        "Entretien Bpifrance : aides à l'investissement sobre",
        MeetingKind.FUNDER_INTERVIEW,
        "2026-09-29",
        hour=10,
        hours=1,
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-10-02",
            "2026-10-07",
            body=_minutes_body(
                "Entretien Bpifrance",
                ["Deux dispositifs mobilisables pour la presse mutualisée."],
                ["Monter le dossier avec l'équipe"],
            ),
        ),
    ),
    MeetingSpec(
        "Séance collective : partager les premiers résultats",
        MeetingKind.COLLECTIVE_SESSION,
        "2026-09-17",
        hour=14,
        hours=3,
        mode=MeetingMode.IN_PERSON,
        place="La Forge Commune, Marseille",
        invite="laureates",
        absent=["meca-comtat"],
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-09-23",
            "2026-09-30",
            body=_minutes_body("Séance collective", ["Trois équipes présentent leurs premiers gains."], []),
        ),
    ),
    MeetingSpec(
        "Comité régional Industrie du futur (Région Sud)",
        MeetingKind.STRATEGIC_COORDINATION,
        "2026-10-13",
        hour=10,
        hours=3,
        mode=MeetingMode.IN_PERSON,
        place="Hôtel de Région, Marseille",
        organiser="Région Sud",
    ),
    MeetingSpec(
        "Atelier plan d'action : découpe mutualisée",
        MeetingKind.ACTION_PLAN_WORKSHOP,
        "2026-09-24",
        hour=9,
        hours=3,
        mode=MeetingMode.IN_PERSON,
        place="Découpe Laser Rhodanienne, Arles",
        invite="decoupe-laser-rhodanienne,toles-etang,chaudronnerie-durance-bleone",
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-09-29",
            "2026-10-02",
            body=_minutes_body(
                "Atelier plan d'action",
                [
                    "Trois actions prioritaires retenues : planning partagé de la découpe laser, "
                    "transport groupé des tôles, maintenance préventive commune.",
                    "Le planning partagé est testé trois semaines avant décision.",
                ],
                ["Rédiger la fiche de l'action planning partagé", "Chiffrer le transport groupé"],
            ),
        ),
    ),
    MeetingSpec(
        "Suivi d'équipe : maintenance partagée",
        MeetingKind.TEAM_FOLLOWUP,
        "2026-10-22",
        hour=10,
        hours=1.5,
        invite="provence-usinage,inox-process,meca-comtat,durance-maintenance",
        minutes=MinutesSpec(
            MinutesStatus.VALIDATED,
            "2026-10-26",
            "2026-10-28",
            body=_minutes_body(
                "Suivi d'équipe",
                ["Le contrat de maintenance partagée est signé par deux des trois entreprises."],
                ["Obtenir la signature de la troisième entreprise"],
            ),
        ),
    ),
    MeetingSpec(
        "Atelier plan d'action : équipe maintenance partagée",
        MeetingKind.ACTION_PLAN_WORKSHOP,
        "2026-10-08",
        hour=9,
        hours=3,
        mode=MeetingMode.IN_PERSON,
        place="Provence Usinage de Précision, Rousset",
        invite="provence-usinage,inox-process,meca-comtat,durance-maintenance",
        minutes=MinutesSpec(
            MinutesStatus.RETURNED,
            "2026-10-14",
            returned_comment="Préciser le budget du technicien partagé et le calendrier de recrutement.",
            body=_minutes_body(
                "Atelier plan d'action",
                ["Le poste de technicien partagé est chiffré à 0,6 ETP réparti entre trois entreprises."],
                ["Chiffrer le budget", "Fixer le calendrier"],
            ),
        ),
    ),
    MeetingSpec(
        "Suivi d'équipe : découpe mutualisée",
        MeetingKind.TEAM_FOLLOWUP,
        "2026-11-05",
        hour=10,
        hours=1.5,
        invite="decoupe-laser-rhodanienne,toles-etang,chaudronnerie-durance-bleone",
        minutes=MinutesSpec(
            MinutesStatus.DRAFT,
            body=_minutes_body(
                "Suivi d'équipe", ["Planning de partage de la découpe laser testé 3 semaines."], []
            ),
        ),
    ),
    MeetingSpec(
        "Suivi d'équipe : emballages réemployables",
        MeetingKind.TEAM_FOLLOWUP,
        "2026-11-19",
        hour=10,
        hours=1.5,
        invite="luberon-emballages,plasturgie-garlaban,flaconnage-grasse",
        minutes=MinutesSpec(
            MinutesStatus.SUBMITTED,
            "2026-11-24",
            body=_minutes_body(
                "Suivi d'équipe", ["Prototype de caisse réemployable validé par deux clients."], []
            ),
        ),
    ),
    MeetingSpec(
        "Séance collective : sobriété énergétique des fours",
        MeetingKind.COLLECTIVE_SESSION,
        "2026-11-26",
        hour=14,
        hours=3,
        mode=MeetingMode.HYBRID,
        place="Traitements Thermiques Varois, La Seyne-sur-Mer",
        invite="laureates",
        absent=["hydraulique-provence-verte", "azur-mecatronique"],
        minutes=MinutesSpec(MinutesStatus.DRAFT, body="# Contexte\n\n(en cours de rédaction)"),
    ),
    MeetingSpec(
        "Rencontre Sobr'Industrie : restitution intermédiaire",
        MeetingKind.RESTITUTION_EVENT,
        "2026-12-10",
        hour=9,
        hours=7,
        mode=MeetingMode.HYBRID,
        place="Friche la Belle de Mai, Marseille (gare Saint-Charles à 15 min à pied)",
        agenda="1. Ouverture par l'ADEME\n2. Les cinq équipes projet présentent leurs résultats\n"
        "3. Table ronde : coopérer entre industriels\n4. Déjeuner local et de saison",
        invite="staff",
    ),
    MeetingSpec(
        "Suivi d'équipe : rétrofit de presses",
        MeetingKind.TEAM_FOLLOWUP,
        "2026-12-03",
        hour=10,
        hours=1.5,
        invite="hydraulique-provence-verte,azur-mecatronique,retrofit-mediterranee",
    ),
    MeetingSpec(
        "Séance collective : bilan de la première année",
        MeetingKind.COLLECTIVE_SESSION,
        "2027-02-11",
        hour=14,
        hours=3,
        mode=MeetingMode.IN_PERSON,
        place="Technopôle de l'Arbois, Aix-en-Provence",
        invite="laureates",
    ),
]

#: Monthly exchanges with ADEME (a COPIL counts for its month); August 2026 was missed.
ADEME_EXCHANGE_DAYS = [
    "2025-11-18",
    "2025-12-16",
    "2026-01-20",
    "2026-02-17",
    "2026-03-17",
    "2026-04-21",
    "2026-05-19",
    "2026-07-15",
    "2026-09-15",
    "2026-10-20",
    "2026-11-30",
    "2026-12-15",
]

DECISIONS = [
    # (number, meeting title, kind, text, owner e-mail, due, status, closed at meeting title)
    (
        1,
        "COPIL de lancement",
        DecisionKind.DECISION,
        "La méthode de diagnostic adaptée est validée, avec le critère d'accessibilité ajouté.",
        LEAD,
        "2025-11-15",
        DecisionStatus.DONE,
        "Atelier collectif 1 : enjeux et besoins communs",
    ),
    (
        2,
        "COPIL de lancement",
        DecisionKind.ACTION,
        "Planifier les 15 diagnostics entre décembre et mars.",
        DIAGNOSTICIAN,
        "2025-11-30",
        DecisionStatus.DONE,
        "Atelier collectif 1 : enjeux et besoins communs",
    ),
    (
        3,
        "Atelier collectif 1 : enjeux et besoins communs",
        DecisionKind.DECISION,
        "Deux webinaires : mutualisation, puis maintenance interne et rétrofit.",
        LEAD,
        "2026-03-31",
        DecisionStatus.DONE,
        "COPIL mi-parcours",
    ),
    (
        4,
        "Comité des partenaires 2026",
        DecisionKind.ACTION,
        "Identifier un financeur pour la presse mutualisée.",
        FUNDING,
        "2026-09-30",
        DecisionStatus.DONE,
        "Entretien Bpifrance : aides à l'investissement sobre",
    ),
    (
        5,
        "COPIL mi-parcours",
        DecisionKind.ACTION,
        "Préparer l'événement de restitution intermédiaire.",
        LEAD,
        "2026-12-10",
        DecisionStatus.OPEN,
        None,
    ),
    (
        6,
        "COPIL mi-parcours",
        DecisionKind.ACTION,
        "Transmettre le rapport d'avancement M12.",
        LEAD,
        "2026-10-20",
        DecisionStatus.OPEN,
        None,
    ),
    (
        7,
        "COPIL mi-parcours",
        DecisionKind.DECISION,
        "Le webinaire de synthèse aura lieu en septembre 2027.",
        None,
        None,
        DecisionStatus.OPEN,
        None,
    ),
]

#: Days of support per diagnostic (cap 5): most within, two close to the cap, one over.
DIAGNOSTIC_DAYS = {
    "provence-usinage": ["1", "1.5", "1"],
    "toles-etang": ["1", "1", "1"],
    "plasturgie-garlaban": ["1", "1.5", "0.5"],
    "aero-composites": ["1.5", "1.5", "1.5"],
    "inox-process": ["1", "1", "1"],
    "meca-comtat": ["1", "1", "0.5"],
    "decoupe-laser-rhodanienne": ["1", "1.5", "1"],
    "luberon-emballages": ["1", "1", "1"],
    "electronique-durance": ["1", "1.5", "1"],
    "thermo-varois": ["1.5", "2", "2"],
    "hydraulique-provence-verte": ["1", "1", "1"],
    "flaconnage-grasse": ["1", "1", "1"],
    "azur-mecatronique": ["1", "1.5", "1"],
    "chaudronnerie-durance-bleone": ["1.5", "1.5", "1"],
    "menuiseries-alpes-sud": ["1", "1", "1"],
}

OTHER_TIME = [
    # (date, consultant, days, axis, kind, label, description)
    (
        "2026-05-12",
        FUNDING,
        "2",
        3,
        TimeObjectKind.FUNDING_ORDER,
        "Dossier Région Sud — presse mutualisée",
        "Montage du dossier",
    ),
    (
        "2026-06-16",
        FUNDING,
        "2.5",
        3,
        TimeObjectKind.FUNDING_ORDER,
        "Dossier Région Sud — presse mutualisée",
        "Compléments demandés",
    ),
    (
        "2026-10-05",
        FUNDING,
        "2",
        3,
        TimeObjectKind.FUNDING_ORDER,
        "Dossier Région Sud — presse mutualisée",
        "Dépôt et suivi",
    ),
    (
        "2026-10-21",
        FUNDING,
        "2",
        3,
        TimeObjectKind.FUNDING_ORDER,
        "Dossier Bpifrance — technicien partagé",
        "Étude d'éligibilité",
    ),
    (
        "2026-09-08",
        LEAD,
        "1.5",
        4,
        TimeObjectKind.EVALUATION,
        "Empreinte Projet — équipe découpe mutualisée",
        "Scénario de référence",
    ),
    (
        "2026-10-12",
        LEAD,
        "1.5",
        4,
        TimeObjectKind.EVALUATION,
        "Empreinte Projet — équipe découpe mutualisée",
        "Arbre des conséquences",
    ),
    (
        "2026-10-27",
        LEAD,
        "1",
        4,
        TimeObjectKind.EVALUATION,
        "Empreinte Projet — équipe emballages",
        "Cadrage",
    ),
    (
        "2026-11-10",
        LEAD,
        "1",
        2,
        TimeObjectKind.TEAM,
        "Équipe maintenance partagée",
        "Suivi du plan d'action",
    ),
    ("2026-11-17", LEAD, "0.5", 2, TimeObjectKind.OTHER, "Coordination ADEME", "Préparation des échanges"),
]

SURVEY_ANSWERS = {
    # meeting title: list of (overall 1-5, useful 1-5, recommend 0-10, length, topics, comment)
    "Atelier collectif 1 : enjeux et besoins communs": [
        (5, 5, 9, 1, [0, 3], "Très concret, on repart avec des contacts utiles."),
        (4, 4, 8, 1, [0], ""),
        (5, 4, 10, 1, [1, 3], "Bravo pour l'animation."),
        (4, 3, 7, 2, [4], "Un peu long l'après-midi."),
        (3, 3, 6, 2, [0, 1], ""),
        (5, 5, 9, 1, [2], "Hâte de voir les diagnostics."),
        (4, 4, 8, 1, [0, 4], ""),
        (4, 5, 9, 1, [3], "Le lieu était accessible en train, merci."),
        (2, 3, 5, 0, [5], "On aurait aimé plus de temps sur les cas concrets."),
    ],
    "Webinaire : mutualiser ses moyens de production": [
        (4, 4, 8, 1, [0], "Le témoignage était parlant."),
        (4, 3, 7, 1, [0, 6], ""),
        (5, 4, 9, 1, [0], ""),
        (3, 3, 6, 0, [1], "Trop court pour le volet juridique."),
    ],
    "Séance collective : sobriété énergétique des fours": [
        (5, 5, 10, 1, [4], "Les chiffres des fours m'ont convaincu."),
        (4, 4, 8, 1, [4, 1], ""),
    ],
}


class _Demo:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.users = {u.email: u for u in User.objects.filter(email__endswith=".example")}
        self.organisations = {o.slug: o for o in Organisation.objects.filter(programme=programme)}
        members = User.objects.filter(organisation__programme=programme, is_active=True).order_by("email")
        self.members_by_org: dict[int, list[User]] = {}
        for member in members:
            self.members_by_org.setdefault(member.organisation_id, []).append(member)  # type: ignore[arg-type]
        self.meetings: dict[str, Meeting] = {}

    def user(self, email: str) -> User:
        return self.users[email]

    def staff(self) -> list[User]:
        return [self.user(e) for e in (*ADEME, LEAD, DIAGNOSTICIAN) if e in self.users]

    def first_members(self, slugs: list[str]) -> list[User]:
        people = []
        for slug in slugs:
            organisation = self.organisations.get(slug)
            if organisation is not None and self.members_by_org.get(organisation.pk):
                people.append(self.members_by_org[organisation.pk][0])
        return people

    def invitees(self, spec: MeetingSpec) -> tuple[list[User], list[str]]:
        if spec.invite == "laureates":
            slugs = [s for s, o in self.organisations.items() if o.is_laureate]
        elif spec.invite == "partners":
            slugs = [s for s, o in self.organisations.items() if not o.is_laureate]
        elif spec.invite == "staff":
            slugs = []
        else:
            slugs = spec.invite.split(",")
        staff = self.staff() if spec.kind != MeetingKind.FUNDER_INTERVIEW else [self.user(FUNDING)]
        return staff + self.first_members(slugs), slugs

    # --- meetings -------------------------------------------------------------------------------

    def meeting(self, spec: MeetingSpec) -> Meeting:
        starts_at = _at(spec.day, spec.hour)
        ends_at = starts_at + dt.timedelta(hours=spec.hours)
        held = ends_at <= self.now
        values: dict[str, Any] = {
            "kind": spec.kind,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "mode": spec.mode,
            "place": spec.place,
            "video_link": VISIO + spec.day if spec.mode != MeetingMode.IN_PERSON else "",
            "agenda": spec.agenda,
            "status": MeetingStatus.HELD if held else MeetingStatus.PLANNED,
            "organiser_name": spec.organiser,
            "attended_by_consultant": True,
            "created_by": self.user(LEAD),
        }
        meeting, _ = upsert(Meeting, {"programme": self.programme, "title": spec.title}, values)
        users, slugs = self.invitees(spec)
        wanted = [self.organisations[s] for s in (spec.organisations or slugs) if s in self.organisations]
        if set(meeting.organisations.values_list("pk", flat=True)) != {o.pk for o in wanted}:
            meeting.organisations.set(wanted)
        absent_orgs = {self.organisations[s].pk for s in spec.absent if s in self.organisations}
        for user in users:
            if not held:
                attendance = Attendance.UNKNOWN
            elif user.organisation_id in absent_orgs:
                attendance = Attendance.EXCUSED
            else:
                attendance = Attendance.PRESENT
            upsert(
                Invitation,
                {"meeting": meeting, "user": user},
                {"attendance": attendance, "invited_at": starts_at - dt.timedelta(days=21)},
            )
        for name, organisation_name in spec.guests if held else []:
            upsert(Guest, {"meeting": meeting, "name": name}, {"organisation_name": organisation_name})
        if spec.minutes is not None and held:
            self.minutes(meeting, spec.minutes)
        self.meetings[spec.title] = meeting
        return meeting

    def minutes(self, meeting: Meeting, spec: MinutesSpec) -> None:
        submitted = _at(spec.submitted, 17) if spec.submitted else None
        validated = _at(spec.validated, 11) if spec.validated else None
        if (submitted and submitted > self.now) or (validated and validated > self.now):
            return
        values = {
            "body": spec.body,
            "status": spec.status,
            "first_submitted_at": submitted,
            "submitted_at": submitted,
            "validated_at": validated,
            "validated_by": self.user(ADEME[0]) if validated else None,
            "return_comment": spec.returned_comment,
        }
        minutes, outcome = upsert(Minutes, {"meeting": meeting}, values)
        if outcome != "created":
            return
        steps = []
        if submitted:
            steps.append(("submit", MinutesStatus.DRAFT, MinutesStatus.SUBMITTED, LEAD, submitted, ""))
        if validated:
            steps.append(
                ("validate", MinutesStatus.SUBMITTED, MinutesStatus.VALIDATED, ADEME[0], validated, "")
            )
        if spec.status == MinutesStatus.RETURNED and submitted:
            returned_at = submitted + dt.timedelta(days=4)
            steps.append(
                (
                    "return",
                    MinutesStatus.SUBMITTED,
                    MinutesStatus.RETURNED,
                    ADEME[0],
                    returned_at,
                    spec.returned_comment,
                )
            )
        for action, source, target, email, at, comment in steps:
            MinutesLog.objects.create(
                minutes=minutes,
                action=action,
                from_status=source,
                to_status=target,
                user=self.user(email),
                at=at,
                comment=comment,
            )

    def ademe_exchanges(self) -> None:
        for day in ADEME_EXCHANGE_DAYS:
            label = dt.date.fromisoformat(day).strftime("%m/%Y")
            self.meeting(
                MeetingSpec(
                    f"Point mensuel ADEME — {label}",
                    MeetingKind.ADEME_EXCHANGE,
                    day,
                    hour=10,
                    hours=1,
                    agenda="1. Avancement\n2. Difficultés\n3. Prochaines échéances",
                )
            )

    # --- decisions ------------------------------------------------------------------------------

    def decisions(self) -> None:
        for number, title, kind, text, owner, due, status, closed_at in DECISIONS:
            meeting = self.meetings.get(title)
            if meeting is None or meeting.status != MeetingStatus.HELD:
                continue
            closing = self.meetings.get(closed_at) if closed_at else None
            if closing is not None and closing.status != MeetingStatus.HELD:
                closing, status = None, DecisionStatus.OPEN
            upsert(
                Decision,
                {"programme": self.programme, "number": number},
                {
                    "meeting": meeting,
                    "kind": kind,
                    "text": text,
                    "owner": self.user(owner) if owner else None,
                    "owner_name": "" if owner else "COPIL",
                    "due_on": dt.date.fromisoformat(due) if due else None,
                    "status": status,
                    "closed_at_meeting": closing,
                    "closed_on": closing.starts_on if closing else None,
                },
            )

    # --- surveys --------------------------------------------------------------------------------

    def surveys(self) -> None:
        from sobrindustrie.meetings.services import default_questions

        for title, answers in SURVEY_ANSWERS.items():
            meeting = self.meetings.get(title)
            if meeting is None or meeting.status != MeetingStatus.HELD:
                continue
            survey, _ = upsert(
                Survey, {"meeting": meeting}, {"closes_at": meeting.ends_at + dt.timedelta(days=14)}
            )
            questions = []
            for position, (kind, text, choices, required) in enumerate(default_questions(), start=1):
                question, _ = upsert(
                    SurveyQuestion,
                    {"survey": survey, "position": position},
                    {
                        "kind": kind,
                        "text": str(text),
                        "choices": [str(c) for c in choices],
                        "required": required,
                    },
                )
                questions.append(question)
            present = meeting.invitations.filter(
                attendance=Attendance.PRESENT, user__organisation__isnull=False
            )
            links = []
            for invitation in present.select_related("user").order_by("user__email"):
                link, _ = upsert(
                    SurveyInvitation,
                    {"survey": survey, "user": invitation.user},
                    {
                        "name": str(invitation.user),
                        "email": invitation.user.email,
                        "sent_at": meeting.ends_at,
                    },
                )
                links.append(link)
            for link, answer in zip(links, answers, strict=False):
                self.answer(link, questions, answer)

    def answer(
        self, link: SurveyInvitation, questions: list[SurveyQuestion], answer: tuple[Any, ...]
    ) -> None:
        overall, useful, recommend, length, topics, comment = answer
        response, _ = upsert(SurveyResponse, {"invitation": link}, {})
        values: list[dict[str, Any]] = [
            {"number": overall, "text": "", "selected": []},
            {"number": useful, "text": "", "selected": []},
            {"number": recommend, "text": "", "selected": []},
            {"number": None, "text": "", "selected": [questions[3].choices[length]]},
            {"number": None, "text": "", "selected": [questions[4].choices[i] for i in topics]},
            {"number": None, "text": comment, "selected": []},
        ]
        for question, value in zip(questions, values, strict=True):
            if value["number"] is None and not value["text"] and not value["selected"]:
                continue
            upsert(SurveyAnswer, {"response": response, "question": question}, value)

    # --- time, reports, event -------------------------------------------------------------------

    def time_entries(self) -> None:
        organisation_type = ContentType.objects.get_for_model(Organisation)
        start = dt.date(2025, 12, 2)
        consultant = self.user(DIAGNOSTICIAN)
        for index, (slug, chunks) in enumerate(DIAGNOSTIC_DAYS.items()):
            organisation = self.organisations.get(slug)
            if organisation is None:
                continue
            for step, days in enumerate(chunks):
                day = start + dt.timedelta(days=7 * index + step * 2)
                while day.weekday() >= 5:
                    day += dt.timedelta(days=1)
                self.time_entry(
                    consultant,
                    day,
                    days,
                    1,
                    TimeObjectKind.DIAGNOSTIC,
                    {"content_type": organisation_type, "object_id": organisation.pk, "object_label": ""},
                    ["Visite et entretien sur site", "Analyse et fiche synthèse", "Restitution au dirigeant"][
                        step
                    ],
                )
        for day, email, days, axis, kind, label, description in OTHER_TIME:
            self.time_entry(
                self.user(email),
                dt.date.fromisoformat(day),
                days,
                axis,
                kind,
                {"content_type": None, "object_id": None, "object_label": label},
                description,
            )

    def time_entry(
        self,
        consultant: User,
        day: dt.date,
        days: str,
        axis: int,
        kind: str,
        target: dict[str, Any],
        description: str,
    ) -> None:
        if day > self.today:
            return
        upsert(
            TimeEntry,
            {
                "programme": self.programme,
                "consultant": consultant,
                "date": day,
                "object_kind": kind,
                **target,
            },
            {"days": Decimal(days), "axis": axis, "description": description},
        )

    def event(self) -> None:
        meeting = self.meetings.get("Rencontre Sobr'Industrie : restitution intermédiaire")
        if meeting is None:
            return
        event, _ = upsert(
            RestitutionEvent,
            {"meeting": meeting},
            {
                "registration_open": not meeting.is_past,
                "capacity": 60,
                "public_description": "Une journée pour découvrir les résultats des cinq équipes projet du "
                "programme Sobr'Industrie et échanger avec les industriels de la région.\n\n"
                "**Venir** : gare Saint-Charles à 15 minutes à pied ; pas de parking réservé.",
                "notes": "",
            },
        )
        people = [
            ("Anne Sabatier", "Métropole Aix-Marseille-Provence", "végétarien", ""),
            ("Karim Haddad", "CCI Var", "", ""),
            ("Lise Barthélemy", "Région Sud", "sans gluten", ""),
            ("Paul Ortega", "Fonderie du Var", "", "accès en fauteuil roulant"),
            ("Émilie Rostand", "AD Occitanie", "", ""),
            ("Hugo Lemaire", "Mécanique Lemaire", "", ""),
            ("Nadia Benyahia", "Institut de la transition", "végétalien", ""),
            ("Olivier Faure", "Faure Outillage", "", "boucle magnétique"),
        ]
        for name, organisation_name, diet, needs in people:
            email = f"{name.split()[0].lower()}.{name.split()[-1].lower()}@invite.example"
            upsert(
                Registration,
                {"event": event, "email": email.replace("é", "e").replace("É", "e")},
                {
                    "name": name,
                    "organisation_name": organisation_name,
                    "diet": diet,
                    "accessibility_needs": needs,
                    "status": RegistrationStatus.CONFIRMED,
                },
            )
        items = [
            (
                "venue",
                "Salle de 80 places accessible PMR",
                True,
                "1800",
                "Friche la Belle de Mai",
                True,
                "Lieu desservi à pied depuis la gare, réhabilité plutôt que construit",
            ),
            (
                "catering",
                "Déjeuner végétarien, local et de saison",
                False,
                "1650",
                "Traiteur Les Paniers du Pays d'Aix",
                True,
                "Produits à moins de 80 km, vaisselle réemployable",
            ),
            (
                "equipment",
                "Captation et diffusion en ligne",
                False,
                "900",
                "Association Vidéo Solidaire",
                False,
                "",
            ),
            (
                "budget",
                "Impression des badges et de la signalétique",
                False,
                "120",
                "Imprimerie coopérative du Panier",
                True,
                "Papier recyclé, badges récupérés en fin de journée",
            ),
            ("supplier", "Navette depuis la gare", False, None, "", False, ""),
        ]
        for category, label, done, amount, supplier, low_impact, justification in items:
            upsert(
                ChecklistItem,
                {"event": event, "label": label},
                {
                    "category": category,
                    "done": done,
                    "amount_eur": Decimal(amount) if amount else None,
                    "supplier": supplier,
                    "low_impact": low_impact,
                    "justification": justification,
                },
            )

    def documents(self) -> None:
        meeting = self.meetings.get("Atelier collectif 1 : enjeux et besoins communs")
        if meeting is None or meeting.documents.exists():
            return
        document = MeetingDocument(
            meeting=meeting, title="Synthèse des besoins (L1.2)", uploaded_by=self.user(LEAD)
        )
        content = (
            "Synthèse des besoins et enjeux exprimés lors de l'atelier collectif 1\n\n"
            "1. Maintenance des machines à commande numérique\n2. Capacités de découpe sous-utilisées\n"
            "Thèmes de webinaires proposés : mutualisation ; maintenance interne et rétrofit.\n"
        )
        document.file.save("synthese-besoins-atelier-1.txt", ContentFile(content.encode("utf-8")), save=True)


@transaction.atomic
def load(programme: Programme) -> None:
    """Create or refresh the demo meetings area of `programme` (idempotent)."""
    demo = _Demo(programme)
    for spec in MEETINGS:
        demo.meeting(spec)
    demo.ademe_exchanges()
    demo.decisions()
    demo.surveys()
    demo.time_entries()
    demo.event()
    demo.documents()
