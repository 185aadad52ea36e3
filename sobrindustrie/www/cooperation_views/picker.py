"""The organisations of a team-formation constraint, chosen by searching instead of one checkbox each.

A programme can hold thousands of organisations (laureates and the outside structures imported from
the company registry): one checkbox or option each made the team-formation page weigh 400 KB. The
page now lists only the organisations already chosen, each with a remove button, and the matches of
a search (at most `RESULTS_SHOWN`), each with an add button.

The state travels in the request: `organisations` (the chosen ones, repeated), `q` (the search),
`add` and `remove` (the button pressed). Without JavaScript the buttons submit a GET form to the
team-formation page, which draws it again; with HTMX they fetch only the selection. Two queries
whatever the size of the programme: the chosen ones, and the matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from sobrindustrie.core.search import fold
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme

#: Matches shown for one search; more means the search should be narrowed.
RESULTS_SHOWN = 12
#: A constraint names a few organisations (a cannot-link two, a must-link a group); the request is
#: capped so that a crafted URL cannot ask for the whole programme.
MAX_CHOSEN = 40
#: Shorter searches would match most of the programme.
MIN_QUERY = 2
MAX_QUERY = 100


@dataclass
class Picker:
    query: str = ""
    chosen: list[Organisation] = field(default_factory=list)
    results: list[Organisation] = field(default_factory=list)
    more: bool = False
    too_short: bool = False

    @property
    def searched(self) -> bool:
        return bool(self.query) and not self.too_short


def chosen_pks(data: Any) -> list[int]:
    """The chosen primary keys in the order they were chosen: the `organisations` values, plus
    `add`, less `remove`; anything not a number is ignored."""
    values = [*data.getlist("organisations"), data.get("add", "")]
    remove = data.get("remove", "")
    pks = [int(value) for value in values if str(value).isdigit() and str(value) != remove]
    return list(dict.fromkeys(pks))[:MAX_CHOSEN]


def _candidates(programme: Programme) -> QuerySet[Organisation]:
    return (
        Organisation.objects.for_programme(programme)  # type: ignore[attr-defined]
        .active()
        .select_related("commune")
        .only("pk", "name", "kind", "city_name", "commune__name")
    )


def matching(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations whose name (accents and case ignored) holds every word of `query`, or whose
    SIRET starts with it."""
    digits = query.replace(" ", "")
    condition = Q()
    for word in query.split():
        # search_folded is kept by save(); the name catches rows inserted in bulk without it.
        condition &= Q(search_folded__contains=fold(word)) | Q(name__icontains=word)
    if digits.isdigit():
        condition |= Q(siret__startswith=digits)
    return queryset.filter(condition)


def build_picker(programme: Programme, data: Any, search: bool = True) -> Picker:
    """The chosen organisations of the programme (active ones only) and, when `search`, the
    matches of `q` that are not chosen yet."""
    pks = chosen_pks(data)
    candidates = _candidates(programme)
    found = {org.pk: org for org in candidates.filter(pk__in=pks)} if pks else {}
    picker = Picker(chosen=[found[pk] for pk in pks if pk in found])
    query = " ".join(str(data.get("q", "")).split())[:MAX_QUERY] if search else ""
    picker.query = query
    if not query:
        return picker
    if len(query) < MIN_QUERY:
        picker.too_short = True
        return picker
    rows = list(matching(candidates, query).exclude(pk__in=pks).order_by("name", "pk")[: RESULTS_SHOWN + 1])
    picker.results, picker.more = rows[:RESULTS_SHOWN], len(rows) > RESULTS_SHOWN
    return picker
