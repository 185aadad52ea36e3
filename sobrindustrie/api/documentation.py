"""The documentation page for integrators, built from the served OpenAPI schema.

Everything technical (paths, parameters, body fields, statuses) is read from the schema, so the
page cannot drift from the API; what people read around it (a sentence per operation, the
headings) is French through gettext. A test checks every operation has its sentence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sobrindustrie.api.openapi import current_schema

READ_METHODS = {"get", "head", "options"}

#: One sentence per operation (its operationId), in the reader's language.
SUMMARIES: dict[str, Promise] = {
    "me": _("Who the token belongs to: role, organisation and programmes."),
    "programme_list": _("The programmes you can see."),
    "programme_detail": _("One programme."),
    "organisation_list": _("The organisations you can see (companies, partners)."),
    "organisation_detail": _("One organisation."),
    "production_means_list": _("The production means of the organisations you can see."),
    "production_means_detail": _("One production means."),
    "team_list": _("The project teams you can see."),
    "team_detail": _("One project team, with its current members."),
    "action_list": _("The actions of the action plans you can see."),
    "action_detail": _("One action."),
    "indicator_list": _("The indicators of the actions you can see."),
    "indicator_detail": _("One indicator, with its measurements."),
    "opportunity_list": _("The cooperation opportunities you can see."),
    "opportunity_detail": _("One cooperation opportunity."),
    "funding_application_list": _("The funding applications you can see."),
    "funding_application_detail": _("One funding application (amounts only for those who may read them)."),
    "evaluation_list": _("The Empreinte Projet evaluations you can see."),
    "evaluation_detail": _("One evaluation: definition, consequences, results and GHG balance."),
    "meeting_list": _("The meetings you can see (all of your programmes', or those you are invited to)."),
    "meeting_detail": _("One meeting."),
    "minutes_list": _("Minutes validated by ADEME, of the meetings you can see."),
    "minutes_detail": _("One set of validated minutes."),
    "decision_list": _("The decision record: the decisions and actions decided at meetings."),
    "decision_detail": _("One decision."),
    "obligation_list": _("The contract's obligations and their status today, as on the obligations page."),
    "deliverable_list": _("The deliverables registry: due dates and statuses."),
    "time_entry_list": _("The days of support spent by the consultants."),
    "time_entry_create": _("Record days of support (consultants of the programme)."),
    "time_entry_detail": _("One time entry."),
    "time_entry_update": _("Change a time entry: send only the fields to change, with its version."),
    "trip_list": _("The journeys of the consultancy's travel log."),
    "trip_create": _("Log a journey in the travel log (consultants of the programme)."),
    "trip_detail": _("One journey."),
    "trip_update": _("Change a journey: send only the fields to change, with its version."),
    "measurement_list": _("The measurements of the indicators you can see."),
    "measurement_create": _("Record an indicator's value (whoever may edit the action)."),
}

#: What each status means for an integrator.
STATUSES: dict[str, Promise] = {
    "200": _("Success."),
    "400": _("The body is not JSON."),
    "201": _("Created: the body is the new record."),
    "401": _("No token, or an unknown, revoked or deactivated one."),
    "403": _("A read-only token, or a record you may read but not change."),
    "404": _("Unknown, or not visible to you."),
    "409": _("The record changed since you read it: read it again."),
    "422": _("A refused value: each entry names the field (loc) and the rule (msg); nothing was saved."),
}

EXAMPLE_VALUES = {"integer": 1, "number": 0.5, "boolean": True, "string": "…"}
EXAMPLE_FORMATS = {"date": "2026-11-30", "date-time": "2026-11-30T09:00:00+01:00"}


@dataclass
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    description: str
    writes: bool
    parameters: list[Parameter] = field(default_factory=list)
    body: list[Parameter] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)
    example: str = ""

    @property
    def scope(self) -> str:
        return "read_write" if self.writes else "read"


def _type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s, components) for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type", "")
    if kind == "array":
        return f"list[{_type(schema.get('items', {}), components)}]"
    return schema.get("format", kind) if kind == "string" else kind


def _example(schema: dict[str, Any]) -> Any:
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    first = options[0] if options else {}
    if "format" in first:
        return EXAMPLE_FORMATS.get(first["format"], "…")
    return EXAMPLE_VALUES.get(first.get("type", ""), "…")


def _body(operation: dict[str, Any], components: dict[str, Any]) -> tuple[list[Parameter], dict[str, Any]]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return [], {}
    model = components[content["schema"]["$ref"].rsplit("/", 1)[-1]]
    required = set(model.get("required", []))
    fields, example = [], {}
    for name, schema in model["properties"].items():
        fields.append(
            Parameter(
                name, "body", _type(schema, components), name in required, schema.get("description", "")
            )
        )
        if name in required:
            example[name] = _example(schema)
    return fields, example


def operations(site_url: str = "") -> list[Operation]:
    schema = current_schema()
    components = schema["components"]["schemas"]
    result = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operation_id = operation["operationId"]
            parameters = [
                Parameter(
                    p["name"],
                    p["in"],
                    _type(p["schema"], components),
                    p.get("required", False),
                    p["schema"].get("description", ""),
                )
                for p in operation.get("parameters", [])
            ]
            body, example_body = _body(operation, components)
            writes = method not in READ_METHODS
            command = ['curl -H "Authorization: Bearer sbi_…"']
            if writes:
                command.append(f'-X {method.upper()} -H "Content-Type: application/json"')
                command.append(f"-d '{json.dumps(example_body, ensure_ascii=False)}'")
            command.append(f"{site_url}{_concrete(path)}")
            result.append(
                Operation(
                    operation_id=operation_id,
                    method=method.upper(),
                    path=path,
                    tag=(operation.get("tags") or [""])[0],
                    summary=str(SUMMARIES.get(operation_id, operation.get("summary", ""))),
                    description=operation.get("description", ""),
                    writes=writes,
                    parameters=parameters,
                    body=body,
                    statuses=[(code, str(STATUSES.get(code, ""))) for code in operation["responses"]],
                    example=" \\\n  ".join(command),
                )
            )
    return result


def _concrete(path: str) -> str:
    """The path with its identifiers filled in, for an example."""
    parts = []
    for part in path.split("/"):
        parts.append("1" if part.startswith("{") else part)
    return "/".join(parts)
