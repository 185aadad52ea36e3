"""The demo programme's environmental evaluations and the service's own footprint.

One Empreinte Projet level-1 evaluation per project team (the tree of consequences adapted to the
team's theme), level-2 GHG balances for the first three teams (lines suggested from their actions'
expected gains, or typical lines when the team has no plan yet), one evaluation validated by ADEME and
one submitted; a travel log of 15 trips (mostly TGV and TER, one justified car trip) and the
consultant's eco-responsibility criteria.

Idempotent: rows are matched on stable keys (an evaluation on its team, a consequence on its
evaluation and description, a trip on its date and route); a balance is computed only when new lines
arrived; workflow moves go through the services and only from the status they start from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sobrindustrie.accounts.enums import Role
from sobrindustrie.core.enums import Solution
from sobrindustrie.core.upsert import upsert
from sobrindustrie.evaluation import services
from sobrindustrie.evaluation.enums import CriterionStatus, EvaluationStatus
from sobrindustrie.evaluation.models import BalanceLine, Consequence, EcoCriterion, Evaluation, Trip
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam

BALANCED_TEAMS = 3

# (key, parent key, description, stage, aspects, direction, magnitude, certainty, horizon, borne by,
#  transfer, rebound). The first node names the theme's own gain.
TREE: list[tuple[Any, ...]] = [
    ("gain", None, "{gain}", "acquisition", ["climate", "resources"], "better", "high", "medium", "medium",
     "Les PME de l'équipe", False, False),
    ("materials", "gain", "Moins d'acier et de fonte extraits et transformés pour des machines neuves",
     "acquisition", ["resources", "pollution"], "better", "medium", "medium", "long", "Fournisseurs de machines",
     False, False),
    ("transport", None, "Déplacements et transports de pièces entre les sites partenaires", "use",
     ["climate", "pollution"], "worse", "low", "high", "short", "Les PME de l'équipe", True, False),
    ("energy", None, "Consommation d'énergie des machines pendant l'usage", "use", ["climate"], "uncertain",
     "medium", "low", "medium", "Les PME de l'équipe", False, False),
    ("rebound", "energy", "Le temps machine libéré sert à produire davantage", "use", ["climate", "resources"],
     "worse", "low", "low", "medium", "Clients des PME", False, True),
    ("end_of_life", None, "Machines remplacées revendues plutôt que ferraillées", "disposal", ["resources"],
     "better", "low", "medium", "long", "Repreneurs des machines", False, False),
]  # fmt: skip

GAINS = {
    Solution.POOLING: "Une machine partagée évite l'achat d'une seconde machine",
    Solution.RETROFIT: "Les machines rénovées évitent l'achat de machines neuves",
    Solution.LOCAL_FABRICATION: "Des outillages fabriqués localement, éco-conçus, remplacent des achats lointains",
    Solution.INHOUSE_MAINTENANCE: "La maintenance interne prolonge la vie des machines",
    Solution.USAGE_CHANGE: "L'organisation de l'usage réduit l'énergie consommée par les machines",
    Solution.FUNCTIONAL_ECONOMY: "L'usage vendu plutôt que la machine évite des équipements sous-utilisés",
    Solution.OTHER_LOWTECH: "Une solution low-tech remplace un équipement plus complexe",
}

FALLBACK_LINES = [
    ("Électricité économisée (estimation)", "energy", "avoided", 8000.0, "kWh", "electricity.fr.consumption_mix",
     0.2, 1.0),
    ("Machine neuve non achetée (2 t d'acier, 15 ans)", "avoided_purchase", "avoided", 2000.0, "kg",
     "material.steel", 0.3, 15.0),
    ("Pièces de rénovation", "other", "added", 5.0, "k€", "monetary.machinery_equipment", 0.2, 10.0),
]  # fmt: skip

# (day, from, to, km, mode, people, justification)
TRIPS: list[tuple[dt.date, str, str, float, str, int, str]] = [
    (dt.date(2026, 1, 13), "Lyon", "Marseille", 315, "tgv", 2, ""),
    (dt.date(2026, 1, 13), "Marseille", "Lyon", 315, "tgv", 2, ""),
    (dt.date(2026, 2, 3), "Marseille", "Avignon", 105, "ter", 1, ""),
    (dt.date(2026, 2, 3), "Avignon", "Marseille", 105, "ter", 1, ""),
    (dt.date(2026, 3, 10), "Marseille", "Nice", 225, "ter", 1, ""),
    (dt.date(2026, 3, 11), "Nice", "Marseille", 225, "ter", 1, ""),
    (dt.date(2026, 4, 7), "Marseille", "Toulon", 67, "ter", 2, ""),
    (dt.date(2026, 4, 7), "Toulon", "Marseille", 67, "ter", 2, ""),
    (dt.date(2026, 5, 19), "Marseille", "Digne-les-Bains", 150, "autocar", 1, ""),
    (dt.date(2026, 5, 19), "Digne-les-Bains", "Marseille", 150, "autocar", 1, ""),
    (dt.date(2026, 6, 16), "Lyon", "Aix-en-Provence", 290, "tgv", 1, ""),
    (dt.date(2026, 6, 16), "Aix-en-Provence", "Lyon", 290, "tgv", 1, ""),
    (dt.date(2026, 9, 22), "Manosque", "Forcalquier", 24, "voiturethermique", 2,
     "Site industriel sans desserte en transport collectif ; matériel de mesure à transporter."),
    (dt.date(2026, 10, 6), "Marseille", "Carpentras", 110, "ter", 1, ""),
    (dt.date(2026, 10, 6), "Carpentras", "Marseille", 110, "ter", 1, ""),
]  # fmt: skip

CRITERIA = [
    ("Train ou autocar pour tout déplacement de moins de 700 km",
     "Toutes les PME sont à moins de 4 h de train ou d'autocar de Marseille ou de Lyon.",
     CriterionStatus.MET, "Journal des déplacements : 14 trajets sur 15 en transport collectif."),
    ("Réunions à distance quand la présence n'apporte rien",
     "Les comités de suivi courts se tiennent en visioconférence.", CriterionStatus.IN_PROGRESS,
     "Calendrier des réunions : modalité indiquée pour chaque réunion."),
    ("Documents numériques légers", "Livrables en PDF et DOCX sans images lourdes.", CriterionStatus.MET,
     "Taille des livrables inférieure à 1 Mo."),
    ("Regrouper les visites de sites proches", "Une tournée par département quand c'est possible.",
     CriterionStatus.IN_PROGRESS, ""),
    ("Compensation des émissions résiduelles", "Non retenue : priorité à la réduction.",
     CriterionStatus.NOT_MET, ""),
]  # fmt: skip


def _staff(programme: Programme, role: str) -> Any:
    return programme.staff_members.filter(role=role).order_by("email").first()


def load(programme: Programme) -> None:
    """Create or refresh the evaluations and the service footprint of `programme` (idempotent)."""
    teams = list(ProjectTeam.objects.filter(programme=programme).order_by("name"))
    consultant, ademe = _staff(programme, Role.CONSULTANT), _staff(programme, Role.ADEME)
    for index, team in enumerate(teams):
        with transaction.atomic():
            evaluation = _evaluation(programme, team)
            _tree(evaluation, team)
            if index < BALANCED_TEAMS:
                _balance(evaluation)
            _workflow(evaluation, index, consultant, ademe)
    _trips(programme, consultant)
    for criterion, justification, status, evidence in CRITERIA:
        upsert(
            EcoCriterion,
            {"programme": programme, "criterion": criterion},
            {"justification": justification, "status": status, "evidence": evidence},
        )


def _evaluation(programme: Programme, team: ProjectTeam) -> Evaluation:
    pilot = (
        team.memberships.current()
        .select_related("organisation")
        .order_by("-role", "organisation__name")
        .first()
    )
    theme = Solution(team.theme).label if team.theme in Solution.values else team.theme
    evaluation, _status = upsert(
        Evaluation,
        {"team": team, "action": None},
        {
            "programme": programme,
            "project_holder": pilot.organisation.name if pilot else team.name,
            "title": f"Empreinte Projet — {team.name}",
            "description": f"Plan d'actions de l'équipe {team.name} ({theme}).",
            "main_objective": GAINS.get(team.theme, "Réduire les besoins en machines neuves") + ".",
            "targeted_aspects": ["climate", "resources"],
            "context": "Programme Sobr'Industrie, PME industrielles de Provence-Alpes-Côte d'Azur.",
            "main_sector": "Industrie manufacturière",
            "current_phase": "implementation",
            "reference_scenario": (
                "Sans le projet, chaque PME achète et entretient seule ses machines et les remplace au terme "
                "de leur durée de vie habituelle."
            ),
            "transfers_notes": "Transfert vers le transport entre sites, faible au regard du gain.",
            "conclusion": (
                "Le projet fait mieux que le scénario de référence sur le climat et les ressources ; "
                "l'effet rebond sur le temps machine libéré reste à suivre."
            ),
        },
    )
    return evaluation


def _tree(evaluation: Evaluation, team: ProjectTeam) -> None:
    nodes: dict[str, Consequence] = {}
    for position, row in enumerate(TREE):
        (
            key,
            parent,
            text,
            stage,
            aspects,
            direction,
            magnitude,
            certainty,
            horizon,
            borne,
            transfer,
            rebound,
        ) = row
        description = text.format(gain=GAINS.get(team.theme, "Moins de machines neuves achetées"))
        nodes[key], _status = upsert(
            Consequence,
            {"evaluation": evaluation, "description": description},
            {
                "parent": nodes[parent] if parent else None,
                "position": position,
                "life_cycle_stage": stage,
                "aspects": aspects,
                "direction": direction,
                "magnitude": magnitude,
                "certainty": certainty,
                "horizon": horizon,
                "borne_by": borne,
                "is_impact_transfer": transfer,
                "is_rebound": rebound,
            },
        )


def _balance(evaluation: Evaluation) -> None:
    if not evaluation.is_editable:
        return
    added = services.prefill_balance(evaluation)
    balance = services.balance_of(evaluation)
    if not balance.lines.exists():
        for position, (label, kind, effect, quantity, unit, factor, uncertainty, years) in enumerate(
            FALLBACK_LINES, start=1
        ):
            upsert(
                BalanceLine,
                {"balance": balance, "label": label},
                {"position": position, "kind": kind, "effect": effect, "quantity": quantity, "unit": unit,
                 "factor_id": factor, "uncertainty": uncertainty, "years": years},
            )  # fmt: skip
            added += 1
    balance.refresh_from_db()
    if added or not balance.is_computed:
        services.compute(evaluation)


def _workflow(evaluation: Evaluation, index: int, consultant: Any, ademe: Any) -> None:
    if index in (0, 1) and evaluation.status == EvaluationStatus.DRAFT and consultant:
        services.apply_transition(evaluation, "submit", consultant)
    if index == 0 and evaluation.status == EvaluationStatus.SUBMITTED and ademe:
        services.apply_transition(evaluation, "validate", ademe)


def _trips(programme: Programme, consultant: Any) -> None:
    meetings = list(Meeting.objects.filter(programme=programme).order_by("starts_at", "pk"))
    # Trips serve the evaluation meetings when the meetings demo has some, else any meeting.
    evaluation_meetings = [m for m in meetings if m.kind == MeetingKind.EVALUATION_MEETING] or meetings
    for number, (day, origin, destination, km, mode, people, justification) in enumerate(TRIPS):
        meeting = evaluation_meetings[number // 2 % len(evaluation_meetings)] if evaluation_meetings else None
        upsert(
            Trip,
            {"programme": programme, "day": day, "origin": origin, "destination": destination},
            {"km": km, "mode": mode, "people": people, "justification": justification, "meeting": meeting,
             "traveller": consultant},
        )  # fmt: skip
