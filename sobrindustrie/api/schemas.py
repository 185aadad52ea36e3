"""What the API returns, written out field by field.

Written by hand rather than generated from the models so that the published contract (the
committed OpenAPI schema) does not change with a verbose name or its translation, and so that
what is exposed is chosen rather than inherited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from sobrindustrie.engines.footprint import SIGN_CONVENTION
from sobrindustrie.meetings.enums import MinutesStatus, TimeObjectKind

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
    id: int
    indicator_id: int
    measured_on: dt.date
    value: float
    note: str


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
    wording: str
    wording_params: dict[str, Any]
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


# --- Meetings, minutes, decisions, time spent, obligations, deliverables --------------------------


class MeetingOut(Schema):
    id: int
    programme_id: int
    kind: str
    title: str
    team_ids: list[int]
    organisation_ids: list[int]
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    video_link: str
    mode: str
    status: str
    organiser_name: str
    attended_by_consultant: bool
    minutes_due_on: dt.date
    has_validated_minutes: bool
    version: int

    @staticmethod
    def resolve_team_ids(obj: Any) -> list[int]:
        """The teams concerned (`Meeting.teams`, prefetched)."""
        return sorted(team.pk for team in obj.teams.all())

    @staticmethod
    def resolve_organisation_ids(obj: Any) -> list[int]:
        return sorted(organisation.pk for organisation in obj.organisations.all())  # prefetched

    @staticmethod
    def resolve_has_validated_minutes(obj: Any) -> bool:
        minutes = obj.minutes_or_none  # selected with the meeting
        return minutes is not None and minutes.status == MinutesStatus.VALIDATED


class MinutesOut(Schema):
    id: int
    meeting_id: int
    programme_id: int
    meeting_title: str
    body: str = Field(description="Markdown")
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None

    @staticmethod
    def resolve_programme_id(obj: Any) -> int:
        return obj.meeting.programme_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_meeting_title(obj: Any) -> str:
        return obj.meeting.title  # type: ignore[no-any-return]


class DecisionOut(Schema):
    id: int
    programme_id: int
    meeting_id: int
    number: int
    kind: str
    text: str
    owner: str = Field(description="The owner's name (an account or a name typed in)")
    due_on: dt.date | None
    status: str
    is_overdue: bool
    closed_at_meeting_id: int | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner_display  # type: ignore[no-any-return]


class TimeEntryOut(Schema):
    id: int
    programme_id: int
    consultant_id: int
    date: dt.date
    days: float
    axis: int
    object_kind: str
    organisation_id: int | None = Field(description="The diagnosed company, for a diagnostic")
    object_label: str
    description: str
    version: int

    @staticmethod
    def resolve_days(obj: Any) -> float:
        return float(obj.days)

    @staticmethod
    def resolve_organisation_id(obj: Any) -> int | None:
        return obj.object_id if obj.object_kind == TimeObjectKind.DIAGNOSTIC else None


class TripOut(Schema):
    id: int
    programme_id: int
    day: dt.date
    origin: str
    destination: str
    km: float
    mode: str
    people: int
    meeting_id: int | None
    justification: str
    version: int


class ObligationOut(Schema):
    code: str
    label: str
    status: str = Field(description="met, on_track, at_risk, late or breached")
    status_label: str
    scope_kind: str
    scope: str
    scope_label: str
    period: str | None
    due_on: dt.date | None
    summary: str = Field(description="The explanation, as the obligations page words it")
    reason_code: str
    reason_params: dict[str, Any]
    counted_ids: list[str] = Field(
        description="Records the status rests on: a meeting id, d<id> for a report, t<id> for a time entry"
    )

    @staticmethod
    def resolve_code(obj: Any) -> str:
        return obj.result.code  # type: ignore[no-any-return]

    @staticmethod
    def resolve_scope_kind(obj: Any) -> str:
        return str(obj.result.scope_kind.value)

    @staticmethod
    def resolve_scope(obj: Any) -> str:
        return obj.result.scope  # type: ignore[no-any-return]

    @staticmethod
    def resolve_period(obj: Any) -> str | None:
        return obj.result.period  # type: ignore[no-any-return]

    @staticmethod
    def resolve_due_on(obj: Any) -> dt.date | None:
        return obj.result.due_on  # type: ignore[no-any-return]

    @staticmethod
    def resolve_reason_code(obj: Any) -> str:
        return str(obj.result.reason.code.value)

    @staticmethod
    def resolve_reason_params(obj: Any) -> dict[str, Any]:
        return {key: _plain(value) for key, value in obj.result.reason.params.items()}

    @staticmethod
    def resolve_counted_ids(obj: Any) -> list[str]:
        return list(obj.result.counted_ids)


def _plain(value: Any) -> Any:
    """A reason parameter as JSON: dates in ISO, decimals as numbers, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(item) for item in value]
    return value


class DeliverableOut(Schema):
    code: str
    display_code: str
    axis: int
    title: str
    is_report: bool
    formats: list[str]
    due_on: dt.date
    status: str = Field(description="todo, in_progress, submitted or validated")
    status_label: str
    is_late: bool
    version: int = Field(description="The files' version: the submitted one once submitted, else the latest")
    submitted_on: dt.date | None
    validated_on: dt.date | None
    review_comment: str

    @staticmethod
    def resolve_code(obj: Any) -> str:
        return obj.kind.code  # type: ignore[no-any-return]

    @staticmethod
    def resolve_display_code(obj: Any) -> str:
        return obj.kind.display_code  # type: ignore[no-any-return]

    @staticmethod
    def resolve_axis(obj: Any) -> int:
        return obj.kind.axis  # type: ignore[no-any-return]

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.kind.title)

    @staticmethod
    def resolve_is_report(obj: Any) -> bool:
        return obj.kind.is_report  # type: ignore[no-any-return]

    @staticmethod
    def resolve_formats(obj: Any) -> list[str]:
        return list(obj.kind.formats)

    @staticmethod
    def resolve_submitted_on(obj: Any) -> dt.date | None:
        return obj.deliverable.submitted_on if obj.deliverable else None

    @staticmethod
    def resolve_validated_on(obj: Any) -> dt.date | None:
        return obj.deliverable.validated_on if obj.deliverable else None

    @staticmethod
    def resolve_review_comment(obj: Any) -> str:
        return obj.deliverable.review_comment if obj.deliverable else ""


# --- What the write endpoints accept -----------------------------------------------------------------
# Only the types are checked here; every rule (ranges, dates, who may be named) is the page's form's
# and the model's, applied by `api.writing`, so that the API and the pages cannot disagree.

OptionalRef = Annotated[int | None, Field(None, ge=1, le=MAX_ID)]


class TimeEntryIn(Schema):
    programme_id: Id
    consultant_id: Id
    date: dt.date
    days: float = Field(description="Days spent: 0.5 for half a day")
    axis: int = Field(description="1 to 4")
    object_kind: str = Field(description="diagnostic, funding_order, evaluation, team or other")
    organisation_id: OptionalRef = Field(None, description="For a diagnostic: the diagnosed company")
    object_label: str = ""
    description: str = ""


class TimeEntryPatch(Schema):
    version: int = Field(description="The version read (optimistic locking): 409 if it changed since")
    consultant_id: OptionalRef = None
    date: dt.date | None = None
    days: float | None = None
    axis: int | None = None
    object_kind: str | None = None
    organisation_id: OptionalRef = None
    object_label: str | None = None
    description: str | None = None


class TripIn(Schema):
    programme_id: Id
    day: dt.date
    origin: str
    destination: str
    km: float
    mode: str = Field(description="A travel mode of the factor library, e.g. ter, tgv, voiturethermique")
    people: int = 1
    meeting_id: OptionalRef = Field(None, description="The meeting served (90 days back, 30 ahead)")
    justification: str = Field(
        "", description="Required for a mode other than train, coach, bus, bike or walking"
    )


class TripPatch(Schema):
    version: int = Field(description="The version read (optimistic locking): 409 if it changed since")
    day: dt.date | None = None
    origin: str | None = None
    destination: str | None = None
    km: float | None = None
    mode: str | None = None
    people: int | None = None
    meeting_id: OptionalRef = None
    justification: str | None = None


class MeasurementIn(Schema):
    indicator_id: Id
    measured_on: dt.date
    value: float
    note: str = ""
