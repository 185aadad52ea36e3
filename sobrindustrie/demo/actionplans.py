"""The demo programme's action plans: one per project team, adopted, followed up, with difficulties.

For each team of the programme (whichever the teams demo created), a plan of 4 to 7 actions drawn
from a catalogue of realistic sobriety actions, the team's own theme first; a version adopted in
May 2026 (and another at an action-plan workshop of the meetings demo, when one concerns the team);
up to three follow-ups (July, September, November 2026, or the dates of the team's follow-up
meetings) moving the actions through every status; indicators measured at each follow-up; one
difficulty raised to ADEME still open and one answered and resolved.

Idempotent: rows are matched on stable keys (an action on its plan and title, a follow-up on its
plan and date) and events already recorded are not recorded again, so a second run changes nothing.
Status moves go through the same services as the web pages, so the demo obeys the workflow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sobrindustrie.accounts.enums import Role
from sobrindustrie.actionplans.enums import ActionStatus, MeetingFrequency, StepStatus
from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionDependency,
    ActionPlan,
    ActionStep,
    Difficulty,
    ExperienceNote,
    Indicator,
    Measurement,
)
from sobrindustrie.actionplans.services import (
    ActionEntry,
    adopt_version,
    answer_difficulty,
    record_follow_up,
    resolve_difficulty,
)
from sobrindustrie.core.upsert import upsert
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.models import Organisation, Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam

D = dt.date.fromisoformat
FIRST_ADOPTION = D("2026-05-20")
FOLLOW_UP_DATES = [D("2026-07-09"), D("2026-09-10"), D("2026-11-12")]


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    direction: str
    baseline: float
    target: float


@dataclass(frozen=True)
class ActionSpec:
    key: str
    title: str
    solution: str
    description: str
    partner: str  # slug of an outside organisation taking part, or ""
    investment: int | None
    operating: int | None
    funding_need: int | None
    funding_nature: str
    gains: dict[str, float]
    risks: str
    barriers: str
    steps: tuple[str, ...]
    indicator: IndicatorSpec
    difficulty: str


CATALOGUE = [
    ActionSpec(
        "retrofit",
        "Rétrofit de la presse plieuse avec un rétrofiteur local",
        "retrofit",
        "Remplacer la commande numérique et l'hydraulique de la presse plieuse de 1998 plutôt que "
        "d'acheter une machine neuve ; travaux confiés à un rétrofiteur des Bouches-du-Rhône.",
        "retrofit-mediterranee",
        68000,
        3000,
        34000,
        "investment",
        {"energy": 9500, "material": 7800, "ghg": 12500, "savings": 6000, "km": 1200, "partners": 2},
        "Immobilisation de la presse pendant trois semaines.",
        "Pièces hydrauliques d'origine difficiles à trouver.",
        (
            "Audit de la presse et cahier des charges",
            "Choix du rétrofiteur et devis",
            "Dépose et rétrofit de la commande numérique",
            "Réception et formation des opérateurs",
        ),
        IndicatorSpec("Consommation électrique de la presse", "kWh/mois", "decrease", 2100, 1300),
        "Délai de livraison de la commande numérique porté à six mois",
    ),
    ActionSpec(
        "pooling",
        "Mutualisation de la découpe laser entre membres",
        "pooling",
        "Ouvrir les créneaux libres de la découpe laser aux membres de l'équipe, avec une convention "
        "et un planning partagé, plutôt que chacun sous-traite ou achète sa machine.",
        "",
        4000,
        6000,
        None,
        "",
        {"energy": 15000, "ghg": 30000, "savings": 45000, "km": 3500, "partners": 1},
        "Conflits de planning en période de pointe.",
        "Confidentialité des pièces des clients.",
        (
            "Convention de mutualisation signée",
            "Planning partagé des créneaux",
            "Premier trimestre d'usage partagé",
            "Bilan et tarification à l'heure",
        ),
        IndicatorSpec("Heures de découpe partagées", "h/mois", "increase", 0, 40),
        "L'assureur demande un avenant pour les pièces d'autres entreprises",
    ),
    ActionSpec(
        "technician",
        "Technicien de maintenance partagé entre trois entreprises",
        "inhouse_maintenance",
        "Recruter un technicien à temps partagé (0,6 ETP réparti entre trois sites) pour internaliser "
        "la maintenance préventive et éviter les déplacements des prestataires.",
        "durance-maintenance",
        8000,
        38000,
        15000,
        "training",
        {"ghg": 1800, "savings": 22000, "km": 9000, "partners": 1},
        "Départ du technicien, savoir-faire à documenter.",
        "Groupement d'employeurs à constituer.",
        (
            "Fiche de poste et clé de répartition",
            "Recrutement",
            "Formation aux équipements des trois sites",
            "Plan de maintenance préventive commun",
        ),
        IndicatorSpec("Interventions de maintenance externes", "interventions/trimestre", "decrease", 24, 8),
        "Aucun candidat après trois annonces pour le poste partagé",
    ),
    ActionSpec(
        "heat",
        "Récupération de chaleur du compresseur d'air",
        "other_lowtech",
        "Récupérer la chaleur du compresseur à vis pour chauffer l'atelier et l'eau des vestiaires, "
        "avec une étude confiée à l'école d'ingénieurs.",
        "ecole-ingenieurs-provence",
        14000,
        500,
        7000,
        "investment",
        {"energy": 42000, "ghg": 9500, "savings": 3800, "partners": 1},
        "Gain moindre si l'activité baisse l'hiver.",
        "Place disponible près du compresseur.",
        (
            "Mesure des consommations et des fuites",
            "Étude de récupération avec l'école d'ingénieurs",
            "Pose de l'échangeur",
            "Suivi d'une saison de chauffe",
        ),
        IndicatorSpec("Consommation de gaz de l'atelier", "kWh/mois", "decrease", 9000, 5500),
        "Le chauffagiste ne peut intervenir qu'après l'hiver",
    ),
    ActionSpec(
        "jigs",
        "Fabrication locale de gabarits écoconçus",
        "local_fabrication",
        "Concevoir et fabriquer avec le fab-lab des gabarits de soudage modulaires et réparables, en "
        "acier de récupération, à la place des gabarits jetables achetés en Asie.",
        "forge-commune",
        6000,
        2500,
        4000,
        "study",
        {"material": 650, "ghg": 2100, "savings": 5200, "km": 800, "partners": 1},
        "Précision insuffisante des premiers prototypes.",
        "Temps des ingénieurs méthodes.",
        (
            "Inventaire des gabarits à remplacer",
            "Conception avec le fab-lab",
            "Prototype et essais",
            "Série de douze gabarits",
        ),
        IndicatorSpec("Gabarits fabriqués localement", "gabarits", "increase", 0, 12),
        "Le fab-lab manque de créneaux de soudage",
    ),
    ActionSpec(
        "usage",
        "Chasse aux fuites d'air comprimé et arrêt des machines hors production",
        "usage_change",
        "Campagne de détection des fuites, réparations, et consignes d'arrêt des machines et des "
        "compresseurs en fin de poste et le week-end.",
        "",
        1500,
        800,
        None,
        "",
        {"energy": 28000, "ghg": 1500, "savings": 4200},
        "Reprise des mauvaises habitudes après quelques mois.",
        "Machines dont le redémarrage est long.",
        ("Campagne de détection des fuites", "Réparations", "Consignes d'arrêt en fin de poste"),
        IndicatorSpec("Consommation électrique des compresseurs", "kWh/semaine", "decrease", 1800, 1200),
        "Les équipes de nuit n'appliquent pas les consignes d'arrêt",
    ),
    ActionSpec(
        "rental",
        "Location à l'usage de la rectifieuse entre membres",
        "functional_economy",
        "Vendre l'usage de la rectifieuse plane à l'heure aux membres de l'équipe plutôt que chacun "
        "achète la sienne ; tarif couvrant maintenance et usure.",
        "",
        None,
        2000,
        None,
        "",
        {"ghg": 8000, "savings": 18000, "km": 600, "partners": 1},
        "Usure plus rapide de la machine.",
        "Fiscalité de la refacturation entre entreprises.",
        ("Grille tarifaire à l'heure", "Contrat type d'usage", "Premiers usages facturés"),
        IndicatorSpec("Heures louées", "h/trimestre", "increase", 0, 60),
        "Le contrat type doit être relu par les avocats des trois entreprises",
    ),
]
BY_SOLUTION = {spec.solution: spec for spec in CATALOGUE}

#: (status, progress) at the first, second and third follow-up, for the action at each position.
PATHS = [
    [("in_progress", 30), ("in_progress", 65), ("done", 100)],
    [("in_progress", 20), ("in_progress", 40), ("in_progress", 60)],
    [("in_progress", 15), ("paused", 15), ("paused", 15)],
    [("planned", 0), ("planned", 0), ("planned", 0)],
    [("planned", 0), ("abandoned", 0), ("abandoned", 0)],
    [("planned", 0), ("in_progress", 10), ("in_progress", 35)],
    [("in_progress", 10), ("in_progress", 50), ("in_progress", 80)],
]
#: Start and end of the action at each position; the second one ends before the demo's "today", late.
DATES = [
    (D("2026-05-25"), D("2026-10-30")),
    (D("2026-06-01"), D("2026-10-31")),
    (D("2026-06-15"), D("2027-03-31")),
    (D("2027-01-15"), D("2027-09-30")),
    (D("2026-09-01"), D("2027-06-30")),
    (D("2026-09-01"), D("2027-05-31")),
    (D("2026-07-01"), D("2027-04-30")),
]
PRIORITIES = ["high", "high", "medium", "medium", "low", "medium", "low"]
SUMMARIES = [
    "Premier point d'avancement : les actions prioritaires démarrent, conventions en cours de signature.",
    "Point de rentrée : premiers résultats mesurés, une action suspendue, une autre abandonnée faute d'intérêt.",
    "Point d'automne : une action terminée, les indicateurs suivent la trajectoire ; préparation du dossier de financement.",
]


@dataclass
class _Team:
    team: ProjectTeam
    index: int
    laureates: list[Organisation]
    members: list[Organisation]
    specs: list[ActionSpec] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def _first_person(organisation: Organisation) -> Person | None:
    return Person.objects.filter(organisation=organisation, erased_on__isnull=True).order_by("pk").first()


def _staff(programme: Programme, role: str) -> Any:
    return programme.staff_members.filter(role=role).order_by("email").first()


def _meetings_for(team: ProjectTeam, members: list[Organisation], kind: str, today: dt.date) -> list[Meeting]:
    """Meetings of this kind that concern the team: among the meeting's `teams`, or (the meetings demo
    names no team) whose invited organisations are mostly the team's."""
    member_ids = {o.pk for o in members}
    found = []
    for meeting in Meeting.objects.filter(programme=team.programme, kind=kind).prefetch_related(
        "organisations", "teams"
    ):
        if meeting.starts_on > today or meeting.status == "cancelled":
            continue
        concerned = {t.pk for t in meeting.teams.all()}
        if concerned:
            if team.pk in concerned:
                found.append(meeting)
            continue
        invited = {o.pk for o in meeting.organisations.all()}
        overlap = len(invited & member_ids)
        if overlap >= 2 and overlap * 2 >= len(invited):
            found.append(meeting)
    return sorted(found, key=lambda m: m.starts_at)


@transaction.atomic
def load(programme: Programme) -> None:
    """Create or refresh the action plans of every team of `programme` (idempotent)."""
    today = timezone.localdate()
    consultant = _staff(programme, Role.CONSULTANT)
    ademe = _staff(programme, Role.ADEME)
    teams = ProjectTeam.objects.filter(programme=programme).order_by("name")
    loaded = []
    for index, team in enumerate(teams):
        memberships = (
            team.memberships.current().select_related("organisation").order_by("-role", "organisation__name")
        )
        members = [m.organisation for m in memberships]
        pilots = [m.organisation for m in memberships if m.role == "pilot"]
        laureates = pilots + [o for o in members if o.is_laureate and o not in pilots]
        if not laureates:
            continue
        current = _Team(team, index, laureates, members)
        _plan(current, programme)
        _events(current, today, consultant, ademe)
        _steps_and_measurements(current, today)
        loaded.append(current)
    _experience_notes(programme, loaded, today, consultant)


def _plan(current: _Team, programme: Programme) -> None:
    team = current.team
    coordinator_org = current.laureates[0]
    plan, _ = upsert(
        ActionPlan,
        {"team": team},
        {
            "ambition": f"Réduire les achats de machines neuves et les déplacements de maintenance des membres de "
            f"« {team.name} » en partageant et en prolongeant les moyens de production existants.",
            "coordinating_organisation": coordinator_org,
            "coordinator": _first_person(coordinator_org),
            "meeting_frequency": MeetingFrequency.MONTHLY,
            "coordination_notes": "Point mensuel d'une heure en visioconférence ; tableau de suivi partagé tenu par "
            "l'entreprise pilote ; décisions d'investissement prises en réunion de suivi avec le consultant.",
        },
    )
    first = BY_SOLUTION.get(team.theme, CATALOGUE[0])
    count = min(4 + current.index % 4, len(CATALOGUE))
    current.specs = [first] + [spec for spec in CATALOGUE if spec is not first][: count - 1]
    outside = {
        o.slug: o for o in Organisation.objects.filter(programme=programme).exclude(kind="laureate_sme")
    }
    for position, spec in enumerate(current.specs):
        lead = current.laureates[position % len(current.laureates)]
        starts_on, ends_on = DATES[position]
        action, _ = upsert(
            Action,
            {"plan": plan, "title": spec.title},
            {
                "position": position + 1,
                "solution": spec.solution,
                "description": spec.description,
                "lead_organisation": lead,
                "lead_person": _first_person(lead),
                "starts_on": starts_on,
                "ends_on": ends_on,
                "priority": PRIORITIES[position],
                "investment_budget_eur": Decimal(spec.investment) if spec.investment is not None else None,
                "operating_budget_eur": Decimal(spec.operating) if spec.operating is not None else None,
                "funding_need_eur": Decimal(spec.funding_need) if spec.funding_need is not None else None,
                "funding_nature": spec.funding_nature,
                "expected_energy_kwh_per_year": spec.gains.get("energy"),
                "expected_material_kg_per_year": spec.gains.get("material"),
                "expected_ghg_kgco2e_per_year": spec.gains.get("ghg"),
                "expected_savings_eur_per_year": Decimal(spec.gains["savings"])
                if "savings" in spec.gains
                else None,
                "expected_km_avoided_per_year": spec.gains.get("km"),
                "expected_local_partners": int(spec.gains["partners"]) if "partners" in spec.gains else None,
                "gains_notes": "Estimation de l'atelier plan d'actions, à confirmer par les mesures.",
                "risks": spec.risks,
                "barriers": spec.barriers,
            },
        )
        current.actions.append(action)
        _contributors(action, spec, current, lead, outside)
        span = (ends_on - starts_on).days
        # The lead carries the odd steps, the other members in turn the even ones (when they have
        # a contact): the timeline and the reminders show owners from every member.
        others = [p for p in (_first_person(o) for o in current.laureates if o != lead) if p is not None]
        for number, title in enumerate(spec.steps, start=1):
            due = starts_on + dt.timedelta(days=span * number // len(spec.steps))  # inside the period
            owner = others[(number // 2) % len(others)] if others and number % 2 == 0 else _first_person(lead)
            upsert(
                ActionStep,
                {"action": action, "position": number},
                {"title": title, "due_on": due, "owner": owner},
            )
        upsert(
            Indicator,
            {"action": action, "name": spec.indicator.name},
            {
                "unit": spec.indicator.unit,
                "direction": spec.indicator.direction,
                "baseline_value": spec.indicator.baseline,
                "baseline_on": starts_on,
                "target_value": spec.indicator.target,
                "target_on": ends_on,
            },
        )
    if len(current.actions) >= 4:
        # The planned action builds on the first two (the pooling convention, the shared schedule...).
        for prerequisite in current.actions[:2]:
            ActionDependency.objects.get_or_create(action=current.actions[3], prerequisite=prerequisite)


def _contributors(
    action: Action, spec: ActionSpec, current: _Team, lead: Organisation, outside: dict[str, Organisation]
) -> None:
    others = [o for o in current.laureates if o != lead]
    wanted: list[tuple[Organisation, str, str]] = []
    if spec.partner in outside:
        wanted.append((outside[spec.partner], "responsible", "Partenaire local de l'action"))
    if others:
        wanted.append((others[0], "consulted", "Utilisateur de la solution"))
    if len(others) > 1:
        wanted.append((others[1], "informed", ""))
    for organisation, role, note in wanted:
        upsert(
            ActionContributor,
            {"action": action, "organisation": organisation, "role": role},
            {"person": _first_person(organisation), "note": note},
        )


def _events(current: _Team, today: dt.date, consultant: Any, ademe: Any) -> None:
    """Adoptions and follow-ups in date order, each recorded once."""
    plan = current.actions[0].plan
    follow_up_count = 3 if current.index < 3 else 2 if current.index == 3 else 1
    dates = FOLLOW_UP_DATES[:follow_up_count]
    meetings = _meetings_for(current.team, current.members, MeetingKind.TEAM_FOLLOWUP, today)
    # The team's follow-up meetings replace the planned dates, latest first.
    follow_ups: list[tuple[dt.date, Meeting | None]] = [(d, None) for d in dates]
    for slot, meeting in zip(range(len(follow_ups) - 1, -1, -1), reversed(meetings), strict=False):
        follow_ups[slot] = (meeting.starts_on, meeting)
    workshops = _meetings_for(current.team, current.members, MeetingKind.ACTION_PLAN_WORKSHOP, today)
    adoptions: list[tuple[dt.date, Meeting | None]] = [(FIRST_ADOPTION, None)]
    adoptions += [(m.starts_on, m) for m in workshops]
    events = [(d, 0, n, m) for n, (d, m) in enumerate(adoptions)] + [
        (d, 1, n, m) for n, (d, m) in enumerate(follow_ups)
    ]
    for day, kind, number, meeting in sorted(events, key=lambda e: (e[0], e[1])):
        if day > today:
            continue
        if kind == 0 and not plan.versions.filter(adopted_on=day).exists():
            note = "Plan adopté à l'atelier plan d'actions." if number == 0 else "Plan révisé en atelier."
            adopt_version(plan, adopted_on=day, meeting=meeting, user=consultant, note=note)
        if kind == 1 and not plan.follow_ups.filter(held_on=day).exists():
            _follow_up(current, plan, number, day, meeting, consultant, ademe)


def _follow_up(
    current: _Team,
    plan: ActionPlan,
    number: int,
    day: dt.date,
    meeting: Meeting | None,
    consultant: Any,
    ademe: Any,
) -> None:
    entries = []
    for position, action in enumerate(current.actions):
        action.refresh_from_db()
        status, progress = PATHS[position][number]
        difficulty, raise_it = "", False
        if position == 2 and current.index == 0 and number == 1:
            difficulty, raise_it = current.specs[position].difficulty, True  # stays open at ADEME
        elif position == 2 and current.index == 1 and number == 0:
            difficulty, raise_it = current.specs[position].difficulty, True  # answered and resolved below
        elif position == 1 and current.index >= 2 and number == 0:
            difficulty = current.specs[position].difficulty  # within the team
        comment = "Conforme au planning." if status == action.status else ""
        entries.append(ActionEntry(action, status, progress, comment, difficulty, raise_it))
    follow_up = record_follow_up(
        plan,
        held_on=day,
        meeting=meeting,
        summary=SUMMARIES[number],
        user=consultant,
        entries=entries,
        can_manage=True,
        notify=False,
    )
    # Date the difficulties as the follow-up that reported them, not as the loading of the demo.
    evening = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))
    for difficulty in Difficulty.objects.filter(follow_up=follow_up):
        Difficulty.objects.filter(pk=difficulty.pk).update(
            created_at=evening, raised_at=evening if difficulty.raised_at else None
        )
    if current.index == 1 and number == 0:
        difficulty_row = Difficulty.objects.get(follow_up=follow_up, raised_at__isnull=False)
        answer_difficulty(
            difficulty_row,
            answer="Le dispositif Tremplin de l'ADEME peut financer la formation ; contactez la direction "
            "régionale pour un rendez-vous avec le chargé d'affaires.",
            user=ademe,
            notify=False,
        )
        resolve_difficulty(
            difficulty_row,
            resolution="Rendez-vous tenu avec l'ADEME ; dossier Tremplin déposé et accepté.",
            user=consultant,
        )
        Difficulty.objects.filter(pk=difficulty_row.pk).update(
            answered_at=evening + dt.timedelta(days=6), resolved_at=evening + dt.timedelta(days=27)
        )


def _steps_and_measurements(current: _Team, today: dt.date) -> None:
    plan = current.actions[0].plan
    held = sorted(plan.follow_ups.values_list("held_on", flat=True))
    for position, action in enumerate(current.actions):
        action.refresh_from_db()
        spec = current.specs[position]
        steps = list(action.steps.order_by("position"))
        last_day = held[-1] if held else None
        for number, step in enumerate(steps, start=1):
            status, done_on = _step_state(action.status, number, step.due_on, last_day, today)
            upsert(
                ActionStep,
                {"action": action, "position": step.position},
                {"status": status, "done_on": done_on},
            )
        indicator = action.indicators.get(name=spec.indicator.name)
        for ordinal, day in enumerate(held):
            status, progress = PATHS[position][ordinal]
            if status in (ActionStatus.PLANNED, ActionStatus.ABANDONED) or day > today:
                continue
            base, target = spec.indicator.baseline, spec.indicator.target
            value = round(base + (target - base) * progress / 100 * 0.9, 1)
            upsert(
                Measurement,
                {"indicator": indicator, "measured_on": day},
                {"value": value, "note": "Relevé du suivi"},
            )


def _step_state(
    status: str, number: int, due_on: dt.date | None, last_day: dt.date | None, today: dt.date
) -> tuple[str, dt.date | None]:
    def done() -> tuple[str, dt.date | None]:
        return StepStatus.DONE, min(due_on or today, last_day or today, today)

    if status == ActionStatus.DONE:
        return done()
    if status == ActionStatus.ABANDONED:
        return StepStatus.CANCELLED, None
    if status == ActionStatus.PLANNED:
        return StepStatus.TODO, None
    if status == ActionStatus.PAUSED:
        return done() if number == 1 else (StepStatus.TODO, None)
    # In progress: the first step is done and the second under way.
    if number == 1:
        return done()
    return (StepStatus.IN_PROGRESS if number == 2 else StepStatus.TODO), None


def _experience_notes(programme: Programme, loaded: list[_Team], today: dt.date, consultant: Any) -> None:
    if not loaded:
        return
    sessions = Meeting.objects.filter(programme=programme, kind=MeetingKind.COLLECTIVE_SESSION).order_by(
        "starts_at"
    )
    session = next((m for m in sessions if m.starts_on <= today), None)
    held_on = session.starts_on if session else D("2026-09-17")
    if held_on > today:
        return
    notes = [
        (
            "Partager une machine entre entreprises voisines",
            "pooling",
            "Une convention d'une page et un planning partagé suffisent à démarrer ; l'assurance des pièces "
            "d'autrui est à régler avant le premier usage. Tarifer à l'heure dès le début évite les "
            "discussions ensuite.",
            "pooling",
        ),
        (
            "Rétrofiter plutôt que remplacer : ce qu'il faut vérifier",
            "retrofit",
            "Faire auditer la structure de la machine avant tout devis ; les délais des commandes "
            "numériques dépassent souvent quatre mois, à prévoir dans le planning.",
            "retrofit",
        ),
    ]
    for topic, solution, lesson, key in notes:
        note, _ = upsert(
            ExperienceNote,
            {"programme": programme, "topic": topic},
            {
                "meeting": session,
                "held_on": held_on,
                "lesson": lesson,
                "solution": solution,
                "author": consultant,
            },
        )
        teams = [t.team for t in loaded]
        actions = [a for t in loaded for a, s in zip(t.actions, t.specs, strict=True) if s.key == key]
        if set(note.teams.values_list("pk", flat=True)) != {t.pk for t in teams}:
            note.teams.set(teams)
        if set(note.actions.values_list("pk", flat=True)) != {a.pk for a in actions}:
            note.actions.set(actions)
