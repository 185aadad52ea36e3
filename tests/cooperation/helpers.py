"""Building blocks shared by the view tests: a saved scenario and a board token."""

from __future__ import annotations

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.adapters import FormationParameters
from sobrindustrie.cooperation.models import CooperationAnalysis, Scenario
from sobrindustrie.www.cooperation_views.views import _sign

PARAMETERS = FormationParameters(k=2, min_size=1, max_size=3, time_limit_s=5)


def optimal_scenario(analysis: CooperationAnalysis, name: str = "Optimum") -> Scenario:
    formation = services.form_teams(analysis, PARAMETERS)
    teams = formation.context.teams_as_pks([list(t.members) for t in formation.solution.teams])
    return services.save_scenario(
        analysis, name, teams, PARAMETERS, services.SolveSummary.of(formation.solution)
    )


def board_post(analysis: CooperationAnalysis, teams: list[list[int]], **extra: str) -> dict[str, str]:
    """What the board form posts: the signed token and the partition field (each team's primary
    keys joined by ".", teams joined by "-")."""
    formation = services.form_teams(analysis, PARAMETERS)
    data = {
        "token": _sign(analysis, PARAMETERS, services.SolveSummary.of(formation.solution)),
        "partition": "-".join(".".join(str(pk) for pk in team) for team in teams),
    }
    data.update(extra)
    return data
