"""The organisation form's « Rechercher dans l'annuaire des entreprises » step.

The form is posted with a `registry` button (search: a SIRET or a name) or a `registry_pick`
button (one candidate's SIRET). Nothing is saved: the form comes back with what was typed, the
candidates, and, once a company is picked, its values where the form was empty. Where the user had
typed something else, the field becomes a choice between the two values, typed value selected:
the registry never overwrites silently. When the registry cannot help, a notice says why and the
form works by hand.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from sobrindustrie.organisations.enums import HeadcountBracket
from sobrindustrie.organisations.models import Commune
from sobrindustrie.organisations.registry import (
    CompanyRegistry,
    RegistryCompany,
    RegistryUnavailable,
    municipality_code,
)
from sobrindustrie.organisations.validators import normalise_naf, normalise_siret

SEARCH_BUTTON = "registry"
PICK_BUTTON = "registry_pick"
QUERY_FIELD = "registry_q"


def unavailable_message(reason: str) -> str:
    """Why the registry could not help, and what to do: one sentence per `RegistryUnavailable.reason`."""
    messages = {
        "timeout": _("The company registry did not answer in time."),
        "unreachable": _("The company registry cannot be reached from the platform."),
        "rate_limited": _(
            "The company registry receives too many requests right now: try again in a minute."
        ),
        "server_error": _("The company registry is out of order right now."),
        "refused": _("The company registry refused this search."),
        "malformed": _("The company registry gave an answer the platform cannot read."),
    }
    return "{} {}".format(messages.get(reason, messages["unreachable"]), _("Fill in the form by hand."))


def is_registry_step(data: QueryDict) -> bool:
    return SEARCH_BUTTON in data or PICK_BUTTON in data


@dataclass(frozen=True)
class Proposal:
    """A field where the registry and the user disagree: the form offers both values."""

    name: str
    typed: str
    typed_display: str
    registry: str
    registry_display: str


@dataclass
class RegistryStep:
    query: str = ""
    candidates: list[RegistryCompany] = field(default_factory=list)
    chosen: RegistryCompany | None = None
    filled: list[str] = field(default_factory=list)  # labels of the fields filled from the registry
    proposals: dict[str, Proposal] = field(default_factory=dict)
    problem: str = ""
    initial: dict[str, Any] = field(default_factory=dict)


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace("'", " ").replace("’", " ").split())


def _commune(company: RegistryCompany) -> Commune | None:
    code = municipality_code(company.commune_code)
    return Commune.objects.filter(pk=code).first() if code else None


def registry_values(company: RegistryCompany) -> dict[str, tuple[str, str]]:
    """Form values from the registry: field name -> (value as posted, value as shown)."""
    values = {
        "name": (company.name, company.name),
        "siret": (company.siret, company.siret),
        "naf_code": (company.naf_code, company.naf_code),
        "address": (company.address, company.address),
        "postcode": (company.postcode, company.postcode),
    }
    commune = _commune(company)
    if commune is not None:
        values["commune"] = (str(commune.pk), str(commune))
    elif company.commune_name:
        values["city_name"] = (company.commune_name.title(), company.commune_name.title())
    if company.headcount_bracket:
        label = str(HeadcountBracket(company.headcount_bracket).label)
        values["headcount_bracket"] = (company.headcount_bracket, label)
    return values


def _agree(name: str, typed: str, registry: str) -> bool:
    if name == "siret":
        return normalise_siret(typed) == registry
    if name == "naf_code":
        return normalise_naf(typed) == registry
    # A name typed with its accents and capitals is the registry's name, not another one.
    return _folded(typed) == _folded(registry)


def _typed_display(form: forms.BaseForm, name: str, typed: str) -> str:
    choices = getattr(form.fields[name], "choices", None)
    if choices is not None:
        return next((str(label) for value, label in choices if str(value) == typed), typed)
    return typed


def initial_from(data: QueryDict, form: forms.BaseForm) -> dict[str, Any]:
    """What was typed, as the initial values of an unbound form (disabled fields keep theirs)."""
    initial: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        if form_field.disabled or name not in data:
            continue
        multiple = isinstance(form_field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple)
        initial[name] = data.getlist(name) if multiple else data.get(name, "")
    return initial


def merge(step: RegistryStep, data: QueryDict, form: forms.BaseForm, company: RegistryCompany) -> None:
    """Fill the empty fields from `company`; list a proposal for each field typed otherwise."""
    step.chosen = company
    for name, (value, display) in registry_values(company).items():
        if name not in form.fields or form.fields[name].disabled or not value:
            continue
        typed = (data.get(name) or "").strip()
        if not typed:
            step.initial[name] = value
            step.filled.append(str(form.fields[name].label))
        elif not _agree(name, typed, value):
            step.proposals[name] = Proposal(name, typed, _typed_display(form, name, typed), value, display)


def run_step(data: QueryDict, form: forms.BaseForm, registry: CompanyRegistry | None = None) -> RegistryStep:
    """Search the registry, or apply the picked company, for the form posted as `data`."""
    registry = registry or CompanyRegistry.from_settings()
    step = RegistryStep(initial=initial_from(data, form))
    picked = normalise_siret(data.get(PICK_BUTTON, ""))
    step.query = " ".join((data.get(QUERY_FIELD) or data.get("siret") or data.get("name") or "").split())
    try:
        if picked:
            # The candidates of the search that offered it are in the cache; else ask for the SIRET.
            listed = registry.search(step.query) if step.query else []
            company = next((c for c in listed if c.siret == picked), None) or registry.lookup(picked)
            if company is None:
                step.problem = _("The registry no longer knows this company. Fill in the form by hand.")
            else:
                merge(step, data, form, company)
            return step
        if not step.query:
            step.problem = _("Type a SIRET or a company name to search the registry.")
            return step
        step.candidates = registry.search(step.query)
    except RegistryUnavailable as error:
        step.problem = unavailable_message(error.reason)
        return step
    siret = normalise_siret(step.query)
    exact = [c for c in step.candidates if c.siret == siret]
    if len(exact) == 1:
        # A SIRET names one establishment: no candidate to choose, its values go to the form.
        merge(step, data, form, exact[0])
        step.candidates = []
    elif not step.candidates:
        step.problem = _(
            "The registry knows no company for “%(query)s”. Check it, or fill in the form by hand."
        ) % {"query": step.query}
    return step
