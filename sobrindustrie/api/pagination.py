"""Page-number pagination with bounds, so that no query string reaches the database unchecked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute: str = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet,
        pagination: Input,
        request: HttpRequest,
        **params: Any,  # type: ignore[type-arg]
    ) -> Any:
        offset = (pagination.page - 1) * pagination.page_size
        # A queryset, or a list computed in full by a service (obligations, deliverables registry).
        count = len(queryset) if isinstance(queryset, list) else queryset.count()
        return {
            "items": queryset[offset : offset + pagination.page_size],
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }
