"""The people of a programme: its accounts and pending invitations, inviting (one address, or the
contacts the candidacy import brought in), sending again, revoking, deactivating; and the page
where an invitee sets their password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sobrindustrie.accounts import invitations
from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import Invitation, User
from sobrindustrie.accounts.perms import can_manage_account, can_manage_people, grantable_roles, may_act_on
from sobrindustrie.actionplans import reminders
from sobrindustrie.diagnostics.enums import ImportStatus
from sobrindustrie.diagnostics.models import CandidacyImport
from sobrindustrie.organisations.models import Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.accounts_views.forms import (
    AcceptInvitationForm,
    ContactsInvitationForm,
    InvitationForm,
)

#: The page each reason of invitations.InvitationUnusable shows the invitee.
UNUSABLE_MESSAGES = {
    invitations.UNKNOWN: gettext_lazy(
        "This invitation link is not valid: it may have been mistyped or cut. Open the link from the "
        "most recent e-mail, or ask the person who invited you to send it again."
    ),
    invitations.EXPIRED: gettext_lazy(
        "This invitation has expired. Ask the person who invited you to send it again: you will get a new link."
    ),
    invitations.USED: gettext_lazy(
        "This invitation has already been used: the account exists. Log in with its e-mail address, "
        "or reset the password if you have forgotten it."
    ),
    invitations.REVOKED: gettext_lazy(
        "This invitation was withdrawn. Ask the programme's team if you think this is a mistake."
    ),
    invitations.SUPERSEDED: gettext_lazy(
        "A newer invitation was sent to this address: open the link from the most recent e-mail."
    ),
}


def _managed_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)  # type: ignore[arg-type]
    if not can_manage_people(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    return programme


def programme_accounts(programme: Programme) -> QuerySet[User]:
    """Every account of a programme: its ADEME officers and consultants, and the members of its
    organisations."""
    return (
        User.objects.filter(Q(programmes=programme) | Q(organisation__programme=programme))
        .distinct()
        .select_related("organisation")
        .order_by("role", "organisation__name", "last_name", "first_name", "email")
    )


#: Accounts per page of the People page: a programme of a few hundred companies has as many accounts.
ACCOUNTS_PER_PAGE = 25


def people(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _managed_programme(request, slug)
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(programme_accounts(programme), ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        # Every account listed is on the programme, whose people the user manages (checked above).
        "accounts": [(account, may_act_on(user, account)) for account in page.object_list],
        "page": page,
        "query": "",
        "pending": Invitation.objects.for_programme(programme)
        .open()
        .select_related("organisation", "invited_by")
        .order_by("email"),
        "page_title": _("People"),
    }
    return render(request, "www/accounts/people.html", context)


def _report(request: HttpRequest, outcomes: list[invitations.InvitationOutcome]) -> None:
    sent = [o.email for o in outcomes if o.invitation is not None]
    extended = [o.email for o in outcomes if o.extended_account is not None]
    if sent:
        messages.success(request, _("Invitation sent to %(emails)s.") % {"emails": ", ".join(sent)})
    if extended:
        messages.success(
            request,
            _(
                "%(emails)s already had an account: the programme was added to it, and they were told by e-mail."
            )
            % {"emails": ", ".join(extended)},
        )


def invite(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _managed_programme(request, slug)
    user: User = request.user  # type: ignore[assignment]
    form = InvitationForm(request.POST or None, programme=programme, roles=grantable_roles(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation_request = invitations.InvitationRequest(
            email=data["email"],
            role=data["role"],
            organisation=data["organisation"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        try:
            outcome = invitations.invite(programme, invitation_request, user)
        except invitations.InvitationRefused as error:
            form.add_error(None, str(error))
        else:
            _report(request, [outcome])
            return redirect("www:people", slug=programme.slug)
    context = {"programme": programme, "form": form, "page_title": _("Invite someone")}
    return render(request, "www/accounts/invite.html", context)


def invitable_contacts(
    programme: Programme, candidacy_import: CandidacyImport | None = None
) -> QuerySet[Person]:
    """Contacts of the companies the candidacy import brought in (or last updated, for one import)
    who have an e-mail address, no account and no invitation waiting."""
    contacts = Person.objects.filter(
        organisation__programme=programme,
        organisation__candidacy__isnull=False,
        organisation__is_archived=False,
        erased_on__isnull=True,
        user__isnull=True,
    ).exclude(email="")
    if candidacy_import is not None:
        contacts = contacts.filter(organisation__candidacy__last_import=candidacy_import)
    waiting = Invitation.objects.pending().filter(email__iexact=OuterRef("email"))
    has_account = User.objects.filter(email__iexact=OuterRef("email"))
    return (
        contacts.exclude(Exists(waiting))
        .exclude(Exists(has_account))
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def invite_contacts(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _managed_programme(request, slug)
    imports = CandidacyImport.objects.filter(programme=programme, status=ImportStatus.APPLIED)
    chosen_import = None
    if request.GET.get("import"):
        chosen_import = (
            imports.filter(pk=request.GET["import"]).first() if request.GET["import"].isdigit() else None
        )
        if chosen_import is None:
            raise Http404
    form = ContactsInvitationForm(request.POST or None, contacts=invitable_contacts(programme, chosen_import))
    if request.method == "POST" and form.is_valid():
        requests = [
            invitations.InvitationRequest(
                email=person.email,
                role=Role.SME,
                organisation=person.organisation,
                first_name=person.first_name,
                last_name=person.last_name,
                person=person,
            )
            for person in form.cleaned_data["contacts"]
        ]
        try:
            outcomes = invitations.invite_many(programme, requests, request.user)  # type: ignore[arg-type]
        except invitations.InvitationRefused as error:
            form.add_error(None, _("Nobody was invited: %(reason)s") % {"reason": error})
        else:
            _report(request, outcomes)
            return redirect("www:people", slug=programme.slug)
    context = {
        "programme": programme,
        "form": form,
        "imports": imports,
        "chosen_import": chosen_import,
        "page_title": _("Invite the contacts of the candidacies"),
    }
    return render(request, "www/accounts/invite_contacts.html", context)


def _managed_invitation(request: HttpRequest, pk: int) -> Invitation:
    visible = Programme.objects.visible_to(request.user)  # type: ignore[arg-type]
    invitation = get_object_or_404(
        Invitation.objects.filter(programme__in=visible).select_related("programme"), pk=pk
    )
    if not can_manage_people(request.user, invitation.programme):  # type: ignore[arg-type]
        raise Http404
    if invitation.role not in grantable_roles(request.user):  # type: ignore[arg-type]
        raise Http404
    return invitation


@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed_invitation(request, pk)
    try:
        invitations.resend(invitation)
    except invitations.InvitationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s, with a new link.") % {"email": invitation.email}
        )
    return redirect("www:people", slug=invitation.programme.slug)


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _managed_invitation(request, pk)
    try:
        invitations.revoke(invitation)
    except invitations.InvitationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Invitation to %(email)s revoked: its link no longer works.") % {"email": invitation.email},
        )
    return redirect("www:people", slug=invitation.programme.slug)


def _set_active(request: HttpRequest, slug: str, pk: int, active: bool) -> HttpResponse:
    programme = _managed_programme(request, slug)
    account = get_object_or_404(programme_accounts(programme), pk=pk)
    if not can_manage_account(request.user, account, programme):  # type: ignore[arg-type]
        raise Http404
    invitations.set_active(account, active)
    if active:
        messages.success(request, _("%(name)s's account is active again.") % {"name": account})
    else:
        messages.success(
            request,
            _(
                "%(name)s's account is deactivated: they can no longer log in or use their API tokens; their history stays."
            )
            % {"name": account},
        )
    return redirect("www:people", slug=programme.slug)


@require_POST
def account_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _set_active(request, slug, pk, active=False)


@require_POST
def account_reactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _set_active(request, slug, pk, active=True)


@login_not_required
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Where the invitee sets their password; then they are logged in and land on their home."""
    try:
        invitation = invitations.find_usable(token)
    except invitations.InvitationUnusable as error:
        return _unusable(request, error.reason)
    account = invitations.new_account(invitation)
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    form = AcceptInvitationForm(account, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = invitations.accept(token, account, form.cleaned_data["new_password1"])
        except invitations.InvitationUnusable as error:
            return _unusable(request, error.reason)
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Sobr'Industrie: your account is ready."))
        return redirect("www:home")
    context = {"invitation": invitation, "form": form, "page_title": _("Create your account")}
    return render(request, "www/accounts/invitation_accept.html", context)


@login_not_required
@never_cache
@csrf_exempt  # the signed token is the credential; mail clients post RFC 8058's one click without a form
def reminders_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the late-step reminders e-mailed to owners without an account: a page that asks
    before it stops them (a GET changes nothing: mail scanners open links), and the one-click POST;
    once stopped, the page offers to receive them again."""
    person = reminders.person_of_stop_token(token)
    if person is None:
        context = {"person": None, "page_title": _("Reminders of late steps")}
        return render(request, "www/actionplans/reminders_stop.html", context, status=404)
    if request.method == "POST":
        stopped_on = None if request.POST.get("resume") else timezone.localdate()
        person = reminders.set_reminders_stopped(person, stopped_on)
    context = {"person": person, "page_title": _("Reminders of late steps")}
    return render(request, "www/actionplans/reminders_stop.html", context)


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    context = {"message": UNUSABLE_MESSAGES[reason], "page_title": _("Invitation unusable")}
    return render(
        request,
        "www/accounts/invitation_unusable.html",
        context,
        status=410 if reason != invitations.UNKNOWN else 404,
    )
