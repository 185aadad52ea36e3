from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sobrindustrie.documents.models import Comment, Document, DocumentVersion, Post, ShowcasePage, Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "programme"]
    list_filter = ["kind"]


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DocumentVersion
    extra = 0
    readonly_fields = ["number", "file", "original_name", "file_kind", "size", "uploaded_by", "uploaded_at"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ["title", "space", "category", "status"]
    list_filter = ["status", "category"]
    inlines = [VersionInline]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ["title", "kind", "space", "status"]


@admin.register(ShowcasePage)
class ShowcaseAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ["title", "team", "status"]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "author", "handled_at"]
