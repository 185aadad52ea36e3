"""The demo's collaborative space: every space and state present, idempotent."""

from __future__ import annotations

from pathlib import Path

from sobrindustrie.demo import documents as demo_documents
from sobrindustrie.demo import teams as demo_teams
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.documents.models import Document, DocumentVersion, Post, ShowcasePage, Space
from sobrindustrie.programmes.models import Programme

MODELS = [Space, Document, DocumentVersion, Post, ShowcasePage]


def _counts() -> dict[str, tuple[int, int]]:
    return {m.__name__: m.objects.count() for m in MODELS} | {  # type: ignore[attr-defined]
        f"{m.__name__} history": m.history.count()
        for m in (Document, Post, ShowcasePage)  # type: ignore[attr-defined]
    }


def test_demo_documents(db: object, settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    load_demo(password="demo-test-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    demo_teams.load(programme)  # team spaces need the teams
    demo_documents.load(programme)
    kinds = set(Document.objects.values_list("space__kind", flat=True))
    assert kinds == {"programme", "team", "copil", "organisation"}
    assert set(Document.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "validated",
        "published",
        "returned",
    }
    assert Post.objects.filter(kind="webinar").count() == 2
    assert ShowcasePage.objects.filter(status="published").count() == 5  # the five demo projects
    before = _counts()
    demo_documents.load(programme)
    assert _counts() == before
