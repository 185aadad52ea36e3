"""How the API writes: through the page's own form, so that one rule lives in one place.

A write endpoint builds the form the page uses (with the field rules of the access model,
`accounts.access.GUARDED_FIELDS`, through `FieldRulesMixin`), feeds it the JSON body as the
browser would feed it the POST, and saves it only when every rule passes. Anything refused answers
422 with one entry per problem: `{"detail": [{"loc": ["body", field], "msg": ..., "type": ...}]}`,
the same shape as a body of the wrong type, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Status

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.www.forms import FieldRulesMixin

#: The statuses a write answers besides its success.
CREATED, UNPROCESSABLE, CONFLICT = 201, 422, 409


@cache
def with_field_rules(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:  # type: ignore[type-arg]
    """The page's form with the access model's field rules (a no-op where the model has none)."""
    if issubclass(form_class, FieldRulesMixin):
        return form_class
    return type(f"Api{form_class.__name__}", (FieldRulesMixin, form_class), {})


def form_data(body: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    """The JSON body as the form's POST: the API's names (`consultant_id`) become the form's
    (`consultant`); null becomes empty, as a cleared input."""
    reverse = {api: form for form, api in names.items()}
    data = {}
    for key, value in body.items():
        data[reverse.get(key, key)] = "" if value is None else str(value)
    return data


def errors_of(form: forms.BaseForm, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each refusal, naming the field as the API names it, with the page's message."""
    problems = []
    for field, errors in form.errors.get_json_data().items():
        loc = ["body"] if field == NON_FIELD_ERRORS else ["body", names.get(field, field)]
        for error in errors:
            problems.append({"loc": loc, "msg": error["message"], "type": error["code"] or "invalid"})
    return problems


class Refused(Exception):
    """A value of the body refused before any form runs (e.g. a programme the caller cannot see):
    the API answers it as a 422 naming the field (see `api.api`)."""

    def __init__(self, field: str, message: str, kind: str = "invalid") -> None:
        super().__init__(message)
        self.body = {"detail": [{"loc": ["body", field], "msg": message, "type": kind}]}


def save(
    form: forms.ModelForm,  # type: ignore[type-arg]
    names: dict[str, str],
    prepare: Callable[[Any], None] | None = None,
) -> Status:
    """Validate and save the form (a creation when its instance is new, else an edit checked against
    the version the caller read); the status and what to answer."""
    creating = form.instance.pk is None
    if not form.is_valid():
        return Status(UNPROCESSABLE, {"detail": errors_of(form, names)})
    try:
        with transaction.atomic():
            if creating:
                instance = form.save(commit=False)
                if prepare is not None:
                    prepare(instance)
                instance.save()
                form.save_m2m()
            else:
                instance = form.save()
    except ConcurrentEditError:
        return Status(
            CONFLICT,
            {
                "detail": _(
                    "Someone else changed this record since you read it: nothing was saved. Read it "
                    "again and send your changes with its new version."
                )
            },
        )
    except ValidationError as error:
        # A rule checked when saving (by the model or a service) is refused like any other.
        items = (
            error.message_dict.items()
            if hasattr(error, "error_dict")
            else [(NON_FIELD_ERRORS, error.messages)]
        )
        for field, messages in items:
            form.add_error(field if field in form.fields else None, messages)
        return Status(UNPROCESSABLE, {"detail": errors_of(form, names)})
    return Status(CREATED if creating else 200, instance)
