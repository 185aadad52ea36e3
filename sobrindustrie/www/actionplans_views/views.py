"""Action plans of the project teams: the draft and its versions, actions, follow-ups, difficulties
raised to ADEME, the progress table (L2.2), the plan sheet (L1.9) and experience-sharing notes.

Every object is fetched through a `visible_to(user)` queryset (404 for outsiders); what a user may
do once they see it comes from `actionplans.perms.plan_access`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.actionplans import services
from sobrindustrie.actionplans.budget import plan_budget
from sobrindustrie.actionplans.enums import ActionStatus, DifficultyStatus
from sobrindustrie.actionplans.exports import XLSX_TYPE, progress_xlsx, sheet_document
from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionPlan,
    ActionPlanVersion,
    ActionStep,
    ActionUpdate,
    Difficulty,
    ExperienceNote,
    FollowUp,
    Indicator,
)
from sobrindustrie.actionplans.perms import (
    PlanAccess,
    can_write_experience_notes,
    plan_access,
)
from sobrindustrie.actionplans.progress import (
    action_row,
    overview_teams,
    programme_overview,
    programme_timeline,
    progress_actions,
    team_progress,
    timeline,
    timeline_teams,
)
from sobrindustrie.actionplans.reminders import unreachable_steps
from sobrindustrie.actionplans.snapshot import build_snapshot, compare, present, sheet_snapshot
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.deliverables.document.docx import DOCX_CONTENT_TYPE, render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_pdf
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.programmes.perms import can_see_programme_overview
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.actionplans_views.forms import (
    ActionForm,
    ActionPlanForm,
    AdoptForm,
    AnswerForm,
    ContributorForm,
    DifficultyForm,
    ExperienceNoteForm,
    ExperienceSearchForm,
    FollowUpForm,
    IndicatorForm,
    MeasurementForm,
    NoteActionsTeamForm,
    ProgressForm,
    ResolveForm,
    StepForm,
)

# --- Fetching ------------------------------------------------------------------------------------


def _visible_team(request: HttpRequest, team_pk: int) -> ProjectTeam:
    queryset = ProjectTeam.objects.visible_to(request.user).select_related("programme")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=team_pk)


def _plan(team: ProjectTeam) -> ActionPlan:
    queryset = ActionPlan.objects.select_related(
        "team__programme", "coordinating_organisation", "coordinator"
    )
    return get_object_or_404(queryset, team=team)


def _visible_action(request: HttpRequest, pk: int) -> Action:
    queryset = Action.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "plan__team__programme", "lead_organisation", "lead_person"
    )
    return get_object_or_404(queryset, pk=pk)


def _access(request: HttpRequest, team: ProjectTeam) -> PlanAccess:
    return plan_access(request.user, team)  # type: ignore[arg-type]


def _visible_meeting_ids(request: HttpRequest, meetings: list[Meeting | None]) -> set[int]:
    """Which of these meetings the user may open: only those get a link."""
    ids = {m.pk for m in meetings if m is not None}
    if not ids:
        return set()
    return set(Meeting.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))  # type: ignore[arg-type]


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- The plan ------------------------------------------------------------------------------------


def action_plan(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    access = _access(request, team)
    plan = (
        ActionPlan.objects.filter(team=team)
        .select_related("coordinating_organisation", "coordinator")
        .first()
    )
    context: dict[str, Any] = {
        "team": team,
        "plan": plan,
        "access": access,
        "can_see_programme": can_see_programme_overview(request.user),  # type: ignore[arg-type]
        "page_title": _("Action plan of %(team)s") % {"team": team.name},
    }
    if plan is not None:
        progress = team_progress(plan, timezone.localdate())
        versions = list(plan.versions.select_related("meeting").defer("snapshot"))
        context.update(
            progress=progress,
            editable=[row.action.pk for row in progress.rows if access.can_edit_action(row.action)],
            versions=versions,
            meeting_ids=_visible_meeting_ids(
                request, [v.meeting for v in versions] + [f.meeting for f in progress.follow_ups]
            ),
            history=history_entries(plan),
            # Named to those who manage the plan, so that they reach these owners another way.
            unreachable=(
                unreachable_steps(step for row in progress.rows for step in row.overdue_steps)
                if access.can_manage
                else []
            ),
        )
    return render(request, "www/actionplans/plan.html", context)


@require_POST
def action_plan_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    if not _access(request, team).can_edit_plan:
        raise Http404
    services.get_or_create_plan(team)
    messages.success(request, _("The action plan is started: add its actions."))
    return redirect("www:action_plan", team_pk=team.pk)


def action_plan_edit(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    if not _access(request, team).can_edit_plan:
        raise Http404
    form = ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(plan)
    context = {"form": form, "team": team, "plan": plan, "page_title": _("Coordination of the plan")}
    return render(request, "www/actionplans/plan_form.html", context)


def action_plan_adopt(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    if not _access(request, team).can_adopt:
        raise Http404
    form = AdoptForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.adopt_version(
                plan,
                adopted_on=form.cleaned_data["adopted_on"],
                meeting=form.cleaned_data["meeting"],
                note=form.cleaned_data["note"],
                user=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Version %(number)s adopted and kept.") % {"number": version.number})
            return redirect(version)
    context = {"form": form, "team": team, "plan": plan, "page_title": _("Adopt a version of the plan")}
    return render(request, "www/actionplans/adopt.html", context)


def action_plan_version(request: HttpRequest, team_pk: int, number: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    version = get_object_or_404(plan.versions.select_related("meeting", "adopted_by"), number=number)
    context = {
        "team": team,
        "plan": plan,
        "version": version,
        "sheet": present(version.snapshot),
        "document_html": render_fragment(
            sheet_document(present(version.snapshot), version), with_title=False
        ),
        "changes": compare(version.snapshot, build_snapshot(plan)),
        "meeting_ids": _visible_meeting_ids(request, [version.meeting]),
        "page_title": _("Version %(number)s of the action plan of %(team)s")
        % {"number": number, "team": team.name},
    }
    return render(request, "www/actionplans/version.html", context)


# --- Actions -------------------------------------------------------------------------------------


def action_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    access = _access(request, team)
    if not access.can_edit_plan:
        raise Http404
    # An SME member adds actions its own organisation leads: the rule on editing would otherwise
    # lock them out of the action they just wrote.
    leads = None if access.can_manage else [access.member_organisation_id]
    form = ActionForm(request.POST or None, plan=plan, lead_choices=leads, initial={"priority": "medium"})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.save_action(form, form.cleaned_data["prerequisites"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Action “%(title)s” added.") % {"title": action.title})
            return redirect(action)
    context = {
        "form": form,
        "team": team,
        "plan": plan,
        "action": None,
        "recent": [],
        "page_title": _("New action"),
    }
    return render(request, "www/actionplans/action_form.html", context)


def _action_context(request: HttpRequest, action: Action, access: PlanAccess, **forms: Any) -> dict[str, Any]:
    prefetched = progress_actions(action.plan).filter(pk=action.pk)[0]
    row = action_row(prefetched, timezone.localdate())
    can_edit = access.can_edit_action(prefetched)
    difficulties = list(prefetched.difficulties.all().select_related("reported_by"))
    updates = list(
        ActionUpdate.objects.filter(action=action).select_related("follow_up").order_by("-follow_up__held_on")
    )
    context: dict[str, Any] = {
        "action": prefetched,
        "team": action.plan.team,
        "plan": action.plan,
        "row": row,
        "access": access,
        "can_edit": can_edit,
        "difficulties": difficulties,
        "updates": updates,
        "dependents": list(prefetched.dependents.order_by("position")),
        "notes": list(prefetched.experience_notes.all()),
        "history": history_entries(prefetched),
        "page_title": action.title,
    }
    steps = list(prefetched.steps.all())
    context["step_items"] = [(step, None) for step in steps]
    context["indicator_items"] = [(item, None) for item in row.indicators]
    if can_edit:
        context.update(
            progress_form=forms.get("progress")
            or ProgressForm(action=prefetched, can_manage=access.can_manage),
            step_form=forms.get("step") or StepForm(action=prefetched, prefix="step"),
            contributor_form=forms.get("contributor")
            or ContributorForm(action=prefetched, prefix="contributor"),
            # The contributor form lists every structure and person of the programme: it opens on
            # demand (a link, or HTMX in place) unless it comes back with errors.
            show_contributor_form="contributor" in forms or request.GET.get("ajouter") == "contributeur",
            indicator_form=forms.get("indicator") or IndicatorForm(action=prefetched, prefix="indicator"),
            difficulty_form=forms.get("difficulty") or DifficultyForm(prefix="difficulty"),
            # A step's form (its owner list, its dates) opens on demand, by a link or in place with
            # HTMX, and comes back open when refused: the page stays light with many steps.
            step_items=[
                (step, _step_form(step, prefetched, request, forms.get("edited_step"))) for step in steps
            ],
            indicator_items=[
                (
                    item,
                    forms["measurement"]
                    if forms.get("measurement_for") == item.indicator.pk
                    else MeasurementForm(indicator=item.indicator, prefix=f"m{item.indicator.pk}"),
                )
                for item in row.indicators
            ],
        )
    return context


def _step_form(step: ActionStep, action: Action, request: HttpRequest, edited: Any) -> StepForm | None:
    if edited is not None and edited.instance.pk == step.pk:
        return edited  # type: ignore[no-any-return]
    if request.GET.get("etape") == str(step.pk):
        return StepForm(instance=step, action=action, prefix=f"s{step.pk}")
    return None


def _render_action(request: HttpRequest, action: Action, access: PlanAccess, **forms: Any) -> HttpResponse:
    return render(
        request, "www/actionplans/action_detail.html", _action_context(request, action, access, **forms)
    )


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _visible_action(request, pk)
    return _render_action(request, action, _access(request, action.plan.team))


def _editable_action(request: HttpRequest, pk: int) -> tuple[Action, PlanAccess]:
    action = _visible_action(request, pk)
    access = _access(request, action.plan.team)
    if not access.can_edit_action(action):
        raise Http404
    return action, access


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _editable_action(request, pk)
    leads = None if access.can_manage else [access.member_organisation_id, action.lead_organisation_id]
    form = ActionForm(request.POST or None, instance=action, plan=action.plan, lead_choices=leads)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(form, form.cleaned_data["prerequisites"])
        except ConcurrentEditError:
            form.find_conflicts()
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(action)
    context = {
        "form": form,
        "team": action.plan.team,
        "plan": action.plan,
        "action": action,
        "recent": history_entries(action, limit=3) if form.conflicts else [],
        "page_title": _("Edit %s") % action.title,
    }
    return render(request, "www/actionplans/action_form.html", context)


@require_POST
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _editable_action(request, pk)
    form = ProgressForm(request.POST, action=action, can_manage=access.can_manage)
    if form.is_valid():
        try:
            services.update_progress(
                action,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress_percent"],
                can_manage=access.can_manage,
                expected_version=form.cleaned_data["expected_version"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(action)
    return _render_action(request, action, access, progress=form)


def _sub_form_view(request: HttpRequest, pk: int, key: str, form_class: Any, message: str) -> HttpResponse:
    action, access = _editable_action(request, pk)
    form = form_class(request.POST, action=action, prefix=key)
    if form.is_valid():
        form.save()
        messages.success(request, message)
        return redirect(action.get_absolute_url() + f"#{key}s")
    return _render_action(request, action, access, **{key: form})


@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _editable_action(request, pk)
    form = StepForm(request.POST, action=action, prefix="step")
    if form.is_valid():
        try:
            services.save_step(form.save(commit=False))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect(action.get_absolute_url() + "#steps")
    return _render_action(request, action, access, step=form)


def _editable_step(request: HttpRequest, pk: int) -> tuple[ActionStep, Action, PlanAccess]:
    step = get_object_or_404(ActionStep.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    action, access = _editable_action(request, step.action_id)
    return step, action, access


@require_POST
def step_update(request: HttpRequest, pk: int) -> HttpResponse:
    step, action, access = _editable_step(request, pk)
    form = StepForm(request.POST, instance=step, action=action, prefix=f"s{step.pk}")
    if form.is_valid():
        services.save_step(form.save(commit=False))
        messages.success(request, _("Step “%(title)s” updated.") % {"title": step.title})
        return redirect(action.get_absolute_url() + "#steps")
    # The page again, this step's form open with what was typed and the refusal next to it.
    step.refresh_from_db()
    return _render_action(request, action, access, edited_step=form)


@require_POST
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step, action, _access_ = _editable_step(request, pk)
    step.delete()
    messages.success(request, _("Step deleted; its history is kept."))
    return redirect(action.get_absolute_url() + "#steps")


@require_POST
def contributor_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form_view(request, pk, "contributor", ContributorForm, _("Contributor added."))


@require_POST
def contributor_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contributor = get_object_or_404(ActionContributor.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    action, _access_ = _editable_action(request, contributor.action_id)
    contributor.delete()
    messages.success(request, _("Contributor removed."))
    return redirect(action.get_absolute_url() + "#contributors")


@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form_view(request, pk, "indicator", IndicatorForm, _("Indicator added."))


@require_POST
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    action, access = _editable_action(request, indicator.action_id)
    form = MeasurementForm(request.POST, indicator=indicator, prefix=f"m{indicator.pk}")
    if form.is_valid():
        measurement = form.save(commit=False)
        measurement.recorded_by = request.user
        measurement.save()
        messages.success(request, _("Measurement recorded."))
        return redirect(action.get_absolute_url() + "#indicators")
    return _render_action(request, action, access, measurement=form, measurement_for=indicator.pk)


@require_POST
def difficulty_add(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _editable_action(request, pk)
    form = DifficultyForm(request.POST, prefix="difficulty")
    if form.is_valid():
        difficulty = services.report_difficulty(
            action,
            form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            user=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("Difficulty recorded. The consultant can raise it to ADEME."))
        return redirect(difficulty)
    return _render_action(request, action, access, difficulty=form)


def _field_errors(form: Any) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''} : {' '.join(errors)}".strip(" :")
        for name, errors in form.errors.items()
    )


# --- Follow-ups ----------------------------------------------------------------------------------


def followup_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    access = _access(request, team)
    if not access.can_record_follow_up:
        raise Http404
    actions = list(plan.actions.exclude(status=ActionStatus.ABANDONED).select_related("lead_organisation"))
    form = FollowUpForm(request.POST or None, plan=plan, actions=actions, can_manage=access.can_manage)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entries = [
            services.ActionEntry(
                action=action,
                status=data[f"status_{action.pk}"],
                progress=data[f"progress_{action.pk}"],
                comment=data[f"comment_{action.pk}"],
                difficulty=data[f"difficulty_{action.pk}"],
                raise_to_ademe=data[f"raise_{action.pk}"],
            )
            for action in actions
        ]
        try:
            follow_up = services.record_follow_up(
                plan,
                held_on=data["held_on"],
                meeting=data["meeting"],
                summary=data["summary"],
                user=request.user,  # type: ignore[arg-type]
                entries=entries,
                can_manage=access.can_manage,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(follow_up)
    context = {"form": form, "team": team, "plan": plan, "page_title": _("Record a follow-up")}
    return render(request, "www/actionplans/followup_form.html", context)


def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = FollowUp.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "plan__team__programme", "meeting", "recorded_by"
    )
    follow_up = get_object_or_404(queryset, pk=pk)
    team = follow_up.plan.team
    context = {
        "follow_up": follow_up,
        "team": team,
        "plan": follow_up.plan,
        "updates": follow_up.updates.select_related("action__lead_organisation"),
        "difficulties": follow_up.difficulties.select_related("action"),
        "meeting_ids": _visible_meeting_ids(request, [follow_up.meeting]),
        "page_title": str(follow_up),
    }
    return render(request, "www/actionplans/followup_detail.html", context)


# --- Difficulties --------------------------------------------------------------------------------


def _visible_difficulty(request: HttpRequest, pk: int) -> Difficulty:
    queryset = Difficulty.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "action__plan__team__programme",
        "follow_up",
        "reported_by",
        "raised_by",
        "answered_by",
        "resolved_by",
    )
    return get_object_or_404(queryset, pk=pk)


def difficulty_detail(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    difficulty = _visible_difficulty(request, pk)
    access = _access(request, difficulty.action.plan.team)
    can_answer, can_resolve = access.can_answer(difficulty), access.can_resolve(difficulty)
    context = {
        "difficulty": difficulty,
        "action": difficulty.action,
        "team": difficulty.action.plan.team,
        "access": access,
        "can_raise": access.can_raise(difficulty),
        "can_answer": can_answer,
        "can_resolve": can_resolve,
        "answer_form": forms.get("answer")
        or (AnswerForm(initial={"ademe_answer": difficulty.ademe_answer}) if can_answer else None),
        "resolve_form": forms.get("resolve") or (ResolveForm() if can_resolve else None),
        "can_see_programme": can_see_programme_overview(request.user),  # type: ignore[arg-type]
        "history": history_entries(difficulty),
        "page_title": difficulty.title,
    }
    return render(request, "www/actionplans/difficulty_detail.html", context)


@require_POST
def difficulty_raise(request: HttpRequest, pk: int) -> HttpResponse:
    difficulty = _visible_difficulty(request, pk)
    if not _access(request, difficulty.action.plan.team).can_raise(difficulty):
        raise Http404
    services.raise_difficulty(difficulty, user=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("Raised to ADEME: its officers on the programme have been notified by e-mail.")
    )
    return redirect(difficulty)


@require_POST
def difficulty_answer(request: HttpRequest, pk: int) -> HttpResponse:
    difficulty = _visible_difficulty(request, pk)
    if not _access(request, difficulty.action.plan.team).can_answer(difficulty):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_difficulty(
                difficulty, answer=form.cleaned_data["ademe_answer"], user=request.user
            )  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Answer recorded and sent to the team."))
            return redirect(difficulty)
    return difficulty_detail(request, pk, answer=form)


@require_POST
def difficulty_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    difficulty = _visible_difficulty(request, pk)
    if not _access(request, difficulty.action.plan.team).can_resolve(difficulty):
        raise Http404
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_difficulty(
                difficulty, resolution=form.cleaned_data["resolution"], user=request.user
            )  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Difficulty marked resolved."))
            return redirect(difficulty)
    return difficulty_detail(request, pk, resolve=form)


def difficulty_list(request: HttpRequest, slug: str) -> HttpResponse:
    """ADEME's list: difficulties raised to it, open ones first; the consultant also sees the ones
    still within the teams."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    difficulties = (
        Difficulty.objects.for_programme(programme)
        .select_related("action__plan__team", "raised_by", "answered_by")
        .order_by("-raised_at", "-created_at")
    )
    rows = list(difficulties)
    context = {
        "programme": programme,
        "raised_open": [d for d in rows if d.status == DifficultyStatus.RAISED],
        "team_open": [d for d in rows if d.status == DifficultyStatus.OPEN],
        "resolved_raised": [d for d in rows if d.status == DifficultyStatus.RESOLVED and d.is_raised],
        "page_title": _("Difficulties raised to ADEME"),
    }
    return render(request, "www/actionplans/difficulty_list.html", context)


# --- Progress table (L2.2) -----------------------------------------------------------------------


def progress_table(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    today = timezone.localdate()
    progress = team_progress(plan, today)
    context = {
        "team": team,
        "plan": plan,
        "progress": progress,
        "timeline": timeline(progress.rows, today),
        "can_see_programme": can_see_programme_overview(request.user),  # type: ignore[arg-type]
        "page_title": _("Progress table — %(team)s") % {"team": team.name},
    }
    return render(request, "www/actionplans/progress.html", context)


def progress_table_xlsx(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    today = timezone.localdate()
    response = HttpResponse(progress_xlsx(team_progress(plan, today)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="L2.2-avancement-equipe-{team.pk}-{today:%Y%m%d}.xlsx"'
    )
    return response


def action_plan_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's plans side by side (ADEME, consultants)."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    teams = overview_teams(ProjectTeam.objects.for_programme(programme).order_by("name"))
    context = {
        "programme": programme,
        "summaries": programme_overview(teams, timezone.localdate()),
        "statuses": ActionStatus.choices,
        "colspan": 8 + len(ActionStatus.choices),
        "page_title": _("Action plans of the teams"),
    }
    return render(request, "www/actionplans/overview.html", context)


# --- Timelines and budget -----------------------------------------------------------------------


def plan_timeline(request: HttpRequest, team_pk: int) -> HttpResponse:
    """The plan's timeline (actions over their period, steps at their due dates, today, late ones
    marked) with the same data as a table, and its budget by member and by funding source."""
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    today = timezone.localdate()
    teams = timeline_teams(ProjectTeam.objects.filter(pk=team.pk))
    _chart, grouped = programme_timeline(teams, today)
    context = {
        "team": team,
        "plan": plan,
        "today": today,
        "timeline": timeline(grouped[0][1], today) if grouped else None,
        "grouped": grouped,
        "budget": plan_budget(plan),
        "page_title": _("Timeline and budget — %(team)s") % {"team": team.name},
    }
    return render(request, "www/actionplans/timeline.html", context)


def programme_timeline_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Every plan of the programme on one timeline, team by team (ADEME, consultants)."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    today = timezone.localdate()
    teams = timeline_teams(ProjectTeam.objects.for_programme(programme).order_by("name"))
    chart, grouped = programme_timeline(teams, today)
    context = {
        "programme": programme,
        "today": today,
        "timeline": chart,
        "grouped": grouped,
        "page_title": _("Timeline of the action plans"),
    }
    return render(request, "www/actionplans/programme_timeline.html", context)


# --- Plan sheet (L1.9) ---------------------------------------------------------------------------


def _sheet(
    request: HttpRequest, team_pk: int
) -> tuple[ProjectTeam, ActionPlan, ActionPlanVersion | None, dict[str, Any]]:
    """The sheet of the version asked (?version=N), else of the latest adopted version, else of the draft
    (?version=draft forces the draft)."""
    team = _visible_team(request, team_pk)
    plan = _plan(team)
    asked = request.GET.get("version", "")
    version: ActionPlanVersion | None
    if asked == "draft":
        version, snapshot = None, build_snapshot(plan)
    elif asked:
        if not asked.isdigit():
            raise Http404
        version = get_object_or_404(plan.versions, number=int(asked))
        snapshot = version.snapshot
    else:
        version, snapshot = sheet_snapshot(plan)
    return team, plan, version, present(snapshot)


def plan_sheet(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, plan, version, sheet = _sheet(request, team_pk)
    query = f"?version={version.number}" if version else "?version=draft"
    context = {
        "team": team,
        "plan": plan,
        "version": version,
        "sheet": sheet,
        "document_html": render_fragment(sheet_document(sheet, version), with_title=False),
        "query": query,
        "versions": list(plan.versions.defer("snapshot").order_by("-number")),
        "page_title": _("Plan sheet (L1.9) — %(team)s") % {"team": team.name},
    }
    return render(request, "www/actionplans/sheet.html", context)


def _sheet_filename(team: ProjectTeam, version: ActionPlanVersion | None, extension: str) -> str:
    suffix = f"v{version.number}" if version else "brouillon"
    return f"L1.9-plan-actions-equipe-{team.pk}-{suffix}.{extension}"


def plan_sheet_pdf(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, _plan_, version, sheet = _sheet(request, team_pk)
    response = HttpResponse(render_pdf(sheet_document(sheet, version)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_sheet_filename(team, version, "pdf")}"'
    return response


def plan_sheet_docx(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, _plan_, version, sheet = _sheet(request, team_pk)
    response = HttpResponse(render_docx(sheet_document(sheet, version)), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_sheet_filename(team, version, "docx")}"'
    return response


# --- Experience-sharing notes (collective sessions) ----------------------------------------------


def experience_notes(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    search = ExperienceSearchForm(request.GET or None)
    notes = (
        ExperienceNote.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .select_related("meeting", "author")
        .prefetch_related("teams", Prefetch("actions", queryset=Action.objects.select_related("plan__team")))
    )
    if search.is_valid():
        if search.cleaned_data["q"]:
            q = search.cleaned_data["q"]
            notes = notes.filter(
                Q(topic__icontains=q) | Q(lesson__icontains=q) | Q(actions__title__icontains=q)
            ).distinct()
        if search.cleaned_data["solution"]:
            notes = notes.filter(solution=search.cleaned_data["solution"])
    context = {
        "programme": programme,
        "notes": notes,
        "search": search,
        "can_write": can_write_experience_notes(request.user, programme),  # type: ignore[arg-type]
        "visible_action_ids": set(
            Action.objects.visible_to(request.user).for_programme(programme).values_list("pk", flat=True)
        ),  # type: ignore[arg-type]
        "page_title": _("Lessons learned"),
    }
    template = "www/actionplans/notes.html#results" if request.htmx else "www/actionplans/notes.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def experience_note_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    programme = programme_for(request, slug)
    if not can_write_experience_notes(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    note = (
        get_object_or_404(ExperienceNote.objects.for_programme(programme), pk=pk)
        if pk
        else ExperienceNote(programme=programme, author=request.user, held_on=timezone.localdate())
    )
    user = request.user
    team_filter = NoteActionsTeamForm(request.GET or None, user=user, programme=programme)  # type: ignore[arg-type]
    # The actions ticked before the list moved to another team (HTMX sends them along) stay ticked.
    initial = {"actions": request.GET.getlist("actions")} if "actions" in request.GET else None
    form = ExperienceNoteForm(
        request.POST or None,
        instance=note,
        initial=initial,
        user=user,  # type: ignore[arg-type]
        team=team_filter.team(),
    )
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Lesson saved."))
        return redirect("www:experience_notes", slug=programme.slug)
    context = {
        "form": form,
        "programme": programme,
        "note": note,
        "team_filter": None if form.lists_every_action else team_filter,
        "page_title": _("Edit a lesson learned") if pk else _("New lesson learned"),
    }
    template = "www/actionplans/note_form.html"
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        template += "#actions"
    return render(request, template, context)
