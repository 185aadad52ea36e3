"""Refreshing the catalogue from its sources: read everything, show the difference, then apply it whole.

A refresh reads every entry of a source (the programme files of a Mission Transition Écologique
directory, or the aids an Aides-territoires search returns) before it touches the database. If one
entry is unusable (malformed YAML, a missing title, a date that is not one, rules the engine cannot
parse...) nothing is applied and every unusable entry is named with its field. Otherwise the plan
says what is new, what changed (which fields), what the source no longer publishes (withdrawn) and
which schemes are past their end of validity (expired); applying it is one transaction.

Withdrawn and expired schemes stay in the catalogue for history (applications and shortlists point to
them) and are left out of eligibility and matching (`FundingScheme.objects.in_force`). Rules that
name a rule existing nowhere (as 8 of the 264 published files do) are not a broken file: the scheme
is kept and its eligibility reads "cannot be evaluated", as the reference engine reports it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sobrindustrie.core.upsert import differs, upsert
from sobrindustrie.engines.publicodes import Interface, PublicodesError
from sobrindustrie.engines.publicodes.catalogue import (
    INTERFACE_FILE_NAME,
    find_interface,
    programme_rules,
    read_yaml,
)
from sobrindustrie.engines.publicodes.errors import UnknownReferenceError
from sobrindustrie.funding.enums import SchemeSource
from sobrindustrie.funding.importer import fingerprint, store_interface
from sobrindustrie.funding.models import CatalogueImport, FundingScheme
from sobrindustrie.funding.mte import TEXT_FIELDS, scheme_values

#: Model field → key of the programme file, to name the source's field in an error.
MTE_KEYS = {name: key for key, name in TEXT_FIELDS.items()} | {
    "valid_from": "début de validité",
    "valid_until": "fin de validité",
    "nature": "nature de l'aide",
    "other_operators": "autres opérateurs",
    "eligibility_conditions": "conditions d'éligibilité",
    "publicodes_rules": "publicodes",
    "steps": "objectifs",
    "url": "url",
}
_QUOTED_KEY = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Broken:
    """An entry of the source that cannot be used: its file (or identifier), the field and why."""

    file: str
    field: str
    reason: str

    def line(self) -> str:
        if self.field:
            return _("%(file)s, field “%(field)s”: %(reason)s") % {
                "file": self.file,
                "field": self.field,
                "reason": self.reason,
            }
        return _("%(file)s: %(reason)s") % {"file": self.file, "reason": self.reason}


class RefreshRefused(ValueError):
    """The source holds unusable entries: nothing was changed."""

    def __init__(self, broken: list[Broken]) -> None:
        self.broken = broken
        super().__init__("; ".join(item.line() for item in broken))


@dataclass(frozen=True)
class Incoming:
    """One scheme as the source gives it: the FundingScheme values it sets, and where it was read."""

    slug: str
    values: dict[str, Any]
    file: str
    #: Values written when the scheme is created only (the consultant's tracking fields).
    initial: dict[str, Any] = field(default_factory=dict)


@dataclass
class RefreshPlan:
    source: str
    read_from: str
    today: dt.date
    incoming: dict[str, Incoming]
    new: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    #: (file, reason): rules the engine refuses; the scheme is kept, its eligibility cannot be evaluated.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    interface_path: Path | None = None
    interface_changed: bool = False
    source_date: dt.date | None = None

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.withdrawn or self.interface_changed)

    def changes(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "changed": self.changed,
            "withdrawn": self.withdrawn,
            "expired": self.expired,
        }

    def lines(self) -> list[str]:
        """The report, in the site's language: counts, then each scheme concerned."""
        lines = [
            _("Source: %(source)s, read from “%(name)s”, %(count)d schemes.")
            % {
                "source": SchemeSource(self.source).label,
                "name": self.read_from,
                "count": len(self.incoming),
            },
            _("New: %(count)d") % {"count": len(self.new)},
        ]
        lines += [f"  + {slug}" for slug in self.new]
        lines.append(_("Changed: %(count)d") % {"count": len(self.changed)})
        lines += [f"  ~ {slug} ({', '.join(fields)})" for slug, fields in self.changed.items()]
        lines.append(
            _("Withdrawn by the source (kept for history): %(count)d") % {"count": len(self.withdrawn)}
        )
        lines += [f"  - {slug}" for slug in self.withdrawn]
        lines.append(_("Unchanged: %(count)d") % {"count": len(self.unchanged)})
        lines.append(
            _("Expired (past their end date, kept, left out of matching): %(count)d")
            % {"count": len(self.expired)}
        )
        lines += [f"  × {slug}" for slug in self.expired]
        if self.warnings:
            lines.append(
                _("Rules the engine refuses (eligibility cannot be evaluated): %(count)d")
                % {"count": len(self.warnings)}
            )
            lines += [f"  ! {name}: {reason}" for name, reason in self.warnings]
        if self.interface_changed:
            lines.append(_("The shared interface (%(name)s) changed.") % {"name": INTERFACE_FILE_NAME})
        return lines


# --- Reading a Mission Transition Écologique directory --------------------------------------------


def _field_of(reason: str) -> str:
    found = _QUOTED_KEY.search(reason)
    return MTE_KEYS.get(found.group(1), found.group(1)) if found else ""


def _validation_broken(file: str, error: ValidationError, keys: Mapping[str, str]) -> list[Broken]:
    if not hasattr(error, "error_dict"):
        return [Broken(file, "", " ".join(error.messages))]
    return [
        Broken(file, keys.get(name, name), " ".join(messages))
        for name, messages in error.message_dict.items()
    ]


def check_values(incoming: Incoming, keys: Mapping[str, str]) -> list[Broken]:
    """What the model refuses in an entry's values (lengths, choices, dates...), without the database."""
    scheme = FundingScheme(slug=incoming.slug, **incoming.values, **incoming.initial)
    try:
        scheme.full_clean(validate_unique=False)
    except ValidationError as error:
        return _validation_broken(incoming.file, error, keys)
    return []


def read_mte_directory(
    directory: Path, interface_path: Path | None = None
) -> tuple[dict[str, Incoming], list[tuple[str, str]], Path]:
    """Every programme file of `directory` read and checked; RefreshRefused naming each unusable one."""
    if not directory.is_dir():
        raise RefreshRefused([Broken(directory.name, "", _("not a directory"))])
    interface_path = interface_path or find_interface(directory)
    if interface_path is None:
        raise RefreshRefused(
            [Broken(directory.name, "", _("no %(name)s in or next to it") % {"name": INTERFACE_FILE_NAME})]
        )
    try:
        interface = Interface.from_rules(read_yaml(interface_path), source=interface_path.name)
    except PublicodesError as error:
        raise RefreshRefused([Broken(interface_path.name, error.rule or "", error.reason)]) from None
    incoming: dict[str, Incoming] = {}
    broken: list[Broken] = []
    warnings: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == INTERFACE_FILE_NAME:
            continue
        entry, problems, warning = _read_programme(path, interface)
        broken += problems
        if warning:
            warnings.append((path.name, warning))
        if entry is not None and not problems:
            incoming[entry.slug] = entry
    if broken:
        raise RefreshRefused(broken)
    return incoming, warnings, interface_path


def _read_programme(path: Path, interface: Interface) -> tuple[Incoming | None, list[Broken], str]:
    try:
        data = read_yaml(path)
    except PublicodesError as error:
        return None, [Broken(path.name, "", error.reason)], ""
    if not isinstance(data, Mapping):
        return None, [Broken(path.name, "", _("a programme file must be a YAML mapping"))], ""
    try:
        values = scheme_values(path.stem, data)
    except ValueError as error:
        return None, [Broken(path.name, _field_of(str(error)), str(error))], ""
    warning = ""
    try:
        programme_rules(data, interface, path.name)
    except UnknownReferenceError as error:
        warning = f"rule {error.rule!r}: {error.reason}" if error.rule else error.reason
    except PublicodesError as error:
        rule = f"publicodes . {error.rule}" if error.rule else "publicodes"
        return None, [Broken(path.name, rule, error.reason)], ""
    entry = Incoming(path.stem, values, path.name)
    return entry, check_values(entry, MTE_KEYS), warning


# --- Planning and applying --------------------------------------------------------------------------


def plan_refresh(
    source: str,
    incoming: dict[str, Incoming],
    read_from: str,
    today: dt.date,
    *,
    warnings: list[tuple[str, str]] | None = None,
    interface_path: Path | None = None,
    source_date: dt.date | None = None,
) -> RefreshPlan:
    """Compare what the source gives with the catalogue; RefreshRefused if a slug belongs to another source."""
    plan = RefreshPlan(
        source,
        read_from,
        today,
        incoming,
        warnings=warnings or [],
        interface_path=interface_path,
        source_date=source_date,
    )
    existing = {scheme.slug: scheme for scheme in FundingScheme.objects.filter(slug__in=list(incoming))}
    broken = []
    for slug, entry in incoming.items():
        scheme = existing.get(slug)
        if scheme is None:
            plan.new.append(slug)
        elif scheme.source != source:
            broken.append(
                Broken(
                    entry.file,
                    "",
                    _("the identifier %(slug)s is already used by a scheme of another source (%(other)s)")
                    % {"slug": slug, "other": scheme.get_source_display()},
                )
            )
        else:
            fields = [name for name, value in entry.values.items() if differs(getattr(scheme, name), value)]
            if scheme.withdrawn_on is not None:
                fields.append("withdrawn_on")
            if fields:
                plan.changed[slug] = [
                    str(FundingScheme._meta.get_field(name).verbose_name) for name in fields
                ]
            else:
                plan.unchanged.append(slug)
        valid_until = entry.values.get("valid_until")
        if valid_until is not None and valid_until < today:
            plan.expired.append(slug)
    if broken:
        raise RefreshRefused(broken)
    plan.withdrawn = list(
        FundingScheme.objects.filter(source=source, withdrawn_on__isnull=True)
        .exclude(slug__in=list(incoming))
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    if interface_path is not None:
        from sobrindustrie.funding.importer import current_interface

        current = current_interface()
        rules = read_yaml(interface_path)
        plan.interface_changed = current is None or current.sha256 != fingerprint(rules)
    return plan


@transaction.atomic
def apply_refresh(plan: RefreshPlan) -> CatalogueImport:
    """Write the plan in one transaction; the run is recorded (source, folder name, counts, changes)."""
    if plan.interface_path is not None:
        store_interface(plan.interface_path)
    day = plan.source_date or plan.today
    for slug in [*plan.new, *plan.changed]:
        entry = plan.incoming[slug]
        values = {**entry.values, "withdrawn_on": None}
        values.setdefault("source_date", day)
        if slug in plan.new:
            values.update(entry.initial)
        upsert(FundingScheme, {"slug": slug}, values)
    for scheme in FundingScheme.objects.filter(slug__in=plan.withdrawn):
        scheme.withdrawn_on = plan.today
        scheme.save()
    return CatalogueImport.objects.create(
        source=plan.source,
        directory=plan.read_from[:300],
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=len(plan.unchanged),
        withdrawn=len(plan.withdrawn),
        refused=[{"file": name, "reason": reason} for name, reason in plan.warnings],
        changes=plan.changes(),
    )


def plan_mte_refresh(
    directory: Path,
    today: dt.date,
    interface_path: Path | None = None,
    source_date: dt.date | None = None,
) -> RefreshPlan:
    incoming, warnings, interface = read_mte_directory(directory, interface_path)
    return plan_refresh(
        SchemeSource.MTE,
        incoming,
        directory.name,
        today,
        warnings=warnings,
        interface_path=interface,
        source_date=source_date,
    )
