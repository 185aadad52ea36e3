"""Demo diagnostics: a validated method and the 15 laureates' diagnostics in every state.

Three companies per state (planned, in progress, sheet drafted, accepted, validated), with their
candidacy, answers (fewer for a diagnostic still in progress), sessions within the 5-day cap,
observations of the under-used or worn machines, the opportunities the method's rules suggest,
and a few the consultant wrote. Idempotent: every row is matched on a stable key and saved only
when something changed, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.upsert import upsert
from sobrindustrie.diagnostics.enums import (
    DiagnosticStatus,
    Level,
    MethodStatus,
    OpportunityStatus,
    Origin,
    Priority,
    RetrofitPotential,
    SessionKind,
)
from sobrindustrie.diagnostics.ghg import estimate_ghg
from sobrindustrie.diagnostics.methods.loader import MethodError
from sobrindustrie.diagnostics.methods.loader import load_method_file as parse_method_file
from sobrindustrie.diagnostics.models import (
    Answer,
    Candidacy,
    Diagnostic,
    DiagnosticSession,
    MeansObservation,
    MethodVersion,
    Opportunity,
    StatusChange,
)
from sobrindustrie.diagnostics.services import apply_suggestions, load_method_file
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.organisations.reference import taxonomy
from sobrindustrie.programmes.models import Programme

S = DiagnosticStatus
STATES: dict[str, str] = {
    "provence-usinage": S.VALIDATED,
    "toles-etang": S.VALIDATED,
    "decoupe-laser-rhodanienne": S.VALIDATED,
    "inox-process": S.ACCEPTED,
    "meca-comtat": S.ACCEPTED,
    "thermo-varois": S.ACCEPTED,
    "plasturgie-garlaban": S.SHEET_DRAFTED,
    "aero-composites": S.SHEET_DRAFTED,
    "luberon-emballages": S.SHEET_DRAFTED,
    "electronique-durance": S.IN_PROGRESS,
    "hydraulique-provence-verte": S.IN_PROGRESS,
    "chaudronnerie-durance-bleone": S.IN_PROGRESS,
    "flaconnage-grasse": S.PLANNED,
    "azur-mecatronique": S.PLANNED,
    "menuiseries-alpes-sud": S.PLANNED,
}
ORDER = list(STATES)
FIRST_VISIT = dt.date(2025, 11, 17)
METHOD_VALIDATED_AT = dt.datetime(2025, 11, 13, 15, 0, tzinfo=dt.UTC)

PROJECT_IDEAS = {
    "provence-usinage": "Ouvrir notre centre 5 axes et notre machine à mesurer à des PME voisines plutôt que de les laisser dormir.",
    "toles-etang": "Remplacer le laser CO2 énergivore sans racheter systématiquement du neuf ; étudier le rétrofit de la plieuse.",
    "plasturgie-garlaban": "Former nos régleurs à la maintenance des presses pour ne plus attendre un technicien venu de Lyon.",
    "aero-composites": "Partager l'autoclave et acheter des heures de détourage plutôt qu'une seconde machine.",
    "inox-process": "Construire nous-mêmes des équipements simples et réparables, et céder la cisaille inutilisée.",
    "meca-comtat": "Mutualiser tour CN et impression 3D au sein du groupe Comtat–Durance.",
    "decoupe-laser-rhodanienne": "Vendre des heures de découpe laser aux voisins plutôt que de voir chacun acheter sa machine.",
    "luberon-emballages": "Réduire la consommation de l'extrusion et des utilités, premier poste de coût.",
    "electronique-durance": "Rétrofiter la seconde ligne CMS et partager la radioscopie X.",
    "thermo-varois": "Mieux remplir les fours et proposer du traitement thermique à façon aux voisins.",
    "hydraulique-provence-verte": "Étudier un tour CN partagé plutôt qu'un achat, et fabriquer nos bancs d'essai.",
    "flaconnage-grasse": "Internaliser la maintenance des lignes de remplissage.",
    "azur-mecatronique": "Partager notre imprimante SLS et notre savoir-faire en conception.",
    "chaudronnerie-durance-bleone": "Rétrofiter les ponts roulants et mutualiser la découpe plasma.",
    "menuiseries-alpes-sud": "Remettre en état la moulurière et valoriser les chutes de bois.",
}

BASE_ANSWERS: dict[str, Any] = {
    "ctx_energy_tracking": False,
    "ctx_sobriety_lead": False,
    "ctx_decision": "direction",
    "ctx_cooperation": "informelle",
    "ctx_main_issue": "Réduire les coûts d'énergie et de maintenance sans freiner la production.",
    "des_inhouse_design": False,
    "des_need_review": False,
    "des_oversized": "quelques",
    "acq_planned": False,
    "acq_energy_criteria": False,
    "acq_local_suppliers": True,
    "use_idle_off": "parfois",
    "use_shifts": 1,
    "use_air_leaks": False,
    "use_peak_scheduling": False,
    "mnt_team": 1,
    "mnt_preventive": True,
    "mnt_delay": "j1_3",
    "mnt_skills_gap": True,
    "dis_unused_kept": False,
    "dis_practice": "revente",
    "dis_spare_parts": True,
    "pool_willing": "conditions",
    "pool_conditions": "Créneaux réservés à l'avance, opérateur de l'entreprise sur la machine.",
    "pool_insurance_concern": True,
    "pool_distance_max": 40,
    "ret_interest": True,
    "ret_partner_known": False,
    "ret_obsolete_control": False,
    "fab_workshop": False,
    "fab_additive": False,
    "im_willing": True,
    "im_shared_technician": False,
    "usg_audit_done": False,
    "usg_staff_awareness": False,
    "ef_sell_time": False,
    "ef_buy_service": False,
    "olt_simplified": False,
}
ANSWERS: dict[str, dict[str, Any]] = {
    "provence-usinage": {
        "ctx_energy_tracking": True,
        "ctx_energy_bill": 96000,
        "ctx_cooperation": "contractuelle",
        "ctx_main_issue": "Rentabiliser le centre 5 axes libéré par l'arrêt d'un programme aéronautique.",
        "des_oversized": "non",
        "use_shifts": 2,
        "mnt_team": 3,
        "mnt_skills_gap": False,
        "pool_willing": "oui",
        "ef_sell_time": True,
    },
    "toles-etang": {
        "ctx_energy_bill": 210000,
        "ctx_main_issue": "Remplacer le laser CO2 énergivore et la plieuse usée.",
        "des_inhouse_design": True,
        "des_design_staff": 2,
        "acq_planned": True,
        "acq_budget": 650000,
        "acq_alternatives": "neuf",
        "ret_obsolete_control": True,
        "fab_workshop": True,
        "pool_willing": "oui",
        "ef_sell_time": True,
    },
    "decoupe-laser-rhodanienne": {
        "ctx_energy_tracking": True,
        "ctx_cooperation": "contractuelle",
        "use_idle_off": "toujours",
        "use_shifts": 2,
        "mnt_team": 2,
        "pool_willing": "oui",
        "pool_insurance_concern": False,
        "ef_sell_time": True,
    },
    "inox-process": {
        "des_inhouse_design": True,
        "des_design_staff": 3,
        "acq_planned": True,
        "acq_budget": 40000,
        "acq_alternatives": "occasion",
        "ret_partner_known": True,
        "fab_workshop": True,
        "fab_tooling_needs": "Convoyeurs et tables de tri inox simples.",
        "dis_unused_kept": True,
        "dis_practice": "stockage",
        "pool_willing": "oui",
    },
    "meca-comtat": {
        "des_inhouse_design": True,
        "des_design_staff": 4,
        "fab_workshop": True,
        "fab_additive": True,
        "fab_tooling_needs": "Outillages de montage et gabarits de contrôle.",
        "dis_unused_kept": True,
        "dis_practice": "stockage",
        "pool_willing": "oui",
        "pool_distance_max": 60,
        "ef_sell_time": True,
    },
    "thermo-varois": {
        "ctx_energy_tracking": True,
        "ctx_energy_bill": 180000,
        "use_shifts": 3,
        "mnt_team": 3,
        "mnt_skills_gap": False,
        "mnt_delay": "plus_3j",
        "pool_willing": "oui",
        "ef_sell_time": True,
    },
    "plasturgie-garlaban": {
        "ctx_energy_bill": 160000,
        "use_shifts": 3,
        "mnt_delay": "plus_3j",
        "mnt_contract_cost": 48000,
        "im_shared_technician": True,
        "acq_planned": True,
        "acq_budget": 80000,
        "acq_alternatives": "occasion",
        "ctx_cooperation": "aucune",
    },
    "aero-composites": {
        "ctx_cooperation": "contractuelle",
        "des_inhouse_design": True,
        "fab_workshop": True,
        "acq_planned": True,
        "acq_budget": 900000,
        "acq_alternatives": "partage",
        "pool_willing": "oui",
        "ef_buy_service": True,
    },
    "luberon-emballages": {
        "ctx_energy_tracking": True,
        "ctx_energy_bill": 520000,
        "use_shifts": 3,
        "use_idle_off": "jamais",
        "acq_planned": True,
        "acq_budget": 1200000,
        "acq_alternatives": "neuf",
        "usg_audit_done": True,
        "pool_willing": "non",
        "ctx_cooperation": "aucune",
    },
    "electronique-durance": {
        "ret_partner_known": True,
        "ret_obsolete_control": True,
        "use_air_leaks": True,
        "ef_sell_time": True,
    },
    "hydraulique-provence-verte": {
        "des_inhouse_design": True,
        "fab_workshop": True,
        "mnt_team": 2,
        "acq_planned": True,
        "acq_budget": 150000,
        "acq_alternatives": "occasion",
        "ef_buy_service": True,
    },
    "chaudronnerie-durance-bleone": {
        "des_inhouse_design": True,
        "fab_workshop": True,
        "ret_partner_known": True,
        "mnt_team": 3,
        "pool_willing": "oui",
    },
}
#: A diagnostic in progress has only covered the first sections.
IN_PROGRESS_SECTIONS = {"contexte", "conception", "acquisition", "utilisation"}

SESSIONS: dict[str, list[tuple[int, str, str, str]]] = {
    # (days after the first visit, kind, days, notes)
    S.IN_PROGRESS: [
        (0, SessionKind.INTERVIEW, "0.5", "Entretien de lancement avec la direction."),
        (7, SessionKind.VISIT, "1", "Visite d'atelier, relevés des machines."),
    ],
    S.SHEET_DRAFTED: [
        (0, SessionKind.INTERVIEW, "0.5", "Entretien de lancement avec la direction."),
        (7, SessionKind.VISIT, "1", "Visite d'atelier, relevés des machines."),
        (14, SessionKind.INTERVIEW, "0.5", "Entretien maintenance et achats."),
        (21, SessionKind.ANALYSIS, "1.5", "Analyse et rédaction de la fiche synthèse."),
    ],
}
SESSIONS[S.ACCEPTED] = [
    *SESSIONS[S.SHEET_DRAFTED],
    (35, SessionKind.REMOTE, "0.5", "Restitution de la fiche à la direction."),
]
SESSIONS[S.VALIDATED] = [
    *SESSIONS[S.ACCEPTED],
    (42, SessionKind.ANALYSIS, "0.5", "Mise à jour après le COPIL."),
]

CONSULTANT_OPPORTUNITIES: dict[str, dict[str, Any]] = {
    "provence-usinage": {
        "solution": "pooling",
        "title": "Partager la machine à mesurer tridimensionnelle avec Plasturgie du Garlaban",
        "description": "Plasturgie du Garlaban cherche une capacité de métrologie ; la Contura est libre 80 % du temps à 10 km.",
        "means": ["pu-contura"],
        "priority": Priority.HIGH,
        "potential": Level.MEDIUM,
        "feasibility": Level.HIGH,
        "euros_per_year": Decimal("6000"),
    },
    "toles-etang": {
        "solution": "usage_change",
        "title": "Décaler le thermolaquage sur des campagnes pleines",
        "description": "Regrouper les séries de thermolaquage sur trois jours par semaine pour éviter les montées en température à vide.",
        "means": ["te-thermolaquage"],
        "priority": Priority.HIGH,
        "potential": Level.HIGH,
        "feasibility": Level.HIGH,
        "natural_gas_kwh_per_year": 26000.0,
        "euros_per_year": Decimal("2100"),
    },
    "thermo-varois": {
        "solution": "functional_economy",
        "title": "Proposer du traitement thermique à façon aux mécaniciens voisins",
        "description": "Le four de trempe tourne à 30 % : vendre des charges complètes à des PME qui sous-traitent aujourd'hui à Lyon.",
        "means": ["tv-four-trempe"],
        "priority": Priority.HIGH,
        "potential": Level.HIGH,
        "feasibility": Level.MEDIUM,
        "need_kind": "",
    },
}
SHARING = {"meca-comtat": ["inox-process", "decoupe-laser-rhodanienne"]}


def _sme_user(organisation: Organisation) -> User | None:
    return organisation.users.filter(role=Role.SME).order_by("pk").first()


def _aware(day: dt.date, hour: int = 17) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def load_method(programme: Programme) -> MethodVersion:
    try:
        version, _ = load_method_file(programme)
    except MethodError:
        # The shipped file changed after its version was validated in this database: a validated
        # version never changes, so the demo keeps the one it has.
        method = parse_method_file(categories=taxonomy().keys())
        version = MethodVersion.objects.get(programme=programme, code=method.code, version=method.version)
    if version.status != MethodStatus.VALIDATED:
        officer = programme.staff_members.filter(role=Role.ADEME).order_by("pk").first()
        version.status = MethodStatus.VALIDATED
        version.validated_by = officer
        version.validated_at = METHOD_VALIDATED_AT
        version.save()
    return version


@transaction.atomic
def load(programme: Programme) -> None:
    method = load_method(programme)
    consultant = (
        programme.staff_members.filter(role=Role.CONSULTANT, email__startswith="nicolas").first()
        or programme.staff_members.filter(role=Role.CONSULTANT).order_by("pk").first()
    )
    ademe = programme.staff_members.filter(role=Role.ADEME).order_by("pk").first()
    organisations = {org.slug: org for org in Organisation.objects.for_programme(programme).laureates()}
    for index, slug in enumerate(ORDER):
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        start = FIRST_VISIT + dt.timedelta(days=7 * (index % 6) + 2 * (index // 6))
        _load_candidacy(organisation, index)
        diagnostic = _load_diagnostic(programme, organisation, method, consultant, STATES[slug], start)
        _load_sessions(diagnostic, consultant, start)
        if diagnostic.status != S.PLANNED:
            _load_answers(diagnostic, slug, consultant)
            _load_observations(diagnostic)
            _load_consultant_opportunity(diagnostic, slug)
            apply_suggestions(diagnostic)
            _settle_opportunities(diagnostic)
        _load_workflow(diagnostic, consultant, ademe, start)
    for slug, targets in SHARING.items():
        diagnostic = Diagnostic.objects.filter(organisation=organisations.get(slug)).first()
        wanted = {organisations[t].pk for t in targets if t in organisations}
        if diagnostic and set(diagnostic.shared_with.values_list("pk", flat=True)) != wanted:
            diagnostic.shared_with.set(wanted)


def _load_candidacy(organisation: Organisation, index: int) -> None:
    upsert(
        Candidacy,
        {"organisation": organisation},
        {
            "project_idea": PROJECT_IDEAS.get(organisation.slug, ""),
            "submitted_on": dt.date(2025, 9, 1) + dt.timedelta(days=2 * index),
        },
    )


def _load_diagnostic(
    programme: Programme,
    organisation: Organisation,
    method: MethodVersion,
    consultant: User | None,
    status: str,
    start: dt.date,
) -> Diagnostic:
    values: dict[str, Any] = {
        "programme": programme,
        "method": method,
        "consultant": consultant,
        "planned_on": start,
        "status": status,
    }
    if status in (S.SHEET_DRAFTED, S.ACCEPTED, S.VALIDATED):
        values["summary"] = (
            f"{organisation.name} dispose de capacités sous-utilisées et de marges de sobriété à l'usage. "
            "Les opportunités retenues ci-dessous ont été discutées avec la direction ; les plus prioritaires "
            "demandent une coopération avec d'autres lauréats, à préparer lors de l'atelier de formation des équipes."
        )
    diagnostic, _ = upsert(Diagnostic, {"organisation": organisation}, values)
    return diagnostic


def _load_sessions(diagnostic: Diagnostic, consultant: User | None, start: dt.date) -> None:
    for offset, kind, days, notes in SESSIONS.get(diagnostic.status, []):
        upsert(
            DiagnosticSession,
            {"diagnostic": diagnostic, "date": start + dt.timedelta(days=offset)},
            {"kind": kind, "days": Decimal(days), "notes": notes, "consultant": consultant},
        )


def _load_answers(diagnostic: Diagnostic, slug: str, consultant: User | None) -> None:
    """Answers in bulk: a thousand rows one by one would make the demo slow to load."""
    method = diagnostic.method.method
    answers = {**BASE_ANSWERS, **ANSWERS.get(slug, {})}
    partial = diagnostic.status == S.IN_PROGRESS
    wanted: dict[tuple[str, int | None], Any] = {}
    for question_id, value in answers.items():
        question = method.questions.get(question_id)
        if question is not None and not (partial and question.section_id not in IN_PROGRESS_SECTIONS):
            wanted[(question_id, None)] = value
    for means in diagnostic.organisation.production_means.all():
        rate = means.utilisation_rate or 0
        energy_hungry = (means.annual_consumption_kwh or 0) > 20000 and answers["use_idle_off"] != "toujours"
        wanted[("pm_open_to_sharing", means.pk)] = means.sharing_hours_per_week > 0
        wanted[("pm_standby_off", means.pk)] = not energy_hungry
        wanted[("pm_essential", means.pk)] = "rare" if rate < 20 else "ponctuel" if rate < 50 else "essentiel"
    existing = {(a.question_id, a.production_means_id): a for a in diagnostic.answers.all()}
    created, changed = [], []
    for (question_id, means_id), value in wanted.items():
        answer = existing.get((question_id, means_id))
        if answer is None:
            created.append(
                Answer(
                    diagnostic=diagnostic,
                    question_id=question_id,
                    production_means_id=means_id,
                    value=value,
                    updated_by=consultant,
                )
            )
        elif answer.value != value:
            answer.value = value
            changed.append(answer)
    bulk_create_with_history(created, Answer, default_user=consultant)
    if changed:
        bulk_update_with_history(changed, Answer, ["value"], default_user=consultant)


def _load_observations(diagnostic: Diagnostic) -> None:
    """The consultant looked closely at the under-used and the worn machines."""
    for means in diagnostic.organisation.production_means.all():
        worn = means.condition in ("fair", "poor")
        idle = means.utilisation_rate is not None and means.utilisation_rate < 40
        if not (worn or idle):
            continue
        old = means.year is not None and means.year <= 2012
        values = {
            "observed_utilisation_rate": (
                None if means.utilisation_rate is None else max(0.0, round(means.utilisation_rate - 5))
            ),
            "observed_condition": means.condition,
            "retrofit_potential": (
                RetrofitPotential.HIGH
                if worn and old
                else RetrofitPotential.MEDIUM
                if worn
                else RetrofitPotential.NONE
            ),
            "maintenance_notes": "Entretien courant fait en interne."
            if means.maintenance_mode == "inhouse"
            else "",
            "notes": "Capacité libre observée lors de la visite." if idle else "Usure visible ; bâti sain.",
        }
        upsert(MeansObservation, {"diagnostic": diagnostic, "production_means": means}, values)


def _load_consultant_opportunity(diagnostic: Diagnostic, slug: str) -> None:
    raw = CONSULTANT_OPPORTUNITIES.get(slug)
    if raw is None:
        return
    raw = dict(raw)
    keys = raw.pop("means")
    values = {**raw, "status": OpportunityStatus.RETAINED, "edited": True}
    estimate = estimate_ghg(values.get("electricity_kwh_per_year"), values.get("natural_gas_kwh_per_year"))
    values["ghg_kgco2e_per_year"] = estimate.kgco2e_per_year if estimate else None
    values["ghg_basis"] = estimate.basis if estimate else ""
    opportunity, _ = upsert(
        Opportunity,
        {"diagnostic": diagnostic, "origin": Origin.CONSULTANT, "title": values.pop("title")},
        values,
    )
    wanted = set(
        ProductionMeans.objects.filter(
            organisation_id=diagnostic.organisation_id, external_ref__in=keys
        ).values_list("pk", flat=True)
    )
    if set(opportunity.production_means.values_list("pk", flat=True)) != wanted:
        opportunity.production_means.set(wanted)


def _settle_opportunities(diagnostic: Diagnostic) -> None:
    """Once the sheet is drafted, the consultant has retained or dismissed every suggestion."""
    if diagnostic.status == S.IN_PROGRESS:
        return
    for opportunity in diagnostic.opportunities.filter(status=OpportunityStatus.SUGGESTED):
        opportunity.status = (
            OpportunityStatus.DISMISSED
            if opportunity.feasibility == Level.LOW
            else OpportunityStatus.RETAINED
        )
        opportunity.save()


TRANSITIONS = [
    ("start", S.PLANNED, S.IN_PROGRESS),
    ("draft_sheet", S.IN_PROGRESS, S.SHEET_DRAFTED),
    ("accept", S.SHEET_DRAFTED, S.ACCEPTED),
    ("validate", S.ACCEPTED, S.VALIDATED),
]
REACHED = {
    S.PLANNED: 0,
    S.IN_PROGRESS: 1,
    S.SHEET_DRAFTED: 2,
    S.ACCEPTED: 3,
    S.VALIDATED: 4,
}


def _load_workflow(
    diagnostic: Diagnostic, consultant: User | None, ademe: User | None, start: dt.date
) -> None:
    sme = _sme_user(diagnostic.organisation)
    reached = REACHED[diagnostic.status]
    for name, source, target in TRANSITIONS[:reached]:
        by = sme if name == "accept" else ademe if name == "validate" else consultant
        upsert(
            StatusChange,
            {"diagnostic": diagnostic, "transition": name},
            {"from_status": source, "to_status": target, "by": by, "comment": ""},
        )
    values: dict[str, Any] = {
        "accepted_by": None,
        "accepted_at": None,
        "validated_by": None,
        "validated_at": None,
    }
    if reached >= 3:
        values.update(accepted_by=sme, accepted_at=_aware(start + dt.timedelta(days=36)))
    if reached >= 4:
        values.update(validated_by=ademe, validated_at=_aware(start + dt.timedelta(days=49)))
    upsert(Diagnostic, {"pk": diagnostic.pk}, values)
