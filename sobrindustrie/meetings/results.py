"""Survey results (response rate, means, distributions, comments) and the tables that exports write.

Reads everything in a fixed number of queries, whatever the number of answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sobrindustrie.accounts.enums import Role
from sobrindustrie.meetings.enums import CHOICE_KINDS, SCALES, QuestionKind
from sobrindustrie.meetings.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)

#: The programme's own people: a survey measures the participants' satisfaction, not theirs.
SURVEY_STAFF_ROLES = (Role.ADEME, Role.CONSULTANT, Role.STAFF)


def is_survey_staff(role: str) -> bool:
    return role in SURVEY_STAFF_ROLES


def counted_links(survey: Survey) -> QuerySet[SurveyInvitation]:
    """The links whose answers count: the participants' (guests included), and the staff's only
    when the survey was set to ask them."""
    links = SurveyInvitation.objects.filter(survey=survey)
    if survey.include_staff:
        return links
    return links.filter(Q(user__isnull=True) | ~Q(user__role__in=SURVEY_STAFF_ROLES))


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    mean: float | None = None
    distribution: list[Bar] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    invited: int
    responded: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responded / self.invited) if self.invited else None


def _bars(counts: Counter[str], labels: list[str], total: int) -> list[Bar]:
    return [Bar(label, counts[label], round(100 * counts[label] / total) if total else 0) for label in labels]


def survey_results(survey: Survey) -> SurveyResults:
    questions = list(survey.questions.all())
    links = counted_links(survey)
    answers = list(SurveyAnswer.objects.filter(response__invitation__in=links).order_by("response_id"))
    by_question: dict[int, list[SurveyAnswer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in questions:
        given = by_question.get(question.pk, [])
        result = QuestionResult(question, answered=len(given))
        scale = SCALES.get(QuestionKind(question.kind))
        if scale is not None:
            numbers = [a.number for a in given if a.number is not None]
            result.mean = round(sum(numbers) / len(numbers), 1) if numbers else None
            counts = Counter(str(n) for n in numbers)
            result.distribution = _bars(counts, [str(n) for n in range(scale[0], scale[1] + 1)], len(numbers))
        elif question.kind in CHOICE_KINDS:
            counts = Counter(choice for a in given for choice in a.selected)
            result.distribution = _bars(counts, list(question.choices), len(given))
        else:
            result.comments = [a.text for a in given if a.text.strip()]
        results.append(result)
    return SurveyResults(
        invited=links.count(),
        responded=SurveyResponse.objects.filter(invitation__in=links).count(),
        questions=results,
    )


def survey_table(survey: Survey) -> list[list[object]]:
    """One row per response, one column per question; the header first. Names are left out: the
    results are shared as anonymous answers."""
    questions = list(survey.questions.all())
    header: list[object] = [_("Response"), _("Answered at"), *[q.text for q in questions]]
    rows: list[list[object]] = [header]
    responses = (
        SurveyResponse.objects.filter(invitation__in=counted_links(survey))
        .prefetch_related("answers")
        .order_by("created_at", "pk")
    )
    for index, response in enumerate(responses, start=1):
        answers = {a.question_id: a for a in response.answers.all()}
        row: list[object] = [index, timezone.localtime(response.updated_at).strftime("%Y-%m-%d %H:%M")]
        for question in questions:
            answer = answers.get(question.pk)
            if answer is None:
                row.append("")
            elif answer.number is not None:
                row.append(answer.number)
            else:
                row.append(answer.display)
        rows.append(row)
    return rows


# --- As documents print them ------------------------------------------------------------------------


@dataclass
class QuestionLine:
    """One survey question as the documents print it: a line, a distribution table, the comments."""

    text: str  # the question, its number of answers and its mean
    header: list[str]
    rows: list[list[str]]
    comments: list[str]


def _distribution(result: QuestionResult) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a question's distribution table; none before anyone answers. Across for
    a scale (one column per value, 11 at most) to keep the documents short, down for a choice question
    (its choices are long)."""
    bars = result.distribution
    if not bars or not result.answered:
        return [], []
    if result.question.scale is not None:
        return [_("Answer"), *(bar.label for bar in bars)], [
            [_("Count"), *(str(bar.count) for bar in bars)],
            [_("Share"), *(f"{bar.percent} %" for bar in bars)],
        ]
    return [_("Answer"), _("Count"), _("Share")], [
        [bar.label, str(bar.count), f"{bar.percent} %"] for bar in bars
    ]


def question_lines(results: SurveyResults) -> list[QuestionLine]:
    """Every question of the survey: its answers, mean, distribution and comments."""
    lines = []
    for result in results.questions:
        answered = ngettext("%(counter)s answer", "%(counter)s answers", result.answered) % {
            "counter": result.answered
        }
        text = f"{result.question.text} ({answered})"
        scale = result.question.scale
        if result.mean is not None and scale is not None:
            mean = _("mean %(mean)s") % {"mean": formats.number_format(result.mean)}
            text += f" — {mean} / {scale[1]}"
        lines.append(QuestionLine(text, *_distribution(result), result.comments))
    return lines
