"""Satisfaction surveys: set-up and results for the programme's staff, and the personal answer page
reached through a link that needs no login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.meetings import services
from sobrindustrie.meetings.enums import SURVEY_KINDS
from sobrindustrie.meetings.exports import table_response
from sobrindustrie.meetings.models import Meeting, Survey, SurveyInvitation, SurveyResponse
from sobrindustrie.meetings.perms import can_manage_meetings
from sobrindustrie.meetings.results import survey_results, survey_table
from sobrindustrie.www.meetings_views.common import managed_meeting, overseen_meeting
from sobrindustrie.www.meetings_views.forms import (
    QuestionForm,
    SurveyAnswerForm,
    SurveySettingsForm,
    initial_answers,
)


def _survey_of(meeting: Meeting) -> Survey:
    return get_object_or_404(Survey, meeting=meeting)


def survey_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's questions, links and results; consultants also change its settings here."""
    meeting = overseen_meeting(request, pk)
    manage = can_manage_meetings(request.user, meeting.programme)  # type: ignore[arg-type]
    survey = Survey.objects.filter(meeting=meeting).first()
    if survey is None:
        context = {
            "meeting": meeting,
            "programme": meeting.programme,
            "survey": None,
            "can_manage": manage,
            "survey_possible": meeting.kind in SURVEY_KINDS,
            "page_title": _("Satisfaction survey"),
        }
        return render(request, "www/meetings/survey_manage.html", context)
    settings_form = None
    if manage:
        settings_form = SurveySettingsForm(request.POST or None, instance=survey, prefix="settings")
        if request.method == "POST" and settings_form.is_valid():
            settings_form.save()
            messages.success(request, _("Survey settings saved."))
            return redirect("www:survey_manage", pk=meeting.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request, "www/meetings/survey_manage.html", _manage_context(meeting, survey, manage, settings_form)
    )


def _manage_context(
    meeting: Meeting, survey: Survey, manage: bool, settings_form: Any, question_form: Any = None
) -> dict[str, Any]:
    locked = services.survey_has_answers(survey)
    answered = set(
        SurveyResponse.objects.filter(invitation__survey=survey).values_list("invitation_id", flat=True)
    )
    return {
        "meeting": meeting,
        "programme": meeting.programme,
        "survey": survey,
        "can_manage": manage,
        "questions": survey.questions.all(),
        "links": survey.invitations.all(),
        "answered": answered,
        "locked": locked,
        "results": survey_results(survey),
        "settings_form": settings_form,
        "question_form": question_form
        or (QuestionForm(survey=survey, prefix="question") if manage and not locked else None),
        "page_title": _("Satisfaction survey"),
    }


@require_POST
def survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    if meeting.kind not in SURVEY_KINDS:
        messages.error(request, _("Satisfaction surveys are for workshops, webinars, sessions and events."))
    elif Survey.objects.filter(meeting=meeting).exists():
        messages.warning(request, _("This meeting already has a survey."))
    else:
        services.create_survey(meeting)
        messages.success(request, _("Survey created with the standard questions; adapt them before sending."))
    return redirect("www:survey_manage", pk=meeting.pk)


@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    survey = _survey_of(meeting)
    if services.survey_has_answers(survey):
        messages.error(request, _("People have already answered: the questions can no longer change."))
        return redirect("www:survey_manage", pk=meeting.pk)
    form = QuestionForm(request.POST, survey=survey, prefix="question")
    if not form.is_valid():
        context = _manage_context(
            meeting, survey, True, SurveySettingsForm(instance=survey, prefix="settings"), form
        )
        return render(request, "www/meetings/survey_manage.html", context)
    question = form.save(commit=False)
    question.position = survey.questions.count() + 1
    question.save()
    messages.success(request, _("Question added."))
    return redirect("www:survey_manage", pk=meeting.pk)


@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    survey = _survey_of(meeting)
    question = get_object_or_404(survey.questions, pk=question_pk)
    if services.survey_has_answers(survey):
        messages.error(request, _("People have already answered: the questions can no longer change."))
    else:
        question.delete()
        messages.success(request, _("Question deleted."))
    return redirect("www:survey_manage", pk=meeting.pk)


@require_POST
def survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    survey = _survey_of(meeting)
    if not survey.is_open:
        messages.error(request, _("The survey is closed: no link was sent."))
        return redirect("www:survey_manage", pk=meeting.pk)
    sent = services.send_survey_links(survey)
    if sent:
        messages.success(request, _("%(count)d personal link(s) sent.") % {"count": sent})
    else:
        messages.warning(request, _("Every attendee has already received a link (or has no e-mail address)."))
    return redirect("www:survey_manage", pk=meeting.pk)


@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    survey = _survey_of(meeting)
    if survey.is_open:
        services.close_survey(survey)
        messages.success(request, _("Survey closed: the links now refuse new answers and changes."))
    return redirect("www:survey_manage", pk=meeting.pk)


def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = overseen_meeting(request, pk)
    survey = _survey_of(meeting)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(survey_table(survey), f"enquete-satisfaction-{meeting.pk}", fmt)


@login_not_required
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """A person's answer, through their personal link: one answer, editable until the survey closes."""
    link = get_object_or_404(SurveyInvitation.objects.select_related("survey__meeting"), token=token)
    survey = link.survey
    questions = list(survey.questions.all())
    response = SurveyResponse.objects.filter(invitation=link).prefetch_related("answers__question").first()
    initial = initial_answers(response) if response else {}
    form = SurveyAnswerForm(request.POST or None, questions=questions, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(link, form.values(), form.cleaned_data["expected_version"])
        except services.SurveyClosedError as error:
            messages.error(request, str(error))
            status = 409
        except (services.AlreadyAnsweredError, ConcurrentEditError) as error:
            messages.error(request, str(error))
            status = 409
            # Keep what was just typed, now set to replace the stored answer if sent again.
            response = SurveyResponse.objects.filter(invitation=link).first()
            data = request.POST.copy()
            data["expected_version"] = str(response.version) if response else ""
            form = SurveyAnswerForm(data, questions=questions)
        else:
            messages.success(
                request, _("Thank you: your answer is recorded. You may change it until the survey closes.")
            )
            return redirect("www:survey_answer", token=token)
    context = {
        "link": link,
        "survey": survey,
        "meeting": survey.meeting,
        "form": form,
        "response": response,
        "is_open": survey.is_open,
        "page_title": _("Satisfaction survey: %(title)s") % {"title": survey.meeting.title},
    }
    return render(request, "www/meetings/survey_answer.html", context, status=status)
