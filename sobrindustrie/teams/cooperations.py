"""The cooperations that bind a team's members, found by the cooperation engine on their own data.

The programme's latest cooperation analysis comes first (what the consultant presented); the engine
is also run on the members alone, because the analysis may predate a member or leave outside
structures out. The team is already formed, so distance does not filter that run (the radius is the
whole region): the question is what the members can do for each other, not who is near whom.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps

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


def _org(organisation: Organisation) -> engine.Org:
    return engine.Org(
        id=str(organisation.pk),
        name=organisation.name,
        lat=float(organisation.latitude),  # type: ignore[arg-type]
        lon=float(organisation.longitude),  # type: ignore[arg-type]
        solution_interests=frozenset(c for c in organisation.solution_interests if c in engine.SOLUTIONS),
    )


def _machine(means: ProductionMeans) -> engine.Machine:
    return engine.Machine(
        id=str(means.pk),
        org_id=str(means.organisation_id),
        category=means.category,
        name=means.name,
        purchase_value_eur=float(means.purchase_value_eur or 0),
        mass_kg=means.mass_kg,
        main_material=means.main_material or None,
        rated_power_kw=means.rated_power_kw,
        annual_operating_hours=means.annual_operating_hours or 0.0,
        utilisation_rate=means.utilisation_rate or 0.0,
        condition=means.condition,
        maintenance_mode=means.maintenance_mode,
        contractor_distance_km=means.contractor_distance_km,
        planned_action=means.planned_action,
        sharing_hours_per_week=means.sharing_hours_per_week,
    )


def _exchange(item: Need | Offer, cls: type[engine.Need] | type[engine.Offer]) -> engine.Need | engine.Offer:
    return cls(
        org_id=str(item.organisation_id),
        kind=item.kind,
        category=item.category or None,
        skill=item.skill or None,
        hours_per_year=item.hours_per_year,
        description=item.description,
    )


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
    machines = [_machine(m) for m in ProductionMeans.objects.filter(organisation_id__in=ids)]
    needs = [_exchange(n, engine.Need) for n in Need.objects.filter(organisation_id__in=ids)]
    offers = [_exchange(o, engine.Offer) for o in Offer.objects.filter(organisation_id__in=ids)]
    params = engine.DetectionParameters(radius_km=REGION_RADIUS_KM)
    try:
        found = engine.detect_opportunities(
            [_org(o) for o in located],
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
            text=o.sentence,
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
