"""What waits for a person: one list per role, read by the home page and by the menu's count.

Each role kind has one function returning `WorkItem`s (kind, label, date, url), the url being the
page where the thing is done. The reads go through the same querysets as the pages they link to
(`visible_to(user)` or the user's own programmes), so an item never points at a page that answers
404. The number of queries depends on the number of programmes a person works on, never on the
number of rows (the tests pin it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.utils.functional import Promise

    from sobrindustrie.accounts.models import User
    from sobrindustrie.actionplans.models import Action, ActionStep
    from sobrindustrie.programmes.models import Programme


#: Every kind of item, with the heading it is counted under (in this order on the home page).
KINDS: dict[str, Promise] = {
    "method": gettext_lazy("Method versions to validate"),
    "diagnostic_to_validate": gettext_lazy("Diagnostics to validate"),
    "minutes_to_validate": gettext_lazy("Minutes to validate"),
    "deliverable_to_validate": gettext_lazy("Deliverables to validate"),
    "copil_document": gettext_lazy("Documents to validate by the COPIL"),
    "difficulty": gettext_lazy("Difficulties to answer"),
    "deadline": gettext_lazy("Contractual deadlines at risk"),
    "minutes_due": gettext_lazy("Minutes to write"),
    "diagnostic_to_plan": gettext_lazy("Diagnostics not planned or late"),
    "late_step": gettext_lazy("Late action steps"),
    "prospect": gettext_lazy("Prospecting steps due this week"),
    "deliverable_due": gettext_lazy("Deliverables due"),
    "comment": gettext_lazy("Comments to handle"),
    "sheet_to_accept": gettext_lazy("Diagnostic sheet to accept"),
    "step": gettext_lazy("Steps your organisation leads"),
    "survey": gettext_lazy("Surveys to answer"),
    "meeting": gettext_lazy("Coming meetings"),
    "shared": gettext_lazy("Shared with you"),
}
#: Deliverables not yet submitted are listed this many days before their due date.
DELIVERABLE_NOTICE = dt.timedelta(days=30)


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str
    date: dt.date | None  # when it started waiting, or when it is due; None sorts first
    url: str
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def _day(moment: dt.datetime | dt.date | None) -> dt.date | None:
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment)
    return moment


def _date_text(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def _programmes(user: User) -> list[Programme]:
    from sobrindustrie.programmes.models import Programme

    return list(Programme.objects.visible_to(user).order_by("pk"))


# --- ADEME ----------------------------------------------------------------------------------------


def ademe_items(user: User, today: dt.date) -> list[WorkItem]:
    """Method versions, diagnostics, minutes, deliverables and COPIL documents to validate;
    difficulties raised and not answered; the contract's deadlines at risk or late."""
    programmes = _programmes(user)
    return [
        *_methods_to_validate(programmes),
        *_diagnostics_to_validate(programmes),
        *_minutes_to_validate(programmes),
        *_deliverables_to_validate(programmes),
        *_copil_documents(user, programmes),
        *_difficulties_to_answer(programmes),
        *_deadlines_at_risk(programmes, today),
    ]


def _methods_to_validate(programmes: list[Programme]) -> Iterable[WorkItem]:
    from sobrindustrie.diagnostics.enums import MethodStatus
    from sobrindustrie.diagnostics.models import MethodVersion

    methods = MethodVersion.objects.filter(programme__in=programmes, status=MethodStatus.DRAFT)
    for method in methods.order_by("created_at", "pk"):
        label = _("Diagnostic method %(version)s: %(title)s") % {
            "version": method.version,
            "title": method.title,
        }
        yield WorkItem(
            "method", label, _day(method.created_at), reverse("www:method_detail", args=[method.pk])
        )


def _diagnostics_to_validate(programmes: list[Programme]) -> Iterable[WorkItem]:
    from sobrindustrie.diagnostics.enums import DiagnosticStatus
    from sobrindustrie.diagnostics.models import Diagnostic

    diagnostics = Diagnostic.objects.filter(programme__in=programmes, status=DiagnosticStatus.ACCEPTED)
    for diagnostic in diagnostics.select_related("organisation").order_by("accepted_at", "pk"):
        label = _("Diagnostic of %(company)s, accepted by the company") % {"company": diagnostic.organisation}
        yield WorkItem(
            "diagnostic_to_validate", label, _day(diagnostic.accepted_at), diagnostic.get_absolute_url()
        )


def _minutes_to_validate(programmes: list[Programme]) -> Iterable[WorkItem]:
    from sobrindustrie.meetings.enums import MinutesStatus
    from sobrindustrie.meetings.models import Minutes

    minutes = Minutes.objects.filter(meeting__programme__in=programmes, status=MinutesStatus.SUBMITTED)
    for item in minutes.select_related("meeting").order_by("submitted_at", "pk"):
        label = _("Minutes of %(title)s (%(date)s)") % {
            "title": item.meeting.title,
            "date": _date_text(item.meeting.starts_on),
        }
        yield WorkItem("minutes_to_validate", label, _day(item.submitted_at), item.get_absolute_url())


def _deliverables_to_validate(programmes: list[Programme]) -> Iterable[WorkItem]:
    from sobrindustrie.deliverables.enums import DeliverableStatus
    from sobrindustrie.deliverables.models import Deliverable

    deliverables = Deliverable.objects.filter(programme__in=programmes, status=DeliverableStatus.SUBMITTED)
    for deliverable in deliverables.select_related("programme").order_by("submitted_on", "pk"):
        kind = deliverable.kind
        url = reverse("www:deliverable_detail", args=[deliverable.programme.slug, kind.slug])
        label = f"{kind.display_code} — {kind.title}"
        yield WorkItem("deliverable_to_validate", label, deliverable.submitted_on, url)


def _copil_documents(user: User, programmes: list[Programme]) -> Iterable[WorkItem]:
    """What the COPIL queue lists (`copil_queue`): documents, news and showcase pages submitted."""
    from sobrindustrie.documents.models import Document, Post, ShowcasePage

    submitted = [
        Document.objects.visible_to(user).filter(space__programme__in=programmes).awaiting_validation(),
        Post.objects.visible_to(user).filter(space__programme__in=programmes).awaiting_validation(),
        ShowcasePage.objects.visible_to(user).filter(team__programme__in=programmes, status="submitted"),
    ]
    for items in submitted:
        for item in items.order_by("updated_at", "pk"):
            yield WorkItem("copil_document", str(item), _day(item.updated_at), item.get_absolute_url())


def _difficulties_to_answer(programmes: list[Programme]) -> Iterable[WorkItem]:
    from sobrindustrie.actionplans.enums import DifficultyStatus
    from sobrindustrie.actionplans.models import Difficulty

    difficulties = Difficulty.objects.filter(
        action__plan__team__programme__in=programmes, status=DifficultyStatus.RAISED, answered_at__isnull=True
    )
    for difficulty in difficulties.select_related("action__plan__team").order_by("raised_at", "pk"):
        label = _("%(title)s (team %(team)s)") % {
            "title": difficulty.title,
            "team": difficulty.action.plan.team,
        }
        yield WorkItem("difficulty", label, _day(difficulty.raised_at), difficulty.get_absolute_url())


def _deadlines_at_risk(programmes: list[Programme], today: dt.date) -> Iterable[WorkItem]:
    """The obligations engine's results worth a notice (`meetings.notifications.needs_notice`)."""
    from sobrindustrie.engines.obligations import ObligationInputError
    from sobrindustrie.meetings.notifications import deadline_title, deadline_url, needs_notice
    from sobrindustrie.meetings.obligations import compliance

    for programme in programmes:
        if programme.ends_on < today:
            continue
        try:
            rows = compliance(programme, today).rows
        except ObligationInputError:
            # The obligations page shows the engine's refusal; the home does not hide other work.
            continue
        for row in rows:
            if needs_notice(row):
                yield WorkItem(
                    "deadline", deadline_title(row), row.result.due_on, deadline_url(programme, row)
                )


# --- Consultant -----------------------------------------------------------------------------------


def consultant_items(user: User, today: dt.date) -> list[WorkItem]:
    """Minutes due (with their working-day deadline), diagnostics not planned or late, late action
    steps, prospects due this week, deliverables due, comments to handle."""
    programmes = _programmes(user)
    return [
        *_minutes_due(programmes, today),
        *_diagnostics_to_plan(user, programmes, today),
        *_late_steps(programmes, today),
        *_prospects_due(user, programmes, today),
        *_deliverables_due(programmes, today),
        *_comments_to_handle(programmes),
    ]


def _minutes_due(programmes: list[Programme], today: dt.date) -> Iterable[WorkItem]:
    """Held meetings whose minutes are owed and not submitted, or were returned for changes."""
    from sobrindustrie.engines.calendar import add_working_days
    from sobrindustrie.meetings.enums import MeetingStatus, MinutesStatus
    from sobrindustrie.meetings.models import Meeting
    from sobrindustrie.meetings.notifications import minutes_obligation

    obligation = minutes_obligation()
    tomorrow = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    meetings = Meeting.objects.filter(
        programme__in=programmes,
        status=MeetingStatus.HELD,
        kind__in=obligation.meetings.kinds,
        starts_at__lt=tomorrow,
    ).filter(
        Q(minutes__isnull=True)
        | Q(minutes__first_submitted_at__isnull=True)
        | Q(minutes__status=MinutesStatus.RETURNED)
    )
    for meeting in meetings.order_by("starts_at", "pk"):
        due = add_working_days(meeting.starts_on, obligation.working_days)
        values = {"title": meeting.title, "date": _date_text(meeting.starts_on), "due": _date_text(due)}
        label = _("Minutes of %(title)s (%(date)s)") % values
        detail = _("due on %(due)s (%(days)d working days)") % {**values, "days": obligation.working_days}
        yield WorkItem("minutes_due", label, due, meeting.get_absolute_url() + "#minutes", detail)


def _diagnostics_to_plan(user: User, programmes: list[Programme], today: dt.date) -> Iterable[WorkItem]:
    from sobrindustrie.diagnostics.enums import DiagnosticStatus
    from sobrindustrie.diagnostics.models import Diagnostic

    diagnostics = Diagnostic.objects.filter(programme__in=programmes, status=DiagnosticStatus.PLANNED).filter(
        Q(consultant=user) | Q(consultant__isnull=True)
    )
    diagnostics = diagnostics.filter(Q(planned_on__isnull=True) | Q(planned_on__lt=today))
    for diagnostic in diagnostics.select_related("organisation").order_by("planned_on", "created_at", "pk"):
        if diagnostic.planned_on is None:
            detail = _("not planned")
        else:
            detail = _("planned for %(date)s, not started") % {"date": _date_text(diagnostic.planned_on)}
        day = diagnostic.planned_on or _day(diagnostic.created_at)
        yield WorkItem("diagnostic_to_plan", str(diagnostic), day, diagnostic.get_absolute_url(), detail)


def _late_steps(programmes: list[Programme], today: dt.date) -> Iterable[WorkItem]:

    steps = _open_steps().filter(action__plan__team__programme__in=programmes, due_on__lt=today)
    for step in steps.select_related("action__plan__team").order_by("due_on", "pk"):
        yield _step_item(step, "late_step")


def _open_steps() -> QuerySet[ActionStep]:
    from sobrindustrie.actionplans.enums import OPEN_STEP_STATUSES
    from sobrindustrie.actionplans.models import ActionStep

    return ActionStep.objects.filter(status__in=OPEN_STEP_STATUSES)


def _step_item(step: object, kind: str) -> WorkItem:
    action = step.action  # type: ignore[attr-defined]
    label = _("%(step)s — action « %(action)s » (team %(team)s)") % {
        "step": step,
        "action": action.title,
        "team": action.plan.team,
    }
    due = step.due_on  # type: ignore[attr-defined]
    detail = _("due on %(date)s") % {"date": _date_text(due)} if due else ""
    return WorkItem(kind, label, due, action.get_absolute_url(), detail)


def _prospects_due(user: User, programmes: list[Programme], today: dt.date) -> Iterable[WorkItem]:
    from sobrindustrie.teams.models import Prospect

    end_of_week = today + dt.timedelta(days=6 - today.weekday())
    prospects = Prospect.objects.open().filter(
        team__programme__in=programmes, next_step_due__isnull=False, next_step_due__lte=end_of_week
    )
    prospects = prospects.filter(Q(followed_by=user) | Q(followed_by__isnull=True))
    for prospect in prospects.select_related("team", "organisation").order_by("next_step_due", "pk"):
        label = f"{prospect.organisation} — {prospect.next_step or prospect.team}"
        detail = _("due on %(date)s") % {"date": _date_text(prospect.next_step_due)}  # type: ignore[arg-type]
        yield WorkItem("prospect", label, prospect.next_step_due, prospect.get_absolute_url(), detail)


def _deliverables_due(programmes: list[Programme], today: dt.date) -> Iterable[WorkItem]:
    from sobrindustrie.deliverables.catalogue import KINDS as DELIVERABLE_KINDS
    from sobrindustrie.deliverables.enums import DeliverableStatus
    from sobrindustrie.deliverables.models import Deliverable
    from sobrindustrie.deliverables.services import due_dates

    waiting = (DeliverableStatus.TODO, DeliverableStatus.IN_PROGRESS)
    for programme in programmes:
        dates = due_dates(programme)
        status = dict(Deliverable.objects.filter(programme=programme).values_list("code", "status"))
        for kind in DELIVERABLE_KINDS:
            due = dates[kind.code]
            if status.get(kind.code, DeliverableStatus.TODO) in waiting and due <= today + DELIVERABLE_NOTICE:
                url = reverse("www:deliverable_detail", args=[programme.slug, kind.slug])
                detail = _("due on %(date)s") % {"date": _date_text(due)}
                yield WorkItem("deliverable_due", f"{kind.display_code} — {kind.title}", due, url, detail)


def _comments_to_handle(programmes: list[Programme]) -> Iterable[WorkItem]:
    from django.contrib.contenttypes.models import ContentType

    from sobrindustrie.documents.models import Comment, Document, Post
    from sobrindustrie.meetings.models import Minutes

    targets = {
        Document: Document.objects.filter(space__programme__in=programmes),
        Post: Post.objects.filter(space__programme__in=programmes),
        Minutes: Minutes.objects.filter(meeting__programme__in=programmes).select_related("meeting"),
    }
    types = ContentType.objects.get_for_models(*targets)
    condition = Q()
    for model, rows in targets.items():
        condition |= Q(content_type=types[model], object_id__in=rows.values("pk"))
    comments = list(Comment.objects.unhandled().filter(condition).order_by("created_at", "pk"))
    # The targets, one query per kind, to link each comment to the page where it is handled.
    found: dict[tuple[int, int], object] = {}
    for model, rows in targets.items():
        wanted = [c.object_id for c in comments if c.content_type_id == types[model].pk]
        if wanted:
            found.update({(types[model].pk, row.pk): row for row in rows.filter(pk__in=wanted)})
    for comment in comments:
        target = found.get((comment.content_type_id, comment.object_id))
        if target is not None:
            label = _("« %(excerpt)s » on %(target)s") % {"excerpt": comment, "target": target}
            url = target.get_absolute_url()  # type: ignore[attr-defined]
            yield WorkItem("comment", label, _day(comment.created_at), url)


# --- SME members and partners ---------------------------------------------------------------------


def sme_items(user: User, today: dt.date) -> list[WorkItem]:
    """The diagnostic sheet to accept, the open steps of actions their organisation leads, surveys
    to answer, documents shared with them not opened yet."""
    return [
        *_sheet_to_accept(user),
        *_steps_led(user),
        *_surveys(user),
        *_shared(user),
    ]


def partner_items(user: User, today: dt.date) -> list[WorkItem]:
    """Committee (and other) meetings they are invited to, surveys, what is shared with them."""
    return [*_coming_meetings(user, today), *_surveys(user), *_shared(user)]


def _sheet_to_accept(user: User) -> Iterable[WorkItem]:
    from sobrindustrie.diagnostics.enums import DiagnosticStatus
    from sobrindustrie.diagnostics.models import Diagnostic

    diagnostics = Diagnostic.objects.filter(
        organisation_id=user.organisation_id, status=DiagnosticStatus.SHEET_DRAFTED
    )
    for diagnostic in diagnostics.order_by("pk"):
        yield WorkItem(
            "sheet_to_accept",
            _("Accept your diagnostic sheet"),
            _day(diagnostic.updated_at),
            diagnostic.get_absolute_url(),
        )


def _steps_led(user: User) -> Iterable[WorkItem]:

    steps = _open_steps().filter(
        action__in=_visible_actions(user).filter(lead_organisation_id=user.organisation_id)
    )
    for step in steps.select_related("action__plan__team").order_by("due_on", "pk"):
        yield _step_item(step, "step")


def _visible_actions(user: User) -> QuerySet[Action]:
    from sobrindustrie.actionplans.models import Action

    return Action.objects.visible_to(user)


def _surveys(user: User) -> Iterable[WorkItem]:
    from sobrindustrie.meetings.models import SurveyInvitation

    now = timezone.now()
    links = SurveyInvitation.objects.filter(
        user=user, response__isnull=True, survey__closed_at__isnull=True, survey__closes_at__gt=now
    )
    for link in links.select_related("survey__meeting").order_by("survey__closes_at", "pk"):
        closes = timezone.localdate(link.survey.closes_at)
        detail = _("open until %(date)s") % {"date": _date_text(closes)}
        yield WorkItem("survey", str(link.survey.meeting.title), closes, link.get_absolute_url(), detail)


def _shared(user: User) -> Iterable[WorkItem]:
    """New items in their spaces, as told by their notifications not read yet (opening one marks it read)."""
    from sobrindustrie.documents.enums import NotificationKind
    from sobrindustrie.documents.models import Notification

    unread = Notification.objects.filter(user=user, kind=NotificationKind.NEW_ITEM, read_at__isnull=True)
    for notification in unread.order_by("created_at", "pk"):
        url = reverse("www:notification_open", args=[notification.pk])
        yield WorkItem("shared", notification.title, _day(notification.created_at), url)


def _coming_meetings(user: User, today: dt.date) -> Iterable[WorkItem]:
    from sobrindustrie.meetings.enums import MeetingStatus
    from sobrindustrie.meetings.models import Meeting

    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    meetings = Meeting.objects.visible_to(user).filter(
        invitations__user=user, starts_at__gte=start, status=MeetingStatus.PLANNED
    )
    for meeting in meetings.order_by("starts_at", "pk"):
        detail = _("on %(date)s") % {"date": _date_text(meeting.starts_on)}
        yield WorkItem("meeting", meeting.title, meeting.starts_on, meeting.get_absolute_url(), detail)


# --- For a user -----------------------------------------------------------------------------------

PRODUCERS: dict[str, Callable[[User, dt.date], list[WorkItem]]] = {
    Role.ADEME: ademe_items,
    Role.CONSULTANT: consultant_items,
    Role.STAFF: consultant_items,
    Role.SME: sme_items,
    Role.PARTNER: partner_items,
}


def items_for(user: User, today: dt.date | None = None) -> list[WorkItem]:
    """Everything waiting for the user, oldest (or most overdue) first."""
    if not user.is_authenticated:
        return []
    role = Role.STAFF if user.is_platform_staff else user.role
    producer = PRODUCERS.get(role)
    if producer is None:
        return []
    items = producer(user, today or timezone.localdate())
    return sorted(items, key=lambda item: (item.date or dt.date.min, item.kind, item.label))


def count_by_kind(items: list[WorkItem]) -> list[tuple[str, str, int]]:
    """(kind, heading, count) of the kinds present, in the order of `KINDS`."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return [(kind, str(label), counts[kind]) for kind, label in KINDS.items() if kind in counts]
