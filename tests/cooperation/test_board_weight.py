"""The team board stays light at workshop scale: what a member adds to the HTMX answer does not grow
with the number of teams (one move control per board, the partition in one field), where one
select of k options per member made the solve answer weigh 231 KB at 120 companies in 20 teams
(issue #18; `benchmarks/workshop_bench.py` measures it on 5,020 organisations)."""

from __future__ import annotations

import factory
from django.urls import reverse

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.adapters import FormationParameters
from sobrindustrie.cooperation.models import CooperationAnalysis
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.www.cooperation_views.views import _sign
from tests.conftest import World
from tests.cooperation.factories import Cooperation
from tests.factories import OrganisationFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
LAUREATES = 120
#: Bytes one more member may add to the board: its line in its team, its option in the move
#: control and its primary key in the partition field (about 200 bytes today; a select of 20 team
#: options per member cost over 1,200).
MEMBER_BYTES = 400
#: Bytes one more team may add: its card, its option and its group in the move control (about
#: 1.1 KB today; with a select per member, every member also got one more option).
TEAM_BYTES = 2000


def _board_bytes(world: World, analysis: CooperationAnalysis, k: int) -> int:
    """The weight of the board the consultant gets for the programme's active laureates dealt into
    k teams, as the HTMX answer of a move."""
    pks = list(
        Organisation.objects.filter(programme=world.programme, kind="laureate_sme", is_archived=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    parameters = FormationParameters(k=k, min_size=1, max_size=len(pks), time_limit_s=5)
    summary = services.SolveSummary("FEASIBLE", 10.0, 12.0, 0.5, ())
    teams = [pks[number::k] for number in range(k)]
    data = {
        "token": _sign(analysis, parameters, summary),
        "partition": "-".join(".".join(str(pk) for pk in team) for team in teams),
    }
    response = world.client("consultant").post(
        reverse("www:team_score", args=[world.programme.slug]), data, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="board"' in body
    assert "Broken constraints" not in body  # every laureate is on the board
    return len(response.content)


def test_a_member_weighs_the_same_whatever_the_number_of_teams(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    commune = world.sme_org.commune
    OrganisationFactory.create_batch(
        LAUREATES - 2,  # the world holds two laureates already
        programme=world.programme,
        commune=commune,
        name=factory.Sequence(lambda n: f"Entreprise industrielle du Var {n:04d}"),
    )
    everyone = _board_bytes(world, analysis, k=20)
    few_teams = _board_bytes(world, analysis, k=5)
    half = Organisation.objects.filter(programme=world.programme, kind="laureate_sme").order_by("-pk")
    archived = list(half.values_list("pk", flat=True)[: LAUREATES // 2])
    Organisation.objects.filter(pk__in=archived).update(is_archived=True)
    half_members = _board_bytes(world, analysis, k=20)

    per_member = (everyone - half_members) / (LAUREATES // 2)
    per_team = (everyone - few_teams) / 15
    assert per_member < MEMBER_BYTES, f"{per_member:.0f} bytes per member at 20 teams"
    assert per_team < TEAM_BYTES, f"{per_team:.0f} bytes per team at {LAUREATES} members"
    # The workshop's size, reasons aside: far under the 150 KB of a page.
    assert everyone < 60 * 1024, f"{everyone / 1024:.1f} KB for {LAUREATES} companies in 20 teams"
