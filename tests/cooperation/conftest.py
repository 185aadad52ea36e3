from __future__ import annotations

import pytest

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.models import CooperationAnalysis
from tests.conftest import World
from tests.cooperation.factories import Cooperation, build_cooperation


@pytest.fixture
def coop(world: World) -> Cooperation:
    return build_cooperation(world)


@pytest.fixture
def analysis(world: World, coop: Cooperation) -> CooperationAnalysis:
    return services.run_analysis(world.programme, world.users["consultant"])
