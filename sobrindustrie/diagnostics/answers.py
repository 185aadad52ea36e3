"""Turn what a person typed into a typed answer, or a message saying what is wrong."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sobrindustrie.diagnostics.methods.schema import Question

MAX_TEXT = 5000
YES = {"yes", "oui", "true", "1"}
NO = {"no", "non", "false", "0"}


class AnswerError(ValueError):
    """The typed value does not fit the question; the message is shown next to it."""


def parse_answer(question: Question, raw: str | None) -> Any:
    """The typed value of `raw` for `question`; None when the field was emptied (no answer)."""
    text = (raw or "").strip()
    if not text:
        return None
    if question.kind == "yes_no":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise AnswerError(_("Answer yes or no."))
    if question.kind == "choice":
        if text not in {choice.value for choice in question.choices}:
            raise AnswerError(_("Pick one of the proposed answers."))
        return text
    if question.kind == "number":
        return _number(question, text)
    if len(text) > MAX_TEXT:
        raise AnswerError(_("Keep the answer under %(max)d characters.") % {"max": MAX_TEXT})
    return text


def _number(question: Question, text: str) -> float | int:
    compact = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(compact)
    except ValueError:
        raise AnswerError(_("Enter a number, e.g. 12 or 12,5.")) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise AnswerError(_("Enter a number, e.g. 12 or 12,5."))
    low, high = question.minimum, question.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = {
            "min": number_format(low) if low is not None else "−∞",
            "max": number_format(high) if high is not None else "∞",
            "unit": question.unit,
        }
        raise AnswerError(_("Enter a value between %(min)s and %(max)s %(unit)s.") % bounds)
    return int(value) if value.is_integer() else value


def display_answer(question: Question, value: Any) -> str:
    """How an answer reads on a page or a sheet."""
    if value is None:
        return "—"
    if question.kind == "yes_no":
        return str(_("Yes") if value else _("No"))
    if question.kind == "choice":
        return question.choice_label(value)
    if question.kind == "number":
        return f"{number_format(value)} {question.unit}".strip()
    return str(value)


def form_value(question: Question, value: Any) -> str:
    """The value as it goes back into a form field."""
    if value is None:
        return ""
    if question.kind == "yes_no":
        return "yes" if value else "no"
    if question.kind == "number":
        return number_format(value)
    return str(value)
