"""The demo programme's project teams, their prospecting history and the partners' committee.

Five teams over the fifteen laureates, as the cooperation optimiser forms them
(`cooperation.services.optimal_partition`); when it is unavailable or its answer breaks the demo's
own rules (pre-formed groups together, the `cannot_link` pair apart), a fixed partition that honours
them is used instead. Each team is completed by outside structures through a prospecting history in
which every status of the pipeline appears, and the committee has two sub-groups.

Idempotent like the rest of the demo: rows are matched on stable keys and saved only when something
changed. Teams are formed once: when they exist, their laureate members are left as they are.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.upsert import upsert
from sobrindustrie.demo.loader import read_demo_data
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Commune, Organisation, Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.enums import (
    ContactChannel,
    MemberRole,
    ProspectStatus,
    SoughtContribution,
    SubgroupWork,
    TeamStatus,
)
from sobrindustrie.teams.models import (
    CommitteeMember,
    CommitteeSubgroup,
    ProjectTeam,
    Prospect,
    ProspectContact,
    TeamMembership,
)

logger = logging.getLogger(__name__)

FORMED_ON = dt.date(2026, 3, 12)  # workshop 2, where the teams were formed
COMMITTEE_FORMED_ON = dt.date(2026, 4, 2)
SOURCE = "Atelier 2 : équipes proposées par l'optimiseur et validées par les lauréats"
SOURCE_FIXED = "Atelier 2 : équipes formées à partir de l'analyse des coopérations"


@dataclass(frozen=True)
class Contact:
    day: str
    channel: str
    by: str  # e-mail of the consultant who made it
    outcome: str


@dataclass(frozen=True)
class ProspectSpec:
    structure: str  # slug of an organisation of the demo YAML, or of a NEW_STRUCTURES entry
    sought: str
    reason: str
    status: str
    solution: str = ""
    contact: str = ""  # e-mail of the contact person
    next_step: str = ""
    due: str = ""
    followed_by: str = ""
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class TeamSpec:
    name: str
    theme: str
    objectives: str
    members: tuple[str, ...]  # the fixed partition, used when the optimiser is not
    pilot: str
    prospects: tuple[ProspectSpec, ...] = field(default_factory=tuple)


HELENE = "helene.marchetti@cap-sobriete.example"
NICOLAS = "nicolas.berthier@cap-sobriete.example"
SARAH = "sarah.benali@cap-sobriete.example"

#: Structures found while prospecting, not in the demo YAML: created here as the consultant would.
NEW_STRUCTURES: dict[str, dict[str, Any]] = {
    "azur-maintenance-industrielle": {
        "name": "Azur Maintenance Industrielle",
        "kind": OrganisationKind.COMPANY,
        "commune": "06088",
        "description": "Maintenance électromécanique de lignes automatisées, 12 techniciens basés à Nice.",
        "person": ("Marc", "Lefèvre", "marc.lefevre@azur-maintenance.example", "Responsable technique"),
    },
}

TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        name="Usinage et contrôle partagés autour de l'étang de Berre",
        theme="pooling",
        objectives=(
            "Partager la capacité d'usinage 5 axes et le contrôle tridimensionnel disponibles dans "
            "l'équipe plutôt que d'investir.\n"
            "Organiser la sous-traitance croisée (découpe laser, rétrofit de commandes numériques) "
            "entre voisins.\n"
            "Viser 1 500 heures de machines partagées par an d'ici fin 2026."
        ),
        members=(
            "provence-usinage",
            "plasturgie-garlaban",
            "aero-composites",
            "toles-etang",
            "electronique-durance",
        ),
        pilot="provence-usinage",
        prospects=(
            ProspectSpec(
                "retrofit-mediterranee",
                SoughtContribution.SKILL,
                "Rétrofit de la presse plieuse de 2006 et des commandes numériques vieillissantes : "
                "compétence absente de l'équipe, révélée par l'analyse des coopérations (rétrofit).",
                ProspectStatus.COMMITTED,
                solution="retrofit",
                contact="antoine.vidal@retrofit-mediterranee.example",
                next_step="Visite commune des trois machines à rétrofiter",
                due="2026-12-08",
                followed_by=NICOLAS,
                contacts=(
                    Contact(
                        "2026-03-18", ContactChannel.PHONE, NICOLAS, "Présentation du programme ; intéressé."
                    ),
                    Contact(
                        "2026-04-07",
                        ContactChannel.VISIT,
                        NICOLAS,
                        "Visite chez Tôles de l'Étang : devis de principe.",
                    ),
                    Contact(
                        "2026-05-12",
                        ContactChannel.MEETING,
                        HELENE,
                        "Accord pour rejoindre l'équipe comme contributeur.",
                    ),
                ),
            ),
            ProspectSpec(
                "club-industrie-sud",
                SoughtContribution.NETWORK,
                "Relayer l'offre de capacité partagée auprès d'autres industriels de la métropole.",
                ProspectStatus.DECLINED,
                contact="florence.aubert@club-industrie-sud.example",
                followed_by=HELENE,
                contacts=(
                    Contact(
                        "2026-03-20", ContactChannel.EMAIL, HELENE, "Envoi de la présentation de l'équipe."
                    ),
                    Contact(
                        "2026-04-14",
                        ContactChannel.PHONE,
                        HELENE,
                        "Pas de disponibilité cette année ; à recontacter en 2027.",
                    ),
                ),
            ),
        ),
    ),
    TeamSpec(
        name="Découpe laser et chaudronnerie du Comtat",
        theme="pooling",
        objectives=(
            "Mutualiser la découpe laser fibre entre voisins au lieu de sous-traiter à Lyon.\n"
            "Concevoir et fabriquer localement bâtis, convoyeurs et outillages simples.\n"
            "Réduire d'au moins 20 000 km par an les transports de sous-traitance."
        ),
        members=("decoupe-laser-rhodanienne", "inox-process", "meca-comtat", "luberon-emballages"),
        pilot="meca-comtat",
        prospects=(
            ProspectSpec(
                "forge-commune",
                SoughtContribution.CAPACITY,
                "Prototypage rapide et impression 3D pour les outillages de l'équipe.",
                ProspectStatus.CONTACTED,
                solution="local_fabrication",
                contact="lucie.martin@forge-commune.example",
                next_step="Rappeler après leur conseil d'administration",
                due="2026-11-20",
                followed_by=NICOLAS,
                contacts=(
                    Contact(
                        "2026-06-03",
                        ContactChannel.EMAIL,
                        NICOLAS,
                        "Premier message ; réponse attendue après leur CA.",
                    ),
                ),
            ),
            ProspectSpec(
                "vaucluse-industrie",
                SoughtContribution.NETWORK,
                "Appui de l'agence de développement pour le foncier d'un atelier de découpe partagé.",
                ProspectStatus.TO_CONTACT,
                next_step="Premier appel au chargé de développement industriel",
                due="2026-12-05",
                followed_by=HELENE,
            ),
        ),
    ),
    TeamSpec(
        name="Maintenance partagée des lignes automatisées azuréennes",
        theme="inhouse_maintenance",
        objectives=(
            "Constituer un relais local de maintenance des lignes de remplissage et des machines "
            "automatisées, au lieu de techniciens constructeurs venus de 400 km.\n"
            "Former deux techniciens internes au premier niveau de maintenance."
        ),
        members=("azur-mecatronique", "flaconnage-grasse"),
        pilot="flaconnage-grasse",
        prospects=(
            ProspectSpec(
                "azur-maintenance-industrielle",
                SoughtContribution.SKILL,
                "Techniciens de maintenance électromécanique proches : besoin de maintenance de "
                "Flaconnage de Grasse que l'équipe ne couvre qu'en partie.",
                ProspectStatus.INTERESTED,
                solution="inhouse_maintenance",
                contact="marc.lefevre@azur-maintenance.example",
                next_step="Proposer une convention d'astreinte partagée",
                due="2026-11-25",
                followed_by=NICOLAS,
                contacts=(
                    Contact(
                        "2026-05-19", ContactChannel.PHONE, NICOLAS, "Intéressés par un contrat mutualisé."
                    ),
                    Contact(
                        "2026-06-16", ContactChannel.MEETING, NICOLAS, "Réunion à Grasse : chiffrage demandé."
                    ),
                ),
            ),
        ),
    ),
    TeamSpec(
        name="Chaleur et hydraulique en Provence verte",
        theme="pooling",
        objectives=(
            "Partager le four de traitement thermique et les compétences hydrauliques de l'équipe.\n"
            "Remplacer la trempe sous-traitée à Lyon par une solution locale."
        ),
        members=("hydraulique-provence-verte", "thermo-varois"),
        pilot="thermo-varois",
        prospects=(
            ProspectSpec(
                "fonds-sud-transition",
                SoughtContribution.FUNDING,
                "Financer l'adaptation du four aux pièces de vérins (plan d'action de l'équipe).",
                ProspectStatus.CONTACTED,
                contact="damien.rostand@fonds-sud-transition.example",
                next_step="Envoyer le plan d'action chiffré",
                due="2026-12-15",
                followed_by=SARAH,
                contacts=(
                    Contact(
                        "2026-09-22",
                        ContactChannel.EMAIL,
                        SARAH,
                        "Demande de rendez-vous ; dossier type reçu.",
                    ),
                ),
            ),
        ),
    ),
    TeamSpec(
        name="Réparer et fabriquer localement dans les Alpes du Sud",
        theme="local_fabrication",
        objectives=(
            "Fabriquer localement pièces de rechange et bâtis plutôt que les commander au constructeur.\n"
            "Remettre en état la raboteuse-moulurière avec des compétences de la vallée."
        ),
        members=("chaudronnerie-durance-bleone", "menuiseries-alpes-sud"),
        pilot="chaudronnerie-durance-bleone",
        prospects=(
            ProspectSpec(
                "durance-maintenance",
                SoughtContribution.SKILL,
                "Maintenance des machines à bois : les techniciens constructeurs sont à 250-300 km.",
                ProspectStatus.COMMITTED,
                solution="inhouse_maintenance",
                contact="sebastien.roux@durance-maintenance.example",
                followed_by=NICOLAS,
                contacts=(
                    Contact("2026-03-25", ContactChannel.PHONE, NICOLAS, "Intéressé ; visite proposée."),
                    Contact(
                        "2026-04-21",
                        ContactChannel.VISIT,
                        NICOLAS,
                        "Visite des deux ateliers ; engagement de principe.",
                    ),
                ),
            ),
            ProspectSpec(
                "ecole-ingenieurs-provence",
                SoughtContribution.EXPERTISE,
                "Projet d'étudiants : écoconception d'un bâti de raboteuse et analyse de cycle de vie.",
                ProspectStatus.INTERESTED,
                solution="local_fabrication",
                contact="helene.vautrin@ecole-ingenieurs-provence.example",
                next_step="Rédiger le sujet de projet pour la rentrée de janvier",
                due="2026-12-12",
                followed_by=HELENE,
                contacts=(
                    Contact(
                        "2026-09-08", ContactChannel.EMAIL, HELENE, "Sujet bien accueilli par le laboratoire."
                    ),
                ),
            ),
        ),
    ),
)

COMMITTEE: dict[str, tuple[str, tuple[str, ...]]] = {
    "pole-meca-mediterranee": (
        "Montage de projets collaboratifs, réseau mécanique régional.",
        ("pooling", "retrofit"),
    ),
    "club-industrie-sud": (
        "Réseau d'industriels de la métropole, économie de la fonctionnalité.",
        ("functional_economy",),
    ),
    "ecole-ingenieurs-provence": (
        "Écoconception de machines et analyse de cycle de vie.",
        ("local_fabrication", "other_lowtech"),
    ),
    "fonds-sud-transition": ("Financement de la transition des PME industrielles.", ("functional_economy",)),
    "vaucluse-industrie": ("Développement économique et foncier industriel en Vaucluse.", ("pooling",)),
    "retrofit-mediterranee": ("Rétrofit de machines-outils et de presses.", ("retrofit",)),
}

SUBGROUPS: tuple[dict[str, Any], ...] = (
    {
        "name": "Financement des plans d'action",
        "topic": "Identifier les financements adaptés à chaque plan d'action et préparer les dossiers.",
        "team": None,
        "works_on": [SubgroupWork.FUNDING],
        "members": ("fonds-sud-transition", "club-industrie-sud", "vaucluse-industrie"),
    },
    {
        "name": "Rétrofit et capacités partagées",
        "topic": "Appui technique aux ateliers et aux suivis de l'équipe de l'étang de Berre.",
        "team": TEAMS[0].name,
        "works_on": [SubgroupWork.WORKSHOPS, SubgroupWork.FOLLOW_UPS],
        "members": ("retrofit-mediterranee", "pole-meca-mediterranee", "ecole-ingenieurs-provence"),
    },
)


def _day(value: str) -> dt.date:
    # Never a date after today, so that loading the demo on an early clock stays valid.
    return min(dt.date.fromisoformat(value), timezone.localdate())


@transaction.atomic
def load(programme: Programme, data: dict[str, Any] | None = None) -> None:
    data = data or read_demo_data()
    organisations = _structures(programme)
    consultants = {u.email: u for u in User.objects.filter(role=Role.CONSULTANT, programmes=programme)}
    existing = set(
        ProjectTeam.objects.filter(programme=programme, name__in=[t.name for t in TEAMS]).values_list(
            "name", flat=True
        )
    )
    groups = None if existing else _partition(programme, data, organisations)
    sources = dict(ProjectTeam.objects.filter(programme=programme).values_list("name", "source"))
    for spec, members in zip(TEAMS, groups or [spec.members for spec in TEAMS], strict=True):
        team, outcome = upsert(
            ProjectTeam,
            {"programme": programme, "name": spec.name},
            {
                "theme": spec.theme,
                "objectives": spec.objectives,
                "status": TeamStatus.ACTIVE,
                # Where the teams came from is decided once, when they are formed.
                "source": sources.get(spec.name, SOURCE if groups else SOURCE_FIXED),
            },
        )
        if outcome == "created":
            pilot = spec.pilot if spec.pilot in members else sorted(members)[0]
            for slug in members:
                role = MemberRole.PILOT if slug == pilot else MemberRole.MEMBER
                _member(team, organisations[slug], role, FORMED_ON)
        for prospect in spec.prospects:
            _prospect(team, prospect, organisations, consultants)
    _committee(programme, organisations)
    _link_team_meetings(programme)


def _structures(programme: Programme) -> dict[str, Organisation]:
    for slug, raw in NEW_STRUCTURES.items():
        commune = Commune.objects.get(pk=raw["commune"])
        organisation, _ = upsert(
            Organisation,
            {"programme": programme, "slug": slug},
            {
                "name": raw["name"],
                "kind": raw["kind"],
                "description": raw["description"],
                "commune": commune,
                "postcode": commune.main_postcode,
                "latitude": commune.latitude,
                "longitude": commune.longitude,
            },
        )
        first, last, email, job = raw["person"]
        upsert(
            Person,
            {"organisation": organisation, "email": email},
            {"first_name": first, "last_name": last, "job_title": job},
        )
    return {o.slug: o for o in Organisation.objects.for_programme(programme)}


# --- The partition ------------------------------------------------------------------------------------


def _partition(
    programme: Programme, data: dict[str, Any], organisations: dict[str, Organisation]
) -> list[tuple[str, ...]] | None:
    """The optimiser's teams, each matched to the TeamSpec it shares most members with; None when the
    optimiser is missing, fails, or breaks the demo's rules (the fixed partition is used then)."""
    try:
        from sobrindustrie.cooperation.services import optimal_partition
    except ImportError:
        return None
    try:
        found = [tuple(sorted(o.slug for o in team)) for team in optimal_partition(programme)]
    except Exception:  # the optimiser is another area's: any failure falls back to the fixed teams
        logger.warning("Demo teams: the optimiser failed, using the fixed partition.", exc_info=True)
        return None
    laureates = {slug for slug, o in organisations.items() if o.kind == OrganisationKind.LAUREATE_SME}
    if len(found) != len(TEAMS) or not _valid(found, laureates, data):
        logger.warning("Demo teams: the optimiser's partition breaks the demo's rules; using the fixed one.")
        return None
    return _match(found)


def _valid(groups: Sequence[Sequence[str]], laureates: set[str], data: dict[str, Any]) -> bool:
    team_of = {slug: index for index, group in enumerate(groups) for slug in group}
    if sorted(team_of) != sorted(laureates) or sum(map(len, groups)) != len(laureates):
        return False
    labels: dict[str, set[int]] = {}
    for raw in data["organisations"]:
        if raw.get("preformed_group") and raw["key"] in team_of:
            labels.setdefault(raw["preformed_group"], set()).add(team_of[raw["key"]])
    if any(len(teams) > 1 for teams in labels.values()):
        return False
    return all(team_of.get(a) != team_of.get(b) for a, b in data.get("cannot_link") or [])


def _match(groups: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Give each spec the group it overlaps most (greedy on the largest overlaps first)."""
    groups = list(groups)
    pairs = sorted(
        (
            (len(set(group) & set(spec.members)), i, j)
            for j, group in enumerate(groups)
            for i, spec in enumerate(TEAMS)
        ),
        reverse=True,
    )
    chosen: dict[int, int] = {}
    for _overlap, i, j in pairs:
        if i not in chosen and j not in chosen.values():
            chosen[i] = j
    return [groups[chosen[i]] for i in range(len(TEAMS))]


# --- Members, prospects, committee ---------------------------------------------------------------------


def _member(team: ProjectTeam, organisation: Organisation, role: str, joined_on: dt.date) -> TeamMembership:
    membership, _ = upsert(
        TeamMembership,
        {"team": team, "organisation": organisation, "left_on": None},
        {"role": role, "joined_on": joined_on},
    )
    people = list(organisation.people.filter(erased_on__isnull=True).order_by("pk")[:2])
    if set(membership.people.all()) != set(people):
        membership.people.set(people)
    return membership


def _prospect(
    team: ProjectTeam,
    spec: ProspectSpec,
    organisations: dict[str, Organisation],
    consultants: dict[str, User],
) -> None:
    organisation = organisations[spec.structure]
    contact = organisation.people.filter(email=spec.contact).first() if spec.contact else None
    prospect, _ = upsert(
        Prospect,
        {"team": team, "organisation": organisation},
        {
            "sought": spec.sought,
            "reason": spec.reason,
            "solution": spec.solution,
            "status": spec.status,
            "contact_person": contact,
            "next_step": spec.next_step,
            "next_step_due": dt.date.fromisoformat(spec.due) if spec.due else None,
            "followed_by": consultants.get(spec.followed_by),
        },
    )
    fallback = next(iter(sorted(consultants.values(), key=lambda u: u.email)), None)
    for item in spec.contacts:
        made_by = consultants.get(item.by) or fallback
        if made_by is None:
            continue
        upsert(
            ProspectContact,
            {"prospect": prospect, "contacted_on": _day(item.day), "channel": item.channel},
            {"made_by": made_by, "outcome": item.outcome, "person": contact},
        )
    if spec.status == ProspectStatus.COMMITTED:
        last = max((_day(c.day) for c in spec.contacts), default=FORMED_ON)
        _member(team, organisation, MemberRole.CONTRIBUTOR, last)


def _committee(programme: Programme, organisations: dict[str, Organisation]) -> None:
    seats = {}
    for slug, (expertise, solutions) in COMMITTEE.items():
        organisation = organisations[slug]
        seat, _ = upsert(
            CommitteeMember,
            {"programme": programme, "organisation": organisation, "left_on": None},
            {"expertise": expertise, "solutions": list(solutions), "joined_on": COMMITTEE_FORMED_ON},
        )
        people = set(organisation.people.filter(erased_on__isnull=True))
        if set(seat.people.all()) != people:
            seat.people.set(people)
        seats[slug] = seat
    for raw in SUBGROUPS:
        team = ProjectTeam.objects.get(programme=programme, name=raw["team"]) if raw["team"] else None
        subgroup, _ = upsert(
            CommitteeSubgroup,
            {"programme": programme, "name": raw["name"]},
            {"topic": raw["topic"], "team": team, "works_on": list(raw["works_on"])},
        )
        members = {seats[slug] for slug in raw["members"]}
        if set(subgroup.members.all()) != members:
            subgroup.members.set(members)


TEAM_MEETING_KINDS = ("team_followup", "action_plan_workshop", "evaluation_meeting")


def _link_team_meetings(programme: Programme) -> None:
    """Attach the demo's team meetings (written before the teams existed) to the team whose current
    members overlap most with the organisations concerned, so per-team obligations count them."""
    from sobrindustrie.meetings.models import Meeting

    members = {
        str(team.pk): {m.organisation_id for m in team.memberships.filter(left_on__isnull=True)}
        for team in ProjectTeam.objects.filter(programme=programme)
    }
    meetings = Meeting.objects.filter(programme=programme, kind__in=TEAM_MEETING_KINDS)
    for meeting in meetings.filter(teams__isnull=True):
        concerned = set(meeting.organisations.values_list("pk", flat=True))
        best = max(members.items(), key=lambda item: (len(item[1] & concerned), -int(item[0])), default=None)
        if best and best[1] & concerned:
            meeting.teams.add(int(best[0]))
