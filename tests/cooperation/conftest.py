from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

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


@pytest.fixture(autouse=True)
def interface_in_english(settings: Any) -> Iterator[None]:
    """These tests read the interface's English wording; French is checked by tests/www and e2e."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
