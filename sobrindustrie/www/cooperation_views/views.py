"""Workshop 2 pages: the cooperation map, the opportunity list, team formation (solve, move,
save, compare, adopt) and the L1.4 synthesis.

The team board is stateless: the partition travels in the form (one compact field, read back and
checked at each request) and what the optimiser proved travels in a signed token, so a consultant
can move companies around in two tabs without one overwriting the other, and nothing is stored
until a scenario is saved. One control per board moves a company (an organisation, a team), so the
board weighs a few bytes per member whatever the number of teams.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.adapters import (
    DISTANCE_TERM_MAX_ORGANISATIONS,
    FormationParameters,
    ProblemContext,
    formation_count,
    pair_distances,
    stored_opportunities,
    team_problem,
    team_spread_km,
)
from sobrindustrie.cooperation.enums import ScenarioOrigin
from sobrindustrie.cooperation.explain import describe_all
from sobrindustrie.cooperation.figures import analysis_parameters, figure_lines
from sobrindustrie.cooperation.freshness import changes_since
from sobrindustrie.cooperation.models import (
    CooperationAnalysis,
    DetectedOpportunity,
    Scenario,
    TeamConstraint,
)
from sobrindustrie.cooperation.perms import (
    can_list_opportunities,
    can_manage_cooperation,
    can_read_cooperation,
)
from sobrindustrie.cooperation.synthesis import build_synthesis, synthesis_document
from sobrindustrie.cooperation.wording import sentence_of
from sobrindustrie.core.enums import Solution
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.svgmap import MapLink, MapPoint, project
from sobrindustrie.deliverables.document.docx import DOCX_CONTENT_TYPE, render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_pdf
from sobrindustrie.engines.teams import DetectionParameters, TeamsInputError, pair_weights
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.cooperation_views.forms import (
    AnalysisForm,
    CompareForm,
    ConstraintForm,
    FormationForm,
    OpportunityFilterForm,
    ScenarioNameForm,
)
from sobrindustrie.www.cooperation_views.picker import build_picker
from sobrindustrie.www.redirects import safe_next

BOARD_SALT = "sobrindustrie.cooperation.board"
BOARD_MAX_AGE_S = 7 * 24 * 3600
OPPORTUNITIES_PER_PAGE = 20
REASONS_SHOWN = 5


# --- access helpers -----------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _visible_scenario(request: HttpRequest, pk: int) -> Scenario:
    queryset = Scenario.objects.visible_to(_user(request)).select_related(  # type: ignore[attr-defined]
        "analysis__programme", "created_by", "adopted_by"
    )
    scenario: Scenario = get_object_or_404(queryset, pk=pk)
    if not can_read_cooperation(_user(request), scenario.analysis.programme):
        raise Http404
    return scenario


def _common(request: HttpRequest, programme: Programme, title: str, tab: str) -> dict[str, Any]:
    user = _user(request)
    return {
        "programme": programme,
        "page_title": title,
        "tab": tab,
        "can_read": can_read_cooperation(user, programme),
        "can_manage": can_manage_cooperation(user, programme),
        # Breadcrumb: pages below the team-formation page name it as their parent in the template.
        "parent2_url": "",
        "parent2_label": "",
    }


def _analysis_panel(analysis: CooperationAnalysis | None) -> dict[str, Any]:
    """What the analysis box shows: its run form (at the radius the current analysis used) and what
    changed since it ran."""
    radius = (analysis.parameters or {}).get("radius_km") if analysis is not None else None
    return {
        "analysis_form": AnalysisForm(initial={"radius_km": radius or DetectionParameters().radius_km}),
        "analysis_changes": [] if analysis is None else changes_since(analysis),
    }


def _render(request: HttpRequest, template: str, context: dict[str, Any], fragment: str = "") -> HttpResponse:
    if fragment and request.htmx:  # type: ignore[attr-defined]
        return render(request, f"{template}#{fragment}", context)
    return render(request, template, context)


# --- analysis -----------------------------------------------------------------------------------


@require_POST
def analysis_run(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = AnalysisForm(request.POST)
    target = safe_next(request, reverse("www:opportunity_list", args=[programme.slug]))
    if not form.is_valid():
        messages.error(request, "; ".join(f"{form[k].label}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect(target)
    parameters = DetectionParameters(radius_km=form.cleaned_data["radius_km"])
    try:
        analysis = services.run_analysis(programme, _user(request), parameters)
    except TeamsInputError as error:
        messages.error(request, _("The analysis refused a value of the inventory: %s") % error)
        return redirect(target)
    messages.success(
        request,
        _("Analysis done: %(count)s opportunities between %(orgs)s organisations.")
        % {"count": analysis.opportunity_count, "orgs": analysis.organisation_count},
    )
    return redirect(target)


# --- map ----------------------------------------------------------------------------------------


@require_GET
def cooperation_map(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    analysis = services.latest_analysis(programme)
    context = _common(request, programme, _("Map of cooperations"), "map")
    context["analysis"] = analysis
    context.update(_analysis_panel(analysis))
    if analysis is None:
        return render(request, "www/cooperation/map.html", context)
    rows = list(DetectedOpportunity.objects.filter(analysis=analysis).select_related("provider", "receiver"))
    organisations = {}
    solutions: dict[tuple[int, int], set[str]] = defaultdict(set)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        organisations[row.provider_id] = row.provider
        organisations[row.receiver_id] = row.receiver
        pair = (min(row.provider_id, row.receiver_id), max(row.provider_id, row.receiver_id))
        solutions[pair].add(row.get_solution_display())
        counts[pair] += 1
    laureates = programme.organisations.filter(kind="laureate_sme", is_archived=False).select_related(
        "commune"
    )
    for organisation in laureates:
        organisations.setdefault(organisation.pk, organisation)
    by_slug = {org.slug: org for org in organisations.values()}
    points = {
        org.pk: MapPoint(org.latitude, org.longitude, f"{org.name} ({org.city})")
        for org in organisations.values()
        if org.latitude is not None and org.longitude is not None
    }
    weights = pair_weights(stored_opportunities(analysis))
    strongest = max((w.weight for w in weights), default=1.0) or 1.0
    links, table = [], []
    for weight in weights:
        a, b = by_slug.get(weight.a), by_slug.get(weight.b)
        if a is None or b is None:
            continue
        key = (min(a.pk, b.pk), max(a.pk, b.pk))
        if a.pk in points and b.pk in points:
            # Thickness 0.5 to 4 with the square root of the score: strong links stand out without
            # hiding the weak ones.
            width = round(0.5 + 3.5 * math.sqrt(max(weight.weight, 0) / strongest), 2)
            links.append(MapLink(points[a.pk], points[b.pk], width))
        table.append(
            {
                "a": a,
                "b": b,
                "weight": weight.weight,
                "count": counts[key],
                "solutions": sorted(solutions[key]),
            }
        )
    table.sort(key=lambda line: -line["weight"])
    context.update(
        {
            "map": project(points.values(), links, width=560),
            "links": table,
            "organisation_count": len(points),
        }
    )
    return render(request, "www/cooperation/map.html", context)


# --- opportunity list ---------------------------------------------------------------------------


@require_GET
def opportunity_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    user = _user(request)
    if not can_list_opportunities(user, programme):
        raise Http404
    reader = can_read_cooperation(user, programme)
    analysis = CooperationAnalysis.objects.visible_to(user).latest_for(programme)
    filters = OpportunityFilterForm(request.GET or None, programme=programme, with_organisation=reader)
    opportunities = DetectedOpportunity.objects.none()
    if analysis is not None:
        opportunities = (
            DetectedOpportunity.objects.visible_to(user)  # type: ignore[attr-defined]
            .filter(analysis=analysis)
            .select_related("provider", "receiver")
            .order_by("-score", "pk")
        )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["solution"]:
            opportunities = opportunities.filter(solution=data["solution"])
        if data.get("organisation"):
            opportunities = opportunities.concerning(data["organisation"])
        if data["min_score"] is not None:
            opportunities = opportunities.filter(score__gte=data["min_score"])
    page = Paginator(opportunities, OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _common(request, programme, _("Cooperation opportunities"), "opportunities")
    context.update(
        {
            "analysis": analysis,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "reader": reader,
            **_analysis_panel(analysis),
        }
    )
    return _render(request, "www/cooperation/opportunities.html", context, "results")


@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One opportunity with the formula of each of its figures (opened from the list)."""
    user = _user(request)
    opportunity = get_object_or_404(
        DetectedOpportunity.objects.visible_to(user).select_related(  # type: ignore[attr-defined]
            "analysis__programme", "provider", "receiver"
        ),
        pk=pk,
    )
    analysis = opportunity.analysis
    programme = analysis.programme
    params = analysis_parameters(analysis.parameters)
    context = _common(request, programme, _("How this opportunity is valued"), "opportunities")
    context.update(
        {
            "opportunity": opportunity,
            "analysis": analysis,
            "lines": figure_lines(opportunity, params),
            "latest": analysis.pk == getattr(services.latest_analysis(programme), "pk", None),
        }
    )
    return render(request, "www/cooperation/opportunity_detail.html", context)


# --- team formation -----------------------------------------------------------------------------


def _sign(
    analysis: CooperationAnalysis, parameters: FormationParameters, summary: services.SolveSummary
) -> str:
    payload = {"analysis": analysis.pk, "parameters": parameters.as_dict(), "solve": summary.as_dict()}
    return signing.dumps(payload, salt=BOARD_SALT, compress=True)


def _unsign(
    token: str, programme: Programme
) -> tuple[CooperationAnalysis, FormationParameters, services.SolveSummary]:
    """Read a board token; raise ValueError when forged, stale or from another programme."""
    try:
        payload = signing.loads(token, salt=BOARD_SALT, max_age=BOARD_MAX_AGE_S)
        analysis = CooperationAnalysis.objects.get(pk=payload["analysis"], programme=programme)
        return (
            analysis,
            FormationParameters.from_dict(payload["parameters"]),
            services.SolveSummary.from_dict(payload["solve"]),
        )
    except (signing.BadSignature, CooperationAnalysis.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise ValueError(str(error)) from None


#: One team of the board's partition field: primary keys joined by dots, or nothing (an empty team).
PARTITION_TEAM = re.compile(r"(?:\d{1,12}(?:\.\d{1,12})*)?")


def _encode_partition(context: ProblemContext, teams: list[list[str]]) -> str:
    """The partition as the board carries it: teams separated by "-", each the primary keys of its
    members joined by "." ("12.40-7--31"), some five bytes a member where one select of k options
    per member made the board grow with members × teams."""
    return "-".join(".".join(str(pk) for pk in sorted(team)) for team in context.teams_as_pks(teams))


def _partition_from_post(request: HttpRequest, context: ProblemContext, k: int) -> list[list[str]]:
    """The partition the board posted, as k teams of engine ids. Raise ValueError when the field is
    malformed: more than k teams, a team that is not a list of primary keys, an organisation in
    two places. Organisations no longer in the problem are dropped, and those the field leaves out
    are reported as missing by score_teams."""
    raw = request.POST.get("partition", "")
    parts = raw.split("-")
    if len(parts) > k or not all(PARTITION_TEAM.fullmatch(part) for part in parts):
        raise ValueError("malformed partition")
    pks = [[int(pk) for pk in part.split(".")] if part else [] for part in parts]
    flat = [pk for team in pks for pk in team]
    if len(flat) != len(set(flat)):
        raise ValueError("an organisation is in two teams")
    teams = context.teams_as_slugs(pks)
    return teams + [[] for _ in range(k - len(teams))]


def _is_number(raw: str) -> bool:
    return raw.isdecimal() and len(raw) <= 12


def _chosen_move(request: HttpRequest, context: ProblemContext, k: int) -> dict[str, Any]:
    """What the board's move control posted: the organisation (`move`), its new team (`to`) and,
    when only one of them is chosen or a value is not one of the board's, the reason."""
    raw_organisation, raw_team = request.POST.get("move", ""), request.POST.get("to", "")
    slug = context.slug_of(int(raw_organisation)) if _is_number(raw_organisation) else None
    team = int(raw_team) if _is_number(raw_team) and 1 <= int(raw_team) <= k else None
    move: dict[str, Any] = {
        "slug": slug,
        "organisation": context.organisations[slug].pk if slug else None,
        "to": team,
        "pending": bool(raw_organisation or raw_team),
        "error": "",
        "done": "",
    }
    if raw_organisation and slug is None:
        move["error"] = _("This organisation is not among the teams: choose one from the list.")
    elif raw_organisation and not raw_team:
        move["error"] = _("Choose the team to move %(name)s to.") % {"name": context.name(slug or "")}
    elif raw_team and team is None:
        move["error"] = _("Choose a team from 1 to %(k)s.") % {"k": k}
    elif raw_team and not raw_organisation:
        move["error"] = _("Choose the organisation to move to team %(number)s.") % {"number": team}
    return move


def _apply_move(context: ProblemContext, teams: list[list[str]], move: dict[str, Any]) -> list[list[str]]:
    """`teams` with the chosen organisation in its new team (unchanged when the choice is not
    complete); the move is announced on the board."""
    if move["error"] or move["slug"] is None or move["to"] is None:
        return teams
    moved = [[slug for slug in team if slug != move["slug"]] for team in teams]
    moved[move["to"] - 1].append(move["slug"])
    move["done"] = _("%(name)s moved to team %(number)s.") % {
        "name": context.name(move["slug"]),
        "number": move["to"],
    }
    move.update({"organisation": None, "to": None, "pending": False})
    return moved


def _board(
    context: ProblemContext,
    analysis: CooperationAnalysis,
    parameters: FormationParameters,
    summary: services.SolveSummary,
    teams: list[list[str]],
    name_form: ScenarioNameForm | None = None,
    move: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the board shows for a partition: teams with their members, score and reasons; the total,
    the loss against the optimum, the constraints it breaks; the partition as its form carries it
    and the state of its move control."""
    scored = services.score_teams(context, teams, summary.optimum)
    by_members = {team.members: team for team in scored.teams}
    cooperation_scores = services.cooperation_scores(context, teams)
    shown = []
    for number, members in enumerate(teams, start=1):
        detail = by_members.get(tuple(sorted(members)))
        reasons = services.team_reasons(context, members)
        shown.append(
            {
                "number": number,
                "members": sorted((context.organisations[s] for s in members), key=lambda o: o.name),
                "score": detail.score if detail else 0,
                "cooperation_score": cooperation_scores[number - 1],
                # Distances between the team's own members only: the board is redrawn at each move.
                "spread_km": team_spread_km(
                    members, pair_distances({slug: context.organisations[slug] for slug in members})
                ),
                "reasons": [_reason(context, r) for r in reasons[:REASONS_SHOWN]],
                "more": max(0, len(reasons) - REASONS_SHOWN),
            }
        )
    cooperation = sum(team["cooperation_score"] for team in shown)
    price = None
    if summary.reference is not None:
        price = {
            "reference": summary.reference,
            "loss": summary.reference - cooperation,
            "share": (summary.reference - cooperation) / summary.reference * 100
            if summary.reference
            else 0.0,
        }
    return {
        "board": {
            "teams": shown,
            "numbers": list(range(1, parameters.k + 1)),
            "parameters": parameters,
            "cooperation_score": cooperation,
            "price": price,
            "empty_teams": sum(1 for team in shown if team["cooperation_score"] <= 0),
            "score": scored.score,
            "loss": scored.loss,
            "broken": describe_all(scored.broken, context),
            "summary": summary,
            "token": _sign(analysis, parameters, summary),
            "partition": _encode_partition(context, teams),
            "move": move or {"organisation": None, "to": None, "error": "", "done": ""},
            "is_optimum": not scored.broken and scored.loss is not None and abs(scored.loss) < 1e-6,
        },
        "name_form": name_form or ScenarioNameForm(),
    }


def _alternatives(context: ProblemContext, solution: Any, best: list[list[str]]) -> list[dict[str, Any]]:
    """The next-best partitions the optimiser found, ranked, with their loss and who would move;
    each carries its teams as the board's partition field, so that one click puts it on the board."""
    shown = []
    for rank, alternative in enumerate(solution.alternatives, start=1):
        teams = [list(team.members) for team in alternative.teams]
        moved = services.moved_organisations(best, teams)
        shown.append(
            {
                "rank": rank,
                "score": alternative.objective,
                "loss": (solution.objective or 0) - alternative.objective,
                "moved": [context.name(slug) for slug in moved],
                "partition": _encode_partition(context, teams),
            }
        )
    return shown


def _reason(context: ProblemContext, opportunity: Any) -> dict[str, Any]:
    return {
        "sentence": sentence_of(opportunity),
        "solution": opportunity.solution,
        "solution_label": Solution(opportunity.solution).label,
        "score": opportunity.score,
    }


def _formation_page(
    request: HttpRequest, programme: Programme, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the team-formation page shows besides the board."""
    user = _user(request)
    analysis = services.latest_analysis(programme)
    context = _common(request, programme, _("Team formation"), "formation")
    scenarios = Scenario.objects.for_programme(programme).select_related("created_by", "analysis")
    constraints = TeamConstraint.objects.for_programme(programme).prefetch_related("organisations")
    defaults = services.default_parameters(programme)
    context.update(
        {
            "analysis": analysis,
            **_analysis_panel(analysis),
            "scenarios": scenarios,
            "constraints": constraints,
            "preformed": _preformed_groups(programme),
            "compare_form": CompareForm(scenarios=scenarios),
            "teams_exist": programme.teams.exists(),
        }
    )
    if can_manage_cooperation(user, programme):
        context["formation_form"] = FormationForm.initial_from(defaults)
        # The constraint being prepared: what a search or an add/remove button sent (GET), or
        # what a refused constraint carried (POST).
        data = request.POST if request.method == "POST" else request.GET
        context["constraint_form"] = ConstraintForm(
            initial={"kind": data.get("kind", ""), "reason": data.get("reason", "")}, programme=programme
        )
        context["picker"] = build_picker(programme, data, search=request.method == "GET")
    context.update(extra or {})
    return context


#: Pre-formed candidacy groups named on the page; the others are counted (a programme imported at
#: scale can hold hundreds, and the optimiser reads them all anyway).
PREFORMED_SHOWN = 10


def _preformed_groups(programme: Programme) -> dict[str, Any]:
    """The first `PREFORMED_SHOWN` pre-formed groups of two or more with their members, and how many
    more there are: two queries whatever the size of the programme."""
    active = programme.organisations.filter(is_archived=False).exclude(preformed_group="")
    labels = list(
        active.order_by()
        .values("preformed_group")
        .annotate(size=Count("pk"))
        .filter(size__gte=2)
        .order_by("preformed_group")
        .values_list("preformed_group", flat=True)
    )
    groups: dict[str, list[str]] = defaultdict(list)
    shown = labels[:PREFORMED_SHOWN]
    if shown:
        for name, label in (
            active.filter(preformed_group__in=shown).order_by("name").values_list("name", "preformed_group")
        ):
            groups[label.strip()].append(name)
    return {"groups": sorted(groups.items()), "more": max(0, len(labels) - len(shown))}


@require_GET
def team_formation(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    extra: dict[str, Any] = {}
    start_from = request.GET.get("scenario", "")
    if start_from.isdigit() and can_manage_cooperation(_user(request), programme):
        scenario = get_object_or_404(Scenario.objects.for_programme(programme), pk=int(start_from))
        parameters = FormationParameters.from_dict(scenario.parameters)
        context = team_problem(scenario.analysis, parameters)
        teams = context.teams_as_slugs(scenario.teams)
        optimal = tuple(tuple(t) for t in teams) if scenario.origin == ScenarioOrigin.OPTIMISER else ()
        summary = services.SolveSummary(
            scenario.status, scenario.optimum, scenario.bound, scenario.solver_time_s, optimal
        )
        extra = _board(context, scenario.analysis, parameters, summary, teams)
        extra["formation_form"] = FormationForm.initial_from(parameters)
    page = _formation_page(request, programme)
    page.update(extra)
    return render(request, "www/cooperation/formation.html", page)


@require_POST
def team_solve(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = FormationForm(request.POST)
    analysis = services.latest_analysis(programme)
    extra: dict[str, Any] = {"formation_form": form}
    if analysis is None:
        messages.error(request, _("Run the cooperation analysis first: the teams are formed from it."))
        return redirect("www:team_formation", slug=programme.slug)
    if form.is_valid():
        parameters = form.parameters()
        count = formation_count(programme, parameters.include_outside)
        if parameters.distance_penalty > 0 and count > DISTANCE_TERM_MAX_ORGANISATIONS:
            form.add_error(
                "distance_penalty",
                _("The distance term weighs every pair: at most %(max)s organisations (here %(count)s).")
                % {"max": DISTANCE_TERM_MAX_ORGANISATIONS, "count": count},
            )
            return _render(
                request,
                "www/cooperation/formation.html",
                _formation_page(request, programme, extra),
                "workspace",
            )
        try:
            formation = services.form_teams(analysis, parameters)
        except TeamsInputError as error:
            form.add_error(None, str(error))
        else:
            solution = formation.solution
            extra["formation_conflicts"] = formation.conflicts
            extra["solution"] = solution
            if solution.teams:
                teams = [list(team.members) for team in solution.teams]
                summary = services.SolveSummary.of(solution, formation.reference)
                extra.update(_board(formation.context, analysis, parameters, summary, teams))
                extra["alternatives"] = _alternatives(formation.context, solution, teams)
    page = _formation_page(request, programme, extra)
    return _render(request, "www/cooperation/formation.html", page, "workspace")


def _altered_board() -> HttpResponse:
    return HttpResponseBadRequest(_("The team board has expired or was altered: run the optimiser again."))


@require_POST
def team_score(request: HttpRequest, slug: str) -> HttpResponse:
    """A company moved on the board: score the partition as it now stands (HTMX fragment)."""
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    try:
        analysis, parameters, summary = _unsign(request.POST.get("token", ""), programme)
    except ValueError:
        return _altered_board()
    context = team_problem(analysis, parameters)
    try:
        teams = _partition_from_post(request, context, parameters.k)
    except ValueError:
        return _altered_board()
    move = _chosen_move(request, context, parameters.k)
    teams = _apply_move(context, teams, move)
    name_form = ScenarioNameForm(initial={"name": request.POST.get("name", "")})
    extra = _board(context, analysis, parameters, summary, teams, name_form, move)
    extra["formation_form"] = FormationForm.initial_from(parameters)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "www/cooperation/formation.html#board", {**_common(request, programme, "", ""), **extra}
        )
    return render(request, "www/cooperation/formation.html", _formation_page(request, programme, extra))


@require_POST
def scenario_save(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    try:
        analysis, parameters, summary = _unsign(request.POST.get("token", ""), programme)
    except ValueError:
        return _altered_board()
    context = team_problem(analysis, parameters)
    try:
        teams = _partition_from_post(request, context, parameters.k)
    except ValueError:
        return _altered_board()
    name_form = ScenarioNameForm(request.POST)
    move = _chosen_move(request, context, parameters.k)
    if move["pending"] and not move["error"]:
        # Saving what the board does not show would store teams nobody saw scored.
        move["error"] = _("A move is chosen but not applied: press “Move”, or clear the choice, then save.")
    if not name_form.is_valid() or move["error"]:
        extra = _board(context, analysis, parameters, summary, teams, name_form, move)
        extra["formation_form"] = FormationForm.initial_from(parameters)
        page = _formation_page(request, programme, extra)
        return _render(request, "www/cooperation/formation.html", page, "board")
    scenario = services.save_scenario(
        analysis,
        name_form.cleaned_data["name"],
        context.teams_as_pks(teams),
        parameters,
        summary,
        _user(request),
    )
    messages.success(request, _("Scenario “%s” saved.") % scenario.name)
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = scenario.get_absolute_url()
        return response
    return redirect(scenario)


@require_GET
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _visible_scenario(request, pk)
    programme = scenario.analysis.programme
    context = services.scenario_context(scenario)
    teams = []
    for number, members in enumerate(context.teams_as_slugs(scenario.teams), start=1):
        reasons = services.team_reasons(context, members)
        teams.append(
            {
                "number": number,
                "members": sorted((context.organisations[s] for s in members), key=lambda o: o.name),
                "score": round(sum(r.score for r in reasons), 3),
                "reasons": [_reason(context, r) for r in reasons[:REASONS_SHOWN]],
                "more": max(0, len(reasons) - REASONS_SHOWN),
            }
        )
    page = _common(request, programme, scenario.name, "formation")
    page.update(
        {
            "scenario": scenario,
            "teams": teams,
            "refusal": services.adoption_refusal(scenario),
            "teams_exist": programme.teams.exists(),
            "history": history_entries(scenario),
        }
    )
    return render(request, "www/cooperation/scenario_detail.html", page)


@require_GET
def scenario_compare(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    scenarios = Scenario.objects.for_programme(programme).select_related("analysis")
    form = CompareForm(request.GET or None, scenarios=scenarios)
    page = _common(request, programme, _("Compare two scenarios"), "formation")
    page["compare_form"] = form
    if form.is_valid():
        comparison = services.compare_scenarios(form.cleaned_data["a"], form.cleaned_data["b"])
        page["comparison"] = comparison
        page["rows"] = [
            {
                "a_number": i,
                "a_names": [o.name for o in comparison.teams_a[i - 1]] if i else [],
                "b_number": j,
                "b_names": [o.name for o in comparison.teams_b[j - 1]] if j else [],
            }
            for i, j in comparison.pairs
        ]
    return render(request, "www/cooperation/compare.html", page)


def scenario_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _visible_scenario(request, pk)
    programme = scenario.analysis.programme
    if not can_manage_cooperation(_user(request), programme):
        raise Http404
    if request.method == "POST":
        try:
            teams = services.adopt_scenario(scenario, _user(request))
        except services.AdoptionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(scenario)
        messages.success(
            request, _("Scenario adopted: %(count)s project teams created.") % {"count": len(teams)}
        )
        return redirect("www:team_list", slug=programme.slug)
    page = _common(request, programme, _("Adopt “%s”") % scenario.name, "formation")
    page.update(
        {
            "scenario": scenario,
            "refusal": services.adoption_refusal(scenario),
            "plan": services.adoption_plan(scenario),
        }
    )
    return render(request, "www/cooperation/adopt.html", page)


def scenario_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a scenario to the programme's existing project teams: who moves, which adopted plans and
    led actions it touches; one transaction, confirmed when plans are touched."""
    scenario = _visible_scenario(request, pk)
    programme = scenario.analysis.programme
    if not can_manage_cooperation(_user(request), programme):
        raise Http404
    if request.method == "POST":
        try:
            application = services.apply_scenario(scenario, confirmed=request.POST.get("confirm") == "on")
        except (services.AdoptionRefused, ValidationError) as refusal:
            text = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            messages.error(request, text)
            return redirect("www:scenario_apply", pk=scenario.pk)
        messages.success(
            request,
            _("Scenario applied: %(count)s organisations changed team.") % {"count": len(application.moves)},
        )
        return redirect("www:team_list", slug=programme.slug)
    page = _common(request, programme, _("Apply “%s” to the existing teams") % scenario.name, "formation")
    page.update({"scenario": scenario, "application": services.application_plan(scenario)})
    return render(request, "www/cooperation/apply.html", page)


# --- constraints --------------------------------------------------------------------------------


@require_POST
def constraint_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = ConstraintForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            services.add_constraint(
                programme,
                form.cleaned_data["kind"],
                list(form.cleaned_data["organisations"]),
                form.cleaned_data["reason"],
                _user(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Constraint added."))
            return redirect("www:team_formation", slug=programme.slug)
    page = _formation_page(request, programme, {"constraint_form": form})
    return render(request, "www/cooperation/formation.html", page)


@require_GET
def constraint_search(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisations of the constraint being prepared and the matches of a search: the
    selection alone for HTMX, else the whole team-formation page (as its GET search gives)."""
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    if not request.htmx:  # type: ignore[attr-defined]
        return render(request, "www/cooperation/formation.html", _formation_page(request, programme))
    context = {"programme": programme, "picker": build_picker(programme, request.GET)}
    return render(request, "www/cooperation/includes/constraint_picker.html#selection", context)


@require_POST
def constraint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    constraint = get_object_or_404(
        TeamConstraint.objects.visible_to(_user(request)).select_related("programme"),  # type: ignore[attr-defined]
        pk=pk,
    )
    if not can_manage_cooperation(_user(request), constraint.programme):
        raise Http404
    constraint.delete()
    messages.success(request, _("Constraint deleted; its history is kept."))
    return redirect("www:team_formation", slug=constraint.programme.slug)


# --- L1.4 synthesis -----------------------------------------------------------------------------


@require_GET
def cooperation_synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    page = _common(request, programme, _("Synthesis of the envisaged collaborations (L1.4)"), "synthesis")
    page["synthesis"] = synthesis = build_synthesis(programme)
    if synthesis is not None:
        page["document_html"] = render_fragment(synthesis_document(synthesis), with_title=False)
    page.update(_analysis_panel(synthesis.analysis if synthesis else None))
    return render(request, "www/cooperation/synthesis.html", page)


def _synthesis_or_404(request: HttpRequest, slug: str) -> Any:
    synthesis = build_synthesis(programme_for(request, slug, Capability.OVERSEE_PROGRAMME))
    if synthesis is None:
        raise Http404
    return synthesis


@require_GET
def cooperation_synthesis_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    synthesis = _synthesis_or_404(request, slug)
    response = HttpResponse(render_pdf(synthesis_document(synthesis)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="L1.4-collaborations-{slug}.pdf"'
    return response


@require_GET
def cooperation_synthesis_docx(request: HttpRequest, slug: str) -> HttpResponse:
    synthesis = _synthesis_or_404(request, slug)
    response = HttpResponse(render_docx(synthesis_document(synthesis)), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="L1.4-collaborations-{slug}.docx"'
    return response
