"""Background tasks of the deliverables area (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from sobrindustrie.deliverables.services import run_pack


@task()
def build_pack(build_id: int, language: str = "fr") -> None:
    run_pack(build_id, language=language)
