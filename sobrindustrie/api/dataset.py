"""A synthetic dataset the size of a national roll-out, to measure queries and response times.

Rows are inserted with `bulk_create` (no change history: these are not real edits) and drawn
from a seeded random generator, so that the same arguments always give the same data. Every
programme gets its own staff accounts (an ADEME officer and a consultant) and one account per
SME; all share one password, printed by the command.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.actionplans.models import Action, ActionPlan
from sobrindustrie.core.enums import Solution
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Commune, Organisation, ProductionMeans
from sobrindustrie.organisations.reference import taxonomy
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam, TeamMembership

REGIONS = [
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
]
TRADES = [
    "Usinage",
    "Tôlerie",
    "Plasturgie",
    "Mécanique",
    "Fonderie",
    "Décolletage",
    "Traitement",
    "Emballage",
]
PLACES = [
    "du Rhône",
    "de l'Étang",
    "des Alpes",
    "du Var",
    "de Provence",
    "du Lubéron",
    "de la Côte",
    "du Verdon",
]
SLUG_PREFIX = "synth-"
BATCH = 2_000


@dataclass(frozen=True)
class DatasetSize:
    programmes: int = 13
    smes_per_programme: int = 120
    means_per_sme: int = 20
    teams_per_programme: int = 23
    actions_per_team: int = 16
    meetings_per_programme: int = 1_500
    seed: int = 2026
    outside_per_programme: int = 0
    """Outside structures (companies, institutions) besides the SMEs: a programme that imported the
    company registry of its territory holds thousands (the team-formation page must stay light)."""


@dataclass
class DatasetReport:
    programmes: int = 0
    organisations: int = 0
    users: int = 0
    production_means: int = 0
    teams: int = 0
    actions: int = 0
    meetings: int = 0


def _subcategories() -> list[str]:
    return [code for code, category in taxonomy().items() if category.parent]


@transaction.atomic
def generate(size: DatasetSize, password: str) -> DatasetReport:
    """Add `size.programmes` synthetic programmes (slugs synth-1, synth-2…); refuses to run twice
    on the same database, so that figures are never measured on a doubled dataset."""
    if Programme.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError("Synthetic programmes already exist: use a fresh database.")
    rng = random.Random(size.seed)
    hashed = make_password(password)
    communes = list(Commune.objects.order_by("insee_code")[:500])
    categories = _subcategories()
    report = DatasetReport()
    for number in range(1, size.programmes + 1):
        programme = _programme(number)
        report.programmes += 1
        report.users += _staff(programme, number, hashed)
        organisations = _organisations(programme, number, size, rng, communes)
        report.organisations += len(organisations) + _outside(programme, number, size, rng, communes)
        report.users += _sme_users(organisations, number, hashed)
        report.production_means += _means(organisations, size, rng, categories)
        teams, actions = _teams(programme, organisations, size, rng)
        report.teams += teams
        report.actions += actions
        report.meetings += _meetings(programme, size, rng)
    return report


def _programme(number: int) -> Programme:
    region = REGIONS[(number - 1) % len(REGIONS)]
    return Programme.objects.create(
        slug=f"{SLUG_PREFIX}{number}",
        name=f"Sobr'Industrie {region} ({number})",
        region=region,
        notified_on=dt.date(2025, 9, 1),
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2027, 9, 30),
    )


def _staff(programme: Programme, number: int, hashed: str) -> int:
    users = User.objects.bulk_create(
        [
            User(email=f"ademe-{number}@synth.example", role=Role.ADEME, password=hashed, last_name="ADEME"),
            User(
                email=f"consultant-{number}@synth.example",
                role=Role.CONSULTANT,
                password=hashed,
                last_name="Consultant",
                is_staff=True,
            ),
        ]
    )
    programme.staff_members.add(*users)
    return len(users)


def _organisations(
    programme: Programme, number: int, size: DatasetSize, rng: random.Random, communes: list[Commune]
) -> list[Organisation]:
    rows = []
    for index in range(1, size.smes_per_programme + 1):
        commune = rng.choice(communes) if communes else None
        rows.append(
            Organisation(
                programme=programme,
                kind=OrganisationKind.LAUREATE_SME,
                name=f"{rng.choice(TRADES)} {rng.choice(PLACES)} {number}-{index}",
                slug=f"sme-{index}",
                workforce=rng.randint(8, 240),
                commune=commune,
                latitude=commune.latitude if commune else None,
                longitude=commune.longitude if commune else None,
                solution_interests=rng.sample(Solution.values, 2),
            )
        )
    for row in rows:
        row.search_folded = row.folded_text()  # bulk_create does not call save()
    return Organisation.objects.bulk_create(rows, batch_size=BATCH)


OUTSIDE_KINDS = [kind for kind in OrganisationKind.values if kind != OrganisationKind.LAUREATE_SME]


def _outside(
    programme: Programme, number: int, size: DatasetSize, rng: random.Random, communes: list[Commune]
) -> int:
    rows = []
    for index in range(1, size.outside_per_programme + 1):
        commune = rng.choice(communes) if communes else None
        organisation = Organisation(
            programme=programme,
            kind=rng.choice(OUTSIDE_KINDS),
            name=f"{rng.choice(TRADES)} {rng.choice(PLACES)} extérieure {number}-{index}",
            slug=f"outside-{index}",
            workforce=rng.randint(3, 900),
            commune=commune,
            latitude=commune.latitude if commune else None,
            longitude=commune.longitude if commune else None,
        )
        organisation.search_folded = organisation.folded_text()  # bulk_create does not call save()
        rows.append(organisation)
    return len(Organisation.objects.bulk_create(rows, batch_size=BATCH))


def _sme_users(organisations: list[Organisation], number: int, hashed: str) -> int:
    rows = [
        User(
            email=f"sme-{number}-{index}@synth.example",
            role=Role.SME,
            organisation=organisation,
            password=hashed,
            last_name=organisation.name,
        )
        for index, organisation in enumerate(organisations, start=1)
    ]
    return len(User.objects.bulk_create(rows, batch_size=BATCH))


def _means(
    organisations: list[Organisation], size: DatasetSize, rng: random.Random, categories: list[str]
) -> int:
    rows = []
    for organisation in organisations:
        for index in range(size.means_per_sme):
            rows.append(
                ProductionMeans(
                    organisation=organisation,
                    category=rng.choice(categories),
                    name=f"Machine {index + 1}",
                    year=rng.randint(1985, 2025),
                    purchase_value_eur=Decimal(rng.randrange(5_000, 900_000, 500)),
                    rated_power_kw=round(rng.uniform(0.5, 120), 1),
                    annual_operating_hours=float(rng.randrange(200, 6_000, 50)),
                    utilisation_rate=float(rng.randrange(5, 95)),
                    sharing_hours_per_week=float(rng.choice([0, 0, 0, 4, 8, 16])),
                )
            )
    return len(ProductionMeans.objects.bulk_create(rows, batch_size=BATCH))


def _teams(
    programme: Programme, organisations: list[Organisation], size: DatasetSize, rng: random.Random
) -> tuple[int, int]:
    teams = ProjectTeam.objects.bulk_create(
        [
            ProjectTeam(programme=programme, name=f"Équipe {index + 1}", theme=rng.choice(Solution.values))
            for index in range(size.teams_per_programme)
        ]
    )
    memberships, leads = [], {}
    for team in teams:
        members = rng.sample(organisations, min(len(organisations), rng.randint(3, 6)))
        leads[team.pk] = members
        memberships += [
            TeamMembership(team=team, organisation=member, joined_on=dt.date(2026, 1, 15))
            for member in members
        ]
    TeamMembership.objects.bulk_create(memberships, batch_size=BATCH)
    plans = ActionPlan.objects.bulk_create([ActionPlan(team=team) for team in teams])
    actions = []
    for plan in plans:
        for position in range(1, size.actions_per_team + 1):
            actions.append(
                Action(
                    plan=plan,
                    position=position,
                    title=f"Action {position}",
                    solution=rng.choice(Solution.values),
                    lead_organisation=rng.choice(leads[plan.team_id]),
                    starts_on=dt.date(2026, rng.randint(1, 12), 1),
                    ends_on=dt.date(2027, rng.randint(1, 9), 28),
                    progress_percent=rng.randrange(0, 101, 10),
                )
            )
    Action.objects.bulk_create(actions, batch_size=BATCH)
    return len(teams), len(actions)


#: Kinds of meeting held for one project team: the generator names a team for each.
TEAM_KINDS = frozenset(
    {MeetingKind.TEAM_FOLLOWUP, MeetingKind.ACTION_PLAN_WORKSHOP, MeetingKind.EVALUATION_MEETING}
)


def _meetings(programme: Programme, size: DatasetSize, rng: random.Random) -> int:
    start = timezone.make_aware(dt.datetime(2025, 10, 6, 9, 0))
    team_ids = list(
        ProjectTeam.objects.filter(programme=programme).order_by("pk").values_list("pk", flat=True)
    )
    rows = []
    for index in range(size.meetings_per_programme):
        starts_at = start + dt.timedelta(days=rng.randint(0, 700), hours=rng.choice([0, 2, 5]))
        rows.append(
            Meeting(
                programme=programme,
                kind=rng.choice(MeetingKind.values),
                title=f"Réunion {index + 1}",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=2),
            )
        )
    meetings = Meeting.objects.bulk_create(rows, batch_size=BATCH)
    links = [
        Meeting.teams.through(meeting_id=meeting.pk, projectteam_id=rng.choice(team_ids))
        for meeting in meetings
        if team_ids and meeting.kind in TEAM_KINDS
    ]
    Meeting.teams.through.objects.bulk_create(links, batch_size=BATCH)
    return len(meetings)
