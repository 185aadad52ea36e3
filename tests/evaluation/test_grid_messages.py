"""Every label of every shipped grid reaches the translators, and is French in the French interface."""

from __future__ import annotations

from dataclasses import fields

from django.utils import translation

from sobrindustrie.evaluation.grid import _FILES, Level, load_grid
from sobrindustrie.evaluation.grid_messages import GRID_MESSAGES


def _grid_labels() -> list[str]:
    labels = []
    for version in _FILES:
        grid = load_grid(version)
        labels += [grid.name, grid.source]
        for scale in fields(grid):
            value = getattr(grid, scale.name)
            if isinstance(value, tuple):
                labels += [level.label for level in value if isinstance(level, Level)]
    return labels


def test_every_grid_label_is_listed_for_makemessages() -> None:
    missing = [label for label in _grid_labels() if label not in GRID_MESSAGES]
    assert not missing


def test_every_grid_label_is_french_in_the_french_interface() -> None:
    grid = load_grid()
    with translation.override("fr"):
        untranslated = [label for label in _grid_labels() if translation.gettext(label) == label]
        assert grid.label("aspects", "climate") == "Changement climatique (gaz à effet de serre)"
    assert not untranslated
