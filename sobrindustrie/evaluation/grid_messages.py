"""The grid files' labels, for `makemessages`: it does not read YAML.

Every label of every shipped grid (data/empreinte_projet_level1_v*.yaml) is listed here as a msgid, so
that its French is in the .po files; `Level.display` translates it. A test checks that no label of
any grid is missing from this list.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

GRID_MESSAGES = (
    gettext_noop("Empreinte Projet — level 1 (platform grid)"),
    gettext_noop(
        "Platform grid written from ADEME's public description of Empreinte Projet (level 1: qualitative comparison with a reference scenario through a tree of consequences). Replace with ADEME's official grid when available."
    ),
    gettext_noop("Climate change (greenhouse gases)"),
    gettext_noop("Resources (materials, energy, land)"),
    gettext_noop("Water (quantity and quality)"),
    gettext_noop("Biodiversity and ecosystems"),
    gettext_noop("Pollution (air, soil, noise, waste, toxicity)"),
    gettext_noop("Better than the reference"),
    gettext_noop("Worse than the reference"),
    gettext_noop("No difference"),
    gettext_noop("Uncertain"),
    gettext_noop("Low"),
    gettext_noop("Medium"),
    gettext_noop("High"),
    gettext_noop("Low (assumption)"),
    gettext_noop("Medium (estimate)"),
    gettext_noop("High (measured or documented)"),
    gettext_noop("Short term (under 2 years)"),
    gettext_noop("Medium term (2 to 10 years)"),
    gettext_noop("Long term (over 10 years)"),
    gettext_noop("Idea"),
    gettext_noop("Study / design"),
    gettext_noop("Implementation"),
    gettext_noop("In operation"),
)
