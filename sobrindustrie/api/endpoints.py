"""The read-only endpoints, one small function each.

Every read goes through the model's `visible_to(user)` queryset, as the pages do: an object the
caller may not see is a 404, exactly like on the web.
"""

from typing import Annotated, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router
from ninja.pagination import paginate

from sobrindustrie.actionplans.models import Action, Indicator
from sobrindustrie.api import schemas as s
from sobrindustrie.api.pagination import Pages
from sobrindustrie.cooperation.models import DetectedOpportunity
from sobrindustrie.evaluation.grid import load_grid
from sobrindustrie.evaluation.models import Evaluation
from sobrindustrie.evaluation.results import aspect_results, build_tree, flatten
from sobrindustrie.funding.models import FundingApplication
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam, TeamMembership

router = Router()

OptionalId = Annotated[int | None, Field(None, ge=1, le=s.MAX_ID)]
Text = Annotated[str | None, Field(None, max_length=100)]
DETAIL_ERRORS: dict[int, Any] = {401: s.ErrorOut, 404: s.ErrorOut, 422: s.ValidationErrorOut}
LIST_ERRORS: dict[int, Any] = {401: s.ErrorOut, 422: s.ValidationErrorOut}


def _only(queryset: QuerySet, **filters: Any) -> QuerySet:  # type: ignore[type-arg]
    """Apply the filters that were given (None means not asked)."""
    return queryset.filter(**{key: value for key, value in filters.items() if value is not None})


@router.get("/me", response={200: s.MeOut, 401: s.ErrorOut}, tags=["account"])
def me(request: HttpRequest) -> Any:
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,  # type: ignore[union-attr]
        "role": user.role,  # type: ignore[union-attr]
        "organisation_id": user.organisation_id,  # type: ignore[union-attr]
        "programme_ids": list(Programme.objects.visible_to(user).values_list("pk", flat=True)),
    }


class ProgrammeFilters(s.Schema):
    region: Text = None


@router.get("/programmes", response={200: list[s.ProgrammeOut], **LIST_ERRORS}, tags=["programmes"])
@paginate(Pages)
def programme_list(request: HttpRequest, filters: Query[ProgrammeFilters]) -> Any:
    return _only(Programme.objects.visible_to(request.user), region__iexact=filters.region).order_by("pk")


@router.get(
    "/programmes/{programme_id}", response={200: s.ProgrammeOut, **DETAIL_ERRORS}, tags=["programmes"]
)
def programme_detail(request: HttpRequest, programme_id: s.Id) -> Any:
    return get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_id)


class OrganisationFilters(s.Schema):
    programme: OptionalId = None
    kind: Text = None
    archived: bool | None = None
    q: Text = Field(None, description="Part of the name")


@router.get("/organisations", response={200: list[s.OrganisationOut], **LIST_ERRORS}, tags=["organisations"])
@paginate(Pages)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    organisations = Organisation.objects.visible_to(request.user).select_related("commune")
    return _only(
        organisations,
        programme_id=filters.programme,
        kind=filters.kind,
        is_archived=filters.archived,
        name__icontains=filters.q,
    ).order_by("pk")


@router.get(
    "/organisations/{organisation_id}",
    response={200: s.OrganisationOut, **DETAIL_ERRORS},
    tags=["organisations"],
)
def organisation_detail(request: HttpRequest, organisation_id: s.Id) -> Any:
    organisations = Organisation.objects.visible_to(request.user).select_related("commune")
    return get_object_or_404(organisations, pk=organisation_id)


class ProductionMeansFilters(s.Schema):
    programme: OptionalId = None
    organisation: OptionalId = None
    category: Text = None


@router.get(
    "/production-means", response={200: list[s.ProductionMeansOut], **LIST_ERRORS}, tags=["organisations"]
)
@paginate(Pages)
def production_means_list(request: HttpRequest, filters: Query[ProductionMeansFilters]) -> Any:
    return _only(
        ProductionMeans.objects.visible_to(request.user),
        organisation__programme_id=filters.programme,
        organisation_id=filters.organisation,
        category=filters.category,
    ).order_by("pk")


@router.get(
    "/production-means/{means_id}",
    response={200: s.ProductionMeansOut, **DETAIL_ERRORS},
    tags=["organisations"],
)
def production_means_detail(request: HttpRequest, means_id: s.Id) -> Any:
    return get_object_or_404(ProductionMeans.objects.visible_to(request.user), pk=means_id)


class TeamFilters(s.Schema):
    programme: OptionalId = None
    status: Text = None
    theme: Text = None


@router.get("/teams", response={200: list[s.TeamOut], **LIST_ERRORS}, tags=["teams"])
@paginate(Pages)
def team_list(request: HttpRequest, filters: Query[TeamFilters]) -> Any:
    return _only(
        ProjectTeam.objects.visible_to(request.user),
        programme_id=filters.programme,
        status=filters.status,
        theme=filters.theme,
    ).order_by("pk")


@router.get("/teams/{team_id}", response={200: s.TeamDetailOut, **DETAIL_ERRORS}, tags=["teams"])
def team_detail(request: HttpRequest, team_id: s.Id) -> Any:
    team = get_object_or_404(ProjectTeam.objects.visible_to(request.user), pk=team_id)
    team.current_memberships = list(
        TeamMembership.objects.current().filter(team=team).order_by("joined_on", "pk")
    )
    return team


class ActionFilters(s.Schema):
    programme: OptionalId = None
    team: OptionalId = None
    organisation: OptionalId = Field(None, description="Lead organisation")
    status: Text = None
    solution: Text = None


@router.get("/actions", response={200: list[s.ActionOut], **LIST_ERRORS}, tags=["action plans"])
@paginate(Pages)
def action_list(request: HttpRequest, filters: Query[ActionFilters]) -> Any:
    return _only(
        Action.objects.visible_to(request.user).select_related("plan"),
        plan__team__programme_id=filters.programme,
        plan__team_id=filters.team,
        lead_organisation_id=filters.organisation,
        status=filters.status,
        solution=filters.solution,
    ).order_by("pk")


@router.get("/actions/{action_id}", response={200: s.ActionOut, **DETAIL_ERRORS}, tags=["action plans"])
def action_detail(request: HttpRequest, action_id: s.Id) -> Any:
    return get_object_or_404(Action.objects.visible_to(request.user).select_related("plan"), pk=action_id)


class IndicatorFilters(s.Schema):
    action: OptionalId = None
    team: OptionalId = None


@router.get("/indicators", response={200: list[s.IndicatorOut], **LIST_ERRORS}, tags=["action plans"])
@paginate(Pages)
def indicator_list(request: HttpRequest, filters: Query[IndicatorFilters]) -> Any:
    return _only(
        Indicator.objects.visible_to(request.user),
        action_id=filters.action,
        action__plan__team_id=filters.team,
    ).order_by("pk")


@router.get(
    "/indicators/{indicator_id}", response={200: s.IndicatorDetailOut, **DETAIL_ERRORS}, tags=["action plans"]
)
def indicator_detail(request: HttpRequest, indicator_id: s.Id) -> Any:
    indicators = Indicator.objects.visible_to(request.user).prefetch_related(
        Prefetch("measurements", to_attr="ordered_measurements")
    )
    indicator = get_object_or_404(indicators, pk=indicator_id)
    indicator.measurements_out = sorted(indicator.ordered_measurements, key=lambda m: (m.measured_on, m.pk))
    return indicator


class OpportunityFilters(s.Schema):
    programme: OptionalId = None
    organisation: OptionalId = Field(None, description="Provider or receiver")
    solution: Text = None


@router.get("/opportunities", response={200: list[s.OpportunityOut], **LIST_ERRORS}, tags=["cooperation"])
@paginate(Pages)
def opportunity_list(request: HttpRequest, filters: Query[OpportunityFilters]) -> Any:
    opportunities = _only(
        DetectedOpportunity.objects.visible_to(request.user).select_related("analysis"),
        analysis__programme_id=filters.programme,
        solution=filters.solution,
    )
    if filters.organisation is not None:
        opportunities = opportunities.filter(
            Q(provider_id=filters.organisation) | Q(receiver_id=filters.organisation)
        )
    return opportunities.order_by("pk")


@router.get(
    "/opportunities/{opportunity_id}", response={200: s.OpportunityOut, **DETAIL_ERRORS}, tags=["cooperation"]
)
def opportunity_detail(request: HttpRequest, opportunity_id: s.Id) -> Any:
    opportunities = DetectedOpportunity.objects.visible_to(request.user).select_related("analysis")
    return get_object_or_404(opportunities, pk=opportunity_id)


class FundingApplicationFilters(s.Schema):
    programme: OptionalId = None
    organisation: OptionalId = None
    action: OptionalId = None
    status: Text = None


@router.get(
    "/funding-applications", response={200: list[s.FundingApplicationOut], **LIST_ERRORS}, tags=["funding"]
)
@paginate(Pages)
def funding_application_list(request: HttpRequest, filters: Query[FundingApplicationFilters]) -> Any:
    return _only(
        FundingApplication.objects.visible_to(request.user).select_related("scheme", "organisation"),
        action__plan__team__programme_id=filters.programme,
        organisation_id=filters.organisation,
        action_id=filters.action,
        status=filters.status,
    ).order_by("pk")


@router.get(
    "/funding-applications/{application_id}",
    response={200: s.FundingApplicationOut, **DETAIL_ERRORS},
    tags=["funding"],
)
def funding_application_detail(request: HttpRequest, application_id: s.Id) -> Any:
    applications = FundingApplication.objects.visible_to(request.user).select_related(
        "scheme", "organisation"
    )
    return get_object_or_404(applications, pk=application_id)


class EvaluationFilters(s.Schema):
    programme: OptionalId = None
    team: OptionalId = None
    status: Text = None


@router.get("/evaluations", response={200: list[s.EvaluationOut], **LIST_ERRORS}, tags=["evaluation"])
@paginate(Pages)
def evaluation_list(request: HttpRequest, filters: Query[EvaluationFilters]) -> Any:
    return _only(
        Evaluation.objects.visible_to(request.user).select_related("ghg_balance"),
        programme_id=filters.programme,
        team_id=filters.team,
        status=filters.status,
    ).order_by("pk")


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: s.EvaluationDetailOut, **DETAIL_ERRORS},
    tags=["evaluation"],
)
def evaluation_detail(request: HttpRequest, evaluation_id: s.Id) -> Any:
    """The Empreinte Projet level-1 evaluation: its definition, its tree of consequences, the net
    result per environmental aspect (codes of the evaluation's grid version) and, when one was
    started, the level-2 GHG balance with its activity lines."""
    evaluations = Evaluation.objects.visible_to(request.user).select_related("ghg_balance")
    evaluation = get_object_or_404(evaluations, pk=evaluation_id)
    # What EvaluationDetailOut reads, computed as the page computes it (evaluation.results).
    consequences = list(evaluation.consequences.all())
    rows = flatten(build_tree(consequences))
    for row in rows:
        row.consequence.number, row.consequence.depth = row.number, row.depth
    evaluation.consequences_out = [row.consequence for row in rows]
    evaluation.aspect_results_out = aspect_results(consequences, load_grid(evaluation.grid_version))
    balance = evaluation.balance
    if balance is not None:
        balance.lines_out = list(balance.lines.order_by("position", "pk"))
    return evaluation
