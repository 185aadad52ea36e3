"""What the API returns, written out field by field.

Written by hand rather than generated from the models so that the published contract (the
committed OpenAPI schema) does not change with a verbose name or its translation, and so that
what is exposed is chosen rather than inherited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from sobrindustrie.engines.footprint import SIGN_CONVENTION

#: Identifiers fit a PostgreSQL integer; larger numbers are refused before reaching the database.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class MeOut(Schema):
    id: int
    email: str
    role: str
    organisation_id: int | None
    programme_ids: list[int]


class ProgrammeOut(Schema):
    id: int
    slug: str
    name: str
    region: str
    description: str
    notified_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    target_team_count: int


class OrganisationOut(Schema):
    id: int
    programme_id: int
    kind: str
    name: str
    slug: str
    siret: str
    naf_code: str
    workforce: int | None
    turnover_band: str
    website: str
    description: str
    solution_interests: list[Any]
    city: str
    department_code: str
    latitude: float | None
    longitude: float | None
    is_archived: bool


class ProductionMeansOut(Schema):
    id: int
    organisation_id: int
    site_id: int | None
    category: str
    name: str
    make: str
    model_name: str
    year: int | None
    purchase_value_eur: float | None
    mass_kg: float | None
    main_material: str
    rated_power_kw: float | None
    annual_operating_hours: float | None
    utilisation_rate: float | None
    energy_carrier: str
    annual_consumption_kwh: float | None
    condition: str
    maintenance_mode: str
    planned_action: str
    planned_year: int | None
    sharing_hours_per_week: float


class MembershipOut(Schema):
    organisation_id: int
    role: str
    joined_on: dt.date


class TeamOut(Schema):
    id: int
    programme_id: int
    name: str
    theme: str
    objectives: str
    status: str


class TeamDetailOut(TeamOut):
    members: list[MembershipOut]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return obj.current_memberships


class ActionOut(Schema):
    id: int
    team_id: int
    position: int
    title: str
    solution: str
    description: str
    lead_organisation_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    priority: str
    status: str
    progress_percent: int
    investment_budget_eur: float | None
    operating_budget_eur: float | None
    funding_need_eur: float | None
    expected_energy_kwh_per_year: float | None
    expected_material_kg_per_year: float | None
    expected_ghg_kgco2e_per_year: float | None
    expected_km_avoided_per_year: float | None

    @staticmethod
    def resolve_team_id(obj: Any) -> int:
        return obj.plan.team_id  # the list selects the plan with the action: no extra query


class MeasurementOut(Schema):
    measured_on: dt.date
    value: float


class IndicatorOut(Schema):
    id: int
    action_id: int
    name: str
    unit: str
    direction: str
    baseline_value: float | None
    baseline_on: dt.date | None
    target_value: float | None
    target_on: dt.date | None


class IndicatorDetailOut(IndicatorOut):
    measurements: list[MeasurementOut]

    @staticmethod
    def resolve_measurements(obj: Any) -> list[Any]:
        return obj.measurements_out


class OpportunityOut(Schema):
    id: int
    programme_id: int
    analysis_id: int
    solution: str
    provider_id: int
    receiver_id: int
    subject: str
    sentence: str
    distance_km: float
    avoided_purchase_eur: float
    avoided_kgco2e: float
    avoided_travel_kgco2e_per_year: float
    hours_shared_per_year: float
    value_eur: float
    score: float

    @staticmethod
    def resolve_programme_id(obj: Any) -> int:
        return obj.analysis.programme_id


class FundingApplicationOut(Schema):
    id: int
    action_id: int
    organisation_id: int
    scheme_id: int
    scheme_title: str
    status: str
    amount_requested_eur: float | None
    amount_granted_eur: float | None
    amount_paid_eur: float | None
    submitted_on: dt.date | None
    decision_on: dt.date | None
    paid_on: dt.date | None

    @staticmethod
    def resolve_scheme_title(obj: Any) -> str:
        return obj.scheme.title

    # Amounts stay with the applying organisation, the consultants and ADEME (null for teammates).
    @staticmethod
    def resolve_amount_requested_eur(obj: Any, context: Any) -> Any:
        return _funding_detail(obj, "amount_requested_eur", context)

    @staticmethod
    def resolve_amount_granted_eur(obj: Any, context: Any) -> Any:
        return _funding_detail(obj, "amount_granted_eur", context)

    @staticmethod
    def resolve_amount_paid_eur(obj: Any, context: Any) -> Any:
        return _funding_detail(obj, "amount_paid_eur", context)


def _funding_detail(application: Any, name: str, context: Any) -> Any:
    from sobrindustrie.funding.perms import can_see_funding_details

    request = context["request"]
    return getattr(application, name) if can_see_funding_details(request.user, application) else None


class EvaluationOut(Schema):
    id: int
    programme_id: int
    team_id: int
    action_id: int | None = Field(description="Null when the team's whole action plan is evaluated")
    grid_version: str = Field(description="Version of the Empreinte Projet level-1 grid the codes belong to")
    title: str
    project_holder: str
    status: str
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None
    ghg_net_kgco2e_per_year: float | None = Field(
        description=f"Net of the computed GHG balance: {SIGN_CONVENTION}"
    )

    @staticmethod
    def resolve_ghg_net_kgco2e_per_year(obj: Any) -> float | None:
        balance = obj.balance  # selected with the evaluation: no extra query
        return balance.central_kg if balance is not None else None


class ConsequenceOut(Schema):
    """One node of the tree of consequences, in display (depth-first) order."""

    id: int
    number: str = Field(description='Outline number as shown to people, e.g. "1.2"')
    parent_id: int | None
    depth: int
    description: str
    life_cycle_stage: str
    aspects: list[str]
    direction: str
    magnitude: str
    certainty: str
    horizon: str
    borne_by: str
    is_impact_transfer: bool
    is_rebound: bool

    @staticmethod
    def resolve_aspects(obj: Any) -> list[str]:
        return list(obj.aspects or [])


class AspectResultOut(Schema):
    """The net qualitative result of the project on one environmental aspect of the grid."""

    aspect: str
    result: str
    score: float
    consequence_ids: list[int]

    @staticmethod
    def resolve_aspect(obj: Any) -> str:
        return obj.aspect.code

    @staticmethod
    def resolve_consequence_ids(obj: Any) -> list[int]:
        return [consequence.pk for consequence in obj.consequences]


class BalanceLineOut(Schema):
    id: int
    position: int
    label: str
    kind: str
    effect: str
    quantity: float
    unit: str
    factor_id: str
    travel_mode: str
    uncertainty: float
    distribution: str
    years: float
    share: float
    source_action_id: int | None


class GhgBalanceOut(Schema):
    """The level-2 greenhouse-gas balance; its figures are null until it is computed."""

    library_reference: str
    seed: int | None
    draws: int | None
    net_kgco2e_per_year: float | None
    p5_kgco2e_per_year: float | None
    p95_kgco2e_per_year: float | None
    dominant_input: str
    dominant_share: float | None
    computed_at: dt.datetime | None
    lines: list[BalanceLineOut]

    @staticmethod
    def resolve_net_kgco2e_per_year(obj: Any) -> float | None:
        return obj.central_kg

    @staticmethod
    def resolve_p5_kgco2e_per_year(obj: Any) -> float | None:
        return obj.p5_kg

    @staticmethod
    def resolve_p95_kgco2e_per_year(obj: Any) -> float | None:
        return obj.p95_kg

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return obj.lines_out


class EvaluationDetailOut(EvaluationOut):
    description: str
    main_objective: str
    targeted_aspects: list[str]
    context: str
    main_sector: str
    current_phase: str
    reference_scenario: str
    transfers_notes: str
    conclusion: str
    consequences: list[ConsequenceOut]
    aspect_results: list[AspectResultOut]
    ghg_balance: GhgBalanceOut | None

    @staticmethod
    def resolve_targeted_aspects(obj: Any) -> list[str]:
        return list(obj.targeted_aspects or [])

    @staticmethod
    def resolve_consequences(obj: Any) -> list[Any]:
        return obj.consequences_out

    @staticmethod
    def resolve_aspect_results(obj: Any) -> list[Any]:
        return obj.aspect_results_out

    @staticmethod
    def resolve_ghg_balance(obj: Any) -> Any:
        return obj.balance
