"""The collaborative space: spaces, documents, news and webinars, the COPIL queue, comments,
search and notifications. Objects are fetched through `visible_to(user)`: outsiders get a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.uploads import KINDS, serve_stored
from sobrindustrie.documents import perms, services, workflow
from sobrindustrie.documents.enums import SpaceKind
from sobrindustrie.documents.models import (
    Comment,
    Document,
    DocumentVersion,
    Notification,
    NotificationPreference,
    Post,
    ShowcasePage,
    Space,
)
from sobrindustrie.documents.querysets import is_programme_staff
from sobrindustrie.documents.search import search as run_search
from sobrindustrie.meetings.models import Meeting, Minutes
from sobrindustrie.programmes.models import Programme
from sobrindustrie.programmes.perms import can_manage_programme
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.documents_views.forms import (
    CommentForm,
    DocumentForm,
    PostForm,
    PreferenceForm,
    ReturnForm,
    SearchForm,
    VersionForm,
)
from sobrindustrie.www.redirects import safe_next


def _space(request: HttpRequest, pk: int) -> Space:
    return get_object_or_404(Space.objects.visible_to(request.user).select_related("programme"), pk=pk)  # type: ignore[arg-type]


def _document(request: HttpRequest, pk: int) -> Document:
    queryset = Document.objects.visible_to(request.user).select_related("space__programme", "created_by")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def _post(request: HttpRequest, pk: int) -> Post:
    queryset = Post.objects.visible_to(request.user).select_related("space__programme")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def _visible_minutes(request: HttpRequest, pk: int) -> Minutes:
    meetings = Meeting.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    queryset = Minutes.objects.filter(meeting__in=meetings).select_related("meeting__programme")
    if not is_programme_staff(request.user):  # type: ignore[arg-type]
        queryset = queryset.filter(status="validated")
    return get_object_or_404(queryset, pk=pk)


# --- Spaces ---------------------------------------------------------------------------------------


SPACES_PER_PAGE = 25


def space_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if can_manage_programme(request.user, programme):  # type: ignore[arg-type]
        # Teams and organisations added since the last visit get their space.
        services.ensure_spaces(programme)
    visible = Document.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    # Shared spaces first, in SpaceKind's order (programme, teams, COPIL), then one private space per
    # organisation: hundreds in a large programme, hence the pages.
    kind_rank = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(SpaceKind.values)),
        output_field=IntegerField(),
    )
    spaces = (
        Space.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .select_related("team", "organisation")
        .annotate(document_count=Count("documents", filter=Q(documents__in=visible)))
        .order_by(kind_rank, "name", "pk")
    )
    page = Paginator(spaces, SPACES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "spaces": page.object_list,
        "page": page,
        "query": "",
        "page_title": _("Collaborative space"),
    }
    return render(request, "www/documents/space_list.html", context)


def space_detail(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    documents = (
        Document.objects.visible_to(request.user)  # type: ignore[arg-type]
        .filter(space=space)
        .prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")))
    )
    context = {
        "space": space,
        "programme": space.programme,
        "documents": documents,
        "posts": Post.objects.visible_to(request.user).filter(space=space),  # type: ignore[arg-type]
        "can_contribute": perms.can_contribute(request.user, space),  # type: ignore[arg-type]
        "can_write_posts": perms.can_write_posts(request.user, space.programme),  # type: ignore[arg-type]
        "page_title": str(space),
    }
    return render(request, "www/documents/space_detail.html", context)


# --- Documents ------------------------------------------------------------------------------------


def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    if not perms.can_contribute(request.user, space):  # type: ignore[arg-type]
        raise Http404
    form = DocumentForm(
        request.POST or None, request.FILES or None, programme=space.programme, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            document = services.create_document(space, request.user, form.cleaned_data["file"], **fields)  # type: ignore[arg-type]
        except services.UploadRefused as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Document added as a draft."))
            return redirect(document)
    context = {"form": form, "space": space, "programme": space.programme, "page_title": _("Add a document")}
    return render(request, "www/documents/document_form.html", context)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    context = {
        "document": document,
        "space": document.space,
        "versions": document.versions.select_related("uploaded_by"),
        "can_edit": perms.can_edit_item(request.user, document),  # type: ignore[arg-type]
        "version_form": VersionForm(),
        **_workflow_context(request, document, "document"),
        **_comment_context(request, document, document.space.programme),
        "history": history_entries(document),
        "history_id": f"document-{document.pk}",
        "page_title": document.title,
    }
    return render(request, "www/documents/document_detail.html", context)


def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not perms.can_edit_item(request.user, document):  # type: ignore[arg-type]
        raise Http404
    form = DocumentForm(
        request.POST or None, instance=document, programme=document.space.programme, user=request.user
    )
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(document)
    context = {
        "form": form,
        "space": document.space,
        "programme": document.space.programme,
        "page_title": _("Edit %s") % document,
    }
    return render(request, "www/documents/document_form.html", context)


@require_POST
def document_add_version(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not perms.can_edit_item(request.user, document) and not perms.can_write_posts(
        request.user, document.space.programme
    ):  # type: ignore[arg-type]
        raise Http404
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.add_version(
                document, request.user, form.cleaned_data["file"], form.cleaned_data["note"]
            )  # type: ignore[arg-type]
        except services.UploadRefused as error:
            messages.error(request, _("File: %s") % error)
        else:
            messages.success(request, _("Version %d added.") % version.number)
    else:
        messages.error(
            request, "; ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items())
        )
    return redirect(document)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    version = get_object_or_404(DocumentVersion.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    return serve_stored(version.file, version.original_name, KINDS[version.file_kind].mime)


# --- Workflow ---------------------------------------------------------------------------------------

WORKFLOW_MODELS: dict[str, Any] = {"document": Document, "post": Post, "showcase": ShowcasePage}


def _workflow_context(request: HttpRequest, item: Any, kind: str) -> dict[str, Any]:
    return {
        "transitions": workflow.available(request.user, item),  # type: ignore[arg-type]
        "workflow_kind": kind,
        "return_form": ReturnForm(),
    }


@require_POST
def item_transition(request: HttpRequest, kind: str, pk: int, name: str) -> HttpResponse:
    model = WORKFLOW_MODELS.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    try:
        services.transition(item, request.user, name, request.POST.get("comment", ""))  # type: ignore[arg-type]
    except workflow.TransitionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Status: %s.") % item.get_status_display())
    return redirect(safe_next(request, item.get_absolute_url()))


def copil_queue(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not perms.can_see_queue(request.user):  # type: ignore[arg-type]
        raise Http404
    documents = (
        Document.objects.visible_to(request.user)
        .for_programme(programme)
        .awaiting_validation()
        .select_related("space", "created_by")
    )  # type: ignore[arg-type]
    posts = (
        Post.objects.visible_to(request.user)
        .for_programme(programme)
        .awaiting_validation()
        .select_related("space")
    )  # type: ignore[arg-type]
    showcase = (
        ShowcasePage.objects.visible_to(request.user)
        .filter(team__programme=programme, status="submitted")
        .select_related("team")
    )  # type: ignore[arg-type]
    context = {
        "programme": programme,
        "documents": documents,
        "posts": posts,
        "showcase": showcase,
        "page_title": _("To validate by the COPIL"),
    }
    return render(request, "www/documents/queue.html", context)


# --- News and webinars ------------------------------------------------------------------------------


def post_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    posts = Post.objects.visible_to(request.user).for_programme(programme).select_related("space")  # type: ignore[arg-type]
    context = {"programme": programme, "posts": posts, "page_title": _("News and webinars")}
    return render(request, "www/documents/post_list.html", context)


def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    if not perms.can_write_posts(request.user, space.programme):  # type: ignore[arg-type]
        raise Http404
    documents = Document.objects.visible_to(request.user).for_programme(space.programme)  # type: ignore[arg-type]
    form = PostForm(
        request.POST or None, instance=Post(space=space, created_by=request.user), documents=documents
    )
    if request.method == "POST" and form.is_valid():
        post = form.save()
        messages.success(request, _("Saved as a draft."))
        return redirect(post)
    context = {
        "form": form,
        "space": space,
        "programme": space.programme,
        "page_title": _("New news item or webinar"),
    }
    return render(request, "www/documents/post_form.html", context)


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    documents = Document.objects.visible_to(request.user)  # type: ignore[arg-type]
    context = {
        "post": post,
        "space": post.space,
        "recording": documents.filter(pk=post.recording_id).first(),
        "slides": documents.filter(pk=post.slides_id).first(),
        "resources": post.resources.filter(pk__in=documents.values("pk")),
        "can_edit": perms.can_edit_item(request.user, post),  # type: ignore[arg-type]
        **_workflow_context(request, post, "post"),
        **_comment_context(request, post, post.space.programme),
        "history": history_entries(post),
        "history_id": f"post-{post.pk}",
        "page_title": post.title,
    }
    return render(request, "www/documents/post_detail.html", context)


def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    if not perms.can_edit_item(request.user, post):  # type: ignore[arg-type]
        raise Http404
    documents = Document.objects.visible_to(request.user).for_programme(post.space.programme)  # type: ignore[arg-type]
    form = PostForm(request.POST or None, instance=post, documents=documents)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(post)
    context = {
        "form": form,
        "space": post.space,
        "programme": post.space.programme,
        "page_title": _("Edit %s") % post,
    }
    return render(request, "www/documents/post_form.html", context)


# --- Comments ----------------------------------------------------------------------------------------

COMMENT_TARGETS = {"document": _document, "post": _post, "minutes": _visible_minutes}


def _comment_context(request: HttpRequest, target: Any, programme: Programme) -> dict[str, Any]:
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("author", "handled_by")
    return {
        "comments": comments,
        "comment_form": CommentForm(),
        "comment_kind": target._meta.model_name if target._meta.model_name != "minutes" else "minutes",
        "can_handle": perms.can_handle_comments(request.user, programme),  # type: ignore[arg-type]
    }


@require_POST
def comment_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    getter = COMMENT_TARGETS.get(kind)
    if getter is None:
        raise Http404
    target = getter(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(target, request.user, form.cleaned_data["body"])  # type: ignore[arg-type]
        messages.success(request, _("Comment sent."))
    else:
        messages.error(request, _("Your comment: %s") % " ".join(form.errors["body"]))
    return redirect(target.get_absolute_url())


def comment_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    if not perms.can_read_comments(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    comments = Comment.objects.unhandled().select_related("author", "content_type").prefetch_related("target")
    comments = [
        c for c in comments if c.target is not None and _programme_of_target(c.target) == programme.pk
    ]
    context = {
        "programme": programme,
        "comments": comments,
        "can_handle": perms.can_handle_comments(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Comments to handle"),
    }
    return render(request, "www/documents/comment_list.html", context)


def _programme_of_target(target: Any) -> int:
    return target.space.programme_id if hasattr(target, "space") else target.meeting.programme_id


@require_POST
def comment_handle(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("content_type"), pk=pk)
    target = comment.target
    if target is None:
        raise Http404
    programme = target.space.programme if hasattr(target, "space") else target.meeting.programme
    if not perms.can_handle_comments(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    services.mark_handled(comment, request.user)  # type: ignore[arg-type]
    messages.success(request, _("Comment marked as handled."))
    return redirect(target.get_absolute_url())


# --- Search ------------------------------------------------------------------------------------------


def search(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    form = SearchForm(request.GET or None)
    results = run_search(request.user, programme, form.cleaned_data["q"]) if form.is_valid() else None  # type: ignore[arg-type]
    context = {"programme": programme, "form": form, "results": results, "page_title": _("Search")}
    return render(request, "www/documents/search.html", context)


# --- Notifications -----------------------------------------------------------------------------------


def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user)[:100]  # type: ignore[misc]
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()  # type: ignore[misc]
    context = {"notifications": notifications, "unread": unread, "page_title": _("Notifications")}
    return render(request, "www/documents/notification_list.html", context)


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())  # type: ignore[misc]
    return redirect("www:notification_list")


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to its item (which checks, again, that it may be seen)."""
    notification = get_object_or_404(Notification.objects.filter(user=request.user), pk=pk)  # type: ignore[misc]
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url if notification.url.startswith("/") else "www:notification_list")


def notification_preferences(request: HttpRequest) -> HttpResponse:
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)  # type: ignore[misc]
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Preferences saved."))
        return redirect("www:notification_list")
    return render(
        request, "www/documents/preferences.html", {"form": form, "page_title": _("E-mail notifications")}
    )
