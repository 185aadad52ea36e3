"""Candidacy import, diagnostic methods, individual diagnostics, their sheets and the synthesis."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.deliverables.document.docx import DOCX_CONTENT_TYPE, render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_pdf
from sobrindustrie.diagnostics import candidacy
from sobrindustrie.diagnostics import candidacy_registry as candidacy_registry_rows
from sobrindustrie.diagnostics.answers import AnswerError, display_answer, form_value
from sobrindustrie.diagnostics.enums import ImportStatus, OpportunityStatus, Origin
from sobrindustrie.diagnostics.methods.conditions import Context, holds, questions_read
from sobrindustrie.diagnostics.methods.loader import MethodError
from sobrindustrie.diagnostics.methods.schema import Question, Section
from sobrindustrie.diagnostics.models import (
    CandidacyImport,
    CooperationSignal,
    Diagnostic,
    DiagnosticSession,
    MeansObservation,
    MethodVersion,
    NeedsSynthesis,
    Opportunity,
)
from sobrindustrie.diagnostics.perms import (
    can_edit_diagnostic,
    can_manage_diagnostics,
    can_oversee_diagnostics,
    can_share_diagnostic,
    can_validate_method,
)
from sobrindustrie.diagnostics.services import (
    add_session,
    apply_suggestions,
    create_diagnostic,
    fire_transition,
    load_method_text,
    plan_missing_diagnostics,
    save_answer,
    save_observation,
    save_opportunity,
    validate_method,
)
from sobrindustrie.diagnostics.sheets import build_sheet, sheet_document
from sobrindustrie.diagnostics.synthesis import build_synthesis, generated_texts, synthesis_document
from sobrindustrie.diagnostics.workflow import TransitionRefused, available_transitions
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.diagnostics_views.forms import (
    BarrierFormSet,
    CooperationSignalForm,
    DiagnosticCreateForm,
    DiagnosticEditForm,
    FileUploadForm,
    ObservationForm,
    OpportunityForm,
    SessionForm,
    SharingForm,
    SynthesisForm,
    TransitionForm,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Fetching objects the user may see ---------------------------------------------------------------


def _diagnostic(request: HttpRequest, pk: int) -> Diagnostic:
    queryset = Diagnostic.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "programme", "organisation__commune", "method", "consultant"
    )
    return get_object_or_404(queryset, pk=pk)


class Locked(Exception):
    """The diagnostic is visible and the user manages it, but its status forbids writing now."""

    def __init__(self, diagnostic_pk: int) -> None:
        super().__init__(diagnostic_pk)
        self.diagnostic_pk = diagnostic_pk


def _editable(request: HttpRequest, pk: int) -> Diagnostic:
    diagnostic = _diagnostic(request, pk)
    if not can_manage_diagnostics(request.user, diagnostic.programme):  # type: ignore[arg-type]
        raise Http404
    if not can_edit_diagnostic(request.user, diagnostic):  # type: ignore[arg-type]
        raise Locked(diagnostic.pk)
    return diagnostic


def editing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a write on a locked diagnostic into a message: reopen it first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Locked as locked:
            return _locked_response(request, locked.diagnostic_pk)

    return wrapper


def _locked_response(request: HttpRequest, diagnostic_pk: int) -> HttpResponse:
    message = _("This diagnostic's sheet is submitted: reopen the diagnostic to change it.")
    if request.htmx:  # type: ignore[attr-defined]
        # HTMX swaps only successful responses: answer 200 so that the message replaces the status.
        return HttpResponse(f'<p class="fr-error-text" role="status">{message}</p>')
    messages.warning(request, message)
    return redirect("www:diagnostic_detail", pk=diagnostic_pk)


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


# --- Programme-level pages ------------------------------------------------------------------------------


LAUREATES_PER_PAGE = 25


def diagnostic_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    days = (
        DiagnosticSession.objects.filter(diagnostic=OuterRef("diagnostic"))
        .values("diagnostic")
        .annotate(total=Sum("days"))
        .values("total")
    )
    laureates = (
        Organisation.objects.for_programme(programme)
        .laureates()
        .active()
        .select_related("diagnostic__consultant", "diagnostic__method", "commune")
        .annotate(
            days=Subquery(days),
            opportunity_count=Count(
                "diagnostic__opportunities",
                filter=~Q(diagnostic__opportunities__status=OpportunityStatus.DISMISSED),
            ),
        )
        .order_by("name", "pk")
    )
    # Paged: a large programme has hundreds of laureates (tests/e2e/test_large_pages.py).
    page = Paginator(laureates, LAUREATES_PER_PAGE).get_page(request.GET.get("page"))
    can_manage = can_manage_diagnostics(request.user, programme)  # type: ignore[arg-type]
    validated = MethodVersion.objects.for_programme(programme).validated().order_by("-validated_at").first()
    rows = list(page.object_list)
    for org in rows:
        # Read once here: a laureate without a diagnostic raises on `org.diagnostic`, which a template
        # would turn into `string_if_invalid` (truthy when set, as in the tests).
        org.diagnostic_or_none = getattr(org, "diagnostic", None)
    context = {
        "programme": programme,
        "laureates": rows,
        "page": page,
        "query": "",
        "can_manage": can_manage,
        "validated_method": validated,
        "missing": laureates.filter(diagnostic__isnull=True).count(),
        "page_title": _("Individual diagnostics"),
    }
    return render(request, "www/diagnostics/list.html", context)


def diagnostic_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = DiagnosticCreateForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        diagnostic = create_diagnostic(
            programme,
            data["organisation"],
            data["method"],
            consultant=data["consultant"],
            planned_on=data["planned_on"],
        )
        messages.success(request, _("Diagnostic planned."))
        return redirect(diagnostic)
    context = {"form": form, "programme": programme, "page_title": _("Plan a diagnostic")}
    return render(request, "www/diagnostics/create.html", context)


@require_POST
def diagnostic_plan_all(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    method = MethodVersion.objects.for_programme(programme).validated().order_by("-validated_at").first()
    if method is None:
        messages.error(request, _("No method version is validated yet: ADEME validates it first."))
    else:
        consultant = request.user if request.user.role == "consultant" else None  # type: ignore[union-attr]
        count = plan_missing_diagnostics(programme, method, consultant)  # type: ignore[arg-type]
        messages.success(
            request, _("%(count)d diagnostics planned with %(method)s.") % {"count": count, "method": method}
        )
    return redirect("www:diagnostic_list", slug=programme.slug)


def diagnostic_mine(request: HttpRequest) -> HttpResponse:
    """The SME member's own diagnostic (a stable address for the navigation); before it is created,
    a page that says so (the menu links here for every SME member: no dead end)."""
    organisation_id = access_of(request.user).organisation_id  # type: ignore[arg-type]
    if organisation_id is None:
        raise Http404
    diagnostic = (
        Diagnostic.objects.visible_to(request.user)  # type: ignore[arg-type]
        .filter(organisation_id=organisation_id or 0)
        .first()
    )
    if diagnostic is None:
        return render(request, "www/diagnostics/mine_none.html", {"page_title": _("My diagnostic")})
    return redirect(diagnostic)


# --- Methods ------------------------------------------------------------------------------------------------


def method_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    can_load = can_manage_diagnostics(request.user, programme)  # type: ignore[arg-type]
    form = FileUploadForm(
        kinds=("yaml",), help_text=_("A method file in the YAML format of docs/methods/diagnostic.md.")
    )
    problems: list[str] = []
    if request.method == "POST":
        if not can_load:
            raise Http404
        form = FileUploadForm(request.POST, request.FILES, kinds=("yaml",))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8-sig")
                version, outcome = load_method_text(programme, text, upload.name, request.user)  # type: ignore[arg-type]
            except UnicodeDecodeError:
                problems = [_("The file is not UTF-8 text.")]
            except MethodError as error:
                problems = [str(problem) for problem in error.problems]
            else:
                labels = {
                    "created": _("loaded as a draft"),
                    "updated": _("draft updated"),
                    "unchanged": _("unchanged"),
                }
                messages.success(request, f"{version} : {labels[outcome]}")
                return redirect(version)
    versions = (
        MethodVersion.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .select_related("validated_by", "loaded_by")
        .annotate(diagnostic_count=Count("diagnostics"))
    )
    context = {
        "programme": programme,
        "versions": versions,
        "form": form if can_load else None,
        "problems": problems,
        "page_title": _("Diagnostic method"),
    }
    return render(request, "www/diagnostics/method_list.html", context, status=400 if problems else 200)


def _visible_method(request: HttpRequest, pk: int) -> MethodVersion:
    queryset = MethodVersion.objects.visible_to(request.user).select_related("programme", "validated_by")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def method_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _visible_method(request, pk)
    method = version.method
    context = {
        "version": version,
        "method": method,
        "programme": version.programme,
        "can_validate": can_validate_method(request.user, version),  # type: ignore[arg-type]
        "page_title": str(version),
    }
    return render(request, "www/diagnostics/method_detail.html", context)


@require_POST
def method_validate(request: HttpRequest, pk: int) -> HttpResponse:
    version = _visible_method(request, pk)
    if not can_validate_method(request.user, version):  # type: ignore[arg-type]
        raise Http404
    validate_method(version, request.user)  # type: ignore[arg-type]
    messages.success(request, _("Method version validated: diagnostics may now use it."))
    return redirect(version)


def method_source(request: HttpRequest, pk: int) -> HttpResponse:
    version = _visible_method(request, pk)
    response = HttpResponse(version.source_text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.code}_v{version.version}.yaml"'
    return response


# --- Candidacy import ------------------------------------------------------------------------------------------


def candidacy_import(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = FileUploadForm(
        request.POST or None,
        request.FILES or None,
        kinds=("xlsx", "csv"),
        help_text=_("XLSX, or CSV in UTF-8 or Latin-1 separated by “;” or “,”; at most 15 MB."),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record, _plan = candidacy.preview_import(programme, upload.read(), upload.name, request.user)  # type: ignore[arg-type]
        return redirect("www:candidacy_preview", pk=record.pk)
    imports = CandidacyImport.objects.filter(programme=programme).select_related("uploaded_by")[:10]
    context = {
        "programme": programme,
        "form": form,
        "imports": imports,
        "page_title": _("Import candidacies"),
    }
    return render(request, "www/diagnostics/candidacy_import.html", context)


def candidacy_template(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    if file_format == "xlsx":
        return _download(candidacy.template_xlsx(), XLSX_CONTENT_TYPE, "modele-candidatures.xlsx")
    if file_format == "csv":
        return _download(candidacy.template_csv(), "text/csv; charset=utf-8", "modele-candidatures.csv")
    raise Http404


PREVIEW_LIMIT = 300


def candidacy_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        CandidacyImport.objects.visible_to(request.user).select_related("programme", "uploaded_by"),  # type: ignore[arg-type]
        pk=pk,
    )
    programme = record.programme
    if not can_manage_diagnostics(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    if request.method == "POST":
        try:
            plan = candidacy.confirm_import(record, request.user)  # type: ignore[arg-type]
        except candidacy.ImportRefused as error:
            messages.error(request, str(error))
        else:
            if plan.is_valid:
                messages.success(request, _("Import done."))
            else:
                messages.error(
                    request,
                    _("The data changed since the preview; nothing was written. See the problems below."),
                )
        return redirect("www:candidacy_preview", pk=record.pk)
    plan = None
    if record.status == ImportStatus.PREVIEWED:
        table = candidacy.Table(
            record.rows["header"], [(n, cells) for n, cells in record.rows["rows"]], record.file_format
        )
        plan = candidacy.build_plan(programme, table)
    changes = plan.changes if plan else []
    errors = [candidacy.CellError(**e) for e in record.errors] if not plan else plan.errors
    context = {
        "programme": programme,
        "record": record,
        "plan": plan,
        "summary": plan.summary() if plan else record.summary,
        "errors": errors[:PREVIEW_LIMIT],
        "more_errors": max(0, len(errors) - PREVIEW_LIMIT),
        "changed_rows": [c for c in changes if c.outcome != "unchanged"][:PREVIEW_LIMIT],
        "more_changes": max(0, sum(1 for c in changes if c.outcome != "unchanged") - PREVIEW_LIMIT),
        "unchanged_count": sum(1 for c in changes if c.outcome == "unchanged"),
        "can_confirm": plan is not None and plan.is_valid,
        "page_title": _("Candidacy import: %(file)s") % {"file": record.file_name},
    }
    return render(request, "www/diagnostics/candidacy_preview.html", context)


REGISTRY_ROWS_PER_PAGE = 20


def candidacy_registry(request: HttpRequest, pk: int) -> HttpResponse:
    """The company registry beside a previewed import's rows, a page of rows at a time (each row
    is a lookup); HTMX loads it into the preview, and it is a page of its own without JavaScript."""
    record = get_object_or_404(
        CandidacyImport.objects.visible_to(request.user).select_related("programme"),  # type: ignore[arg-type]
        pk=pk,
        status=ImportStatus.PREVIEWED,
    )
    if not can_manage_diagnostics(request.user, record.programme):  # type: ignore[arg-type]
        raise Http404
    table = candidacy.Table(
        record.rows["header"], [(n, cells) for n, cells in record.rows["rows"]], record.file_format
    )
    page = Paginator(candidacy_registry_rows.file_rows(table), REGISTRY_ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "programme": record.programme,
        "record": record,
        "page": page,
        "rows": candidacy_registry_rows.compare(list(page.object_list)),
        "query": "",
        "page_title": _("Candidacy import: %(file)s") % {"file": record.file_name},
    }
    template = "www/diagnostics/candidacy_registry.html"
    return render(request, f"{template}#registry" if request.htmx else template, context)  # type: ignore[attr-defined]


# --- One diagnostic ----------------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, diagnostic: Diagnostic, **forms: Any) -> dict[str, Any]:
    user = request.user
    sessions = list(diagnostic.sessions.select_related("consultant"))
    spent = sum((s.days for s in sessions), Decimal(0))
    cap = diagnostic.programme.diagnostic_days_cap
    can_edit = can_edit_diagnostic(user, diagnostic)  # type: ignore[arg-type]
    opportunities = diagnostic.opportunities.prefetch_related("barriers", "production_means").order_by(
        "status", "priority", "solution"
    )
    method = diagnostic.method.method
    answered = diagnostic.answers.filter(production_means__isnull=True).count()
    global_questions = sum(1 for q in method.questions.values() if not q.per_means)
    return {
        "diagnostic": diagnostic,
        "organisation": diagnostic.organisation,
        "programme": diagnostic.programme,
        "sessions": sessions,
        "spent": spent,
        "cap": cap,
        "remaining": max(cap - spent, Decimal(0)),
        "over_cap": spent > cap,
        "opportunities": opportunities,
        "signals": diagnostic.cooperation_signals.all(),
        "shared_with": diagnostic.shared_with.all(),
        "status_changes": diagnostic.status_changes.select_related("by")[:20],
        "transitions": [(t, TransitionForm(prefix=t.name)) for t in available_transitions(user, diagnostic)],  # type: ignore[arg-type]
        "can_edit": can_edit,
        "can_manage": can_manage_diagnostics(user, diagnostic.programme),  # type: ignore[arg-type]
        "can_share": can_share_diagnostic(user, diagnostic),  # type: ignore[arg-type]
        "can_oversee": can_oversee_diagnostics(user, diagnostic.programme),  # type: ignore[arg-type]
        "session_form": forms.get("session_form") or (SessionForm(prefix="session") if can_edit else None),
        "signal_form": forms.get("signal_form")
        or (CooperationSignalForm(diagnostic=diagnostic, prefix="signal") if can_edit else None),
        "answered": answered,
        "question_count": global_questions,
        "first_section": method.sections[0].id if method.sections else "",
        "history": history_entries(diagnostic),
        "page_title": str(diagnostic),
    }


def diagnostic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    return render(request, "www/diagnostics/detail.html", _detail_context(request, diagnostic))


@editing
def diagnostic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    form = DiagnosticEditForm(request.POST or None, instance=diagnostic)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(diagnostic)
    context = {"form": form, "diagnostic": diagnostic, "page_title": _("Edit the diagnostic")}
    return render(request, "www/diagnostics/form.html", context)


def diagnostic_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    if not can_share_diagnostic(request.user, diagnostic):  # type: ignore[arg-type]
        raise Http404
    form = SharingForm(request.POST or None, instance=diagnostic)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Sharing saved."))
        return redirect(diagnostic)
    context = {"form": form, "diagnostic": diagnostic, "page_title": _("Share the diagnostic")}
    return render(request, "www/diagnostics/sharing.html", context)


@require_POST
def diagnostic_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    form = TransitionForm(request.POST, prefix=name)
    comment = form.data.get(f"{name}-comment", "")
    try:
        diagnostic = fire_transition(diagnostic, name, request.user, comment)  # type: ignore[arg-type]
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The diagnostic is now “%(status)s”.") % {"status": diagnostic.get_status_display()}
        )
    return redirect("www:diagnostic_detail", pk=pk)


@require_POST
@editing
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    form = SessionForm(request.POST, prefix="session", instance=DiagnosticSession(diagnostic=diagnostic))
    if form.is_valid():
        session = form.save(commit=False)
        session.consultant = request.user if request.user.role == "consultant" else None  # type: ignore[union-attr]
        try:
            add_session(diagnostic, session)
        except ValidationError as error:
            for field_name, field_errors in error.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, field_errors)
        else:
            messages.success(request, _("Session recorded."))
            return redirect(diagnostic)
    context = _detail_context(request, diagnostic, session_form=form)
    return render(request, "www/diagnostics/detail.html", context, status=400)


@require_POST
@editing
def session_delete(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    get_object_or_404(diagnostic.sessions, pk=session_pk).delete()
    messages.success(request, _("Session deleted."))
    return redirect(diagnostic)


@require_POST
@editing
def diagnostic_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    report = apply_suggestions(diagnostic)
    messages.success(
        request,
        _(
            "%(fired)d rules apply: %(created)d opportunities suggested, %(updated)d updated, %(removed)d removed, "
            "%(kept)d kept as you edited them; %(signals)d cooperation signals."
        )
        % report.__dict__,
    )
    return redirect(diagnostic)


# --- Questionnaire (answers saved as typed) ---------------------------------------------------------------------


def _answers(diagnostic: Diagnostic) -> tuple[dict[str, Any], dict[tuple[str, int], Any]]:
    global_answers: dict[str, Any] = {}
    per_means: dict[tuple[str, int], Any] = {}
    for question_id, means_id, value in diagnostic.answers.values_list(
        "question_id", "production_means_id", "value"
    ):
        if means_id is None:
            global_answers[question_id] = value
        else:
            per_means[(question_id, means_id)] = value
    return global_answers, per_means


def _item(
    question: Question, means: ProductionMeans | None, value: Any, answers: dict[str, Any]
) -> dict[str, Any]:
    key = question.id if means is None else f"{question.id}-{means.pk}"
    return {
        "key": key,
        "field": f"a-{key}",
        "question": question,
        "means": means,
        "value": form_value(question, value),
        "display": display_answer(question, value),
        "hidden": question.show_if is not None and not holds(question.show_if, Context(answers=answers)),
        "means_id": str(means.pk) if means is not None else "",
        "error": "",
    }


def _section_items(
    section: Section,
    means: list[ProductionMeans],
    answers: dict[str, Any],
    per_means: dict[tuple[str, int], Any],
) -> list[dict[str, Any]]:
    """One entry per question; a per-means question holds one entry per production means."""
    blocks = []
    for question in section.questions:
        if question.per_means:
            blocks.append(
                {
                    "question": question,
                    "per_means": True,
                    "items": [_item(question, m, per_means.get((question.id, m.pk)), answers) for m in means],
                }
            )
        else:
            blocks.append(
                {
                    "question": question,
                    "per_means": False,
                    "item": _item(question, None, answers.get(question.id), answers),
                }
            )
    return blocks


def diagnostic_section(request: HttpRequest, pk: int, section: str = "") -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    method = diagnostic.method.method
    current = method.section(section) if section else (method.sections[0] if method.sections else None)
    if current is None:
        raise Http404
    can_edit = can_edit_diagnostic(request.user, diagnostic)  # type: ignore[arg-type]
    means = list(diagnostic.organisation.production_means.order_by("category", "name"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not can_manage_diagnostics(request.user, diagnostic.programme):  # type: ignore[arg-type]
            raise Http404
        if not can_edit:
            return _locked_response(request, diagnostic.pk)
        errors = _save_section(request, diagnostic, current, means)
        if not errors:
            messages.success(request, _("Answers saved."))
            return redirect("www:diagnostic_section", pk=pk, section=current.id)
    answers, per_means = _answers(diagnostic)
    blocks = _section_items(current, means, answers, per_means)
    if errors:
        for block in blocks:
            for item in block["items"] if block["per_means"] else [block["item"]]:
                if item["key"] in errors:
                    item["error"] = errors[item["key"]]
                    item["value"] = request.POST.get(item["field"], "")
    counts = {s.id: 0 for s in method.sections}
    for question_id in answers:
        question = method.questions.get(question_id)
        if question:
            counts[question.section_id] += 1
    context = {
        "diagnostic": diagnostic,
        "method": method,
        "section": current,
        "sections": [
            {"section": s, "answered": counts[s.id], "total": sum(1 for q in s.questions if not q.per_means)}
            for s in method.sections
        ],
        "blocks": blocks,
        "means": means,
        "can_edit": can_edit,
        "errors": errors,
        "page_title": current.title,
    }
    return render(request, "www/diagnostics/questionnaire.html", context, status=400 if errors else 200)


def _save_section(
    request: HttpRequest, diagnostic: Diagnostic, section: Section, means: list[ProductionMeans]
) -> dict[str, str]:
    """Save every question of a section posted without JavaScript; return errors by item key."""
    errors: dict[str, str] = {}
    for question in section.questions:
        targets: list[ProductionMeans | None] = list(means) if question.per_means else [None]
        for target in targets:
            key = question.id if target is None else f"{question.id}-{target.pk}"
            if f"a-{key}" not in request.POST:
                continue
            try:
                save_answer(
                    diagnostic,
                    question.id,
                    str(target.pk) if target else None,
                    request.POST[f"a-{key}"],
                    request.user,
                )  # type: ignore[arg-type]
            except AnswerError as error:
                errors[key] = str(error)
    return errors


@require_POST
@editing
def diagnostic_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one answer as it is typed (HTMX) and return its status, plus the questions shown on it."""
    diagnostic = _editable(request, pk)
    question_id = request.POST.get("question", "")
    means_id = request.POST.get("means") or None
    method = diagnostic.method.method
    question = method.questions.get(question_id)
    if question is None:
        raise Http404
    key = question.id if not means_id else f"{question.id}-{means_id}"
    context: dict[str, Any] = {"key": key, "diagnostic": diagnostic, "can_edit": True}
    try:
        _value, changed = save_answer(
            diagnostic, question_id, means_id, request.POST.get(f"a-{key}"), request.user
        )  # type: ignore[arg-type]
    except AnswerError as error:
        context["error"] = str(error)
        response = render(request, "www/diagnostics/questionnaire.html#answer_status", context)
        response.status_code = 422 if not request.htmx else 200  # type: ignore[attr-defined]
        return response
    context["saved"] = True
    context["changed"] = changed
    answers, _per_means = _answers(diagnostic)
    context["dependents"] = [
        _item(other, None, answers.get(other.id), answers)
        for other in method.questions.values()
        if not other.per_means and question_id in questions_read(other.show_if)
    ]
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Answer saved."))
        return redirect("www:diagnostic_section", pk=pk, section=question.section_id)
    return render(request, "www/diagnostics/questionnaire.html#answer_saved", context)


# --- Observations of the production means ----------------------------------------------------------------------------


def diagnostic_observations(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    can_edit = can_edit_diagnostic(request.user, diagnostic)  # type: ignore[arg-type]
    means = list(diagnostic.organisation.production_means.select_related("site").order_by("category", "name"))
    observations = {o.production_means_id: o for o in diagnostic.observations.all()}
    bound: dict[int, ObservationForm] = {}
    if request.method == "POST":
        if not can_manage_diagnostics(request.user, diagnostic.programme):  # type: ignore[arg-type]
            raise Http404
        if not can_edit:
            return _locked_response(request, diagnostic.pk)
        target = next((m for m in means if str(m.pk) == request.POST.get("means")), None)
        if target is None:
            raise Http404
        instance = observations.get(target.pk) or MeansObservation(
            diagnostic=diagnostic, production_means=target
        )
        form = ObservationForm(request.POST, instance=instance, prefix=f"m{target.pk}")
        if form.is_valid():
            observations[target.pk] = save_observation(form.instance, request.user)  # type: ignore[arg-type]
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request,
                    "www/diagnostics/observations.html#observation_status",
                    {"means": target, "saved": True},
                )
            messages.success(request, _("Observation of “%(means)s” saved.") % {"means": target.name})
            return redirect("www:diagnostic_observations", pk=pk)
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "www/diagnostics/observations.html#observation_status",
                {"means": target, "form": form},
            )
        bound[target.pk] = form
    rows = [
        {
            "means": m,
            "observation": observations.get(m.pk),
            "form": bound.get(m.pk)
            or (ObservationForm(instance=observations.get(m.pk), prefix=f"m{m.pk}") if can_edit else None),
        }
        for m in means
    ]
    context = {
        "diagnostic": diagnostic,
        "rows": rows,
        "can_edit": can_edit,
        "page_title": _("Observations of the production means"),
    }
    return render(request, "www/diagnostics/observations.html", context, status=400 if bound else 200)


# --- Opportunities and cooperation signals ---------------------------------------------------------------------------


def _opportunity_form_page(
    request: HttpRequest, diagnostic: Diagnostic, opportunity: Opportunity
) -> HttpResponse:
    form = OpportunityForm(request.POST or None, instance=opportunity)
    barriers = BarrierFormSet(request.POST or None, instance=opportunity, prefix="barriers")
    if request.method == "POST" and form.is_valid() and barriers.is_valid():
        instance = form.save(commit=False)
        links = {name: form.cleaned_data[name] for name in ("production_means",) if name in form.cleaned_data}
        try:
            save_opportunity(
                instance,
                form.cleaned_data.get("expected_version"),
                links,
                barriers.save(commit=False),
                barriers.deleted_objects,
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect(diagnostic)
    context = {
        "form": form,
        "barriers": barriers,
        "diagnostic": diagnostic,
        "opportunity": opportunity,
        "page_title": opportunity.title if opportunity.pk else _("New opportunity"),
    }
    return render(
        request,
        "www/diagnostics/opportunity_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@editing
def opportunity_create(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    return _opportunity_form_page(
        request, diagnostic, Opportunity(diagnostic=diagnostic, origin=Origin.CONSULTANT)
    )


def _editable_opportunity(request: HttpRequest, pk: int) -> tuple[Diagnostic, Opportunity]:
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    return _editable(request, opportunity.diagnostic_id), opportunity


@editing
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic, opportunity = _editable_opportunity(request, pk)
    return _opportunity_form_page(request, diagnostic, opportunity)


@require_POST
@editing
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic, opportunity = _editable_opportunity(request, pk)
    opportunity.delete()
    messages.success(request, _("Opportunity deleted."))
    return redirect(diagnostic)


@require_POST
@editing
def signal_add(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    form = CooperationSignalForm(request.POST, diagnostic=diagnostic, prefix="signal")
    if form.is_valid():
        form.save()
        messages.success(request, _("Added."))
        return redirect(diagnostic)
    context = _detail_context(request, diagnostic, signal_form=form)
    return render(request, "www/diagnostics/detail.html", context, status=400)


@require_POST
@editing
def signal_delete(request: HttpRequest, pk: int, signal_pk: int) -> HttpResponse:
    diagnostic = _editable(request, pk)
    get_object_or_404(CooperationSignal.objects.filter(diagnostic=diagnostic), pk=signal_pk).delete()
    messages.success(request, _("Deleted."))
    return redirect(diagnostic)


# --- Summary sheet (L1.3) ------------------------------------------------------------------------------------------------


def _sheet_file_name(diagnostic: Diagnostic, extension: str) -> str:
    return f"fiche-synthese-{slugify(diagnostic.organisation.name)}.{extension}"


def diagnostic_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    sheet = build_sheet(diagnostic)
    return render(
        request,
        "www/diagnostics/sheet.html",
        {
            "sheet": sheet,
            "diagnostic": diagnostic,
            "page_title": sheet.title,
            "document_html": render_fragment(sheet_document(sheet), with_title=False),
        },
    )


def diagnostic_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    pdf = render_pdf(sheet_document(build_sheet(diagnostic)))
    return _download(pdf, "application/pdf", _sheet_file_name(diagnostic, "pdf"))


def diagnostic_sheet_docx(request: HttpRequest, pk: int) -> HttpResponse:
    diagnostic = _diagnostic(request, pk)
    return _download(
        render_docx(sheet_document(build_sheet(diagnostic))),
        DOCX_CONTENT_TYPE,
        _sheet_file_name(diagnostic, "docx"),
    )


# --- Synthesis of needs and issues (L1.2) -----------------------------------------------------------------------------------


def synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    computed = build_synthesis(programme)
    context = {
        "programme": programme,
        "synthesis": computed,
        "document_html": render_fragment(synthesis_document(computed), with_title=False),
        "can_edit": can_manage_diagnostics(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Synthesis of needs and issues (L1.2)"),
    }
    return render(request, "www/diagnostics/synthesis.html", context)


def synthesis_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    instance = NeedsSynthesis.objects.filter(programme=programme).first() or NeedsSynthesis(
        programme=programme
    )
    form = SynthesisForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance.updated_by = request.user
        try:
            form.save()
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("Synthesis saved."))
            return redirect("www:synthesis", slug=programme.slug)
    computed = build_synthesis(programme)
    generated = generated_texts(computed)
    context = {
        "programme": programme,
        "form": form,
        "generated": [(computed.sections[key].title, generated[key]) for key in generated],
        "page_title": _("Edit the synthesis of needs and issues"),
    }
    return render(request, "www/diagnostics/synthesis_form.html", context)


def synthesis_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    pdf = render_pdf(synthesis_document(build_synthesis(programme)))
    return _download(pdf, "application/pdf", f"synthese-besoins-enjeux-{programme.slug}.pdf")


def synthesis_docx_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    return _download(
        render_docx(synthesis_document(build_synthesis(programme))),
        DOCX_CONTENT_TYPE,
        f"synthese-besoins-enjeux-{programme.slug}.docx",
    )
