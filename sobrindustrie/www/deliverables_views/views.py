"""The deliverables registry (the consultant's and ADEME's checklist), each deliverable's page with its
versions and review, and the build of the whole pack with its progress bar."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.core.uploads import serve_stored
from sobrindustrie.deliverables import checks, services, tasks
from sobrindustrie.deliverables.catalogue import (
    AXIS_TITLES,
    BY_CODE,
    BY_SLUG,
    REPORT_CONTENTS,
    DeliverableKind,
)
from sobrindustrie.deliverables.enums import STATUS_BADGES, DeliverableStatus
from sobrindustrie.deliverables.generators import MissingData
from sobrindustrie.deliverables.models import Deliverable, DeliverableFile, PackBuild
from sobrindustrie.deliverables.perms import (
    can_produce_deliverables,
    can_validate_deliverables,
)
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.deliverables_views.forms import (
    NARRATIVE_FIELDS,
    AcknowledgeForm,
    NarrativeForm,
    ReviewForm,
)


def _kind(code_slug: str) -> DeliverableKind:
    kind = BY_SLUG.get(code_slug)
    if kind is None:
        raise Http404
    return kind


def _latest_build(programme: Programme) -> PackBuild | None:
    return PackBuild.objects.filter(programme=programme).select_related("requested_by").first()


def registry(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    rows = services.registry(programme)
    axes = []
    for axis in sorted({row.kind.axis for row in rows}, key=lambda a: (a == 0, a)):
        axes.append({"title": AXIS_TITLES[axis], "rows": [row for row in rows if row.kind.axis == axis]})
    counts = {status: sum(1 for row in rows if row.status == status) for status in DeliverableStatus}
    context = {
        "programme": programme,
        "page_title": _("Deliverables and reports"),
        "axes": axes,
        "counts": [(DeliverableStatus(s).label, n) for s, n in counts.items()],
        "late": sum(1 for row in rows if row.is_late),
        "build": _latest_build(programme),
        "last_done": PackBuild.objects.filter(programme=programme, status="done").first(),
        "can_produce": can_produce_deliverables(request.user, programme),  # type: ignore[arg-type]
    }
    return render(request, "www/deliverables/registry.html", context)


def detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    kind = _kind(code)
    row = Deliverable.objects.filter(programme=programme, code=kind.code).first()
    return _render_detail(request, programme, kind, row)


def _render_detail(
    request: HttpRequest,
    programme: Programme,
    kind: DeliverableKind,
    row: Deliverable | None,
    *,
    narrative_form: NarrativeForm | None = None,
    review_form: ReviewForm | None = None,
    missing: list[str] | None = None,
    acknowledge_form: AcknowledgeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_produce = can_produce_deliverables(user, programme)  # type: ignore[arg-type]
    can_validate = can_validate_deliverables(user, programme)  # type: ignore[arg-type]
    versions: dict[int, list[DeliverableFile]] = {}
    if row is not None:
        for item in row.files.select_related("created_by").order_by("-version", "name"):
            versions.setdefault(item.version, []).append(item)
    state = DeliverableStatus(row.status if row else DeliverableStatus.TODO)
    has_narrative = kind.code in NARRATIVE_FIELDS
    if narrative_form is None and has_narrative and can_produce:
        narrative_form = NarrativeForm(instance=row or Deliverable(programme=programme, code=kind.code))
    if review_form is None and row is not None:
        review_form = ReviewForm(initial={"expected_version": row.version})
    in_progress = state in (DeliverableStatus.TODO, DeliverableStatus.IN_PROGRESS)
    fired = checks.run_checks(row) if row is not None and has_narrative and in_progress else []
    check_rows = []
    for index, check in enumerate(fired):
        form = (
            acknowledge_form
            if acknowledge_form is not None and acknowledge_form.data.get("key") == check.key
            else AcknowledgeForm(initial={"key": check.key, "expected_version": row.version if row else 0})
        )
        form.auto_id = f"check-{index}-%s"  # one page, several forms: distinct ids
        check_rows.append({"check": check, "form": form})
    context = {
        "programme": programme,
        "kind": kind,
        "row": row,
        "page_title": f"{kind.display_code} — {kind.title}",
        "status": state,
        "status_label": state.label,
        "badge": STATUS_BADGES[state],
        "can_submit": can_produce and bool(versions) and in_progress and not checks.blocking(fired),
        "checks": check_rows,
        "blocking_count": len(checks.blocking(fired)),
        "submission_checks": row.submission_checks if row is not None and not in_progress else [],
        "due_on": services.due_dates(programme)[kind.code],
        "versions": _shown_versions(versions, row.submitted_version if row else None),
        "submitted_version": row.submitted_version if row else None,
        "contents": [BY_CODE[code] for code in REPORT_CONTENTS.get(kind.code, ())],
        "can_produce": can_produce,
        "can_validate": can_validate,
        "narrative_form": narrative_form,
        "has_narrative": has_narrative,
        "review_form": review_form,
        "missing": missing,
        "history": history_entries(row) if row is not None else [],
    }
    return render(request, "www/deliverables/detail.html", context, status=status)


def _shown_versions(
    versions: dict[int, list[DeliverableFile]], submitted: int | None
) -> list[tuple[int, list[DeliverableFile]]]:
    """The five latest versions, and the submitted one wherever it is; older files stay stored."""
    shown = sorted(versions.items(), reverse=True)[:5]
    if submitted in versions and all(number != submitted for number, _files in shown):
        shown.append((submitted, versions[submitted]))
    return shown


@require_POST
def generate(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    kind = _kind(code)
    if not can_produce_deliverables(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    try:
        result = services.generate(programme, kind.code, request.user)  # type: ignore[arg-type]
    except MissingData as missing:
        row = Deliverable.objects.filter(programme=programme, code=kind.code).first()
        return _render_detail(request, programme, kind, row, missing=missing.reasons, status=422)
    if result.changed:
        messages.success(request, _("Version %(version)s generated.") % {"version": result.version})
    else:
        messages.info(
            request,
            _("Nothing changed since version %(version)s: no new version stored.")
            % {"version": result.version},
        )
    return redirect("www:deliverable_detail", programme.slug, kind.slug)


@require_POST
def narrative(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    kind = _kind(code)
    if kind.code not in NARRATIVE_FIELDS or not can_produce_deliverables(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    row = services.deliverable_row(programme, kind.code)
    form = NarrativeForm(request.POST, instance=row)
    if form.save_if_valid():
        messages.success(request, _("Saved."))
        return redirect("www:deliverable_detail", programme.slug, kind.slug)
    row.refresh_from_db()
    return _render_detail(request, programme, kind, row, narrative_form=form, status=422)


@require_POST
def review(request: HttpRequest, slug: str, code: str, action: str) -> HttpResponse:
    """submit (consultant), validate or send back (ADEME)."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    kind = _kind(code)
    row = Deliverable.objects.filter(programme=programme, code=kind.code).first()
    actions = {"submit": services.submit, "validate": services.validate, "send-back": services.send_back}
    if row is None or action not in actions:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, programme, kind, row, review_form=form, status=422)
    expected = form.cleaned_data["expected_version"]
    comment = form.cleaned_data["comment"]
    try:
        if action == "submit":
            services.submit(row, request.user, expected)  # type: ignore[arg-type]
        else:
            actions[action](row, request.user, expected, comment)  # type: ignore[operator]
    except PermissionDenied:
        raise Http404 from None
    except (ValidationError, ConcurrentEditError) as error:
        row.refresh_from_db()
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        return _render_detail(request, programme, kind, row, review_form=form, status=422)
    done = {
        "submit": _("Submitted to ADEME."),
        "validate": _("Validated."),
        "send-back": _("Sent back to the consultant with your comment."),
    }
    messages.success(request, done[action])
    return redirect("www:deliverable_detail", programme.slug, kind.slug)


@require_POST
def acknowledge(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The consultant lets one check before submission pass, with the reason ADEME will read."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    kind = _kind(code)
    row = Deliverable.objects.filter(programme=programme, code=kind.code).first()
    if row is None or not can_produce_deliverables(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge(
                row,
                request.user,  # type: ignore[arg-type]
                form.cleaned_data["expected_version"],
                form.cleaned_data["key"],
                form.cleaned_data["reason"],
            )
        except (ValidationError, ConcurrentEditError) as error:
            row.refresh_from_db()
            form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Acknowledged: ADEME will read your reason with the report."))
            return redirect("www:deliverable_detail", programme.slug, kind.slug)
    return _render_detail(request, programme, kind, row, acknowledge_form=form, status=422)


def download(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(DeliverableFile.objects.select_related("deliverable__programme"), pk=pk)
    programme_for(request, item.deliverable.programme.slug, Capability.OVERSEE_PROGRAMME)
    return serve_stored(item.file, item.name)


# --- The whole pack --------------------------------------------------------------------------------


@require_POST
def pack_request(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    if not can_produce_deliverables(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    try:
        build = services.request_pack(programme, request.user)  # type: ignore[arg-type]
    except services.PackBusy as busy:
        messages.warning(
            request,
            _("A build of the pack is already under way (requested %(when)s): wait for it to finish.")
            % {"when": busy.build.created_at.strftime("%d/%m/%Y %H:%M")},
        )
        build = busy.build
    else:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("fr", "en") else "fr"
        transaction.on_commit(lambda: tasks.build_pack.enqueue(build.pk, language))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "www/deliverables/_pack.html", {"programme": programme, "build": build})
    return redirect("www:deliverable_registry", programme.slug)


def _build(request: HttpRequest, pk: int) -> PackBuild:
    build = get_object_or_404(PackBuild.objects.select_related("programme", "requested_by"), pk=pk)
    programme_for(request, build.programme.slug, Capability.OVERSEE_PROGRAMME)
    return build


def pack_status(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build(request, pk)
    context = {
        "programme": build.programme,
        "build": build,
        "can_produce": can_produce_deliverables(request.user, build.programme),  # type: ignore[arg-type]
    }
    return render(request, "www/deliverables/_pack.html", context)


@require_POST
def pack_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build(request, pk)
    if not can_produce_deliverables(request.user, build.programme):  # type: ignore[arg-type]
        raise Http404
    try:
        services.cancel_pack(build)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The waiting build was cancelled."))
    return redirect("www:deliverable_registry", build.programme.slug)


def pack_download(request: HttpRequest, pk: int) -> FileResponse:
    build = _build(request, pk)
    if not build.file:
        raise Http404
    finished = timezone.localtime(build.finished_at or build.created_at)
    filename = f"{build.programme.slug}-livrables-{finished:%Y-%m-%d-%H%M}.zip"
    return serve_stored(build.file, filename)
