from __future__ import annotations

import math
import random

import pytest
from django.utils import translation

from sobrindustrie.cooperation.wording import sentence_of
from sobrindustrie.engines.teams import (
    DetectionParameters,
    DetectionStats,
    Machine,
    Need,
    Offer,
    Opportunity,
    Org,
    PairWeight,
    Signal,
    TeamsInputError,
    detect_opportunities,
    great_circle_km,
    opportunities_between,
    pair_weights,
)

# Beta sits due north of Alpha, 0.1245 degrees of latitude: 13.84 km great circle, 18.0 km by road.
ALPHA = Org("A", "Alpha Méca", 43.5, 5.4)
BETA = Org("B", "Beta Industrie", 43.6245, 5.4)
FAR = Org("F", "Faraway", 44.5, 5.4)  # about 145 km by road from Alpha
ROAD_KM = great_circle_km(43.5, 5.4, 43.6245, 5.4) * 1.3
DECAY = math.exp(-ROAD_KM / 30)
NBSP = "\xa0"


def french(opportunity: Opportunity) -> str:
    """The sentence a French page writes from the engine's wording code and parameters."""
    with translation.override("fr"):
        return sentence_of(opportunity)


def only(found: list[Opportunity], solution: str) -> Opportunity:
    matching = [o for o in found if o.solution == solution]
    assert len(matching) == 1, matching
    return matching[0]


def laser_cutter(**changes: object) -> Machine:
    fields: dict[str, object] = {
        "id": "M1",
        "org_id": "A",
        "category": "cutting.laser",
        "name": "Découpeuse laser",
        "purchase_value_eur": 200_000,
        "annual_operating_hours": 600,
        "utilisation_rate": 30,
    }
    fields.update(changes)
    return Machine(**fields)  # type: ignore[arg-type]


def planned_laser(org_id: str = "B", machine_id: str = "P1") -> Machine:
    return Machine(
        machine_id,
        org_id,
        "cutting.laser",
        "Laser fibre 3 kW",
        180_000,
        annual_operating_hours=400,
        planned_action="purchase",
    )


def test_the_distance_between_alpha_and_beta_is_18_road_km() -> None:
    assert round(ROAD_KM) == 18


def test_it_proposes_pooling_an_under_used_machine_to_a_planned_purchase() -> None:
    found = detect_opportunities([ALPHA, BETA], [laser_cutter(), planned_laser()])

    opp = only(found, "pooling")
    assert (opp.provider_org_id, opp.receiver_org_id) == ("A", "B")
    assert opp.machine_ids == ("M1", "P1")
    assert opp.hours_shared_per_year == 400  # 1 400 spare hours, 400 wanted
    assert opp.avoided_purchase_eur == 180_000
    assert opp.avoided_embodied_kgco2e == 180 * 273  # monetary ratio: no mass given
    # 180 000 + 400 h x 60 + 49.14 t x 250
    assert opp.value_eur == 216_285
    assert opp.fit == 1
    assert opp.score == pytest.approx(216.285 * DECAY, abs=1e-3)
    assert opp.distance_km == round(ROAD_KM, 1)
    assert opp.subject == "machine:P1"
    assert french(opp) == (
        f"La machine « Découpeuse laser » d'Alpha Méca tourne 600 h/an sur 2{NBSP}000 possibles ; "
        "Beta Industrie prévoit d'en acheter une (« Laser fibre 3 kW ») ; 18 km les séparent."
    )


def test_it_uses_mass_and_material_for_embodied_emissions_when_known() -> None:
    planned = Machine(
        "P1",
        "B",
        "cutting.laser",
        "Laser",
        180_000,
        mass_kg=5_000,
        main_material="steel",
        annual_operating_hours=400,
        planned_action="purchase",
    )
    opp = only(detect_opportunities([ALPHA, BETA], [laser_cutter(), planned]), "pooling")
    assert opp.avoided_embodied_kgco2e == 5_000 * 1.6


def test_it_proposes_pooling_to_a_capacity_need() -> None:
    need = Need("B", "capacity", "cutting.laser", hours_per_year=2_000, description="découpe de tôles")
    opp = only(detect_opportunities([ALPHA, BETA], [laser_cutter()], needs=[need]), "pooling")
    assert opp.hours_shared_per_year == 1_400
    assert opp.avoided_purchase_eur == 0
    assert opp.fit == 0.7  # covers 1 400 of the 2 000 hours wanted
    assert opp.value_eur == 1_400 * 60
    assert opp.subject == "need:0"
    assert french(opp).endswith(
        f"Beta Industrie cherche 2{NBSP}000 h/an de cette capacité (découpe de tôles) ; 18 km les séparent."
    )


def test_it_does_not_pool_a_machine_that_is_busy_enough() -> None:
    busy = laser_cutter(utilisation_rate=80, annual_operating_hours=1_600)
    assert detect_opportunities([ALPHA, BETA], [busy, planned_laser()]) == []


def test_it_pools_a_busy_machine_whose_owner_offers_hours_for_sharing() -> None:
    busy = laser_cutter(utilisation_rate=60, annual_operating_hours=1_200, sharing_hours_per_week=5)
    opp = only(detect_opportunities([ALPHA, BETA], [busy, planned_laser()]), "pooling")
    assert opp.hours_shared_per_year == 230  # 5 h a week over 46 weeks
    assert opp.fit == pytest.approx(230 / 400, abs=1e-3)


def test_it_finds_nothing_beyond_the_radius() -> None:
    found = detect_opportunities([ALPHA, FAR], [laser_cutter(), planned_laser("F")])
    assert found == []
    wider = detect_opportunities(
        [ALPHA, FAR], [laser_cutter(), planned_laser("F")], params=DetectionParameters(radius_km=200)
    )
    assert [o.solution for o in wider] == ["pooling"]


def test_it_never_pairs_an_organisation_with_itself() -> None:
    assert detect_opportunities([ALPHA], [laser_cutter(), planned_laser("A")]) == []


def test_it_matches_sibling_categories_with_a_lower_fit() -> None:
    plasma = Machine(
        "P2", "B", "cutting.plasma", "Plasma", 50_000, annual_operating_hours=100, planned_action="purchase"
    )
    opp = only(detect_opportunities([ALPHA, BETA], [laser_cutter(), plasma]), "pooling")
    assert opp.fit == 0.5
    other_family = Machine("P3", "B", "welding.mig", "Poste MIG", 5_000, planned_action="purchase")
    assert detect_opportunities([ALPHA, BETA], [laser_cutter(), other_family]) == []


def test_it_proposes_retrofit_for_a_machine_in_poor_condition() -> None:
    press = Machine(
        "M2",
        "B",
        "forming.press_brake",
        "Presse plieuse",
        90_000,
        mass_kg=8_000,
        main_material="steel",
        condition="poor",
    )
    found = detect_opportunities([ALPHA, BETA], [press], offers=[Offer("A", "skill", skill="retrofit")])
    opp = only(found, "retrofit")
    assert opp.skills == ("retrofit",)
    assert opp.machine_ids == ("M2",)
    # The retrofit costs 40 % of a new press: 60 % of its price is avoided, and 80 % of its
    # embodied emissions (the frame is kept).
    assert opp.avoided_purchase_eur == 54_000
    assert opp.avoided_embodied_kgco2e == 10_240  # 8 t of steel x 1.6 x 0.8
    assert opp.value_eur == 56_560  # 54 000 + 10.24 t x 250
    assert dict(opp.basis) == {
        "purchase_value_eur": 90_000,
        "purchase_share": pytest.approx(0.6),
        "embodied_kgco2e": 12_800,
        "embodied_share": 0.8,
        "mass_kg": 8_000,
        "material_kgco2e_per_kg": 1.6,
    }
    assert opp.fit == 0.8  # a skill offered for any category
    assert french(opp) == (
        "Alpha Méca propose ses compétences de rétrofit ; la machine « Presse plieuse » de Beta Industrie "
        "est en mauvais état ; 18 km les séparent."
    )


def test_it_proposes_local_fabrication_instead_of_a_purchase() -> None:
    jig = Machine("T1", "B", "tooling.jig", "Gabarit de soudage", 12_000, planned_action="purchase")
    offer = Offer("A", "skill", category="tooling", skill="fabrication")
    opp = only(detect_opportunities([ALPHA, BETA], [jig], offers=[offer]), "local_fabrication")
    assert opp.fit == 0.8  # offered for the top-level category
    # Built by a neighbour, the jig still costs 70 % of its price and emits its materials: only the
    # difference is avoided, no embodied emissions.
    assert opp.avoided_purchase_eur == pytest.approx(3_600)
    assert opp.avoided_embodied_kgco2e == 0
    assert opp.value_eur == pytest.approx(3_600)
    assert dict(opp.basis) == {
        "purchase_value_eur": 12_000,
        "purchase_share": pytest.approx(0.3),
        "embodied_kgco2e": pytest.approx(12 * 273),
        "embodied_share": 0,
        "monetary_kgco2e_per_keur": 273,
    }
    assert french(opp) == (
        "Alpha Méca peut fabriquer des outils de production ; Beta Industrie prévoit d'acheter "
        "« Gabarit de soudage » ; 18 km les séparent."
    )


def test_the_shares_of_a_skill_are_parameters() -> None:
    jig = Machine("T1", "B", "tooling.jig", "Gabarit de soudage", 12_000, planned_action="purchase")
    offer = Offer("A", "skill", category="tooling", skill="fabrication")
    params = DetectionParameters(local_fabrication_cost_share=0.5)
    found = detect_opportunities([ALPHA, BETA], [jig], offers=[offer], params=params)
    assert only(found, "local_fabrication").avoided_purchase_eur == pytest.approx(6_000)


def test_pooling_avoids_the_whole_purchase_and_says_so() -> None:
    opp = only(detect_opportunities([ALPHA, BETA], [laser_cutter(), planned_laser()]), "pooling")
    assert dict(opp.basis)["purchase_share"] == 1.0
    assert dict(opp.basis)["embodied_share"] == 1.0


def test_it_proposes_inhouse_maintenance_near_machines_served_by_a_far_contractor() -> None:
    compressor = Machine(
        "C1",
        "B",
        "air.compressor",
        "Compresseur",
        30_000,
        maintenance_mode="contractor",
        contractor_distance_km=120,
    )
    near_contractor = Machine(
        "C2", "B", "air.dryer", "Sécheur", 8_000, maintenance_mode="contractor", contractor_distance_km=10
    )
    offer = Offer("A", "skill", skill="maintenance")
    opp = only(
        detect_opportunities([ALPHA, BETA], [compressor, near_contractor], offers=[offer]),
        "inhouse_maintenance",
    )
    km = 4 * 2 * (120 - ROAD_KM)
    assert opp.machine_ids == ("C1",)
    assert opp.km_avoided_per_year == round(km, 1)
    assert opp.avoided_travel_kgco2e_per_year == round(km * 0.218, 1)
    assert opp.value_eur == pytest.approx(km * 0.6 + km * 0.218 / 1000 * 250, abs=0.01)
    assert opp.subject == "maintenance:B"
    assert french(opp) == (
        "Alpha Méca dispose de compétences de maintenance ; la machine « Compresseur » de Beta Industrie est "
        "entretenue par un prestataire à 120 km ; 18 km les séparent."
    )


def test_it_proposes_selling_machine_time() -> None:
    booth = Machine(
        "K1",
        "A",
        "surface.painting",
        "Cabine de peinture",
        60_000,
        annual_operating_hours=1_300,
        utilisation_rate=80,
    )
    offer = Offer("A", "capacity", category="surface.painting", hours_per_year=500)
    need = Need(
        "B", "capacity", category="surface.painting", hours_per_year=200, description="peinture poudre"
    )
    opp = only(
        detect_opportunities([ALPHA, BETA], [booth], needs=[need], offers=[offer]), "functional_economy"
    )
    assert opp.hours_shared_per_year == 200
    assert opp.value_eur == 12_000
    assert opp.machine_ids == ("K1",)
    assert french(opp) == (
        "Alpha Méca propose de vendre 500 h/an d'usage de « Cabine de peinture » ; Beta Industrie cherche "
        "200 h/an de cette capacité (peinture poudre) ; 18 km les séparent."
    )


def test_it_answers_a_skill_need() -> None:
    need = Need("B", "skill", skill="design", hours_per_year=80, description="outillage de contrôle")
    offers = [Offer("A", "skill", skill="design"), Offer("A", "skill", skill="fabrication")]
    opp = only(detect_opportunities([ALPHA, BETA], [], needs=[need], offers=offers), "local_fabrication")
    assert opp.skills == ("design",)
    assert opp.hours_shared_per_year == 80
    assert french(opp) == (
        "Alpha Méca peut concevoir des outils de production ; Beta Industrie cherche des compétences de "
        "conception (outillage de contrôle), 80 h/an ; 18 km les séparent."
    )


def test_shared_interest_and_signals_weigh_on_the_fit() -> None:
    alpha = Org("A", "Alpha Méca", 43.5, 5.4, frozenset({"pooling"}))
    beta = Org("B", "Beta Industrie", 43.6245, 5.4, frozenset({"pooling"}))
    opp = only(detect_opportunities([alpha, beta], [laser_cutter(), planned_laser()]), "pooling")
    assert opp.fit == 1.5

    signal = Signal("B", "pooling", "needs", category="cutting.laser", strength=0.5)
    found = detect_opportunities([ALPHA, BETA], [laser_cutter()], signals=[signal])
    opp = only(found, "pooling")
    # the signal also marks Beta's interest in pooling: 0.5 x (1 + 0.25)
    assert opp.fit == 0.625
    assert opp.subject == "signal:0"


def test_it_keeps_the_best_providers_per_demand() -> None:
    orgs = [BETA] + [Org(f"O{i}", f"Org {i}", 43.5 + i * 0.001, 5.4) for i in range(8)]
    machines = [laser_cutter(id=f"M{i}", org_id=f"O{i}") for i in range(8)] + [planned_laser()]
    found = detect_opportunities(orgs, machines, params=DetectionParameters(max_per_subject=3))
    assert [o.provider_org_id for o in found] == ["O7", "O6", "O5"]  # the nearest to Beta


def test_it_does_not_compare_every_machine_with_every_other() -> None:
    # 2 000 under-used machines around Paris, one supply and one demand in Provence.
    orgs = [ALPHA, BETA] + [
        Org(f"P{i}", f"Paris {i}", 48.8 + (i % 50) * 0.002, 2.3 + (i // 50) * 0.002) for i in range(200)
    ]
    machines = [laser_cutter(id=f"X{i}", org_id=f"P{i % 200}") for i in range(2_000)]
    machines += [laser_cutter(), planned_laser()]
    stats = DetectionStats()
    found = detect_opportunities(orgs, machines, stats=stats)
    assert [(o.provider_org_id, o.receiver_org_id) for o in found] == [("A", "B")]
    assert stats.distance_evaluations == 1


def test_pair_weights_count_alternatives_for_one_demand_once() -> None:
    press = Machine("M2", "B", "forming.press", "Presse", 90_000, condition="poor", planned_action="replace")
    offers = [Offer("A", "skill", skill="retrofit"), Offer("A", "skill", skill="fabrication")]
    need = Need("A", "skill", skill="maintenance", hours_per_year=100)
    found = detect_opportunities(
        [ALPHA, BETA], [press], needs=[need], offers=[*offers, Offer("B", "skill", skill="maintenance")]
    )
    by_solution = {o.solution: o for o in found}
    assert set(by_solution) == {"retrofit", "local_fabrication", "inhouse_maintenance"}
    assert by_solution["retrofit"].subject == by_solution["local_fabrication"].subject == "machine:M2"
    expected = max(by_solution["retrofit"].score, by_solution["local_fabrication"].score)
    expected += by_solution["inhouse_maintenance"].score
    assert pair_weights(found) == [PairWeight("A", "B", round(expected, 3))]
    assert opportunities_between(["A", "B"], found) == found
    assert opportunities_between(["A"], found) == []


@pytest.mark.parametrize(
    ("machine", "field"),
    [
        (Machine("M", "Z", "cutting.laser", "x", 1), "machines[0].org_id"),
        (Machine("M", "A", "Cutting Laser", "x", 1), "machines[0].category"),
        (Machine("M", "A", "cutting", "x", 1, utilisation_rate=140), "machines[0].utilisation_rate"),
        (Machine("M", "A", "cutting", "x", float("nan")), "machines[0].purchase_value_eur"),
        (Machine("M", "A", "cutting", "x", 1, condition="broken"), "machines[0].condition"),
    ],
)
def test_it_names_the_field_of_bad_input(machine: Machine, field: str) -> None:
    with pytest.raises(TeamsInputError) as error:
        detect_opportunities([ALPHA], [machine])
    assert error.value.field == field


def test_it_refuses_a_capacity_need_without_category() -> None:
    with pytest.raises(TeamsInputError, match=r"needs\[0\]\.category"):
        detect_opportunities([ALPHA], [], needs=[Need("A", "capacity")])


def test_a_pooling_offer_signal_makes_a_busy_machine_shareable() -> None:
    busy = laser_cutter(utilisation_rate=75, annual_operating_hours=1_500)  # 500 spare hours
    signal = Signal("A", "pooling", "offers", category="cutting", strength=0.6)
    opp = only(detect_opportunities([ALPHA, BETA], [busy, planned_laser()], signals=[signal]), "pooling")
    assert opp.hours_shared_per_year == 400
    assert opp.fit == 0.75  # 0.6 x (1 + 0.25: Alpha signalled pooling)


def test_keeping_the_best_providers_loses_none_of_them() -> None:
    # Many providers in sibling categories at various distances: the selection with a cut at three
    # providers per demand (which skips supplies that cannot make the cut) keeps the three best of the
    # full list.
    rng = random.Random(5)
    orgs = [
        Org(f"O{i}", f"Org {i}", 43.5 + rng.uniform(-0.3, 0.3), 5.4 + rng.uniform(-0.3, 0.3))
        for i in range(60)
    ]
    categories = ["cutting.laser", "cutting.plasma", "cutting.water", "cutting"]
    machines = [
        Machine(
            f"M{i}",
            f"O{i % 60}",
            rng.choice(categories),
            f"Machine {i}",
            rng.uniform(1e4, 3e5),
            annual_operating_hours=rng.uniform(100, 900),
            utilisation_rate=rng.uniform(5, 45),
            planned_action="purchase" if i % 9 == 0 else "none",
            sharing_hours_per_week=rng.choice([0, 6]),
        )
        for i in range(240)
    ]
    needs = [
        Need(f"O{i}", "capacity", rng.choice(categories), hours_per_year=rng.choice([None, 300]))
        for i in range(0, 60, 7)
    ]
    everything = detect_opportunities(
        orgs, machines, needs, params=DetectionParameters(max_per_subject=1_000)
    )
    cut = detect_opportunities(orgs, machines, needs, params=DetectionParameters(max_per_subject=3))
    expected = []
    for subject in {o.subject for o in everything}:
        ranked = sorted(
            (o for o in everything if o.subject == subject), key=lambda o: (-o.score, o.provider_org_id)
        )
        expected.extend(ranked[:3])

    def key(o: Opportunity) -> tuple[str, str]:
        return o.subject, o.provider_org_id

    assert sorted(cut, key=key) == sorted(expected, key=key)
    assert len(cut) > 50


def test_the_screened_search_finds_what_valuing_every_supply_finds() -> None:
    # Seeded programme with every kind of supply and demand, signals included: the best-first scan that
    # stops at the last kept score returns exactly the best five of the full list, for every demand.
    rng = random.Random(11)
    centres = [(43.3, 5.4), (43.7, 7.2), (43.5, 5.9)]
    orgs = []
    for i in range(100):
        lat, lon = rng.choice(centres)
        interests = frozenset(rng.sample(["pooling", "retrofit", "functional_economy"], rng.randint(0, 2)))
        orgs.append(
            Org(f"O{i:03d}", f"Org {i}", lat + rng.gauss(0, 0.08), lon + rng.gauss(0, 0.1), interests)
        )
    categories = ["cutting.laser", "cutting.plasma", "cutting", "forming.press", "forming.bend"]
    machines = [
        Machine(
            f"M{i}",
            f"O{rng.randrange(100):03d}",
            rng.choice(categories),
            f"Machine {i}",
            rng.choice([0, rng.uniform(1e4, 3e5)]),
            annual_operating_hours=rng.uniform(0, 1500),
            utilisation_rate=rng.uniform(5, 95),
            condition=rng.choice(["good", "fair", "poor", "out_of_service"]),
            maintenance_mode=rng.choice(["inhouse", "contractor"]),
            contractor_distance_km=rng.uniform(5, 150),
            planned_action=rng.choice(["none", "none", "replace", "purchase"]),
            sharing_hours_per_week=rng.choice([0, 0, 6]),
        )
        for i in range(600)
    ]
    needs = [
        Need(org.id, "capacity", rng.choice(categories), hours_per_year=rng.choice([None, 300]))
        for org in rng.sample(orgs, 30)
    ] + [Need(org.id, "skill", skill=rng.choice(["retrofit", "design", "maintenance"])) for org in orgs[:15]]
    offers = [
        Offer(org.id, "skill", skill=rng.choice(["retrofit", "design", "maintenance", "fabrication"]))
        for org in rng.sample(orgs, 40)
    ] + [Offer(org.id, "capacity", category=rng.choice(categories)) for org in rng.sample(orgs, 20)]
    signals = [
        Signal(org.id, "pooling", rng.choice(["offers", "needs"]), rng.choice(categories), strength=0.5)
        for org in rng.sample(orgs, 20)
    ] + [Signal(org.id, "retrofit", "offers", skill="retrofit", strength=0.7) for org in orgs[20:30]]
    full = DetectionStats()
    everything = detect_opportunities(
        orgs, machines, needs, offers, signals, DetectionParameters(max_per_subject=100_000), full
    )
    stats = DetectionStats()
    cut = detect_opportunities(orgs, machines, needs, offers, signals, stats=stats)
    expected = []
    for demand in {(o.solution, o.subject) for o in everything}:
        ranked = sorted(
            (o for o in everything if (o.solution, o.subject) == demand),
            key=lambda o: (-o.score, o.provider_org_id),
        )
        expected.extend(ranked[:5])

    def key(o: Opportunity) -> tuple[str, str, str]:
        return o.subject, o.solution, o.provider_org_id

    assert sorted(cut, key=key) == sorted(expected, key=key)
    assert len({o.solution for o in cut}) == 5
    assert stats.candidates < full.candidates * 0.8  # many supplies in range were never valued
