"""The demo programme: Sobr'Industrie PACA 2025–2027 with 15 fictional laureate SMEs.

Content lives in `demo/data/demo_programme.yaml`; this module turns it into rows. Loading is
idempotent: every row is matched on a stable key and saved only when something changed, so running
it twice changes nothing (no new rows, no new history).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.management import call_command
from django.db import transaction

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.upsert import upsert
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import (
    Commune,
    Need,
    Offer,
    Organisation,
    Person,
    ProductionMeans,
    Site,
)
from sobrindustrie.programmes.models import Programme

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_programme.yaml"
# Each area adds its demo records on top of the backbone, in the order the programme lives them:
# diagnostics feed the cooperation analysis, whose optimum forms the teams, which write action
# plans, which are funded and evaluated. Each module exposes an idempotent `load(programme)`.
AREAS = (
    "meetings",
    "workshop",
    "diagnostics",
    "cooperation",
    "teams",
    "actionplans",
    "funding",
    "evaluation",
    "documents",
    "deliverables",
)
DEFAULT_PASSWORD = "demo-sobrindustrie"
CONSENT_DATE = dt.date(2025, 10, 20)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    organisation: str
    name: str


def read_demo_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)  # type: ignore[no-any-return]


@transaction.atomic
def load_demo(
    password: str | None = None, data: dict[str, Any] | None = None, with_areas: bool = False
) -> list[DemoAccount]:
    data = data or read_demo_data()
    call_command("load_communes", verbosity=0)
    programme = _load_programme(data["programme"])
    accounts = [_load_staff_account(raw, programme, password) for raw in data.get("accounts", [])]
    for raw in data["organisations"]:
        organisation = _load_organisation(raw, programme)
        accounts.extend(_load_people(raw, organisation, password))
    if with_areas:
        for area in AREAS:
            importlib.import_module(f"sobrindustrie.demo.{area}").load(programme)
    return accounts


def _load_programme(raw: dict[str, Any]) -> Programme:
    values = {key: value for key, value in raw.items() if key != "slug"}
    for cap in ("diagnostic_days_cap", "funding_order_days_cap", "evaluation_days_cap"):
        values[cap] = Decimal(str(values[cap]))
    programme, _ = upsert(Programme, {"slug": raw["slug"]}, values)
    return programme


def _set_password(user: User, created: bool, password: str | None) -> None:
    wanted = password or (DEFAULT_PASSWORD if created else None)
    if wanted and not user.check_password(wanted):
        user.set_password(wanted)
        user.save(update_fields=["password"])


def _load_user(email: str, values: dict[str, Any], password: str | None) -> User:
    user, outcome = upsert(User, {"email": email.lower()}, values, clean_exclude=("password",))
    _set_password(user, outcome == "created", password)
    return user


def _load_staff_account(raw: dict[str, Any], programme: Programme, password: str | None) -> DemoAccount:
    role = raw["role"]
    values = {
        "first_name": raw["first_name"],
        "last_name": raw["last_name"],
        "role": role,
        "job_title": raw.get("job_title", ""),
        "is_staff": role in (Role.STAFF, Role.CONSULTANT),
        "is_superuser": role == Role.STAFF,
    }
    user = _load_user(raw["email"], values, password)
    if role in (Role.ADEME, Role.CONSULTANT) and not user.programmes.filter(pk=programme.pk).exists():
        user.programmes.add(programme)
    return DemoAccount(user.email, role, "", user.get_full_name())


def _location(raw: dict[str, Any]) -> dict[str, Any]:
    commune = Commune.objects.get(pk=str(raw["commune"]))
    return {
        "address": raw.get("address", ""),
        "postcode": commune.main_postcode,
        "commune": commune,
        "latitude": raw.get("latitude", commune.latitude),
        "longitude": raw.get("longitude", commune.longitude),
    }


def _load_organisation(raw: dict[str, Any], programme: Programme) -> Organisation:
    values = {
        "kind": raw["kind"],
        "name": raw["name"],
        "siret": raw.get("siret") or "",
        "naf_code": raw.get("naf") or "",
        "workforce": raw.get("workforce"),
        "turnover_band": raw.get("turnover_band") or "",
        "description": raw.get("description", ""),
        "solution_interests": list(raw.get("solution_interests") or []),
        "preformed_group": raw.get("preformed_group") or "",
        **_location(raw),
    }
    organisation, _ = upsert(Organisation, {"programme": programme, "slug": raw["key"]}, values)
    sites = {}
    for index, site in enumerate(raw.get("sites") or []):
        sites[site["key"]], _ = upsert(
            Site,
            {"organisation": organisation, "external_ref": site["key"]},
            {"name": site["name"], "is_main": index == 0, **_location(site)},
        )
    for means in raw.get("production_means") or []:
        _load_production_means(means, organisation, sites)
    for model, key in ((Need, "needs"), (Offer, "offers")):
        for item in raw.get(key) or []:
            upsert(
                model,
                {
                    "organisation": organisation,
                    "kind": item["kind"],
                    "category": item.get("category") or "",
                    "skill": item.get("skill") or "",
                },
                {"hours_per_year": item.get("hours_per_year"), "description": item.get("description", "")},
            )
    return organisation


def _load_production_means(raw: dict[str, Any], organisation: Organisation, sites: dict[str, Site]) -> None:
    fields = [
        "category",
        "name",
        "make",
        "year",
        "mass_kg",
        "main_material",
        "rated_power_kw",
        "annual_operating_hours",
        "utilisation_rate",
        "energy_carrier",
        "annual_consumption_kwh",
        "condition",
        "maintenance_mode",
        "contractor_distance_km",
        "planned_action",
        "planned_year",
        "sharing_hours_per_week",
        "notes",
    ]
    values: dict[str, Any] = {name: raw.get(name) for name in fields if name in raw}
    for text_field in ("make", "main_material", "notes"):
        values[text_field] = values.get(text_field) or ""
    values["model_name"] = raw.get("model") or ""
    value = raw.get("purchase_value_eur")
    values["purchase_value_eur"] = None if value is None else Decimal(str(value))
    values["site"] = sites.get(raw.get("site") or "") or next(iter(sites.values()), None)
    upsert(ProductionMeans, {"organisation": organisation, "external_ref": raw["key"]}, values)


def _load_people(raw: dict[str, Any], organisation: Organisation, password: str | None) -> list[DemoAccount]:
    role = Role.SME if organisation.kind == OrganisationKind.LAUREATE_SME else Role.PARTNER
    accounts = []
    for person_raw in raw.get("people") or []:
        user = None
        if person_raw.get("account"):
            user = _load_user(
                person_raw["email"],
                {
                    "first_name": person_raw["first_name"],
                    "last_name": person_raw["last_name"],
                    "role": role,
                    "organisation": organisation,
                    "job_title": person_raw.get("job_title", ""),
                },
                password,
            )
            accounts.append(DemoAccount(user.email, role, organisation.name, user.get_full_name()))
        upsert(
            Person,
            {"organisation": organisation, "email": person_raw["email"].lower()},
            {
                "first_name": person_raw["first_name"],
                "last_name": person_raw["last_name"],
                "phone": person_raw.get("phone", ""),
                "job_title": person_raw.get("job_title", ""),
                "consent_given_on": CONSENT_DATE,
                "consent_scope": "Contact et suivi dans le cadre du programme Sobr'Industrie",
                "user": user,
            },
        )
    return accounts
