"""Search across the programme's documents, news, minutes, actions and organisations.

Permissions come first: each source starts from its `visible_to(user)` queryset, and only then is
the text matched, so the engine (PostgreSQL full-text search in French, or `icontains` on SQLite)
changes the ranking of results, never who sees them. The PostgreSQL search expressions are plain
query expressions: they need no `django.contrib.postgres` in INSTALLED_APPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet

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


def _match(queryset: QuerySet, fields: list[str], query: str) -> QuerySet:  # type: ignore[type-arg]
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="french")
        search = SearchQuery(query, config="french", search_type="websearch")
        return queryset.annotate(rank=SearchRank(vector, search)).filter(rank__gt=0).order_by("-rank")
    condition = Q()
    for word in query.split():
        condition &= Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR)
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
