"""The cooperations that bind a team's members, found by the cooperation engine on their own data.

The programme's latest cooperation analysis comes first (what the consultant presented); the engine
is also run on the members alone, because the analysis may predate a member or leave outside
structures out. The team is already formed, so distance does not filter that run (the radius is the
whole region): the question is what the members can do for each other, not who is near whom.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps

from sobrindustrie.cooperation.wording import sentence_of
from sobrindustrie.core.enums import Solution
from sobrindustrie.engines import teams as engine
from sobrindustrie.organisations.models import Need, Offer, Organisation, ProductionMeans

#: Wider than Provence-Alpes-Côte d'Azur (about 300 km across) so that no member pair is cut off.
REGION_RADIUS_KM = 600.0
MAX_COOPERATIONS = 15


@dataclass(frozen=True)
class TeamCooperation:
    solution: str
    provider_id: int
    receiver_id: int
    provider: str
    receiver: str
    text: str
    subject: str = ""

    @property
    def solution_label(self) -> str:
        return str(Solution(self.solution).label) if self.solution in Solution.values else self.solution


def _stored(organisations: Sequence[Organisation]) -> list[TeamCooperation]:
    """Opportunities between the members in the programme's latest cooperation analysis, if the
    cooperation area is installed and has run one."""
    try:
        analysis_model = apps.get_model("cooperation", "CooperationAnalysis")
        opportunity_model = apps.get_model("cooperation", "DetectedOpportunity")
    except LookupError:
        return []
    if not organisations:
        return []
    latest = (
        analysis_model.objects.filter(programme_id=organisations[0].programme_id)
        .order_by("-run_at", "-pk")
        .first()
    )
    if latest is None:
        return []
    ids = [o.pk for o in organisations]
    names = {o.pk: o.name for o in organisations}
    rows = opportunity_model.objects.filter(
        analysis=latest, provider_id__in=ids, receiver_id__in=ids
    ).order_by("-score", "pk")
    return [
        TeamCooperation(
            solution=row.solution,
            provider_id=row.provider_id,
            receiver_id=row.receiver_id,
            provider=names[row.provider_id],
            receiver=names[row.receiver_id],
            text=row.sentence,
            subject=row.subject,
        )
        for row in rows
    ]


def _live(organisations: Sequence[Organisation]) -> list[TeamCooperation]:
    """The engine run now on the members alone: it also sees outside structures and data entered
    since the last analysis."""
    located = [o for o in organisations if o.latitude is not None and o.longitude is not None]
    if len(located) < 2:
        return []
    ids = [o.pk for o in located]
    names = {o.pk: o.name for o in located}
    # The cooperation area's adapters, with primary keys as engine ids (the sheet maps them back).
    from sobrindustrie.cooperation.adapters import engine_exchange, engine_machine, engine_org

    orgs = [
        dataclasses.replace(engine_org(o, (float(o.latitude), float(o.longitude))), id=str(o.pk))  # type: ignore[arg-type]
        for o in located
    ]
    machines = [
        engine_machine(m, str(m.organisation_id))
        for m in ProductionMeans.objects.filter(organisation_id__in=ids)
    ]
    needs = [engine_exchange(n, str(n.organisation_id)) for n in Need.objects.filter(organisation_id__in=ids)]
    offers = [
        engine_exchange(o, str(o.organisation_id)) for o in Offer.objects.filter(organisation_id__in=ids)
    ]
    params = engine.DetectionParameters(radius_km=REGION_RADIUS_KM)
    try:
        found = engine.detect_opportunities(
            orgs,
            machines,
            needs,  # type: ignore[arg-type]
            offers,  # type: ignore[arg-type]
            params=params,
        )
    except engine.TeamsInputError:
        # Inventory rows the engine rejects should not take the sheet down; the inventory pages
        # are where such data gets fixed.
        return []
    return [
        TeamCooperation(
            solution=o.solution,
            provider_id=int(o.provider_org_id),
            receiver_id=int(o.receiver_org_id),
            provider=names[int(o.provider_org_id)],
            receiver=names[int(o.receiver_org_id)],
            text=sentence_of(o),
            subject=o.subject,
        )
        for o in found
    ]


def cooperations_between(organisations: Sequence[Organisation]) -> list[TeamCooperation]:
    """What the members can do for each other, best first: the latest analysis's opportunities
    between them, completed by a run of the engine on their current data; one per demand answered."""
    seen: set[tuple[int, int, str]] = set()
    result = []
    for cooperation in [*_stored(organisations), *_live(organisations)]:
        key = (cooperation.provider_id, cooperation.receiver_id, cooperation.subject)
        if key not in seen:
            seen.add(key)
            result.append(cooperation)
    return result[:MAX_COOPERATIONS]
