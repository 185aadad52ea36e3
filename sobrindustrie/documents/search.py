"""Search across the programme's documents, news, minutes, actions and organisations.

Permissions come first: each source starts from its `visible_to(user)` queryset, and only then is
the text matched, so the engine changes the ranking of results, never who sees them. Matching
ignores accents and case, as people type ("energie", "ENERGIE" find "énergie"): on PostgreSQL
through French full-text search in the `french_unaccent` configuration (the French one with
`unaccent`, created by a migration); on SQLite through each model's folded text (`search_folded`,
`core.search`), every word of the query being found in it or, for rows saved without it, in the
original fields. The PostgreSQL search expressions are plain query expressions: they need no
`django.contrib.postgres` in INSTALLED_APPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet

from sobrindustrie.core.search import fold
from sobrindustrie.documents.querysets import is_programme_staff

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User

LIMIT = 20


@dataclass
class Results:
    documents: list[object]
    posts: list[object]
    minutes: list[object]
    actions: list[object]
    organisations: list[object]

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in vars(self).values())


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


#: PostgreSQL's text-search configuration: French stemming after `unaccent`.
TEXT_SEARCH_CONFIG = "french_unaccent"


def _match(queryset: QuerySet, fields: list[str], query: str) -> QuerySet:  # type: ignore[type-arg]
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config=TEXT_SEARCH_CONFIG)
        search = SearchQuery(query, config=TEXT_SEARCH_CONFIG, search_type="websearch")
        return queryset.annotate(rank=SearchRank(vector, search)).filter(rank__gt=0).order_by("-rank")
    condition = Q()
    for word in query.split():
        original = Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)
        condition &= Q(search_folded__contains=fold(word)) | original
    return queryset.filter(condition)


def search(user: User, programme: object, query: str) -> Results:
    from sobrindustrie.actionplans.models import Action
    from sobrindustrie.documents.models import Document, Post
    from sobrindustrie.meetings.models import Meeting, Minutes
    from sobrindustrie.organisations.models import Organisation

    query = query.strip()[:200]
    documents = Document.objects.visible_to(user).for_programme(programme).select_related("space")
    posts = Post.objects.visible_to(user).for_programme(programme)
    meetings = Meeting.objects.visible_to(user).for_programme(programme).values("pk")
    minutes = Minutes.objects.filter(meeting__in=meetings).select_related("meeting")
    if not is_programme_staff(user):
        minutes = minutes.filter(status="validated")
    actions = Action.objects.visible_to(user).for_programme(programme).select_related("plan__team")
    organisations = Organisation.objects.visible_to(user).for_programme(programme).active()
    return Results(
        documents=list(_match(documents, ["title", "description", "tags", "search_text"], query)[:LIMIT]),
        posts=list(_match(posts, ["title", "body"], query)[:LIMIT]),
        minutes=list(_match(minutes, ["meeting__title", "body"], query)[:LIMIT]),
        actions=list(_match(actions, ["title", "description"], query)[:LIMIT]),
        organisations=list(_match(organisations, ["name", "description"], query)[:LIMIT]),
    )
