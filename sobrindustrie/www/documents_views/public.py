"""Pages reached without logging in: the project showcase and the e-mail unsubscribe link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from sobrindustrie.accounts.models import User
from sobrindustrie.core.uploads import MissingFile, open_stored, protect
from sobrindustrie.documents.enums import DigestFrequency
from sobrindustrie.documents.models import NotificationPreference, ShowcasePage
from sobrindustrie.documents.notifications import user_from_token
from sobrindustrie.documents.showcase import project_figures
from sobrindustrie.programmes.models import Programme
from sobrindustrie.programmes.perms import can_manage_programme
from sobrindustrie.www.documents_views.forms import ShowcaseForm

LANGUAGES = ("fr", "en")


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise Http404
    return language


@login_not_required
def showcase_index(request: HttpRequest, language: str = "fr") -> HttpResponse:
    language = _language(language)
    pages = ShowcasePage.objects.published().select_related("team")
    with translation.override(language):
        context = {
            "pages": [(page, page.localised(language)) for page in pages],
            "language": language,
            "page_title": _("Projects of the Sobr'Industrie programme"),
        }
        return render(request, "www/public/showcase_index.html", context)


@login_not_required
def showcase_page(request: HttpRequest, slug: str, language: str = "fr") -> HttpResponse:
    language = _language(language)
    page = get_object_or_404(ShowcasePage.objects.published().select_related("team"), slug=slug)
    with translation.override(language):
        text = page.localised(language)
        context = {
            "page": page,
            "text": text,
            "figures": project_figures(page.team),
            "language": language,
            "page_title": text["title"],
        }
        return render(request, "www/public/showcase_page.html", context)


@login_not_required
def showcase_image(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(ShowcasePage.objects.published().exclude(image=""), slug=slug)
    try:
        handle = open_stored(page.image)
    except MissingFile as error:
        raise Http404(str(error)) from error
    # Shown inline in the public page (an <img>), yet under the same headers as every served upload.
    response = FileResponse(
        handle, content_type="image/png" if page.image.name.endswith(".png") else "image/jpeg"
    )
    return protect(response)


@csrf_exempt  # the signed token is the credential; mail clients post RFC 8058 one-click requests
@login_not_required
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user_pk = user_from_token(token)
    user = User.objects.filter(pk=user_pk).first() if user_pk else None
    if user is None:
        return render(
            request,
            "www/documents/unsubscribe.html",
            {"invalid": True, "done": False, "page_title": _("Unsubscribe")},
            status=400,
        )
    done = request.method == "POST"
    if done:
        NotificationPreference.objects.update_or_create(
            user=user, defaults={"frequency": DigestFrequency.NEVER}
        )
    context = {"invalid": False, "done": done, "token": token, "page_title": _("Unsubscribe")}
    return render(request, "www/documents/unsubscribe.html", context)


# --- Management of the showcase (programme staff) ------------------------------------------------


def showcase_manage(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)  # type: ignore[arg-type]
    pages = (
        ShowcasePage.objects.visible_to(request.user).filter(team__programme=programme).select_related("team")
    )  # type: ignore[arg-type]
    from sobrindustrie.documents.querysets import is_programme_staff

    if not is_programme_staff(request.user):  # type: ignore[arg-type]
        raise Http404
    context = {
        "programme": programme,
        "pages": pages,
        "can_manage": can_manage_programme(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Project showcase"),
    }
    return render(request, "www/documents/showcase_manage.html", context)


def _teams(request: HttpRequest, programme: Programme):  # type: ignore[no-untyped-def]
    from sobrindustrie.teams.models import ProjectTeam

    return ProjectTeam.objects.visible_to(request.user).for_programme(programme)  # type: ignore[arg-type]


def showcase_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)  # type: ignore[arg-type]
    if not can_manage_programme(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    teams = _teams(request, programme).filter(showcase__isnull=True)
    form = ShowcaseForm(
        request.POST or None,
        request.FILES or None,
        instance=ShowcasePage(created_by=request.user),
        teams=teams,
    )
    if request.method == "POST" and form.is_valid():
        page = form.save()
        return redirect(page)
    context = {"form": form, "programme": programme, "page_title": _("New showcase page")}
    return render(request, "www/documents/showcase_form.html", context)


def showcase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from sobrindustrie.core.history import history_entries
    from sobrindustrie.core.models import ConcurrentEditError
    from sobrindustrie.documents import perms, workflow
    from sobrindustrie.www.documents_views.forms import ReturnForm

    page = get_object_or_404(
        ShowcasePage.objects.visible_to(request.user).select_related("team__programme"), pk=pk
    )  # type: ignore[arg-type]
    programme = page.team.programme
    if not perms.is_programme_staff(request.user):  # type: ignore[arg-type]
        raise Http404
    can_edit = perms.can_edit_item(request.user, page)  # type: ignore[arg-type]
    form = ShowcaseForm(
        request.POST or None, request.FILES or None, instance=page, teams=_teams(request, programme)
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                form.save()
            except ConcurrentEditError:
                pass
            else:
                return redirect(page)
    context = {
        "form": form,
        "page": page,
        "programme": programme,
        "can_edit": can_edit,
        "transitions": workflow.available(request.user, page),  # type: ignore[arg-type]
        "workflow_kind": "showcase",
        "return_form": ReturnForm(),
        "history": history_entries(page),
        "history_id": f"showcase-{page.pk}",
        "page_title": page.title,
    }
    return render(request, "www/documents/showcase_edit.html", context)
